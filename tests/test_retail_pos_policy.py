"""Policy checks, approval tokens and total checks of retail_pos, without Odoo."""

from conftest import load_tool

policy = load_tool("retail_pos", "policy")
approval_token = load_tool("retail_pos", "approval_token")

POLICY = {
    "max_line_discount": 10.0,
    "max_order_discount": 15.0,
    "price_override_allowed": False,
    "return_without_receipt_allowed": False,
    "return_approval_amount": 0.0,
}


def line(**values):
    base = {
        "uuid": "L1", "product": "Cola", "qty": 1.0, "price_unit": 10.0, "discount": 0.0,
        "expected_price": 10.0, "expired_lots": [], "refund": None,
    }
    return {**base, **values}


def kinds(violations):
    return [violation["kind"] for violation in violations]


def test_clean_line_passes():
    assert policy.find_violations(POLICY, [line(discount=10.0)], []) == []


def test_discount_above_limit_needs_approval():
    assert kinds(policy.find_violations(POLICY, [line(discount=12.0)], [])) == ["discount"]


def test_discount_approval_covers_up_to_approved_value():
    approval = {"action": "discount", "line_uuid": "L1", "new_value": "12"}
    assert policy.find_violations(POLICY, [line(discount=12.0)], [approval]) == []
    assert kinds(policy.find_violations(POLICY, [line(discount=13.0)], [approval])) == ["discount"]


def test_approval_of_another_line_does_not_cover():
    approval = {"action": "discount", "line_uuid": "L2", "new_value": "50"}
    assert kinds(policy.find_violations(POLICY, [line(discount=12.0)], [approval])) == ["discount"]


def test_lower_price_needs_approval_unless_allowed():
    assert kinds(policy.find_violations(POLICY, [line(price_unit=9.0)], [])) == ["price"]
    allowed = {**POLICY, "price_override_allowed": True}
    assert policy.find_violations(allowed, [line(price_unit=9.0)], []) == []
    approval = {"action": "price", "line_uuid": "L1", "new_value": "9.0"}
    assert policy.find_violations(POLICY, [line(price_unit=9.0)], [approval]) == []
    assert kinds(policy.find_violations(POLICY, [line(price_unit=8.0)], [approval])) == ["price"]


def test_exempt_line_has_no_price_check():
    assert policy.find_violations(POLICY, [line(price_unit=1.0, expected_price=None)], []) == []


def test_order_discount_weighted_by_amount():
    lines = [line(uuid="A", discount=10.0, price_unit=100.0, expected_price=100.0),
             line(uuid="B", discount=0.0)]
    assert abs(policy.order_discount_percent(lines) - 100 / 11) < 1e-9
    strict = {**POLICY, "max_order_discount": 5.0}
    assert kinds(policy.find_violations(strict, lines, [])) == ["order_discount"]


def test_global_discount_line_counts_in_the_order_discount():
    goods = [line(uuid="A", price_unit=60.0, expected_price=60.0), line(uuid="B", price_unit=40.0)]
    global_discount = line(
        uuid="D", product="Discount", price_unit=-20.0, expected_price=None, order_discount_line=True,
    )
    assert abs(policy.order_discount_percent([*goods, global_discount]) - 20.0) < 1e-9
    assert kinds(policy.find_violations(POLICY, [*goods, global_discount], [])) == ["order_discount"]
    approval = {"action": "order_discount", "line_uuid": "", "new_value": "20.00"}
    assert policy.find_violations(POLICY, [*goods, global_discount], [approval]) == []


def test_global_discount_within_the_limit_passes():
    goods = [line(uuid="A", price_unit=100.0, expected_price=100.0)]
    global_discount = line(
        uuid="D", product="Discount", price_unit=-15.0, expected_price=None, order_discount_line=True,
    )
    assert policy.find_violations(POLICY, [*goods, global_discount], []) == []


