"""Checks an order's lines against a store policy and the manager approvals it carries.

Everything here works on plain data so it runs the same on the server and in tests.

``policy`` keys: ``max_line_discount``, ``max_order_discount`` (percent),
``price_override_allowed`` (bool), ``return_without_receipt_allowed`` (bool),
``return_approval_amount`` (0 = no approval needed).

Each line: ``uuid``, ``product``, ``qty``, ``price_unit``, ``discount``,
``expected_price`` (pricelist price, ``None`` when the line is exempt from the price check),
``expired_lots`` (names of expired lots sold on the line), ``refund`` (``None``, or a dict with
``sold_qty``, ``refunded_qty``, ``price_unit``, ``discount`` of the original line).

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

ACTIONS = (
    ACTION_PRICE, ACTION_DISCOUNT, ACTION_ORDER_DISCOUNT, ACTION_RETURN,
    ACTION_EXPIRED_LOT, ACTION_MANUAL_ENTRY, ACTION_DELETE_LINE, ACTION_CASH_OUT,
)


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
    """Weighted discount of the sold (positive) lines, in percent."""
    gross = sum(line["qty"] * line["price_unit"] for line in lines if line["qty"] > 0)
    if gross <= 0:
        return 0.0
    net = sum(line_amount(line) for line in lines if line["qty"] > 0)
    return (gross - net) / gross * 100.0


def find_violations(policy, lines, approvals):
    """Return the breaches no approval covers, as dicts.

    ``kind`` is one of the approval actions (the breach may be approved) or
    ``refund_qty`` / ``refund_price`` (refunds beyond the receipt: never approvable).
    """
    violations = []
    max_line = policy.get("max_line_discount")
    for line in lines:
        uuid = line.get("uuid") or ""
        discount = line.get("discount") or 0.0
        refund = line.get("refund")
        if refund is not None:
            returned = -line["qty"]
            remaining = refund["sold_qty"] - refund["refunded_qty"]
            if returned > remaining + 1e-9:
                violations.append({
                    "kind": "refund_qty", "line": line, "value": returned, "limit": remaining,
                })
            original_net = refund["price_unit"] * (1 - (refund["discount"] or 0.0) / 100.0)
            net = line["price_unit"] * (1 - discount / 100.0)
            if net > original_net + PRICE_TOLERANCE:
                violations.append({
                    "kind": "refund_price", "line": line, "value": net, "limit": original_net,
                })
            continue
        if max_line is not None and discount > max_line + DISCOUNT_TOLERANCE and not _covered(
            approvals, ACTION_DISCOUNT, uuid,
            lambda value, d=discount: (_as_float(value) or 0.0) >= d - DISCOUNT_TOLERANCE,
        ):
            violations.append({"kind": ACTION_DISCOUNT, "line": line, "value": discount, "limit": max_line})
        expected = line.get("expected_price")
        if (
            not policy.get("price_override_allowed")
            and expected is not None
            and line["price_unit"] < expected - PRICE_TOLERANCE
            and not _covered(
                approvals, ACTION_PRICE, uuid,
                lambda value, p=line["price_unit"]: (
                    _as_float(value) is not None and _as_float(value) <= p + PRICE_TOLERANCE
                ),
            )
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
