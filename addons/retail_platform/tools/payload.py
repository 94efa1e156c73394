"""The platforms' webhook bodies, read into one shape the addon works with.

Each platform names its events its own way; :func:`read_event` returns::

    {"message_id": str, "event": "create" | "cancel" | "delivered" | "refund",
     "timestamp": int, "order_id": str, "lines": [{"sku": str, "qty": float, "price": float}],
     "goods_returned": bool, "refund_id": str}

or raises :class:`MalformedPayload` saying what is wrong. Nothing here trusts a total sent by the
platform: the addon books what the lines say, and a refund only what was sold.
"""

import json
from decimal import Decimal, InvalidOperation

EVENTS = {
    "meituan": {"order.create": "create", "order.cancel": "cancel", "order.finish": "delivered",
                "order.refund": "refund"},
    "eleme": {"order.create": "create", "order.cancel": "cancel", "order.finish": "delivered",
              "order.refund": "refund"},
    "douyin": {"order_created": "create", "order_canceled": "cancel", "order_completed": "delivered",
               "order_refunded": "refund"},
}
MAX_LINES = 200
MAX_ID_LENGTH = 64


class MalformedPayload(ValueError):
    """The body cannot be read as an event of the platform."""


def _text(value, name, required=True):
    if value is None or value == "":
        if required:
            raise MalformedPayload(f"{name} is missing")
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise MalformedPayload(f"{name} must be a string")
    value = str(value).strip()
    if len(value) > MAX_ID_LENGTH:
        raise MalformedPayload(f"{name} is longer than {MAX_ID_LENGTH} characters")
    return value


def _number(value, name, positive=True, decimals=3):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise MalformedPayload(f"{name} must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MalformedPayload(f"{name} must be a number") from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise MalformedPayload(f"{name} must be {'above' if positive else 'at least'} zero")
    if number != round(number, decimals) or number > Decimal("1000000"):
        raise MalformedPayload(f"{name} has too many decimals or is too large")
    return float(number)


def _lines(raw, with_price):
    if not isinstance(raw, list) or not raw:
        raise MalformedPayload("the order has no lines")
    if len(raw) > MAX_LINES:
        raise MalformedPayload(f"the order has more than {MAX_LINES} lines")
    lines = []
    for index, line in enumerate(raw, start=1):
        if not isinstance(line, dict):
            raise MalformedPayload(f"line {index} is not an object")
        item = {"sku": _text(line.get("sku"), f"line {index}: sku"),
                "qty": _number(line.get("qty"), f"line {index}: qty")}
        if with_price:
            item["price"] = _number(line.get("price"), f"line {index}: price", positive=False, decimals=2)
        lines.append(item)
    return lines


def read_event(platform, fields):
    """The event of ``fields``: the JSON object of a Douyin body, or the form of a Meituan call
    (whose ``order`` parameter holds the order as JSON)."""
    if not isinstance(fields, dict):
        raise MalformedPayload("the body is not an object")
    order = fields.get("order")
    if isinstance(order, str):
        try:
            order = json.loads(order)
        except ValueError:
            raise MalformedPayload("order is not valid JSON") from None
    if not isinstance(order, dict):
        raise MalformedPayload("order is missing")
    name = fields.get("event")
    event = EVENTS[platform].get(name) if isinstance(name, str) else None
    if not event:
        raise MalformedPayload(f"unknown event {name!r}")
    try:
        timestamp = int(fields.get("timestamp"))
    except (TypeError, ValueError):
        raise MalformedPayload("timestamp is missing or not a number") from None
    result = {
        "message_id": _text(fields.get("message_id") or fields.get("msg_id"), "message_id"),
        "event": event,
        "timestamp": timestamp,
        "order_id": _text(order.get("order_id"), "order_id"),
        "lines": [],
        "goods_returned": False,
        "refund_id": "",
    }
    if event == "create":
        result["lines"] = _lines(order.get("lines"), with_price=True)
    elif event == "refund":
        result["lines"] = _lines(order.get("lines"), with_price=False)
        result["refund_id"] = _text(order.get("refund_id"), "refund_id")
        returned = order.get("goods_returned", False)
        if not isinstance(returned, bool):
            raise MalformedPayload("goods_returned must be true or false")
        result["goods_returned"] = returned
    return result


def answer(platform, ok, code=0, message=""):
    """The body each platform expects back: Meituan/Ele.me ``{"data": "ok"}`` or
    ``{"data": "ng", "error": {...}}``; Douyin ``{"err_no": 0, "err_tips": "success"}``."""
    if platform == "douyin":
        return {"err_no": 0, "err_tips": "success"} if ok else {"err_no": code, "err_tips": message}
    return {"data": "ok"} if ok else {"data": "ng", "error": {"code": code, "msg": message}}
