"""A local delivery platform, for tests and the demo.

It does what a platform does to a shop's system:

- sends webhooks signed as the platform signs them (:meth:`PlatformSimulator.webhook` builds
  one; the caller posts it): good ones, forged ones (wrong secret), replayed ones (an old
  timestamp), the same message twice, and statuses out of order (a cancellation before its order);
- serves the platform's API on ``127.0.0.1`` over real HTTP (werkzeug, one of Odoo's own
  requirements): order confirmations, rejections, agreed refunds (``/order/...``) and the stock
  feed (``/stock/update``), checking that each request is signed with the shop's secret, and
  remembering what it received; it can be told to fail its next answers, as a platform under
  load does.
"""

import hashlib
import json
import threading
import time
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .payload import EVENTS
from .signature import douyin_signature, meituan_signature, signatures_match

EVENT_NAMES = {platform: {ours: theirs for theirs, ours in names.items()} for platform, names in EVENTS.items()}


def build_webhook(platform, url, secret, event, order, message_id, timestamp=None, app_key="app"):
    """``(data, headers)`` of a webhook of ``platform`` to ``url``, signed with ``secret``.

    ``event`` is the addon's name of it (create, cancel, delivered, refund); ``order`` the order
    object (``order_id``, ``lines`` …)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    name = EVENT_NAMES[platform][event]
    if platform == "douyin":
        body = json.dumps({"msg_id": message_id, "event": name, "timestamp": timestamp, "order": order},
                          ensure_ascii=False).encode()
        return body, {"Content-Type": "application/json", "X-Douyin-Signature": douyin_signature(secret, body)}
    params = {"app_id": app_key, "timestamp": str(timestamp), "message_id": message_id, "event": name,
              "order": json.dumps(order, ensure_ascii=False, sort_keys=True)}
    params["sig"] = meituan_signature(url, params, secret)
    return urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


class PlatformState:
    """What the platform received from the shops."""

    def __init__(self, secrets):
        self.secrets = dict(secrets)  # shop code -> secret
        self.requests = []  # {"path", "body", "signed"} of every request received
        self.fail_next = 0
        self.lock = threading.Lock()

    def received(self, path=None):
        with self.lock:
            return [entry for entry in self.requests if path is None or entry["path"] == path]

    def stock(self, shop_code):
        """The last quantity received per SKU for ``shop_code``."""
        quantities = {}
        for entry in self.received("/stock/update"):
            if entry["body"].get("shop_code") == shop_code:
                quantities.update({item["sku"]: item["qty"] for item in entry["body"]["items"]})
        return quantities


class PlatformApp:
    def __init__(self, state, platform):
        self.state = state
        self.platform = platform

    def __call__(self, environ, start_response):
        request = Request(environ)
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
        with self.state.lock:
            failing = self.state.fail_next > 0
            if failing:
                self.state.fail_next -= 1
            self.state.requests.append({"path": request.path, "body": body, "signed": signed, "failed": failing})
        if failing:
            status, answer = 503, {"data": "ng", "error": {"code": 503, "msg": "busy"}}
        elif not signed:
            status, answer = 401, {"data": "ng", "error": {"code": 401, "msg": "invalid signature"}}
        else:
            status, answer = 200, {"data": "ok"}
        return Response(json.dumps(answer), status=status, content_type="application/json")(environ, start_response)


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
        return f"http://{self._server.host}:{self._server.port}"

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

    def webhook(self, url, secret, event, order, message_id, timestamp=None):
        return build_webhook(self.platform, url, secret, event, order, message_id, timestamp=timestamp)
