import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools.signature import douyin_signature, eleme_signature, meituan_signature
from .common import COLA_BARCODE, DY_SECRET, EL_SECRET, MT_SECRET, PlatformCase


@tagged("post_install", "-at_install")
class TestWebhookRefusals(PlatformCase):
    """Every bad call is answered in the platform's format, queued for a person, logged, and
    writes nothing else."""

    def assertRefused(self, response, status, kind, platform="douyin", before=None):
        self.assertAnswer(response, status, platform=platform, ok=False)
        error = self.env["retail.platform.error"].search([], order="id desc", limit=1)
        self.assertEqual((error.kind, error.state), (kind, "new"))
        log = self.env["retail.platform.log"].search([("direction", "=", "in")], order="id desc", limit=1)
        self.assertEqual((log.outcome, log.http_status, log.error_code), ("refused", status, kind))
        if before is not None:
            self.process()
            self.assertEqual(self.counts(), before)
        return error

    def test_forged_douyin_signature(self):
        before = self.counts()
        response, _ = self.place(self.shop_dy, secret="not-the-secret")
        body = self.assertRefused(response, 401, "signature", before=before)
        self.assertEqual(json.loads(response.text), {"err_no": 401, "err_tips": "invalid signature"})
        self.assertEqual(body.shop_id, self.shop_dy)

    def test_forged_meituan_signature(self):
        before = self.counts()
        response, _ = self.place(self.shop_mt, secret="not-the-secret")
        self.assertRefused(response, 401, "signature", platform="meituan", before=before)
        self.assertEqual(json.loads(response.text)["data"], "ng")

    def test_a_body_changed_after_signing(self):
        before = self.counts()
        url = self.base_url() + self.path(self.shop_dy)
        url, data, headers = self.douyin.webhook(url, "douyin-shop-secret", "create", {
            "order_id": "T1", "lines": [{"sku": COLA_BARCODE, "qty": 1, "price": 3.0}]}, "m-tamper")
        tampered = data.replace(b'\\"price\\": 300', b'\\"price\\": 1')
        self.assertNotEqual(tampered, data)
        response = self.url_open(url, data=tampered, headers=headers)
        self.assertRefused(response, 401, "signature", before=before)

    def test_a_meituan_push_sent_to_the_address_of_another_kind(self):
        # the kind is in the signed address: a cancellation posted to the new-order address fails
        before = self.counts()
        url = self.base_url() + self.path(self.shop_mt)
        cancel_url, data, headers = self.meituan.webhook(url, MT_SECRET, "cancel", {"order_id": "T2"})
        self.assertTrue(cancel_url.endswith("/cancel"))
        response = self.url_open(url + "/new", data=data, headers=headers)
        self.assertRefused(response, 401, "signature", platform="meituan", before=before)

    def test_forged_eleme_signature(self):
        shop = self.eleme_shop()
        before = self.counts()
        response, _ = self.place(shop, secret="not-the-secret")
        self.assertRefused(response, 401, "signature", platform="eleme", before=before)
        self.assertEqual(json.loads(response.text)["message"], "ng")

    def test_douyin_checks_the_address_with_a_signed_challenge(self):
        before = self.counts()
        body = json.dumps({"event": "verify_webhook", "client_key": "dy-key", "content": {"challenge": 12345}})
        response = self.url_open(self.path(self.shop_dy), data=body, headers={
            "Content-Type": "application/json", "X-Douyin-Signature": douyin_signature(DY_SECRET, body)})
        self.assertEqual((response.status_code, json.loads(response.text)), (200, {"challenge": 12345}))
        self.assertEqual(self.counts(), before)
        forged = self.url_open(self.path(self.shop_dy), data=body, headers={
            "Content-Type": "application/json", "X-Douyin-Signature": douyin_signature("not-the-secret", body)})
        self.assertRefused(forged, 401, "signature", before=before)

    def test_no_signature_at_all(self):
        before = self.counts()
        response = self.url_open(self.path(self.shop_dy), data=b'{"msg_id": "x"}',
                                 headers={"Content-Type": "application/json"})
        self.assertRefused(response, 401, "signature", before=before)

    def test_a_replayed_webhook_outside_the_window(self):
        before = self.counts()
        response, _ = self.place(self.shop_dy, timestamp=self.now() - 301)
        self.assertRefused(response, 403, "replay", before=before)
        response, _ = self.place(self.shop_mt, timestamp=self.now() + 400)
        self.assertRefused(response, 403, "replay", platform="meituan", before=before)

    def test_a_recorded_message_retried_after_the_window_is_a_duplicate(self):
        response, order_id = self.place(self.shop_dy, message_id="M-OLD", timestamp=self.now() - 200)
        self.assertAnswer(response, 200)
        self.process()
        before = self.counts()
        # the same message, its timestamp now 400 s old: accepted, nothing done again
        again, _ = self.place(self.shop_dy, message_id="M-OLD", order_id=order_id, timestamp=self.now() - 400)
        self.assertAnswer(again, 200)
        self.process()
        self.assertEqual(self.counts(), before)
        self.assertFalse(self.env["retail.platform.error"].search([("kind", "=", "replay")]))

    def test_unknown_shop(self):
        before = self.counts()
        response, _ = self.place(self.shop_dy, shop_code="NO-SUCH-SHOP")
        error = self.assertRefused(response, 404, "unknown_shop", before=before)
        self.assertFalse(error.shop_id)
        response = self.url_open("/retail_platform/webhook/nowhere/DY-A", data=b"{}")
        self.assertRefused(response, 404, "unknown_shop", platform="meituan", before=before)

    def test_malformed_bodies(self):
        before = self.counts()
        url = self.base_url() + self.path(self.shop_dy)
        bad_orders = (({"order_id": "M1", "lines": []}, "content.order.sku_list has no lines"),
                      ({"order_id": "M1", "lines": [{"sku": "x", "qty": -2, "price": 1}]},
                       "content.order.sku_list line 1: count must be above zero"))
        for order, description in bad_orders:
            url, data, headers = self.douyin.webhook(url, "douyin-shop-secret", "create", order, "m-bad")
            response = self.url_open(url, data=data, headers=headers)
            error = self.assertRefused(response, 400, "malformed", before=before)
            self.assertEqual(error.description, description)
        # signed, but not JSON
        response = self.url_open(self.path(self.shop_dy), data=b"not json", headers={
            "X-Douyin-Signature": douyin_signature("douyin-shop-secret", b"not json")})
        self.assertRefused(response, 400, "malformed", before=before)

    def test_malformed_meituan_and_eleme_bodies_name_the_field(self):
        before = self.counts()
        url = self.base_url() + self.path(self.shop_mt)
        # a Meituan push to the shop's address without its kind
        params = {"app_id": "mt-key", "timestamp": str(self.now()), "app_poi_code": "MT-B", "order_id": "M2"}
        params["sig"] = meituan_signature(url, params, MT_SECRET)
        error = self.assertRefused(self.url_open(url, data=params), 400, "malformed", platform="meituan",
                                   before=before)
        self.assertIn("unknown Meituan push None", error.description)
        params = {"app_id": "mt-key", "timestamp": str(self.now()), "app_poi_code": "MT-B", "order_id": "M2",
                  "detail": '[{"app_food_code": "MT-CHIPS", "quantity": "two", "price": 8}]'}
        params["sig"] = meituan_signature(url + "/new", params, MT_SECRET)
        error = self.assertRefused(self.url_open(url + "/new", data=params), 400, "malformed", platform="meituan",
                                   before=before)
        self.assertEqual(error.description, "detail line 1: quantity must be a number")
        shop = self.eleme_shop()
        body = {"requestId": "EL-BAD", "type": 10, "appId": 1, "shopId": shop.shop_code, "message": "{not json",
                "timestamp": self.now() * 1000, "userId": 1}
        body["signature"] = eleme_signature(body, EL_SECRET)
        response = self.url_open(self.path(shop), data=json.dumps(body), headers={"Content-Type": "application/json"})
        error = self.assertRefused(response, 400, "malformed", platform="eleme", before=before)
        self.assertEqual(error.description, "message is not valid JSON")

    def test_a_body_naming_another_store_is_refused_for_every_platform(self):
        shop_el = self.eleme_shop()
        before = self.counts()
        for shop, named in ((self.shop_dy, "content.order.poi_id"), (self.shop_mt, "app_poi_code"),
                            (shop_el, "shopId")):
            response, order_id = self.place(shop, body_shop_code="OTHER-STORE")
            error = self.assertRefused(response, 403, "wrong_shop", platform=shop.platform, before=before)
            self.assertEqual(error.description,
                             f"{named} 'OTHER-STORE' is not the shop {shop.shop_code!r} of the address called")
            self.assertEqual(error.shop_id, shop)
            self.assertFalse(self.env["retail.platform.message"].search([("order_ref", "=", order_id)]))

    def test_unknown_sku_is_refused_then_retried_from_the_queue_once_listed(self):
        before = self.counts()
        response, order_id = self.place(self.shop_dy, lines=[("NEW-SKU", 1, 5.0)], message_id="M-SKU")
        body = self.assertAnswer(response, 422, ok=False)
        self.assertIn("NEW-SKU", body["err_tips"])
        self.process()
        self.assertFalse(self.order(self.shop_dy, order_id))
        self.assertEqual(self.counts()["pickings"], before["pickings"])
        self.assertEqual(self.counts()["moves"], before["moves"])
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertEqual((error.kind, error.state), ("unknown_sku", "new"))
        # the platform retries the same message: still unknown, still one error
        self.place(self.shop_dy, lines=[("NEW-SKU", 1, 5.0)], message_id="M-SKU", order_id=order_id)
        self.assertEqual(self.env["retail.platform.error"].search_count([("order_ref", "=", order_id)]), 1)
        self.env["retail.platform.product"].create(
            {"platform": "douyin", "platform_sku": "NEW-SKU", "product_id": self.chips.id})
        error.with_user(self.manager_a).action_retry()
        self.assertEqual(error.state, "resolved")
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "accepted")
        self.assertEqual(self.available(self.store_a, self.chips), 9.0)

    def test_a_manager_of_another_store_cannot_work_the_error(self):
        self.place(self.shop_dy, lines=[("NEW-SKU", 1, 5.0)])
        error = self.env["retail.platform.error"].search([], order="id desc", limit=1)
        with self.assertRaises(AccessError):
            error.with_user(self.manager_b).action_resolve()
        self.assertEqual(error.state, "new")
