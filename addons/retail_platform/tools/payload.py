"""The platforms' webhook bodies, read into one shape the addon works with.

Each platform names its pushes and fields its own way; :func:`read_event` returns::

    {"message_id": str, "event": "create" | "cancel" | "delivered" | "refund",
     "timestamp": int, "order_id": str, "lines": [{"sku": str, "qty": float, "price": float}],
     "goods_returned": bool, "refund_id": str}

``None`` for a notice the addon has nothing to do with, or raises :class:`MalformedPayload`
naming the field that is wrong (:class:`WrongShop` when the body is another shop's). Fields the
addon does not use are ignored. Nothing here trusts a total sent by the platform: the addon
books what the lines say, and a refund only what was sold.

The names are those of the platforms' public documentation:

美团外卖 Meituan (https://developer.waimai.meituan.com/home/doc/food/1, 订单推送 and 退款推送)
    A form POST of system parameters ``app_id``, ``timestamp``, ``sig`` and business ones.
    Meituan calls one address per kind of push, configured in its console; ours are the shop's
    webhook address followed by ``/new`` (推送订单: ``order_id``, ``wm_order_id_view``,
    ``app_poi_code``, ``detail`` = JSON array of ``app_food_code``, ``food_name``, ``sku_id``,
    ``quantity``, ``price``), ``/cancel`` (``order_id``, ``reason_code``, ``reason``),
    ``/finish`` (``order_id``) and ``/refund`` (``order_id``, ``notify_type``, ``refund_id``,
    ``food`` = JSON array of ``app_food_code``, ``count``, ``refund_price``; ``service_type`` 2
    is a return of the goods, 退货退款). The kind is part of the signed address, so it cannot
    be changed without the secret.
饿了么 Ele.me (https://open.shop.ele.me/openapi/documents/callback, 消息推送)
    A JSON body ``requestId``, ``type``, ``appId``, ``message`` (a JSON string), ``shopId``,
    ``timestamp`` (milliseconds), ``signature``, ``userId``. Types read: 10 订单生效 (the
    message is the order, OOrder: ``id``, ``groups[].items[]`` with ``extendCode`` or
    ``barCode``, ``name``, ``quantity``, ``price``), 14 订单被取消 / 15 订单置为无效 / 17 订单
    强制无效, 18 订单完结, 30 用户申请退单 (``orderId``, ``refundId``, ``goodsList`` with the
    same item fields). 12 (the shop accepted: our own acceptance) and 31 to 36 (what became of a
    refund request the addon has already agreed to) are notices with nothing to do.
抖音 Douyin, life services (https://developer.open-douyin.com/docs/resource/zh-CN/local-life/connect/webhooks)
    A JSON body ``event``, ``client_key``, ``content`` (a JSON string), ``log_id``; the header
    ``Msg-Id`` is the same for the same action on the same order. ``life_trade_order_notify``
    with ``content.action`` ``pay_success`` (the order) or ``refund_success``, and
    ``life_trade_certificate_notify`` with ``verify`` (the voucher used: delivered);
    ``content.msg_time`` is in seconds and ``content.order`` holds ``order_id``, the store
    ``poi_id``, and the lines in ``sku_list`` (``out_sku_id``: our SKU, ``count``, ``price`` in
    fen, as Douyin gives every amount). The notice of an order cancelled before use is not in the
    public pages: we name its action ``cancel``. Douyin checks a new address with a signed
    ``verify_webhook`` whose ``content.challenge`` is answered (:func:`douyin_challenge`).
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation

# the platforms' names of their pushes -> the addon's event
MEITUAN_KINDS = {"new": "create", "cancel": "cancel", "finish": "delivered", "refund": "refund"}
MEITUAN_REFUND_REQUESTS = {"apply", "part"}  # 全额 / 部分退款申请; agree, reject… are their outcome
ELEME_TYPES = {10: "create", 14: "cancel", 15: "cancel", 17: "cancel", 18: "delivered", 30: "refund"}
ELEME_NOTICES = {12, 31, 32, 33, 34, 35, 36}
DOUYIN_ACTIONS = {
    ("life_trade_order_notify", "pay_success"): "create",
    ("life_trade_order_notify", "cancel"): "cancel",
    ("life_trade_certificate_notify", "verify"): "delivered",
    ("life_trade_order_notify", "refund_success"): "refund",
}
PLATFORMS = ("meituan", "eleme", "douyin")
MAX_LINES = 200
MAX_ID_LENGTH = 64


class MalformedPayload(ValueError):
    """The body cannot be read as an event of the platform."""


class WrongShop(MalformedPayload):
    """The body names a store other than the shop of the address it was sent to."""


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
    return number


def _integer(value, name):
    if isinstance(value, bool):
        raise MalformedPayload(f"{name} must be a whole number")
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise MalformedPayload(f"{name} is missing or not a whole number") from None


def _json(value, name, kind):
    """``value`` as a ``kind`` (dict or list): the platforms send nested objects as JSON strings."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise MalformedPayload(f"{name} is not valid JSON") from None
    if not isinstance(value, kind):
        raise MalformedPayload(f"{name} is missing or not {'an object' if kind is dict else 'a list'}")
    return value


