"""What the addon sends each platform, as pure functions: one adapter per platform turns a status
callback (accept, reject, refund agreed) or a batch of the stock feed into the request to make,
and reads the platform's answer.

美团外卖 Meituan follows its open API (https://developer.waimai.meituan.com/home/doc/food/1; the
same endpoints are documented for retail shops on https://open-shangou.meituan.com/home/docDetail/111
and the pages after it):

- every call carries the system parameters ``timestamp`` (seconds), ``app_id`` (the shop's app
  key) and ``sig``: ``md5(URL without query + "?" + every other parameter "k=v" sorted by name
  and joined by "&" + app secret)`` in lowercase hex (``meituan_signature``); the business
  parameters are signed with them, as form fields;
- each endpoint is called with the method Meituan documents for it:

  ========================  ========  ===========================================================
  path under ``api/v1/``    method    business parameters
  ========================  ========  ===========================================================
  ``order/confirm``         POST      ``order_id`` (商家确认订单)
  ``order/cancel``          GET       ``order_id``, ``reason_code``, ``reason`` (商家取消订单)
  ``order/refund/agree``    GET       ``order_id``, ``reason`` (订单确认退款请求)
  ``retail/sku/stock``      POST      ``app_poi_code``, ``food_data`` (批量更新SKU库存)
  ========================  ========  ===========================================================

  a GET sends the parameters in the query, a POST as an ``application/x-www-form-urlencoded``
  body with the system parameters; either way ``sig`` is computed over all of them;
- ``food_data`` is a JSON array ``[{"app_food_code", "skus": [{"sku_id", "stock"}]}]``, the stock
  a whole number written as a string, at most 200 products a call;
- Meituan answers ``{"data": "ok"}``, and ``{"data": "ng", "error": {"code", "msg"}}`` when it
  refuses, with HTTP 200 all the same.

Ele.me and Douyin get the addon's own simple API (JSON ``POST /order/confirm``,
``/order/reject``, ``/order/refund/agree`` and ``/stock/update``, signed by the shop) until their
OAuth access tokens are handled.
"""

import json
from typing import NamedTuple

from .signature import meituan_signature

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

MEITUAN_CALLBACKS = {"accept": ("POST", "order/confirm"), "reject": ("GET", "order/cancel"),
                     "refund": ("GET", "order/refund/agree")}
MEITUAN_STOCK = ("POST", "retail/sku/stock")
MEITUAN_STOCK_BATCH = 200
# the reason code public integrations send when the store cancels (Meituan lists the codes in the
# appendix of its documentation, "取消订单原因code列表"); the reason is the text shown with it
MEITUAN_REJECT_REASON_CODE = "2007"
MEITUAN_REJECT_REASON = "商家无法接单"
MEITUAN_REFUND_REASON = "商家同意退款"

SIMPLE_CALLBACKS = {"accept": "/order/confirm", "reject": "/order/reject", "refund": "/order/refund/agree"}
SIMPLE_STOCK_PATH = "/stock/update"
SIMPLE_STOCK_BATCH = 100


class OutboundRequest(NamedTuple):
    """A request to a platform: ``path`` is appended to the shop's API URL; ``params`` are the
    business parameters (form or query fields for Meituan), ``body`` the JSON body otherwise."""

    method: str
    path: str
    params: dict
    body: dict | None
    content_type: str


# -- Meituan ----------------------------------------------------------------------------
def meituan_callback(action, order_ref, refund_ref=None, reason=None):
    """The Meituan call of a status callback; ``refund_ref`` is not a parameter of Meituan's
    ``order/refund/agree``, which agrees to the refund the order is waiting on."""
    if action not in MEITUAN_CALLBACKS:
        raise ValueError(f"no Meituan call for the action {action!r}")
    method, path = MEITUAN_CALLBACKS[action]
    params = {"order_id": str(order_ref)}
    if action == "reject":
        params.update({"reason_code": MEITUAN_REJECT_REASON_CODE, "reason": reason or MEITUAN_REJECT_REASON})
    elif action == "refund":
        params["reason"] = reason or MEITUAN_REFUND_REASON
    return OutboundRequest(method, path, params, None, FORM if method == "POST" else "")


def meituan_stock(shop_code, items):
    """The Meituan calls of a stock feed of ``items`` (``[{"sku", "qty"}]``), 200 products a call.
    The stock is the whole quantity, never below zero."""
    method, path = MEITUAN_STOCK
    requests = []
    for start in range(0, len(items), MEITUAN_STOCK_BATCH):
        food_data = [{"app_food_code": item["sku"], "skus": [{"sku_id": item["sku"], "stock": _whole(item["qty"])}]}
                     for item in items[start:start + MEITUAN_STOCK_BATCH]]
        params = {"app_poi_code": shop_code,
                  "food_data": json.dumps(food_data, ensure_ascii=False, separators=(",", ":"))}
        requests.append(OutboundRequest(method, path, params, None, FORM))
    return requests


def meituan_signed(url, params, app_id, secret, timestamp):
    """``params`` with the system parameters, signed for ``url`` (the full URL, no query)."""
    signed = {**params, "timestamp": str(int(timestamp)), "app_id": app_id or ""}
    signed["sig"] = meituan_signature(url, signed, secret or "")
    return signed


def meituan_answer(status, text):
    """``(ok, message, error code)`` of a Meituan answer: ``data`` must be ``"ok"``; a refusal's
    message names its error code and text."""
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return False, f"HTTP {status}, not a Meituan answer: {text[:200]}", ""
    if 200 <= status < 300 and answer.get("data") == "ok":
        return True, "", ""
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    if error:
        code = str(error.get("code") or "")
        return False, f"HTTP {status}, Meituan error {code}: {error.get('msg') or ''}", code
    return False, f"HTTP {status}: {text[:200]}", ""


def _whole(quantity):
    return str(max(int(quantity or 0), 0))


# -- Ele.me and Douyin: the addon's own API ----------------------------------------------
def simple_callback(shop_code, action, order_ref, refund_ref=None):
    if action not in SIMPLE_CALLBACKS:
        raise ValueError(f"no call for the action {action!r}")
    body = {"shop_code": shop_code, "order_id": order_ref, "action": action}
    if refund_ref:
        body["refund_id"] = refund_ref
    return OutboundRequest("POST", SIMPLE_CALLBACKS[action], {}, body, JSON)


def simple_stock(shop_code, items):
    return [OutboundRequest("POST", SIMPLE_STOCK_PATH, {},
                            {"shop_code": shop_code, "items": items[start:start + SIMPLE_STOCK_BATCH]}, JSON)
            for start in range(0, len(items), SIMPLE_STOCK_BATCH)]


def simple_answer(status, text):
    """Any 2xx is taken; the answer's text is the message either way."""
    return 200 <= status < 300, text, ""


# -- per platform -------------------------------------------------------------------------
def callback_request(platform, shop_code, action, order_ref, refund_ref=None, reason=None):
    if platform == "meituan":
        return meituan_callback(action, order_ref, refund_ref, reason)
    return simple_callback(shop_code, action, order_ref, refund_ref)


def stock_requests(platform, shop_code, items):
    if platform == "meituan":
        return meituan_stock(shop_code, items)
    return simple_stock(shop_code, items)


def read_answer(platform, status, text):
    if platform == "meituan":
        return meituan_answer(status, text)
    return simple_answer(status, text)
