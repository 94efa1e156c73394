import json

from odoo.tests import tagged

from ..models.retail_platform_callback import MAX_ATTEMPTS
from .common import PlatformCase


@tagged("post_install", "-at_install")
class TestMeituanOutbound(PlatformCase):
    """What the addon sends Meituan follows Meituan's open API, over real HTTP to the simulated
    platform, which checks ``sig`` over the URL and every parameter as Meituan does."""

    def test_an_accepted_order_is_confirmed_by_order_confirm_signed(self):
        _response, order_id = self.place(self.shop_mt)
        self.process()
        (confirmed,) = self.meituan.state.received("order/confirm")
        self.assertEqual((confirmed["method"], confirmed["signed"]), ("POST", True))
        self.assertEqual(confirmed["params"]["order_id"], order_id)
        self.assertEqual(confirmed["params"]["app_id"], "mt-key")
        self.assertTrue(confirmed["params"]["timestamp"].isdigit())
        callback = self.env["retail.platform.callback"].search([("order_id.platform_order_ref", "=", order_id)])
        self.assertEqual((callback.state, callback.attempts), ("sent", 1))
        log = self.env["retail.platform.log"].search([("kind", "=", "callback"), ("order_ref", "=", order_id)])
        self.assertEqual((log.outcome, log.http_status, log.url),
                         ("ok", 200, self.meituan.url + "order/confirm"))
        self.assertIn(f"order_id={order_id}", log.request_body)

    def test_a_rejected_order_is_cancelled_with_a_reason(self):
        self.shop_mt.auto_accept = False
        _response, order_id = self.place(self.shop_mt)
        self.process()
        self.order(self.shop_mt, order_id).with_user(self.manager_b).action_reject()
        self.env["retail.platform.callback"]._send_due()
        (cancelled,) = self.meituan.state.received("order/cancel")
        self.assertEqual((cancelled["method"], cancelled["signed"]), ("GET", True))
        self.assertEqual({name: cancelled["params"][name] for name in ("order_id", "reason_code", "reason")},
                         {"order_id": order_id, "reason_code": "2007", "reason": "其他原因"})

    def test_a_rejection_sends_the_code_of_the_reason_the_store_chose(self):
        self.shop_mt.auto_accept = False
        _response, order_id = self.place(self.shop_mt)
        self.process()
        order = self.order(self.shop_mt, order_id)
        self.env["retail.platform.order.reject"].with_user(self.manager_b).create(
            {"order_id": order.id, "reason": "sold_out"}).action_reject()
        self.env["retail.platform.callback"]._send_due()
        (cancelled,) = self.meituan.state.received("order/cancel")
        self.assertTrue(cancelled["signed"])
        self.assertEqual({name: cancelled["params"][name] for name in ("order_id", "reason_code", "reason")},
                         {"order_id": order_id, "reason_code": "2009", "reason": "商品已售完"})
        self.assertEqual((order.state, order.note), ("cancelled", "Rejected by the store: Sold out"))

    def test_an_unknown_reason_is_refused_and_nothing_is_written(self):
        self.shop_mt.auto_accept = False
        _response, order_id = self.place(self.shop_mt)
        self.process()
        order = self.order(self.shop_mt, order_id)
        # over HTTP as the store's manager, the reason chosen by the caller
        error = self.assertRpcDenied("UserError", "retail_manager_b", "retail.platform.order", "action_reject",
                                     order.ids, "bribe")
        self.assertIn("Unknown reason of a rejection: bribe.", error.message)
        self.assertEqual(order.state, "new")
        self.assertFalse(self.env["retail.platform.callback"].search([("order_id", "=", order.id)]))

    def test_an_ng_answer_is_retried_then_given_up_into_the_error_queue(self):
        self.meituan.state.refuse_next = MAX_ATTEMPTS
        self.meituan.state.refusal = {"code": 808, "msg": "订单状态已变更"}
        _response, order_id = self.place(self.shop_mt)
        self.process()
        callback = self.env["retail.platform.callback"].search([("order_id.platform_order_ref", "=", order_id)])
        self.assertEqual((callback.state, callback.attempts), ("pending", 1), "HTTP 200 with data ng is a failure")
        self.assertEqual(callback.last_error, "HTTP 200, Meituan error 808: 订单状态已变更")
        for _attempt in range(MAX_ATTEMPTS - 1):
            callback.next_attempt = callback.create_date
            self.env["retail.platform.callback"]._send_due()
        self.assertEqual((callback.state, callback.attempts), ("failed", MAX_ATTEMPTS))
        self.assertEqual(len(self.meituan.state.received("order/confirm")), MAX_ATTEMPTS)
        self.assertTrue(all(entry["signed"] for entry in self.meituan.state.received("order/confirm")))
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertEqual((error.kind, error.state, error.shop_id), ("processing", "new", self.shop_mt))
        self.assertIn("Meituan error 808: 订单状态已变更", error.description)
        logs = self.env["retail.platform.log"].search([("kind", "=", "callback"), ("order_ref", "=", order_id)])
        self.assertEqual(set(logs.mapped(lambda log: (log.outcome, log.http_status, log.error_code))),
                         {("refused", 200, "808")})
        self.assertEqual(len(logs), MAX_ATTEMPTS)

    def test_the_stock_feed_arrives_as_retail_sku_stock_with_food_data(self):
        self.place(self.shop_mt, lines=[("MT-CHIPS", 4, 8.0)])
        self.process()
        self.shop_mt.action_full_stock_resync()
        (pushed,) = self.meituan.state.received("retail/sku/stock")
        self.assertEqual((pushed["method"], pushed["signed"]), ("POST", True))
        self.assertEqual(pushed["params"]["app_poi_code"], "MT-B")
        self.assertEqual(json.loads(pushed["params"]["food_data"]),
                         [{"app_food_code": "MT-CHIPS", "skus": [{"sku_id": "MT-CHIPS", "stock": "6"}]}])
        self.assertTrue(self.shop_mt.last_stock_push)

    def test_a_stock_feed_meituan_refuses_is_sent_again_next_time(self):
        self.meituan.state.refuse_next = 1
        self.shop_mt._push_stock(full=True)
        self.assertFalse(self.shop_mt.last_stock_push, "an ng answer is not a push")
        log = self.env["retail.platform.log"].search([("kind", "=", "stock"), ("shop_id", "=", self.shop_mt.id)])
        self.assertEqual((log.outcome, log.http_status, log.error_code), ("refused", 200, "1001"))
        self.shop_mt._push_stock()
        self.assertTrue(self.shop_mt.last_stock_push)
        self.assertEqual(self.meituan.state.stock("MT-B"), {"MT-CHIPS": 10.0})