def test_expired_lot_needs_approval_for_that_lot():
    expired = line(expired_lots=["LOT1"])
    assert kinds(policy.find_violations(POLICY, [expired], [])) == ["expired_lot"]
    other = {"action": "expired_lot", "line_uuid": "L1", "new_value": "LOT2"}
    assert kinds(policy.find_violations(POLICY, [expired], [other])) == ["expired_lot"]
    right = {"action": "expired_lot", "line_uuid": "L1", "new_value": "LOT1"}
    assert policy.find_violations(POLICY, [expired], [right]) == []


def test_return_against_receipt_limited_to_remaining_quantity():
    refund = {"sold_qty": 3.0, "refunded_qty": 2.0, "price_unit": 10.0, "discount": 0.0}
    assert policy.find_violations(POLICY, [line(qty=-1.0, refund=refund)], []) == []
    assert kinds(policy.find_violations(POLICY, [line(qty=-2.0, refund=refund)], [])) == ["refund_qty"]


def test_return_against_receipt_cannot_refund_above_paid_price():
    refund = {"sold_qty": 1.0, "refunded_qty": 0.0, "price_unit": 10.0, "discount": 50.0}
    assert kinds(policy.find_violations(POLICY, [line(qty=-1.0, refund=refund)], [])) == ["refund_price"]


def test_return_without_receipt_threshold():
    relaxed = {**POLICY, "return_without_receipt_allowed": True, "return_approval_amount": 15.0}
    assert policy.find_violations(relaxed, [line(qty=-1.0)], []) == []
    assert kinds(policy.find_violations(relaxed, [line(qty=-2.0)], [])) == ["return"]
    assert kinds(policy.find_violations(POLICY, [line(qty=-1.0)], [])) == ["return"]


CLAIMS = {
    "reference": "order-uuid", "line_uuid": "line-uuid", "action": "discount", "new_value": "25",
    "employee_id": 7, "config_id": 3, "expires_at": 1_000_000,
}


def test_token_is_bound_to_every_claim():
    token = approval_token.sign("server-secret", CLAIMS)
    assert approval_token.check("server-secret", CLAIMS, token, 999_999) == approval_token.VALID
    for key, other in [("reference", "other-order"), ("line_uuid", "other-line"), ("action", "price"),
                       ("new_value", "90"), ("employee_id", 8), ("config_id", 4), ("expires_at", 2_000_000)]:
        assert approval_token.check("server-secret", {**CLAIMS, key: other}, token, 999_999) == approval_token.FORGED
    assert approval_token.check("another-secret", CLAIMS, token, 999_999) == approval_token.FORGED
    assert approval_token.check("server-secret", CLAIMS, None, 999_999) == approval_token.FORGED
    assert approval_token.check("server-secret", CLAIMS, "v1." + "0" * 64, 999_999) == approval_token.FORGED


def test_token_expires():
    token = approval_token.sign("server-secret", CLAIMS)
    assert approval_token.check("server-secret", CLAIMS, token, 1_000_001) == approval_token.EXPIRED


def test_offline_reference_is_stable_and_distinct():
    first = approval_token.offline_reference("order", "line", "discount", "25")
    assert first == approval_token.offline_reference("order", "line", "discount", "25")
    assert first != approval_token.offline_reference("order", "line", "discount", "30")


# Combos: the till splits the combo product's price over the free choices by base price.
MENU_COMBOS = {"mains": {"base_price": 10.0, "qty_free": 1}, "drinks": {"base_price": 4.0, "qty_free": 1}}


def test_total_mismatch():
    assert policy.total_mismatch([20.0], 20.0, 0.01) is None
    assert policy.total_mismatch([10.0, 10.0], 20.02, 0.01) is None
    assert policy.total_mismatch([10.0, 10.0], 20.03, 0.01) == {"sent": 20.03, "computed": 20.0}
    assert policy.total_mismatch([20.0], 1.0, 0.01) == {"sent": 1.0, "computed": 20.0}
    assert policy.total_mismatch([-20.0], -20.0, 0.01) is None
    assert policy.total_mismatch([20.0], -20.0, 0.01) == {"sent": -20.0, "computed": 20.0}
def combo_child(uuid, combo_id, qty=1.0, extra=0.0):
    return {"uuid": uuid, "combo_id": combo_id, "qty": qty, "extra": extra}


