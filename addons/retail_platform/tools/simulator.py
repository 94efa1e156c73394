"""A local delivery platform, for tests and the demo.

It does what a platform does to a shop's system:

- sends webhooks signed as the platform signs them (:meth:`PlatformSimulator.webhook` builds
  one; the caller posts it): good ones, forged ones (wrong secret), replayed ones (an old
  timestamp), the same message twice, and statuses out of order (a cancellation before its order);
- serves the platform's API on ``127.0.0.1`` over real HTTP (werkzeug, one of Odoo's own
  requirements), checking that each request is signed with the shop's secret, and remembering
  what it received; it can be told to fail its next answers, as a platform under load does.
  Meituan's is its open API under ``/api/v1/`` (see ``outbound.py``): ``order/confirm``,
  ``order/cancel``, ``order/refund/agree`` and ``retail/sku/stock``, each with its method, its
  ``sig`` checked over the URL and every parameter of the query and the form, answered
  ``{"data": "ok"}``, and ``{"data": "ng", "error": {...}}`` (HTTP 200) when told to refuse or
  when the signature is wrong. Ele.me's is its API protocol: one JSON ``POST /api/v1/`` whose
  ``action`` names the call, its ``signature`` and ``token`` checked, answered ``{"id", "result",
  "error"}``. Douyin's is its life-services API under ``/goodlife/v1/`` with the header
  ``access-token``, answered ``{"data": {"error_code", "description"}, "extra": {...}}``; its
  stock feed is the addon's own simple API (``/stock/update``, JSON signed the Douyin way);
- gives the apps of Ele.me and Douyin their access tokens (Ele.me ``POST /token`` with HTTP
  Basic ``app_key:secret`` and ``grant_type`` ``client_credentials`` or ``refresh_token``;
  Douyin ``POST /oauth/client_token/`` with a JSON ``client_key``, ``client_secret``), with a
  short lifetime it can be told (``token_lifetime``); it can expire or revoke them
  (:meth:`PlatformState.expire_tokens`, :meth:`PlatformState.revoke_tokens`) and refuse to give
  new ones (``refuse_tokens``), so that the addon's refresh is tested; an expired or unknown
  token is answered as the platform answers it (Ele.me ``UNAUTHORIZED``, Douyin 28001008 /
  28001003).
"""

import base64
import json
import threading
import time
import uuid
from urllib.parse import parse_qs, urlencode

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .signature import (
    douyin_signature,
    eleme_api_signature,
    eleme_signature,
    meituan_signature,
    signatures_match,
)

MEITUAN_PATHS = {"create": "new", "cancel": "cancel", "delivered": "finish", "refund": "refund"}
ELEME_TYPES = {"create": 10, "cancel": 14, "delivered": 18, "refund": 30}
MEITUAN_API = "/api/v1/"
# Meituan's endpoints and the method its documentation gives each, written out here rather than
# taken from the addon's adapter, so that the simulator checks the adapter
MEITUAN_ENDPOINTS = {"order/confirm": "POST", "order/cancel": "GET", "order/refund/agree": "GET",
                     "retail/sku/stock": "POST"}
MEITUAN_BAD_SIGNATURE = {"code": 703, "msg": "签名验证错误"}
ELEME_API = "/api/v1/"
ELEME_TOKEN = "/token"
# Ele.me's actions and the parameters each must have, written out here for the same reason
ELEME_ACTIONS = {"eleme.order.confirmOrderLite": ("orderId",),
                 "eleme.order.cancelOrderLite": ("orderId", "type", "remark"),
                 "eleme.order.agreeRefundLite": ("orderId",),
                 "eleme.product.item.batchUpdateStock": ("stockMap",)}
