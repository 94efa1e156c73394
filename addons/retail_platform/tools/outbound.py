"""What the addon sends each platform, as pure functions: one adapter per platform turns a status
callback (accept, reject, refund agreed) or a batch of the stock feed into the request to make,
reads the platform's answer, and obtains the access token the calls of Ele.me and Douyin carry.

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
  refuses, with HTTP 200 all the same;
- the reason of a cancellation is a code of the appendix "订单取消原因code" (reasonCode), the
  codes a merchant gives when it cancels being 2001-2016: the addon sends 2007 其他原因 (also
  Meituan's default when no code is given), 2008 店铺太忙, 2009 商品已售完, 2010 地址无法配送,
  2011 店铺已打烊 and 2012 联系不上用户. Meituan's own page of the appendix could not be read
  from here; the list was read in its copy by an integrator (hexcloud's "美团外卖补充相关字段说明",
  2022-09-01), which also gives the codes of Meituan's own cancellation pushes (1001-1301).

饿了么 Ele.me follows its open API protocol (https://open.shop.ele.me/openapi/documents, "API调用
协议" and "签名算法"; read in Ele.me's own SDKs, ``eleme-openapi-python-sdk`` ``rpc_client.py``
and ``oauth_client.py``, and the Go SDK ``apiUtil.go`` and ``authClient.go``):

- the shop's app (自用型应用) obtains its token with ``POST {token URL}`` (production
  ``https://open-api.shop.ele.me/token``, sandbox ``https://open-api-sandbox.shop.ele.me/token``),
  HTTP Basic ``app_key:secret``, the form ``grant_type=client_credentials``; a token is refreshed
  with ``grant_type=refresh_token&refresh_token=…&scope=all``. The answer is
  ``{"access_token", "token_type", "expires_in", "refresh_token"}``; a refusal HTTP 400/401 with
  ``{"error", "error_description"}`` (授权失败说明);
- every call is one JSON ``POST`` to the API URL (``https://open-api.shop.ele.me/api/v1/``):
  ``{"nop": "1.0.0", "id", "action", "token", "metas": {"app_key", "timestamp"}, "params",
  "signature"}``; ``signature`` is the uppercase hex ``md5(action + token + every pair of metas
  and params as "k=" + the value in JSON, sorted, joined with nothing + secret)``
  (``eleme_api_signature``); ``timestamp`` in seconds, as the documentation's example;
- the actions: ``eleme.order.confirmOrderLite`` (``orderId``, 确认订单),
  ``eleme.order.cancelOrderLite`` (``orderId``, ``type``, ``remark``, 取消订单; ``type`` one of
  the SDK's ``OInvalidateType``), ``eleme.order.agreeRefundLite`` (``orderId``, 同意退单) and
  ``eleme.product.item.batchUpdateStock`` (``stockMap``: 商品规格ID → 库存, 批量更新商品库存
  (新版)). The stock map is keyed by the listed SKU of the product, which must then be Ele.me's
  spec id; the pages read here give no batch limit: 100 a call is the addon's choice;
- the answer is ``{"id", "result", "error": null}``, ``error`` ``{"code", "message"}`` when it
  refuses. ``UNAUTHORIZED`` (the SDK's ``UnauthorizedException``: the token is missing,
  invalid or expired) has the token fetched again; ``ACCESS_DENIED`` and ``PERMISSION_DENIED``
  are about the app's rights and fail as they are.

抖音 Douyin follows its life-services open API (https://developer.open-douyin.com/docs/resource/zh-CN/local-life/develop/OpenAPI/preparation/client_token):

- the app's token (client_token, 2 hours, the two latest valid) is ``POST
  https://open.douyin.com/oauth/client_token/``, JSON ``{"client_key", "client_secret",
  "grant_type": "client_credential"}``, answered ``{"data": {"access_token", "expires_in",
  "error_code": 0, "description"}, "message"}``; it has no refresh token: a new one is asked;
- every call carries the header ``access-token`` and a JSON body, and is answered ``{"data":
  {"error_code", "description"}, "extra": {"error_code", "description", "logid"}}``, 0 being
  success. 28001003 (access_token 无效) and 28001008 (access_token 过期) have the token fetched
  again;
- an accepted order: ``goodlife/v1/trade/buy/merchant_confirm_order/`` (``order_id``, 确认订单接口,
  .../catering/group-buy-solution/order-acceptance/confirm-order-api); a rejection:
  ``goodlife/v1/after_sale/order/merchant_reject/`` (``order_id``, ``reject_reason``
  ``{"reason_code": [code], "desc"}``, 商家拒单 of a delivered group-buying order; codes 501 用户信息
  错误, 502 商品已经售完, 503 商家已经打烊, 504 商家现在太忙, 505 超出配送范围; the list has no
  "other", which is sent as 504 with its text); an agreed refund:
  ``goodlife/v1/after_sale/audit/notify/`` (``after_sale_id`` the refund id of the push,
  ``is_approved`` true, 商家同意/拒绝退款接口, .../order-refund/merchant-refund-interface);
- the public pages read here document no stock call for group-buying products: the Douyin stock
  feed stays the addon's own simple API (below).

The addon's own simple API (JSON ``POST /stock/update`` with ``shop_code`` and ``items``, 100 a
call, signed the Douyin way) carries the Douyin stock feed.
"""

