"""Checks an order's lines against a store policy and the manager approvals it carries.

Everything here works on plain data so it runs the same on the server and in tests.

``policy`` keys: ``max_line_discount``, ``max_order_discount`` (percent),
``price_override_allowed`` (bool), ``return_without_receipt_allowed`` (bool),
``return_approval_amount`` (0 = no approval needed).

Each line: ``uuid``, ``product``, ``qty``, ``price_unit``, ``discount``,
``expected_price`` (lowest genuine unit price: the pricelist price, or the line's share of its
combo; ``None`` when the line is exempt from the price check),
``expired_lots`` (names of expired lots sold on the line), ``refund`` (``None``, or a dict with
``sold_qty``, ``refunded_qty``, ``price_unit``, ``discount`` of the original line).
Optional: ``tip`` (``None``, or a dict ``enabled`` / ``tip_product`` for a line of a tip
product: tips enabled on the till, the till's own tip product) and ``combo`` (on a combo
product's line: ``total`` sold, lowest genuine ``expected`` total, the rounding ``tolerance``
and the ``children`` uuids); ``price_tolerance`` replaces ``PRICE_TOLERANCE`` for the line.

Approvals: ``action``, ``line_uuid``, ``new_value`` (already verified to be genuine).
"""

PRICE_TOLERANCE = 0.005
DISCOUNT_TOLERANCE = 0.0001

ACTION_PRICE = "price"
ACTION_DISCOUNT = "discount"
ACTION_ORDER_DISCOUNT = "order_discount"
ACTION_RETURN = "return"
ACTION_EXPIRED_LOT = "expired_lot"
ACTION_MANUAL_ENTRY = "manual_entry"
ACTION_DELETE_LINE = "delete_line"
ACTION_CASH_OUT = "cash_out"
ACTION_CASH_DROP = "cash_drop"

ACTIONS = (
    ACTION_PRICE, ACTION_DISCOUNT, ACTION_ORDER_DISCOUNT, ACTION_RETURN,
    ACTION_EXPIRED_LOT, ACTION_MANUAL_ENTRY, ACTION_DELETE_LINE, ACTION_CASH_OUT,
    ACTION_CASH_DROP,
)

# Breaches no approval can cover.
KIND_REFUND_QTY = "refund_qty"
KIND_REFUND_PRICE = "refund_price"
KIND_COMBO_TOTAL = "combo_total"
KIND_TIP_DISABLED = "tip_disabled"
KIND_TIP_PRODUCT = "tip_product"
KIND_TIP_NEGATIVE = "tip_negative"

# Half a cent of rounding per combo line: the till rounds each share to the currency and puts
# the remainder on the last line.
COMBO_ROUNDING = 0.005


def _as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _covered(approvals, action, line_uuid, accepts):
    for approval in approvals:
        if approval["action"] == action and (approval.get("line_uuid") or "") == (line_uuid or ""):
            if accepts(approval.get("new_value")):
                return True
    return False


def line_amount(line):
    return line["qty"] * line["price_unit"] * (1 - (line["discount"] or 0.0) / 100.0)


def order_discount_percent(lines):
    """Weighted discount of the sold (positive) lines, in percent.

    Lines flagged ``order_discount_line`` (the global discount line of core's pos_discount, a
    negative amount on the whole order) are not goods: what they take off counts as discount.
    """
    sold = [line for line in lines if line["qty"] > 0 and not line.get("order_discount_line")]
    gross = sum(line["qty"] * line["price_unit"] for line in sold)
    if gross <= 0:
        return 0.0
    net = sum(line_amount(line) for line in sold)
    global_discount = -sum(
        line_amount(line) for line in lines if line["qty"] > 0 and line.get("order_discount_line")
    )
    return (gross - net + max(global_discount, 0.0)) / gross * 100.0


def combo_expectations(parent_price, parent_qty, children, combos):
    """Lowest genuine unit price of each line of a combo, and lowest genuine total of the combo.

    Mirrors the till (core ``computeComboItems``): the combo product's price list price is split
    over the free choices of its combos in proportion to each combo's base price; choices beyond
    a combo's free quantity cost the combo's base price; every line adds its item's extra price
    and its attribute extras.

    ``parent_price``: price list unit price of the combo product; ``parent_qty``: combos sold.
    ``children``: dicts with ``uuid``, ``combo_id``, ``qty`` and ``extra`` (item extra price
    plus attribute extras). ``combos``: ``{combo_id: {"base_price", "qty_free"}}`` for every
    combo of the product. Children of a combo the product does not have get no price here.
    Returns ``({uuid: lowest unit price}, lowest total, rounding tolerance)``: the till rounds
    each share to the cent and puts the remainder on the last line, so a genuine price may be
    below these by up to the tolerance.
    """
    free_weight = sum(combo["base_price"] * combo["qty_free"] for combo in combos.values())
    units = {}
    for child in children:
        units[child["combo_id"]] = units.get(child["combo_id"], 0.0) + child["qty"]
    total = parent_price * parent_qty if free_weight > 0 else 0.0
    lowest_by_combo = {}
    for combo_id, combo in combos.items():
        free_units = combo["qty_free"] * parent_qty
        extra_units = max(0.0, units.get(combo_id, 0.0) - free_units)
        total += extra_units * combo["base_price"]
        if not combo["qty_free"] or free_weight <= 0:
            lowest_by_combo[combo_id] = combo["base_price"]
            continue
        share = combo["base_price"] * parent_price / free_weight
        lowest_by_combo[combo_id] = min(share, combo["base_price"]) if extra_units else share
    lowest = {}
    for child in children:
        total += child["qty"] * child["extra"]
        if child["combo_id"] in lowest_by_combo:
            lowest[child["uuid"]] = lowest_by_combo[child["combo_id"]] + child["extra"]
    quantity = sum(child["qty"] for child in children)
    tolerance = PRICE_TOLERANCE + COMBO_ROUNDING * max(len(children), quantity)
    return lowest, total, tolerance