DOUYIN_TOKEN = "/oauth/client_token/"
DOUYIN_ENDPOINTS = {"/goodlife/v1/trade/buy/merchant_confirm_order/": ("order_id",),
                    "/goodlife/v1/after_sale/order/merchant_reject/": ("order_id", "reject_reason"),
                    "/goodlife/v1/after_sale/audit/notify/": ("after_sale_id", "is_approved")}
DOUYIN_EXPIRED, DOUYIN_INVALID = 28001008, 28001003
DOUYIN_EVENTS = {
    "create": ("life_trade_order_notify", "pay_success"),
    "cancel": ("life_trade_order_notify", "cancel"),
    "delivered": ("life_trade_certificate_notify", "verify"),
    "refund": ("life_trade_order_notify", "refund_success"),
}


def _json_object(request):
    """The request's JSON body when it is an object, else an empty one."""
    try:
        body = json.loads(request.get_data())
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def build_webhook(platform, url, secret, event, order, message_id=None, timestamp=None, app_key="app",
                  shop_code=None):
    """``(url, data, headers)`` of a push of ``platform`` to the shop's webhook address ``url``,
    signed with ``secret``, in the platform's own format (see ``payload.py``).

    ``event`` is the addon's name of it (create, cancel, delivered, refund); ``order`` the order
    in the addon's words: ``order_id``, ``lines`` of ``sku``, ``qty`` and ``price``, and for a
    refund ``refund_id`` and ``goods_returned`` (only Meituan says whether the goods came back).
    ``shop_code`` is the store the body names, by default the shop of ``url``; ``message_id``
    the Ele.me ``requestId`` or the Douyin ``Msg-Id`` (Meituan has none: it is derived from the
    push). The returned ``url`` is where to post: a Meituan push has an address per kind."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    shop_code = shop_code or url.rstrip("/").rsplit("/", 1)[-1]
    message_id = message_id or uuid.uuid4().hex
    lines = order.get("lines") or []
    if platform == "meituan":
        return _meituan(url, secret, event, order, lines, timestamp, app_key, shop_code)
    if platform == "eleme":
        return _eleme(url, secret, event, order, lines, timestamp, app_key, shop_code, message_id)
    return _douyin(url, secret, event, order, lines, timestamp, app_key, shop_code, message_id)


def _meituan(url, secret, event, order, lines, timestamp, app_key, shop_code):
    url = f"{url.rstrip('/')}/{MEITUAN_PATHS[event]}"
    params = {"app_id": app_key, "timestamp": str(timestamp), "app_poi_code": shop_code,
              "order_id": order["order_id"]}
    if event == "create":
        params["wm_order_id_view"] = order["order_id"]
        params["detail"] = json.dumps([
            {"app_food_code": line["sku"], "food_name": line["sku"], "sku_id": line["sku"],
             "quantity": line["qty"], "price": line["price"], "box_num": 0, "box_price": 0}
            for line in lines], ensure_ascii=False)
    elif event == "cancel":
        params.update({"reason_code": "1001", "reason": "用户取消"})
    elif event == "refund":
        params.update({
            "notify_type": "part", "refund_id": order.get("refund_id") or "", "reason": "商品问题",
            "service_type": "2" if order.get("goods_returned") else "1",
            "food": json.dumps([{"app_food_code": line["sku"], "food_name": line["sku"], "count": line["qty"],
                                 "refund_price": line.get("price", 0)} for line in lines], ensure_ascii=False),
        })
    params["sig"] = meituan_signature(url, params, secret)
    return url, urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


def _eleme_items(lines, with_price=True):
    return [{"name": line["sku"], "extendCode": line["sku"], "barCode": "", "quantity": line["qty"],
             **({"price": line["price"], "total": line["price"] * line["qty"]} if with_price else {})}
            for line in lines]


def _eleme(url, secret, event, order, lines, timestamp, app_key, shop_code, message_id):
    if event == "create":
        message = {"id": order["order_id"], "shopId": shop_code,
                   "groups": [{"name": "1号篮子", "type": "normal", "items": _eleme_items(lines)},
                              {"name": "其它费用", "type": "extra",
                               "items": [{"name": "餐盒", "quantity": 1, "price": 1.0}]}]}
    elif event == "refund":
        message = {"orderId": order["order_id"], "refundId": order.get("refund_id") or "", "shopId": shop_code,
                   "refundStatus": "applied", "refundType": "part", "reason": "商品问题",
                   "goodsList": _eleme_items(lines, with_price=False), "updateTime": timestamp}
    else:
        message = {"orderId": order["order_id"], "shopId": shop_code, "updateTime": timestamp,
                   "state": "invalid" if event == "cancel" else "settled", "role": 2}
    body = {"requestId": message_id, "type": ELEME_TYPES[event], "appId": app_key,
            "message": json.dumps(message, ensure_ascii=False), "shopId": shop_code,
            "timestamp": timestamp * 1000, "userId": 1}
    body["signature"] = eleme_signature(body, secret)
    return url, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"}


def _douyin(url, secret, event, order, lines, timestamp, app_key, shop_code, message_id):
    name, action = DOUYIN_EVENTS[event]
    content_order = {"order_id": order["order_id"], "poi_id": shop_code, "account_id": shop_code}
    if event in ("create", "refund"):
        content_order["sku_list"] = [
            {"out_sku_id": line["sku"], "title": line["sku"], "count": line["qty"],
             **({"price": round(line["price"] * 100)} if event == "create" else {})} for line in lines]
    if event == "refund":
        content_order["refund_id"] = order.get("refund_id") or ""
    content = {"action": action, "msg_time": timestamp, "order": content_order}
    body = json.dumps({"event": name, "client_key": app_key, "content": json.dumps(content, ensure_ascii=False),
                       "log_id": uuid.uuid4().hex}, ensure_ascii=False).encode()
    return url, body, {"Content-Type": "application/json", "Msg-Id": message_id,
                       "X-Douyin-Signature": douyin_signature(secret, body)}


class PlatformState:
    """What the platform received from the shops.

    ``secrets`` maps a shop code to its secret, or an app key (Meituan's ``app_id``, Ele.me's
    ``app_key``, Douyin's ``client_key``) to its secret. Every request received is kept as
    ``{"path", "method", "params", "body", "signed", "failed"}``: for Meituan ``path`` is under
    ``/api/v1/`` (``order/confirm``) and ``params`` are the query and form fields but ``sig``; for
    Ele.me ``path`` is the action and ``params`` its params, ``body`` the whole protocol body; for
    Douyin and the simple API ``body`` is the JSON body. ``signed`` also says that the access token
    was valid. Each token call is kept in ``token_calls`` as ``{"grant_type", "app_key",
    "issued"}``. ``fail_next`` answers the next requests with HTTP 503; ``refuse_next`` the next
    ones with the platform's refusal (``refusal``: Meituan's ``{"code", "msg"}``, Ele.me's
    ``{"code", "message"}``, Douyin's error code and description); ``refuse_tokens`` the next
    token calls."""

    def __init__(self, secrets, token_lifetime=3600):
        self.secrets = dict(secrets)
        self.requests = []
        self.fail_next = 0
        self.refuse_next = 0
        self.refusal = {"code": 1001, "msg": "系统繁忙"}
        self.token_lifetime = token_lifetime
        self.tokens = {}
        self.refresh_tokens = set()
        self.token_calls = []
        self.refuse_tokens = 0
        self.lock = threading.Lock()

    def received(self, path=None):
        with self.lock:
            return [entry for entry in self.requests if path is None or entry["path"] == path]

    def issue_token(self, app_key, grant_type):
        """A new access token (and refresh token) of ``app_key``, valid ``token_lifetime`` seconds."""
        with self.lock:
            token = f"tok-{uuid.uuid4().hex}"
            refresh = f"ref-{uuid.uuid4().hex}"
            self.tokens[token] = time.time() + self.token_lifetime
            self.refresh_tokens.add(refresh)
            self.token_calls.append({"grant_type": grant_type, "app_key": app_key, "issued": token})
        return token, refresh

    def token_valid(self, token):
        with self.lock:
            return bool(token) and self.tokens.get(token, 0) > time.time()

    def expire_tokens(self):
        """Every token given so far lapses now, as after its lifetime."""
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, 0)

    def revoke_tokens(self):
        """Every token and refresh token given so far is unknown from now on."""
        with self.lock:
            self.tokens.clear()
            self.refresh_tokens.clear()

    def stock(self, shop_code):
        """The last quantity received per SKU for ``shop_code``: from Meituan's ``food_data``
        (its stock a string, read as a number), Ele.me's ``stockMap`` (of the shop of its app) or
        the simple API's items."""
        quantities = {}
        for entry in self.received():
            if entry["path"] == "retail/sku/stock" and entry["signed"]:
                if entry["params"].get("app_poi_code") == shop_code:
                    for food in json.loads(entry["params"]["food_data"]):
                        quantities.update({sku["sku_id"]: float(sku["stock"]) for sku in food["skus"]})
            elif entry["path"] == "eleme.product.item.batchUpdateStock" and entry["signed"]:
                quantities.update({sku: float(qty) for sku, qty in entry["params"]["stockMap"].items()})
            elif entry["path"] == "/stock/update" and entry["body"].get("shop_code") == shop_code:
                quantities.update({item["sku"]: item["qty"] for item in entry["body"]["items"]})
        return quantities


class PlatformApp:
    def __init__(self, state, platform):
        self.state = state
        self.platform = platform

    def __call__(self, environ, start_response):
        request = Request(environ)
        if self.platform == "meituan":
            status, answer = self._meituan(request)
        elif self.platform == "eleme" and request.path == ELEME_TOKEN:
            status, answer = self._eleme_token(request)
        elif self.platform == "eleme":
            status, answer = self._eleme(request)
        elif request.path == DOUYIN_TOKEN:
            status, answer = self._douyin_token(request)
        elif request.path.startswith("/goodlife/"):
            status, answer = self._douyin(request)
        else:
            status, answer = self._simple(request)
        return Response(json.dumps(answer, ensure_ascii=False), status=status,
                        content_type="application/json")(environ, start_response)

    def _failing(self, entry, refusing=False):
        """Record ``entry``; whether this answer is to fail (503), or to be refused in the
        platform's format."""
        with self.state.lock:
            failing = self.state.fail_next > 0
            if failing:
                self.state.fail_next -= 1
            refused = refusing and not failing and self.state.refuse_next > 0
            if refused:
                self.state.refuse_next -= 1
            entry["failed"] = failing or refused
            self.state.requests.append(entry)
        return failing, refused

    def _meituan(self, request):
        path = request.path[len(MEITUAN_API):] if request.path.startswith(MEITUAN_API) else request.path
        params = {**request.args.to_dict(), **request.form.to_dict()}
        secret = self.state.secrets.get(params.get("app_id"), "")
        signed = bool(secret) and bool(params.get("timestamp")) and signatures_match(
            meituan_signature(request.base_url, params, secret), params.get("sig"))
        entry = {"path": path, "method": request.method, "signed": signed, "body": {},
                 "params": {name: value for name, value in params.items() if name != "sig"}}
        failing, refused = self._failing(entry, refusing=True)
        if failing:
            return 503, {"data": "ng", "error": {"code": 503, "msg": "busy"}}
        if MEITUAN_ENDPOINTS.get(path) != request.method:
            return 404, {"data": "ng", "error": {"code": 404, "msg": f"no {request.method} {path}"}}
        if request.method == "POST" and request.mimetype != "application/x-www-form-urlencoded":
            return 200, {"data": "ng", "error": {"code": 400, "msg": "the parameters are form fields"}}
        if not signed:
            return 200, {"data": "ng", "error": MEITUAN_BAD_SIGNATURE}
        if refused:
            return 200, {"data": "ng", "error": dict(self.state.refusal)}
        return 200, {"data": "ok"}

    def _eleme_token(self, request):
        """Ele.me's token endpoint: HTTP Basic ``app_key:secret``, a form ``grant_type``."""
        app_key, secret = _basic(request.headers.get("Authorization"))
        form = {name: values[0] for name, values in parse_qs(request.get_data(as_text=True)).items()}
        grant = form.get("grant_type")
        with self.state.lock:
            refusing = self.state.refuse_tokens > 0
            if refusing:
                self.state.refuse_tokens -= 1
        if refusing:
            return 503, {"error": "server_error", "error_description": "the token service is unavailable"}
        if not secret or self.state.secrets.get(app_key) != secret:
            return 401, {"error": "invalid_client", "error_description": "Invalid client_id"}
        if grant == "refresh_token":
            with self.state.lock:
                known = form.get("refresh_token") in self.state.refresh_tokens
                self.state.refresh_tokens.discard(form.get("refresh_token"))
            if not known:
                return 400, {"error": "invalid_request", "error_description": "Unauthorized refresh token."}
        elif grant != "client_credentials":
            return 400, {"error": "unsupported_grant_type", "error_description": f"grant_type {grant!r}"}
        token, refresh = self.state.issue_token(app_key, grant)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.state.token_lifetime,
                     "refresh_token": refresh}

    def _eleme(self, request):
        body = _json_object(request)
        metas = body.get("metas") if isinstance(body.get("metas"), dict) else {}
        params = body.get("params") if isinstance(body.get("params"), dict) else {}
        action = body.get("action") or ""
        secret = self.state.secrets.get(metas.get("app_key"), "")
        signed = bool(secret) and signatures_match(
            eleme_api_signature(action, body.get("token") or "", metas, params, secret), body.get("signature"))
        token_valid = self.state.token_valid(body.get("token"))
        entry = {"path": action, "method": request.method, "params": params, "body": body,
                 "signed": signed and token_valid}
        failing, refused = self._failing(entry, refusing=signed and token_valid)
        answer = {"id": body.get("id"), "result": None}
        if failing:
            return 503, {**answer, "error": {"code": "SERVER_ERROR", "message": "busy"}}
        if request.path != ELEME_API or request.method != "POST" or body.get("nop") != "1.0.0":
            return 400, {**answer, "error": {"code": "ILLEGAL_REQUEST", "message": "not the API protocol"}}
        if action not in ELEME_ACTIONS or any(name not in params for name in ELEME_ACTIONS[action]):
            return 200, {**answer, "error": {"code": "METHOD_NOT_ALLOWED", "message": f"no action {action}"}}
        if not signed:
            return 200, {**answer, "error": {"code": "INVALID_SIGNATURE", "message": "签名错误"}}
        if not token_valid:
            return 200, {**answer, "error": {"code": "UNAUTHORIZED", "message": "token无效或已过期"}}
        if refused:
            refusal = self.state.refusal
            return 200, {**answer, "error": {"code": str(refusal.get("code")),
                                             "message": refusal.get("message", refusal.get("msg", ""))}}
        return 200, {**answer, "result": True, "error": None}

    def _douyin_token(self, request):
        body = _json_object(request)
        with self.state.lock:
            refusing = self.state.refuse_tokens > 0
            if refusing:
                self.state.refuse_tokens -= 1
        if refusing:
            return 200, {"data": {"error_code": 2190004, "description": "应用未获得该能力"}, "message": "error"}
        client_key, secret = body.get("client_key"), body.get("client_secret")
        if body.get("grant_type") != "client_credential" or not secret \
                or self.state.secrets.get(client_key) != secret:
            return 200, {"data": {"error_code": 10013, "description": "client_key 或者 client_secret 报错"},
                         "message": "error"}
        token, _refresh = self.state.issue_token(client_key, "client_credential")
        return 200, {"data": {"access_token": token, "description": "", "error_code": 0,
                              "expires_in": self.state.token_lifetime}, "message": "success"}

    def _douyin(self, request):
        body = _json_object(request)
        token = request.headers.get("access-token") or ""
        with self.state.lock:
            known = token in self.state.tokens
        token_valid = self.state.token_valid(token)
        entry = {"path": request.path, "method": request.method, "params": {}, "body": body,
                 "signed": token_valid, "token": token}
        failing, refused = self._failing(entry, refusing=token_valid)

        def answer(code, description):
            return {"data": {"error_code": code, "description": description},
                    "extra": {"error_code": code, "description": description, "logid": uuid.uuid4().hex}}

        if failing:
            return 503, answer(2100004, "系统繁忙")
        if request.path not in DOUYIN_ENDPOINTS or request.method != "POST":
            return 404, answer(2100005, f"no {request.method} {request.path}")
        if not token_valid:
            return 200, answer(DOUYIN_EXPIRED if known else DOUYIN_INVALID,
                               "access_token过期" if known else "access_token无效")
        if request.mimetype != "application/json" or any(not body.get(name) for name in DOUYIN_ENDPOINTS[request.path]):
            return 200, answer(2100002, "参数错误")
        if refused:
            return 200, answer(self.state.refusal.get("code", 1001), self.state.refusal.get("msg", ""))
        return 200, answer(0, "success")

    def _simple(self, request):
        """The addon's own simple API (Douyin's stock feed): JSON signed the Douyin way."""
        raw = request.get_data()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        secret = self.state.secrets.get(body.get("shop_code"), "")
        signed = signatures_match(douyin_signature(secret, raw), request.headers.get("X-Douyin-Signature"))
        failing, _refused = self._failing({"path": request.path, "method": request.method, "params": {},
                                           "body": body, "signed": signed})
        if failing:
            return 503, {"data": "ng", "error": {"code": 503, "msg": "busy"}}
        if not signed:
            return 401, {"data": "ng", "error": {"code": 401, "msg": "invalid signature"}}
        return 200, {"data": "ok"}


