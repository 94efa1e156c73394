"""The platforms' webhooks.

``POST /retail_platform/webhook/<platform>/<shop code>``, and for Meituan, which calls one
address per kind of push, ``…/meituan/<shop code>/<new|cancel|finish|refund>``; the bodies are
read by ``tools/payload.py``, which names the platforms' public documentation. ``auth='none'``
because a platform has no Odoo session or API key; it proves itself by signing the call with the
shop's secret, which is checked before anything of the body is believed. ``csrf=False`` for the same reason (no
browser, no cookie). The call is recorded and answered at once; the order is made by the cron
``Platforms: process messages``, triggered by the call, after the commit.

Checks, in order, each answered in the platform's own format with its HTTP status and entered in
the error queue: the shop (404), the signature (401), the body (400), the store the body names,
which must be the shop of the address (403: another shop's message, nothing written), the time
window (403) of a message not seen before, then the SKUs of a new order (422). A notice the
addon has nothing to do with (e.g. Ele.me's echo of our own acceptance) is answered as accepted
and recorded nowhere but in the call log, as is Douyin's signed check of the address
(``verify_webhook``), answered with its challenge. A message seen before is answered as accepted and makes
nothing twice, even when the platform retries it after the window: only a message never seen
must be recent.
"""

import json
import time

import psycopg2

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..tools.payload import PLATFORMS, MalformedPayload, WrongShop, answer, douyin_challenge, read_event
from ..tools.signature import (
    REPLAY_WINDOW_SECONDS,
    douyin_signature,
    eleme_signature,
    meituan_signature,
    signatures_match,
    within_window,
)

DOUYIN_HEADER = "X-Douyin-Signature"
DOUYIN_MESSAGE_HEADER = "Msg-Id"
MAX_BODY = 256 * 1024


