"""Policy checks and approval credentials of retail_pos, without Odoo."""

from conftest import load_tool

policy = load_tool("retail_pos", "policy")
credential = load_tool("retail_pos", "credential")

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


def test_credential_is_bound_to_every_field():
    args = ("order-1", "discount", "line-1", "25", 7)
    made = credential.approval_credential("2580", *args)
    assert credential.credential_matches(["2580"], made, *args)
    assert credential.credential_matches([False, "2580"], made, *args)
    assert not credential.credential_matches(["0000"], made, *args)
    for index, other in enumerate(["order-2", "price", "line-2", "30", 8]):
        changed = list(args)
        changed[index] = other
        assert not credential.credential_matches(["2580"], made, *changed)
    assert not credential.credential_matches(["2580"], None, *args)