import base64
import json
import uuid
from typing import NamedTuple
from urllib.parse import urlencode

from .signature import eleme_api_signature, meituan_signature

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MASK = "***"

# the reasons a store may give for rejecting an order, and what each platform calls them
REJECT_REASONS = ("other", "busy", "sold_out", "closed", "out_of_range", "customer_unreachable")
DEFAULT_REJECT_REASON = "other"
MEITUAN_REJECT_CODES = {
    "other": ("2007", "其他原因"), "busy": ("2008", "店铺太忙"), "sold_out": ("2009", "商品已售完"),
    "out_of_range": ("2010", "地址无法配送"), "closed": ("2011", "店铺已打烊"),
    "customer_unreachable": ("2012", "联系不上用户"),
}
ELEME_CANCEL_TYPES = {
    "other": ("others", "其他原因"), "busy": ("restaurantTooBusy", "商家现在太忙"),
    "sold_out": ("foodSoldOut", "商品已经售完"), "closed": ("restaurantClosed", "商家已经打烊"),
    "out_of_range": ("distanceTooFar", "超出配送范围"), "customer_unreachable": ("contactUserFailed", "联系不上用户"),
}
DOUYIN_REJECT_CODES = {
    "other": (504, "商家无法接单"), "busy": (504, "商家现在太忙"), "sold_out": (502, "商品已经售完"),
    "closed": (503, "商家已经打烊"), "out_of_range": (505, "超出配送范围"),
    "customer_unreachable": (501, "用户信息错误"),
}

MEITUAN_CALLBACKS = {"accept": ("POST", "order/confirm"), "reject": ("GET", "order/cancel"),
                     "refund": ("GET", "order/refund/agree")}
MEITUAN_STOCK = ("POST", "retail/sku/stock")
MEITUAN_STOCK_BATCH = 200
MEITUAN_REFUND_REASON = "商家同意退款"

ELEME_CALLBACKS = {"accept": "eleme.order.confirmOrderLite", "reject": "eleme.order.cancelOrderLite",
                   "refund": "eleme.order.agreeRefundLite"}
ELEME_STOCK_ACTION = "eleme.product.item.batchUpdateStock"
ELEME_STOCK_BATCH = 100
ELEME_TOKEN_ERRORS = {"UNAUTHORIZED"}
ELEME_TOKEN_URL = "https://open-api.shop.ele.me/token"

DOUYIN_CALLBACKS = {"accept": "goodlife/v1/trade/buy/merchant_confirm_order/",
                    "reject": "goodlife/v1/after_sale/order/merchant_reject/",
                    "refund": "goodlife/v1/after_sale/audit/notify/"}
DOUYIN_TOKEN_ERRORS = {"28001003", "28001008"}
DOUYIN_TOKEN_URL = "https://open.douyin.com/oauth/client_token/"

