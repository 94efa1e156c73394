from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.retail_platform_callback import MAX_ATTEMPTS
from ..tools.signature import eleme_api_signature
from .common import COLA_BARCODE, DY_SECRET, EL_SECRET, PlatformCase

CONFIRM = "/goodlife/v1/trade/buy/merchant_confirm_order/"
REJECT = "/goodlife/v1/after_sale/order/merchant_reject/"
AUDIT = "/goodlife/v1/after_sale/audit/notify/"
TOKEN_FIELDS = ["access_token", "access_token_expiry", "refresh_token", "token_url"]


class TokenCase(PlatformCase):
    def reject(self, order, user, reason=None):
        """Reject ``order`` as ``user`` through the dialog, with ``reason`` when given."""
        values = {"order_id": order.id, **({"reason": reason} if reason else {})}
        self.env["retail.platform.order.reject"].with_user(user).create(values).action_reject()
        self.env["retail.platform.callback"]._send_due()

    def callback(self, order_id):
        return self.env["retail.platform.callback"].search([("order_id.platform_order_ref", "=", order_id)])

    def retry_until_given_up(self, callback):
        for _attempt in range(MAX_ATTEMPTS - 1):
            callback.next_attempt = callback.create_date
            self.env["retail.platform.callback"]._send_due()

    def assertNoTokenLogged(self, shop, simulator):
        """No access token, refresh token or secret the platform gave or knows is in the call log."""
        logs = self.env["retail.platform.log"].search([("shop_id", "=", shop.id)])
        self.assertTrue(logs)
        secrets = [call["issued"] for call in simulator.state.token_calls]
        secrets += [shop.sudo().refresh_token, shop.sudo().app_secret]
        for log in logs:
            for secret in filter(None, secrets):
                self.assertNotIn(secret, log.request_body or "", log.url)
                self.assertNotIn(secret, log.response_body or "", log.url)