def _tip_violations(line):
    tip = line["tip"]
    if not tip.get("enabled"):
        return [{"kind": KIND_TIP_DISABLED, "line": line, "value": line_amount(line), "limit": None}]
    if not tip.get("tip_product"):
        return [{"kind": KIND_TIP_PRODUCT, "line": line, "value": line_amount(line), "limit": None}]
    if line_amount(line) < -PRICE_TOLERANCE:
        return [{"kind": KIND_TIP_NEGATIVE, "line": line, "value": line_amount(line), "limit": 0.0}]
    return []


def _price_covered(approvals, line):
    return _covered(
        approvals, ACTION_PRICE, line.get("uuid") or "",
        lambda value, p=line["price_unit"]: (
            _as_float(value) is not None and _as_float(value) <= p + PRICE_TOLERANCE
        ),
    )


def find_violations(policy, lines, approvals):
    """Return the breaches no approval covers, as dicts.

    ``kind`` is one of the approval actions (the breach may be approved) or one of the
    ``KIND_*`` breaches (refunds beyond the receipt, a combo sold below its price, a tip that
    is not one: never approvable).
    """
    violations = []
    max_line = policy.get("max_line_discount")
    price_approved = {line.get("uuid") or "" for line in lines if _price_covered(approvals, line)}
    for line in lines:
        uuid = line.get("uuid") or ""
        discount = line.get("discount") or 0.0
        refund = line.get("refund")
        if refund is not None:
            returned = -line["qty"]
            remaining = refund["sold_qty"] - refund["refunded_qty"]
            if returned > remaining + 1e-9:
                violations.append({
                    "kind": KIND_REFUND_QTY, "line": line, "value": returned, "limit": remaining,
                })
            original_net = refund["price_unit"] * (1 - (refund["discount"] or 0.0) / 100.0)
            net = line["price_unit"] * (1 - discount / 100.0)
            if net > original_net + PRICE_TOLERANCE:
                violations.append({
                    "kind": KIND_REFUND_PRICE, "line": line, "value": net, "limit": original_net,
                })
            continue
        if line.get("tip") is not None:
            violations.extend(_tip_violations(line))
        combo = line.get("combo")
        if (
            combo is not None
            and not policy.get("price_override_allowed")
            and combo["total"] < combo["expected"] - combo.get("tolerance", PRICE_TOLERANCE)
            and not price_approved & set(combo["children"])
        ):
            violations.append({
                "kind": KIND_COMBO_TOTAL, "line": line, "value": combo["total"], "limit": combo["expected"],
            })
        if max_line is not None and discount > max_line + DISCOUNT_TOLERANCE and not _covered(
            approvals, ACTION_DISCOUNT, uuid,
            lambda value, d=discount: (_as_float(value) or 0.0) >= d - DISCOUNT_TOLERANCE,
        ):
            violations.append({"kind": ACTION_DISCOUNT, "line": line, "value": discount, "limit": max_line})
        expected = line.get("expected_price")
        if (
            not policy.get("price_override_allowed")
            and expected is not None
            and line["price_unit"] < expected - line.get("price_tolerance", PRICE_TOLERANCE)
            and uuid not in price_approved
        ):
            violations.append({
                "kind": ACTION_PRICE, "line": line, "value": line["price_unit"], "limit": expected,
            })
        for lot_name in line.get("expired_lots") or ():
            if not _covered(approvals, ACTION_EXPIRED_LOT, uuid, lambda value, n=lot_name: value == n):
                violations.append({"kind": ACTION_EXPIRED_LOT, "line": line, "value": lot_name, "limit": None})
        if line["qty"] < 0:
            amount = -line_amount(line)
            threshold = policy.get("return_approval_amount") or 0.0
            needs_approval = not policy.get("return_without_receipt_allowed") or (
                threshold and amount > threshold + PRICE_TOLERANCE
            )
            if needs_approval and not _covered(
                approvals, ACTION_RETURN, uuid,
                lambda value, a=amount: (_as_float(value) or 0.0) >= a - PRICE_TOLERANCE,
            ):
                violations.append({"kind": ACTION_RETURN, "line": line, "value": amount, "limit": threshold})
    max_order = policy.get("max_order_discount")
    if max_order is not None:
        percent = order_discount_percent(lines)
        if percent > max_order + DISCOUNT_TOLERANCE and not _covered(
            approvals, ACTION_ORDER_DISCOUNT, "",
            lambda value: (_as_float(value) or 0.0) >= percent - 0.01,
        ):
            violations.append({"kind": ACTION_ORDER_DISCOUNT, "line": None, "value": percent, "limit": max_order})
    return violations


def total_mismatch(line_totals, sent_total, rounding):
    """The order total the till sent, when it is not the sum of the server's line totals (tax
    included, signed: a refund's lines are negative); else ``None``.

    A rounding step per line of slack: a till that rounds the order globally and lines rounded
    one by one disagree by as much.
    """
    step = rounding or 0.01
    expected = sum(line_totals)
    if abs((sent_total or 0.0) - expected) > step * max(1, len(line_totals)) + 1e-9:
        return {"sent": sent_total or 0.0, "computed": expected}
    return None