TOKEN_URLS = {"eleme": ELEME_TOKEN_URL, "douyin": DOUYIN_TOKEN_URL}
# a token is fetched again when it expires within this margin, so that no call carries one that
# lapses on its way
TOKEN_MARGIN_SECONDS = 300

SIMPLE_STOCK_PATH = "/stock/update"
SIMPLE_STOCK_BATCH = 100


class OutboundRequest(NamedTuple):
    """A request to a platform: ``path`` is appended to the shop's API URL (Ele.me: none, every
    call goes to the API URL); ``params`` are the business parameters (Meituan's form or query
    fields, Ele.me's ``params``), ``body`` the JSON body otherwise. ``protocol`` says how it is
    signed and answered (``meituan``, ``eleme``, ``douyin`` or ``simple``), ``action`` is Ele.me's
    action; ``with_token`` whether it carries the shop's access token."""

    method: str
    path: str
    params: dict
    body: dict | None
    content_type: str
    protocol: str = "simple"
    action: str = ""
    with_token: bool = False


class TokenRequest(NamedTuple):
    """The call that obtains an access token: ``logged`` is what the call log may keep of it."""

    url: str
    headers: dict
    data: bytes
    logged: str


class Token(NamedTuple):
    access_token: str
    expires_in: int
    refresh_token: str


# -- Meituan ----------------------------------------------------------------------------
def meituan_callback(action, order_ref, refund_ref=None, reason=None):
    """The Meituan call of a status callback; ``refund_ref`` is not a parameter of Meituan's
    ``order/refund/agree``, which agrees to the refund the order is waiting on. ``reason`` is the
    store's reason of a rejection (one of ``REJECT_REASONS``)."""
    if action not in MEITUAN_CALLBACKS:
        raise ValueError(f"no Meituan call for the action {action!r}")
    method, path = MEITUAN_CALLBACKS[action]
    params = {"order_id": str(order_ref)}
    if action == "reject":
        code, text = MEITUAN_REJECT_CODES[_reject_reason(reason)]
        params.update({"reason_code": code, "reason": text})
    elif action == "refund":
        params["reason"] = MEITUAN_REFUND_REASON
    return OutboundRequest(method, path, params, None, FORM if method == "POST" else "", "meituan")


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
        requests.append(OutboundRequest(method, path, params, None, FORM, "meituan"))
    return requests


def meituan_signed(url, params, app_id, secret, timestamp):
    """``params`` with the system parameters, signed for ``url`` (the full URL, no query)."""
    signed = {**params, "timestamp": str(int(timestamp)), "app_id": app_id or ""}
    signed["sig"] = meituan_signature(url, signed, secret or "")
    return signed


def meituan_answer(status, text):
    """``(ok, message, error code)`` of a Meituan answer: ``data`` must be ``"ok"``; a refusal's
    message names its error code and text."""
    answer = _json(text)
    if not isinstance(answer, dict):
        return False, f"HTTP {status}, not a Meituan answer: {text[:200]}", ""
    if 200 <= status < 300 and answer.get("data") == "ok":
        return True, "", ""
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    if error:
        code = str(error.get("code") or "")
        return False, f"HTTP {status}, Meituan error {code}: {error.get('msg') or ''}", code
    return False, f"HTTP {status}: {text[:200]}", ""


# -- Ele.me -----------------------------------------------------------------------------
def eleme_callback(action, order_ref, refund_ref=None, reason=None):
    """The Ele.me action of a status callback; ``agreeRefundLite`` names the order only."""
    if action not in ELEME_CALLBACKS:
        raise ValueError(f"no Ele.me call for the action {action!r}")
    params = {"orderId": str(order_ref)}
    if action == "reject":
        cancel_type, remark = ELEME_CANCEL_TYPES[_reject_reason(reason)]
        params.update({"type": cancel_type, "remark": remark})
    return OutboundRequest("POST", "", params, None, JSON, "eleme", ELEME_CALLBACKS[action], True)


