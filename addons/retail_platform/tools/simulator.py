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
  when the signature is wrong. The others' is the addon's own simple API: order confirmations,
  rejections, agreed refunds (``/order/...``) and the stock feed (``/stock/update``), in JSON.
"""

import hashlib
import json
import threading
import time
import uuid
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .signature import douyin_signature, eleme_signature, meituan_signature, signatures_match

MEITUAN_PATHS = {"create": "new", "cancel": "cancel", "delivered": "finish", "refund": "refund"}
ELEME_TYPES = {"create": 10, "cancel": 14, "delivered": 18, "refund": 30}
MEITUAN_API = "/api/v1/"
# Meituan's endpoints and the method its documentation gives each, written out here rather than
# taken from the addon's adapter, so that the simulator checks the adapter
MEITUAN_ENDPOINTS = {"order/confirm": "POST", "order/cancel": "GET", "order/refund/agree": "GET",
                     "retail/sku/stock": "POST"}
MEITUAN_BAD_SIGNATURE = {"code": 703, "msg": "签名验证错误"}
DOUYIN_EVENTS = {
    "create": ("life_trade_order_notify", "pay_success"),
    "cancel": ("life_trade_order_notify", "cancel"),
    "delivered": ("life_trade_certificate_notify", "verify"),
    "refund": ("life_trade_order_notify", "refund_success"),
}


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

    ``secrets`` maps a shop code to its secret, or for Meituan an app id (``app_id``, the shop's
    app key) to its secret. Every request received is kept as ``{"path", "method", "params",
    "body", "signed", "failed"}``: for Meituan ``path`` is under ``/api/v1/`` (``order/confirm``)
    and ``params`` are the query and form fields but ``sig``; for the others ``body`` is the JSON
    body. ``fail_next`` answers the next requests with HTTP 503; ``refuse_next`` the next Meituan
    requests with ``{"data": "ng", "error": refusal}`` and HTTP 200."""

    def __init__(self, secrets):
        self.secrets = dict(secrets)
        self.requests = []
        self.fail_next = 0
        self.refuse_next = 0
        self.refusal = {"code": 1001, "msg": "系统繁忙"}
        self.lock = threading.Lock()

    def received(self, path=None):
        with self.lock:
            return [entry for entry in self.requests if path is None or entry["path"] == path]

    def stock(self, shop_code):
        """The last quantity received per SKU for ``shop_code``: from Meituan's ``food_data``
        (its stock a string, read as a number) or the simple API's items."""
        quantities = {}
        for entry in self.received():
            if entry["path"] == "retail/sku/stock" and entry["signed"]:
                if entry["params"].get("app_poi_code") == shop_code:
                    for food in json.loads(entry["params"]["food_data"]):
                        quantities.update({sku["sku_id"]: float(sku["stock"]) for sku in food["skus"]})
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
        else:
            status, answer = self._simple(request)
        return Response(json.dumps(answer, ensure_ascii=False), status=status,
                        content_type="application/json")(environ, start_response)

    def _failing(self, entry, refusing=False):
        """Record ``entry``; whether this answer is to fail (503), or to be refused (Meituan)."""
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

    def _simple(self, request):
        raw = request.get_data()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        secret = self.state.secrets.get(body.get("shop_code"), "")
        if self.platform == "douyin":
            signed = signatures_match(douyin_signature(secret, raw), request.headers.get("X-Douyin-Signature"))
        else:
            params = request.args.to_dict()
            signed = signatures_match(meituan_signature(request.base_url, params, secret), params.get("sig")) \
                and params.get("body_md5") == hashlib.md5(raw).hexdigest()
        failing, _refused = self._failing({"path": request.path, "method": request.method, "params": {},
                                           "body": body, "signed": signed})
        if failing:
            return 503, {"data": "ng", "error": {"code": 503, "msg": "busy"}}
        if not signed:
            return 401, {"data": "ng", "error": {"code": 401, "msg": "invalid signature"}}
        return 200, {"data": "ok"}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class PlatformSimulator:
    """The platform's API on ``127.0.0.1`` in a thread: ``start()``, ``url``, ``stop()``."""

    def __init__(self, platform, secrets, host="127.0.0.1", port=0):
        self.platform = platform
        self.state = PlatformState(secrets)
        self._server = make_server(host, port, PlatformApp(self.state, platform), threaded=True,
                                   request_handler=_QuietHandler)
        self._server.daemon_threads = True
        self._thread = None

    @property
    def url(self):
        """The API's base address, to give the shop as its API URL (Meituan's ends in ``/api/v1/``)."""
        root = f"http://{self._server.host}:{self._server.port}"
        return root + MEITUAN_API if self.platform == "meituan" else root

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