class PlatformWebhook(http.Controller):
    @http.route(["/retail_platform/webhook/<string:platform>/<string:shop_code>",
                 "/retail_platform/webhook/<string:platform>/<string:shop_code>/<string:kind>"],
                type="http", auth="none", csrf=False, methods=["POST"], save_session=False, readonly=False)
    def webhook(self, platform, shop_code, kind=None, **_params):
        # the caller chooses nothing of the environment: no user, no context of its own
        env = request.env(user=SUPERUSER_ID, context={})
        raw = request.httprequest.get_data(cache=True)[:MAX_BODY + 1]
        call = {"platform": platform, "shop": None, "raw": raw.decode("utf-8", "replace"),
                "began": time.monotonic(), "env": env}
        try:
            return self._handle(call, platform, shop_code, kind, raw)
        except Exception as error:
            # logged even though the request's transaction is lost; Odoo answers the error
            env["retail.platform.log"]._write_separately({
                "direction": "in", "kind": "webhook", "platform": platform, "order_ref": call.get("order_ref"),
                "url": request.httprequest.path, "http_status": 500, "outcome": "refused",
                "error_code": "server_error", "request_body": call["raw"][:4000],
                "response_body": f"{type(error).__name__}: {error}"[:2000],
                "duration_ms": int((time.monotonic() - call["began"]) * 1000),
            })
            raise

    def _handle(self, call, platform, shop_code, kind, raw):
        httprequest = request.httprequest
        env = call["env"]
        if platform not in PLATFORMS:
            return self._refuse(call, "unknown_shop", 404, 404, f"unknown platform {platform!r}")
        shop = env["retail.platform.shop"].search([("platform", "=", platform), ("shop_code", "=", shop_code)], limit=1)
        if not shop:
            return self._refuse(call, "unknown_shop", 404, 404, f"unknown shop {shop_code!r}")
        call["shop"] = shop
        env = call["env"] = env(context={"allowed_company_ids": shop.company_id.ids})
        shop = call["shop"] = shop.with_env(env)
        if len(raw) > MAX_BODY:
            return self._refuse(call, "malformed", 400, 400, "the body is too large")
        secret = shop.app_secret or ""
        fields = None
        if platform == "douyin":
            signed = secret and signatures_match(douyin_signature(secret, raw), httprequest.headers.get(DOUYIN_HEADER))
        elif platform == "eleme":
            try:
                fields = json.loads(raw)
            except ValueError:
                fields = None
            signed = secret and isinstance(fields, dict) and signatures_match(
                eleme_signature(fields, secret), fields.get("signature"))
        else:
            fields = {**httprequest.args.to_dict(), **httprequest.form.to_dict()}
            signed = secret and signatures_match(
                meituan_signature(httprequest.base_url, fields, secret), fields.get("sig"))
        if not signed:
            return self._refuse(call, "signature", 401, 401, "invalid signature")
        try:
            if platform == "douyin":
                try:
                    fields = json.loads(raw)
                except ValueError:
                    raise MalformedPayload("the body is not JSON") from None
                challenge = douyin_challenge(fields)
                if challenge is not None:
                    # Douyin checking the address, as it does when it is entered in its console
                    return self._answer(call, 200, "ok", {"challenge": challenge})
            event = read_event(platform, fields, kind=kind, shop_code=shop.shop_code,
                               message_id=httprequest.headers.get(DOUYIN_MESSAGE_HEADER))
        except WrongShop as error:
            return self._refuse(call, "wrong_shop", 403, 403, str(error))
        except MalformedPayload as error:
            return self._refuse(call, "malformed", 400, 400, str(error))
        if event is None:
            return self._answer(call, 200, "ok", answer(platform, True))
        call["order_ref"] = event["order_id"]
        Message = env["retail.platform.message"]
        known = Message.search([("shop_id", "=", shop.id), ("message_ref", "=", event["message_id"])], limit=1)
        if known and known.state != "error":
            # a platform retrying a message it sent: answered as accepted, whatever its age, and
            # nothing is done again
            return self._answer(call, 200, "duplicate", answer(platform, True))
        if not within_window(event["timestamp"], time.time()):
            return self._refuse(call, "replay", 403, 403,
                                f"timestamp outside the {REPLAY_WINDOW_SECONDS} s window")
        try:
            with env.cr.savepoint():
                message, is_new = Message._record(shop, event)
        except psycopg2.IntegrityError:
            # the same message arrived twice at once: the other call recorded it
            message, is_new = Message.search(
                [("shop_id", "=", shop.id), ("message_ref", "=", event["message_id"])], limit=1), False
        if event["event"] == "create" and (is_new or message.state == "error"):
            skus = {line["sku"] for line in event["lines"]}
            unknown = sorted(skus - set(env["retail.platform.product"]._resolve(platform, skus)))
            if unknown:
                description = f"unknown SKU {', '.join(unknown)}"
                if message.state != "error":
                    message.write({"state": "error", "note": description})
                message._report_error("unknown_sku", description)
                return self._answer(call, 422, "refused", answer(platform, False, 422, description), "unknown_sku")
            if message.state == "error":
                message.write({"state": "pending", "note": False})
                env.ref("retail_platform.ir_cron_process_messages")._trigger()
        return self._answer(call, 200, "ok" if is_new else "duplicate", answer(platform, True))

    def _refuse(self, call, kind, status, code, description):
        shop = call["shop"]
        call["env"]["retail.platform.error"].create({
            "kind": kind, "shop_id": shop.id if shop else False, "platform": call["platform"],
            "order_ref": call.get("order_ref") or False, "description": description,
            "payload": call["raw"][:20000],
        })
        return self._answer(call, status, "refused", answer(call["platform"], False, code, description), kind)

    def _answer(self, call, status, outcome, body, error_code=None):
        shop = call["shop"]
        call["env"]["retail.platform.log"]._write_separately({
            "direction": "in", "kind": "webhook", "shop_id": shop.id if shop else False,
            "platform": call["platform"], "order_ref": call.get("order_ref") or False,
            "url": request.httprequest.path, "http_status": status, "outcome": outcome,
            "error_code": error_code or False, "request_body": call["raw"][:4000],
            "response_body": json.dumps(body, ensure_ascii=False),
            "duration_ms": int((time.monotonic() - call["began"]) * 1000),
        })
        return request.make_json_response(body, status=status)