def eleme_stock(items):
    """The Ele.me calls of a stock feed: ``stockMap`` of the SKU and its whole stock, 100 a call."""
    return [OutboundRequest("POST", "", {"stockMap": {item["sku"]: int(_whole(item["qty"]))
                                                      for item in items[start:start + ELEME_STOCK_BATCH]}},
                            None, JSON, "eleme", ELEME_STOCK_ACTION, True)
            for start in range(0, len(items), ELEME_STOCK_BATCH)]


def eleme_body(request, app_key, secret, token, timestamp, request_id=None):
    """The protocol body of an Ele.me ``request``, signed."""
    body = {"nop": "1.0.0", "id": request_id or uuid.uuid4().hex.upper(), "action": request.action,
            "token": token or "", "metas": {"app_key": app_key or "", "timestamp": int(timestamp)},
            "params": request.params}
    body["signature"] = eleme_api_signature(body["action"], body["token"], body["metas"], body["params"],
                                            secret or "")
    return body


def eleme_answer(status, text):
    """``(ok, message, error code)`` of an Ele.me answer: ``error`` must be null."""
    answer = _json(text)
    if not isinstance(answer, dict) or "error" not in answer:
        return False, f"HTTP {status}, not an Ele.me answer: {text[:200]}", ""
    error = answer.get("error")
    if isinstance(error, dict):
        code = str(error.get("code") or "")
        return False, f"HTTP {status}, Ele.me error {code}: {error.get('message') or ''}", code
    if 200 <= status < 300 and error is None:
        return True, "", ""
    return False, f"HTTP {status}: {text[:200]}", ""


# -- Douyin -----------------------------------------------------------------------------
def douyin_callback(action, order_ref, refund_ref=None, reason=None):
    """The Douyin call of a status callback; an agreed refund names the push's refund id."""
    if action not in DOUYIN_CALLBACKS:
        raise ValueError(f"no Douyin call for the action {action!r}")
    if action == "refund":
        body = {"after_sale_id": refund_ref or "", "is_approved": True}
    else:
        body = {"order_id": str(order_ref)}
        if action == "reject":
            code, text = DOUYIN_REJECT_CODES[_reject_reason(reason)]
            body["reject_reason"] = {"reason_code": [code], "desc": text}
    return OutboundRequest("POST", DOUYIN_CALLBACKS[action], {}, body, JSON, "douyin", with_token=True)


def douyin_answer(status, text):
    """``(ok, message, error code)`` of a Douyin answer: ``data.error_code`` (and the gateway's
    ``extra.error_code``) must be 0."""
    answer = _json(text)
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        return False, f"HTTP {status}, not a Douyin answer: {text[:200]}", ""
    extra = answer.get("extra") if isinstance(answer.get("extra"), dict) else {}
    for part in (extra, data):
        if part.get("error_code") not in (None, 0, "0"):
            code = str(part["error_code"])
            return False, f"HTTP {status}, Douyin error {code}: {part.get('description') or ''}", code
    if 200 <= status < 300 and data.get("error_code") in (0, "0"):
        return True, "", ""
    return False, f"HTTP {status}: {text[:200]}", ""


# -- the addon's own simple API (Douyin's stock feed) ---------------------------------------
def simple_stock(shop_code, items):
    return [OutboundRequest("POST", SIMPLE_STOCK_PATH, {},
                            {"shop_code": shop_code, "items": items[start:start + SIMPLE_STOCK_BATCH]}, JSON)
            for start in range(0, len(items), SIMPLE_STOCK_BATCH)]


def simple_answer(status, text):
    """Any 2xx is taken; the answer's text is the message either way."""
    return 200 <= status < 300, text, ""