@tagged("post_install", "-at_install")
class TestElemeOutbound(TokenCase):
    """What the addon sends Ele.me is its API protocol, signed and with the shop's token, over real
    HTTP to the simulated platform, which gives the tokens and checks them and the signature."""

    def setUp(self):
        super().setUp()
        self.shop = self.eleme_shop()

    def test_an_accepted_order_is_confirmed_with_a_token_fetched_once_and_reused(self):
        _response, first = self.place(self.shop)
        _response, second = self.place(self.shop)
        self.process()
        confirmed = self.eleme.state.received("eleme.order.confirmOrderLite")
        self.assertEqual([entry["params"] for entry in confirmed], [{"orderId": first}, {"orderId": second}])
        self.assertTrue(all(entry["signed"] for entry in confirmed), "valid signature and valid token")
        (call,) = self.eleme.state.token_calls
        self.assertEqual((call["grant_type"], call["app_key"]), ("client_credentials", "el-key"))
        body = confirmed[0]["body"]
        self.assertEqual((body["nop"], body["token"], body["metas"]["app_key"]), ("1.0.0", call["issued"], "el-key"))
        self.assertEqual(body["signature"], eleme_api_signature(
            "eleme.order.confirmOrderLite", call["issued"], body["metas"], body["params"], EL_SECRET))
        self.assertEqual({entry["body"]["token"] for entry in confirmed}, {call["issued"]})
        self.assertEqual(self.shop.sudo().access_token, call["issued"])
        self.assertGreater(self.shop.sudo().access_token_expiry, fields.Datetime.now() + timedelta(minutes=50))
        self.assertEqual((self.callback(first).state, self.callback(second).state), ("sent", "sent"))
        token_log = self.env["retail.platform.log"].search([("kind", "=", "token"), ("shop_id", "=", self.shop.id)])
        self.assertEqual((token_log.outcome, token_log.http_status, token_log.request_body),
                         ("ok", 200, "grant_type=client_credentials"))
        self.assertIn('"access_token": "***"', token_log.response_body)
        log = self.env["retail.platform.log"].search([("kind", "=", "callback"), ("order_ref", "=", first)])
        self.assertEqual((log.outcome, log.url), ("ok", self.eleme.url))
        self.assertIn('"token": "***"', log.request_body)
        self.assertNoTokenLogged(self.shop, self.eleme)

    def test_a_rejection_is_cancel_order_lite_with_the_chosen_type(self):
        self.shop.auto_accept = False
        _response, order_id = self.place(self.shop)
        self.process()
        self.reject(self.order(self.shop, order_id), self.manager_b, "sold_out")
        (cancelled,) = self.eleme.state.received("eleme.order.cancelOrderLite")
        self.assertTrue(cancelled["signed"])
        self.assertEqual(cancelled["params"], {"orderId": order_id, "type": "foodSoldOut", "remark": "商品已经售完"})
        self.assertEqual(self.order(self.shop, order_id).state, "cancelled")

    def test_an_agreed_refund_is_agree_refund_lite(self):
        _response, order_id = self.place(self.shop)
        self.process()
        self.send(self.shop, "refund", {"order_id": order_id, "refund_id": "EL-RF-9",
                                        "lines": [{"sku": "MT-CHIPS", "qty": 1}]})
        self.process()
        (agreed,) = self.eleme.state.received("eleme.order.agreeRefundLite")
        self.assertEqual((agreed["params"], agreed["signed"]), ({"orderId": order_id}, True))

    def test_the_stock_feed_is_batch_update_stock(self):
        self.shop.action_full_stock_resync()
        (pushed,) = self.eleme.state.received("eleme.product.item.batchUpdateStock")
        self.assertEqual((pushed["params"], pushed["signed"]), ({"stockMap": {"MT-CHIPS": 10}}, True))
        self.assertEqual(self.eleme.state.stock(self.shop.shop_code), {"MT-CHIPS": 10.0})
        self.assertTrue(self.shop.last_stock_push)

    def test_an_expired_token_is_refreshed_and_the_call_made_again(self):
        _response, first = self.place(self.shop)
        self.process()
        self.eleme.state.expire_tokens()
        _response, order_id = self.place(self.shop)
        self.process()
        confirmed = self.eleme.state.received("eleme.order.confirmOrderLite")
        self.assertEqual([(entry["params"]["orderId"], entry["signed"]) for entry in confirmed],
                         [(first, True), (order_id, False), (order_id, True)])
        self.assertEqual([call["grant_type"] for call in self.eleme.state.token_calls],
                         ["client_credentials", "refresh_token"])
        self.assertEqual((self.callback(order_id).state, self.callback(order_id).attempts), ("sent", 1),
                         "refreshed within the same attempt")
        logs = self.env["retail.platform.log"].search([("kind", "=", "callback"), ("order_ref", "=", order_id)],
                                                      order="id")
        self.assertEqual(logs.mapped(lambda log: (log.outcome, log.error_code)),
                         [("refused", "UNAUTHORIZED"), ("ok", False)])
        self.assertEqual(self.shop.sudo().access_token, self.eleme.state.token_calls[-1]["issued"])
        self.assertNoTokenLogged(self.shop, self.eleme)

    def test_a_revoked_token_and_refresh_token_are_replaced_by_new_credentials(self):
        self.place(self.shop)
        self.process()
        self.eleme.state.revoke_tokens()
        _response, order_id = self.place(self.shop)
        self.process()
        self.assertEqual(self.callback(order_id).state, "sent")
        self.assertEqual([call["grant_type"] for call in self.eleme.state.token_calls],
                         ["client_credentials", "client_credentials"])
        token_logs = self.env["retail.platform.log"].search(
            [("kind", "=", "token"), ("shop_id", "=", self.shop.id)], order="id")
        self.assertEqual(token_logs.mapped(lambda log: (log.outcome, log.http_status)),
                         [("ok", 200), ("refused", 400), ("ok", 200)], "the refresh was tried first")
        self.assertEqual(token_logs[1].request_body, "grant_type=refresh_token&refresh_token=%2A%2A%2A&scope=all")
        self.assertNoTokenLogged(self.shop, self.eleme)

    def test_a_token_endpoint_failure_is_retried_then_given_up_into_the_error_queue(self):
        self.eleme.state.refuse_tokens = MAX_ATTEMPTS
        _response, order_id = self.place(self.shop)
        self.process()
        order = self.order(self.shop, order_id)
        callback = self.callback(order_id)
        message = ("Ele.me access token refused: HTTP 503, error server_error: the token service is unavailable")
        self.assertEqual((callback.state, callback.attempts, callback.last_error), ("pending", 1, message))
        errors = self.env["retail.platform.error"].search_count([])
        self.retry_until_given_up(callback)
        self.assertEqual((callback.state, callback.attempts), ("failed", MAX_ATTEMPTS))
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertEqual((error.kind, error.shop_id), ("processing", self.shop))
        self.assertIn(message, error.description)
        self.assertEqual(self.env["retail.platform.error"].search_count([]), errors + 1)
        # nothing else: no call reached the API, no token stored, the order as it was
        self.assertFalse(self.eleme.state.received())
        self.assertFalse(self.eleme.state.token_calls)
        shop = self.shop.sudo()
        self.assertFalse(shop.access_token or shop.access_token_expiry or shop.refresh_token)
        self.assertEqual(order.state, "accepted")
        self.assertFalse(self.env["retail.platform.log"].search(
            [("kind", "=", "callback"), ("order_ref", "=", order_id)]))

    def test_a_stock_feed_without_a_token_is_sent_again_next_time(self):
        self.eleme.state.refuse_tokens = 1
        self.shop._push_stock(full=True)
        self.assertFalse(self.shop.last_stock_push)
        self.assertFalse(self.eleme.state.received())
        self.shop._push_stock()
        self.assertTrue(self.shop.last_stock_push)
        self.assertEqual(self.eleme.state.stock(self.shop.shop_code), {"MT-CHIPS": 10.0})