def _lines(raw, name, sku, qty, price=None, price_in_fen=False):
    """Lines of ``raw`` read with the platform's field names ``sku`` (one name or the names to
    try in turn), ``qty`` and ``price`` (none for a refund)."""
    if not isinstance(raw, list) or not raw:
        raise MalformedPayload(f"{name} has no lines")
    if len(raw) > MAX_LINES:
        raise MalformedPayload(f"{name} has more than {MAX_LINES} lines")
    skus = (sku,) if isinstance(sku, str) else sku
    lines = []
    for index, line in enumerate(raw, start=1):
        where = f"{name} line {index}"
        if not isinstance(line, dict):
            raise MalformedPayload(f"{where} is not an object")
        code = next((line[key] for key in skus if line.get(key) not in (None, "")), None)
        item = {"sku": _text(code, f"{where}: {' or '.join(skus)}"),
                "qty": float(_number(line.get(qty), f"{where}: {qty}"))}
        if price:
            if price_in_fen:
                fen = _number(line.get(price), f"{where}: {price}", positive=False, decimals=0)
                item["price"] = float(fen / 100)
            else:
                item["price"] = float(_number(line.get(price), f"{where}: {price}", positive=False, decimals=2))
        lines.append(item)
    return lines


def _check_shop(given, name, shop_code):
    given = _text(given, name)
    if shop_code is not None and given != shop_code:
        raise WrongShop(f"{name} {given!r} is not the shop {shop_code!r} of the address called")


def _event(message_id, event, timestamp, order_id, lines=(), refund_id="", goods_returned=False):
    return {"message_id": message_id, "event": event, "timestamp": timestamp, "order_id": order_id,
            "lines": list(lines), "goods_returned": goods_returned, "refund_id": refund_id}


def _derived_id(platform, *parts):
    """A stable message id from what the platform signed: the same push sent again has the same."""
    return f"{platform}-" + hashlib.sha1("|".join(str(part) for part in parts).encode()).hexdigest()[:40]


def read_meituan(fields, kind, shop_code=None):
    """A Meituan push: the form's parameters and the ``kind`` of the address called.

    Meituan gives a push no id of its own; the message id is derived from what it signed (the
    kind, order, refund and its notice, and the timestamp), so the same push retried is
    recognised as the same message."""
    event = MEITUAN_KINDS.get(kind)
    if not event:
        raise MalformedPayload(f"unknown Meituan push {kind!r}: the address ends with /new, /cancel, /finish "
                               "or /refund")
    _check_shop(fields.get("app_poi_code"), "app_poi_code", shop_code)
    timestamp = _integer(fields.get("timestamp"), "timestamp")
    order_id = _text(fields.get("order_id"), "order_id")
    refund_id, notify_type = "", ""
    if event == "refund":
        notify_type = _text(fields.get("notify_type"), "notify_type")
        if notify_type not in MEITUAN_REFUND_REQUESTS:
            return None
        refund_id = _text(fields.get("refund_id"), "refund_id")
    message_id = _derived_id("meituan", kind, order_id, refund_id, notify_type, timestamp)
    if event == "create":
        lines = _lines(_json(fields.get("detail"), "detail", list), "detail", "app_food_code", "quantity", "price")
        return _event(message_id, event, timestamp, order_id, lines)
    if event == "refund":
        lines = _lines(_json(fields.get("food"), "food", list), "food", "app_food_code", "count")
        service_type = str(fields.get("service_type") or "1")
        if service_type not in ("1", "2"):
            raise MalformedPayload("service_type must be 1 (refund only) or 2 (goods returned)")
        return _event(message_id, event, timestamp, order_id, lines, refund_id, goods_returned=service_type == "2")
    return _event(message_id, event, timestamp, order_id)