# -- access tokens ------------------------------------------------------------------------
def token_request(platform, url, app_key, secret, refresh_token=None):
    """The call that obtains ``platform``'s access token at ``url`` (the platform's own when
    empty): Ele.me's client credentials (or refresh) with HTTP Basic, Douyin's client_token."""
    url = url or TOKEN_URLS[platform]
    if platform == "eleme":
        basic = base64.b64encode(f"{app_key or ''}:{secret or ''}".encode()).decode()
        if refresh_token:
            form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "scope": "all"}
        else:
            form = {"grant_type": "client_credentials"}
        logged = urlencode({name: MASK if name == "refresh_token" else value for name, value in form.items()})
        return TokenRequest(url, {"Authorization": f"Basic {basic}", "Content-Type": FORM},
                            urlencode(form).encode(), logged)
    if platform == "douyin":
        body = {"client_key": app_key or "", "client_secret": secret or "", "grant_type": "client_credential"}
        return TokenRequest(url, {"Content-Type": JSON}, json.dumps(body).encode(),
                            json.dumps({**body, "client_secret": MASK}))
    raise ValueError(f"{platform!r} calls need no access token")


def read_token(platform, status, text):
    """``(token, message)`` of the answer of a token call: the token (``None`` when refused) and
    the refusal's message, naming the platform and its error."""
    answer = _json(text)
    label = "Ele.me" if platform == "eleme" else "Douyin"
    if platform == "douyin":
        data = answer.get("data") if isinstance(answer, dict) else None
        if isinstance(data, dict) and data.get("error_code") in (0, "0") and data.get("access_token") \
                and 200 <= status < 300:
            return Token(data["access_token"], _seconds(data.get("expires_in")), ""), ""
        if isinstance(data, dict):
            return None, (f"{label} access token refused: HTTP {status}, error {data.get('error_code')}: "
                          f"{data.get('description') or ''}")
    elif isinstance(answer, dict):
        if answer.get("access_token") and 200 <= status < 300:
            return Token(answer["access_token"], _seconds(answer.get("expires_in")),
                         answer.get("refresh_token") or ""), ""
        if answer.get("error"):
            return None, (f"{label} access token refused: HTTP {status}, error {answer['error']}: "
                          f"{answer.get('error_description') or ''}")
    return None, f"{label} access token refused: HTTP {status}: {mask_tokens(text)[:200]}"


def token_rejected(platform, error_code):
    """Whether the platform's error code says that the access token is invalid or expired."""
    if platform == "eleme":
        return error_code in ELEME_TOKEN_ERRORS
    if platform == "douyin":
        return error_code in DOUYIN_TOKEN_ERRORS
    return False


def mask_tokens(text, tokens=()):
    """``text`` with every access or refresh token replaced by ``***``: the values of the JSON keys
    ``access_token``, ``refresh_token`` and ``token`` at any depth, and the ``tokens`` given
    wherever they appear."""
    answer = _json(text)
    if isinstance(answer, (dict, list)):
        text = json.dumps(_masked(answer), ensure_ascii=False)
    for token in tokens:
        if token:
            text = text.replace(token, MASK)
    return text


def _masked(value):
    if isinstance(value, dict):
        return {name: MASK if name in ("access_token", "refresh_token", "token") and item else _masked(item)
                for name, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


# -- per platform -------------------------------------------------------------------------
def callback_request(platform, shop_code, action, order_ref, refund_ref=None, reason=None):
    adapters = {"meituan": meituan_callback, "eleme": eleme_callback, "douyin": douyin_callback}
    if platform not in adapters:
        raise ValueError(f"no calls for the platform {platform!r}")
    return adapters[platform](action, order_ref, refund_ref, reason)


def stock_requests(platform, shop_code, items):
    if platform == "meituan":
        return meituan_stock(shop_code, items)
    if platform == "eleme":
        return eleme_stock(items)
    return simple_stock(shop_code, items)


def read_answer(protocol, status, text):
    """``(ok, message, error code)`` of an answer to a request of ``protocol`` (the request's)."""
    readers = {"meituan": meituan_answer, "eleme": eleme_answer, "douyin": douyin_answer}
    return readers.get(protocol, simple_answer)(status, text)


def _reject_reason(reason):
    return reason if reason in REJECT_REASONS else DEFAULT_REJECT_REASON


def _whole(quantity):
    return str(max(int(quantity or 0), 0))


def _seconds(value):
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _json(text):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None