def _basic(header):
    """``(user, password)`` of an HTTP Basic ``Authorization`` header, empty when there is none."""
    scheme, _space, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        user, _colon, password = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return "", ""
    return user, password


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class PlatformSimulator:
    """The platform's API on ``127.0.0.1`` in a thread: ``start()``, ``url``, ``stop()``."""

    def __init__(self, platform, secrets, host="127.0.0.1", port=0, token_lifetime=3600):
        self.platform = platform
        self.state = PlatformState(secrets, token_lifetime)
        self._server = make_server(host, port, PlatformApp(self.state, platform), threaded=True,
                                   request_handler=_QuietHandler)
        self._server.daemon_threads = True
        self._thread = None

    @property
    def root(self):
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def url(self):
        """The API's base address, to give the shop as its API URL (Meituan's and Ele.me's end in
        ``/api/v1/``)."""
        return self.root + {"meituan": MEITUAN_API, "eleme": ELEME_API}.get(self.platform, "")

    @property
    def token_url(self):
        """Where the shop's app obtains its access token (Ele.me and Douyin)."""
        return self.root + {"eleme": ELEME_TOKEN, "douyin": DOUYIN_TOKEN}.get(self.platform, "")

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, name="platform-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread:
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def serve_forever(self):
        self._server.serve_forever()

    def webhook(self, url, secret, event, order, message_id=None, timestamp=None, shop_code=None):
        """``(url, data, headers)`` of a push of this platform: see :func:`build_webhook`."""
        return build_webhook(self.platform, url, secret, event, order, message_id, timestamp=timestamp,
                             shop_code=shop_code)