def read_eleme(fields, shop_code=None):
    """An Ele.me push: the JSON body. ``requestId`` is the message id; ``timestamp`` is in ms."""
    kind = _integer(fields.get("type"), "type")
    _check_shop(fields.get("shopId"), "shopId", shop_code)
    if kind in ELEME_NOTICES:
        return None
    event = ELEME_TYPES.get(kind)
    if not event:
        raise MalformedPayload(f"unknown Ele.me message type {kind}")
    message_id = _text(fields.get("requestId"), "requestId")
    timestamp = _integer(fields.get("timestamp"), "timestamp") // 1000
    message = _json(fields.get("message"), "message", dict)
    sku = ("extendCode", "barCode")
    if event == "create":
        groups = message.get("groups")
        if not isinstance(groups, list):
            raise MalformedPayload("message.groups is missing or not a list")
        # the "extra" (packing, delivery) and "discount" groups are fees, not goods
        items = []
        for group in groups:
            if not isinstance(group, dict):
                raise MalformedPayload("message.groups holds something that is not an object")
            if group.get("type", "normal") == "normal":
                items.extend(group.get("items") or [])
        lines = _lines(items, "message.groups items", sku, "quantity", "price")
        return _event(message_id, event, timestamp, _text(message.get("id"), "message.id"), lines)
    order_id = _text(message.get("orderId"), "message.orderId")
    if event == "refund":
        refund_id = _text(message.get("refundId") or message.get("id") or message_id, "message.refundId")
        lines = _lines(message.get("goodsList"), "message.goodsList", sku, "quantity")
        return _event(message_id, event, timestamp, order_id, lines, refund_id)
    return _event(message_id, event, timestamp, order_id)


def read_douyin(fields, message_id=None, shop_code=None):
    """A Douyin push: the JSON body, and the ``Msg-Id`` header as ``message_id``.

    ``Msg-Id`` is Douyin's key for telling a retry (the same action on the same order); without
    it the same key is derived from the signed body."""
    content = _json(fields.get("content"), "content", dict)
    action = content.get("action")
    event = DOUYIN_ACTIONS.get((fields.get("event"), action))
    if not event:
        raise MalformedPayload(f"unknown Douyin event {fields.get('event')!r} with action {action!r}")
    order = _json(content.get("order"), "content.order", dict)
    _check_shop(order.get("poi_id"), "content.order.poi_id", shop_code)
    timestamp = _integer(content.get("msg_time"), "content.msg_time")
    order_id = _text(order.get("order_id"), "content.order.order_id")
    refund_id = _text(order.get("refund_id"), "content.order.refund_id") if event == "refund" else ""
    message_id = _text(message_id, "Msg-Id", required=False) or _derived_id(
        "douyin", fields.get("event"), action, order_id, refund_id)
    if event == "create":
        lines = _lines(order.get("sku_list"), "content.order.sku_list", "out_sku_id", "count", "price",
                       price_in_fen=True)
        return _event(message_id, event, timestamp, order_id, lines)
    if event == "refund":
        lines = _lines(order.get("sku_list"), "content.order.sku_list", "out_sku_id", "count")
        return _event(message_id, event, timestamp, order_id, lines, refund_id)
    return _event(message_id, event, timestamp, order_id)


def douyin_challenge(fields):
    """The ``challenge`` of Douyin's check of a new webhook address (``verify_webhook``), which
    is answered with it, or ``None`` for any other body."""
    if not isinstance(fields, dict) or fields.get("event") != "verify_webhook":
        return None
    challenge = _json(fields.get("content"), "content", dict).get("challenge")
    if isinstance(challenge, bool) or not isinstance(challenge, (int, str)) or challenge == "":
        raise MalformedPayload("content.challenge is missing")
    return challenge


def read_event(platform, fields, kind=None, message_id=None, shop_code=None):
    """The event of ``fields``, the form of a Meituan push or the JSON object of an Ele.me or
    Douyin body; ``kind`` is the Meituan push named by the address, ``message_id`` Douyin's
    ``Msg-Id`` header, and ``shop_code`` the shop of the address, which the store named in the
    body must be."""
    if not isinstance(fields, dict):
        raise MalformedPayload("the body is not an object")
    if platform == "meituan":
        return read_meituan(fields, kind, shop_code)
    if kind:
        raise MalformedPayload(f"the address of a {platform} push has no /{kind}")
    if platform == "eleme":
        return read_eleme(fields, shop_code)
    if platform == "douyin":
        return read_douyin(fields, message_id, shop_code)
    raise MalformedPayload(f"unknown platform {platform!r}")


def answer(platform, ok, code=0, message=""):
    """The body each platform expects back: Meituan ``{"data": "ok"}`` or ``{"data": "ng",
    "error": {...}}``; Ele.me ``{"message": "ok"}`` (anything else is retried); Douyin
    ``{"err_no": 0, "err_tips": "success"}``."""
    if platform == "douyin":
        return {"err_no": 0, "err_tips": "success"} if ok else {"err_no": code, "err_tips": message}
    if platform == "eleme":
        return {"message": "ok"} if ok else {"message": "ng", "error": {"code": code, "msg": message}}
    return {"data": "ok"} if ok else {"data": "ng", "error": {"code": code, "msg": message}}