@tagged("post_install", "-at_install")
class TestDouyinOutbound(TokenCase):
    """What the addon sends Douyin is its life-services API with the app's client_token in the
    ``access-token`` header; its stock feed stays the addon's simple API, signed."""

    def test_an_accepted_order_is_merchant_confirm_order_with_the_token(self):
        _response, first = self.place(self.shop_dy)
        _response, second = self.place(self.shop_dy)
        self.process()
        confirmed = self.douyin.state.received(CONFIRM)
        self.assertEqual([entry["body"] for entry in confirmed], [{"order_id": first}, {"order_id": second}])
        (call,) = self.douyin.state.token_calls
        self.assertEqual((call["grant_type"], call["app_key"]), ("client_credential", "dy-key"))
        self.assertEqual([(entry["token"], entry["signed"]) for entry in confirmed], [(call["issued"], True)] * 2)
        self.assertEqual(self.callback(first).state, "sent")
        token_log = self.env["retail.platform.log"].search([("kind", "=", "token"), ("shop_id", "=", self.shop_dy.id)])
        self.assertEqual(token_log.request_body,
                         '{"client_key": "dy-key", "client_secret": "***", "grant_type": "client_credential"}')
        self.assertNoTokenLogged(self.shop_dy, self.douyin)
        self.assertNotIn(DY_SECRET, token_log.request_body)

    def test_a_rejection_is_merchant_reject_with_the_reason_code(self):
        self.shop_dy.auto_accept = False
        _response, first = self.place(self.shop_dy)
        _response, second = self.place(self.shop_dy)
        self.process()
        self.reject(self.order(self.shop_dy, first), self.manager_a)
        self.reject(self.order(self.shop_dy, second), self.manager_a, "closed")
        rejected = self.douyin.state.received(REJECT)
        self.assertEqual([entry["body"] for entry in rejected], [
            {"order_id": first, "reject_reason": {"reason_code": [504], "desc": "商家无法接单"}},
            {"order_id": second, "reject_reason": {"reason_code": [503], "desc": "商家已经打烊"}},
        ])
        self.assertTrue(all(entry["signed"] for entry in rejected))

    def test_an_agreed_refund_is_the_audit_of_its_after_sale(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.send(self.shop_dy, "refund", {"order_id": order_id, "refund_id": "DY-RF-7",
                                           "lines": [{"sku": COLA_BARCODE, "qty": 1}]})
        self.process()
        (audit,) = self.douyin.state.received(AUDIT)
        self.assertEqual((audit["body"], audit["signed"]), ({"after_sale_id": "DY-RF-7", "is_approved": True}, True))

    def test_the_stock_feed_stays_the_simple_api_and_needs_no_token(self):
        self.shop_dy.action_full_stock_resync()
        (pushed,) = self.douyin.state.received("/stock/update")
        self.assertTrue(pushed["signed"])
        self.assertFalse(self.douyin.state.token_calls)

    def test_an_expired_token_is_fetched_again_and_the_call_made_again(self):
        _response, first = self.place(self.shop_dy)
        self.process()
        self.douyin.state.expire_tokens()
        _response, order_id = self.place(self.shop_dy)
        self.process()
        confirmed = self.douyin.state.received(CONFIRM)
        self.assertEqual([(entry["body"]["order_id"], entry["signed"]) for entry in confirmed],
                         [(first, True), (order_id, False), (order_id, True)])
        self.assertEqual(len(self.douyin.state.token_calls), 2)
        self.assertEqual((self.callback(order_id).state, self.callback(order_id).attempts), ("sent", 1))
        refused = self.env["retail.platform.log"].search(
            [("kind", "=", "callback"), ("order_ref", "=", order_id), ("outcome", "=", "refused")])
        self.assertEqual(refused.error_code, "28001008")
        self.assertNoTokenLogged(self.shop_dy, self.douyin)

    def test_a_token_about_to_expire_is_replaced_before_the_call(self):
        self.place(self.shop_dy)
        self.process()
        self.shop_dy.sudo().access_token_expiry = fields.Datetime.now() + timedelta(seconds=60)
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.assertEqual(len(self.douyin.state.token_calls), 2)
        (confirmed,) = [entry for entry in self.douyin.state.received(CONFIRM) if entry["body"]["order_id"] == order_id]
        self.assertEqual((confirmed["token"], confirmed["signed"]), (self.douyin.state.token_calls[1]["issued"], True))

    def test_a_token_endpoint_failure_is_retried_then_given_up_into_the_error_queue(self):
        self.douyin.state.refuse_tokens = MAX_ATTEMPTS
        _response, order_id = self.place(self.shop_dy)
        self.process()
        callback = self.callback(order_id)
        message = "Douyin access token refused: HTTP 200, error 2190004: 应用未获得该能力"
        self.assertEqual((callback.state, callback.attempts, callback.last_error), ("pending", 1, message))
        self.retry_until_given_up(callback)
        self.assertEqual(callback.state, "failed")
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertIn(message, error.description)
        self.assertFalse(self.douyin.state.received())
        self.assertFalse(self.shop_dy.sudo().access_token)


@tagged("post_install", "-at_install")
class TestTokenRightsHttp(TokenCase):
    """The tokens and where they are obtained are for administrators only, over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = "admin"

    def test_a_store_manager_and_headquarters_cannot_read_or_write_the_tokens(self):
        shop = self.eleme_shop()
        self.place(shop)
        self.process()
        token = shop.sudo().access_token
        self.assertTrue(token)
        # the manager of store B reads the shop itself, not its tokens
        self.assertEqual(self.rpc("retail_manager_b", "retail.platform.shop", "read", shop.ids, ["name"])[0]["name"],
                         "饿了么 · B")
        for login in ("retail_manager_b", "retail_hq"):
            for field in TOKEN_FIELDS:
                self.assertRpcDenied("AccessError", login, "retail.platform.shop", "read", shop.ids, [field])
            self.assertRpcDenied("AccessError", login, "retail.platform.shop", "search_read",
                                 [("access_token", "=", token)], ["name"])
        self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.shop", "write", shop.ids,
                             {"token_url": "http://127.0.0.1:1/steal"})
        self.assertEqual(shop.sudo().token_url, self.eleme.token_url)
        read = self.rpc("admin", "retail.platform.shop", "read", shop.ids, ["access_token", "refresh_token"])
        self.assertEqual(read[0]["access_token"], token)