def test_combo_lines_share_the_price_by_base_price():
    lowest, total, tolerance = policy.combo_expectations(
        13.0, 1.0, [combo_child("M", "mains"), combo_child("D", "drinks", extra=1.0)], MENU_COMBOS,
    )
    assert abs(lowest["M"] - 10.0 * 13.0 / 14.0) < 1e-9
    assert abs(lowest["D"] - (4.0 * 13.0 / 14.0 + 1.0)) < 1e-9
    assert abs(total - 14.0) < 1e-9
    assert abs(tolerance - 0.015) < 1e-9


def test_combo_total_scales_with_the_combos_sold():
    _lowest, total, tolerance = policy.combo_expectations(
        13.0, 3.0, [combo_child("M", "mains", qty=3.0), combo_child("D", "drinks", qty=3.0)], MENU_COMBOS,
    )
    assert abs(total - 39.0) < 1e-9
    assert abs(tolerance - 0.035) < 1e-9


def test_combo_choice_beyond_the_free_quantity_costs_the_base_price():
    children = [combo_child("M", "mains"), combo_child("D1", "drinks"), combo_child("D2", "drinks")]
    lowest, total, _tolerance = policy.combo_expectations(13.0, 1.0, children, MENU_COMBOS)
    assert abs(total - 17.0) < 1e-9
    # Either drink may be the extra one: each must cost at least the cheaper of share and base.
    assert abs(lowest["D2"] - min(4.0 * 13.0 / 14.0, 4.0)) < 1e-9


def test_combo_without_free_choices_charges_base_prices_only():
    combos = {"drinks": {"base_price": 4.0, "qty_free": 0}}
    lowest, total, _tolerance = policy.combo_expectations(13.0, 1.0, [combo_child("D", "drinks", extra=0.5)], combos)
    assert abs(lowest["D"] - 4.5) < 1e-9
    assert abs(total - 4.5) < 1e-9


def test_combo_line_of_a_foreign_combo_gets_no_share():
    lowest, _total, _tolerance = policy.combo_expectations(13.0, 1.0, [combo_child("X", "desserts")], MENU_COMBOS)
    assert lowest == {}


def test_combo_line_rounded_by_the_till_passes():
    # 13.00 over bases 10 and 4: the till sells 9.29 and 3.71; a remainder may land on the last line.
    shares = {"uuid": "M", "price_unit": 9.28, "expected_price": 10.0 * 13.0 / 14.0, "price_tolerance": 0.015}
    assert policy.find_violations(POLICY, [line(**shares)], []) == []
    assert kinds(policy.find_violations(POLICY, [line(**{**shares, "price_unit": 9.25})], [])) == ["price"]


def test_combo_sold_below_its_price_is_refused_unless_a_line_price_was_approved():
    parent = line(uuid="P", product="Menu", price_unit=0.0, expected_price=None,
                  combo={"total": 9.0, "expected": 14.0, "tolerance": 0.015, "children": ["M"]})
    child = line(uuid="M", product="Burger", price_unit=9.0, expected_price=9.0)
    assert kinds(policy.find_violations(POLICY, [parent, child], [])) == ["combo_total"]
    approval = {"action": "price", "line_uuid": "M", "new_value": "9.0"}
    assert policy.find_violations(POLICY, [parent, child], [approval]) == []
    allowed = {**POLICY, "price_override_allowed": True}
    assert policy.find_violations(allowed, [parent, child], []) == []


def test_tip_line_rules():
    tip = {"enabled": True, "tip_product": True}
    assert policy.find_violations(POLICY, [line(price_unit=5.0, expected_price=None, tip=tip)], []) == []
    assert kinds(policy.find_violations(
        POLICY, [line(price_unit=5.0, expected_price=None, tip={**tip, "enabled": False})], [],
    )) == ["tip_disabled"]
    assert kinds(policy.find_violations(
        POLICY, [line(price_unit=5.0, expected_price=None, tip={**tip, "tip_product": False})], [],
    )) == ["tip_product"]
    assert kinds(policy.find_violations(POLICY, [line(price_unit=-5.0, expected_price=None, tip=tip)], [])) == [
        "tip_negative"
    ]
