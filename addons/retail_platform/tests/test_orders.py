import json

from odoo import sql_db
from odoo.tests import tagged

from ..tools.signature import eleme_signature, meituan_signature
from .common import COLA_BARCODE, EL_SECRET, MT_SECRET, PlatformCase

CONFIRM = "/goodlife/v1/trade/buy/merchant_confirm_order/"
REJECT = "/goodlife/v1/after_sale/order/merchant_reject/"


@tagged("post_install", "-at_install")
class TestPlatformOrders(PlatformCase):
    """Orders in through the webhook route over real HTTP, worked as the cron works them."""

    def test_a_new_order_is_answered_first_then_reserves_the_store_stock_and_is_booked(self):
        response, order_id = self.place(self.shop_dy)
        self.assertAnswer(response, 200)
        # answered before any work: the order is made after the commit
        self.assertFalse(self.order(self.shop_dy, order_id))
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "accepted")
        self.assertEqual(order.warehouse_id, self.store_a)
        picking = order.picking_id
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.location_id, self.store_a.lot_stock_id)
        self.assertEqual(picking.picking_type_id, self.store_a.out_type_id)
        self.assertEqual(self.available(self.store_a, self.cola), 8.0)
        self.assertEqual(self.on_hand(self.store_a, self.cola), 10.0)
        self.assertEqual(self.available(self.store_b, self.cola), 10.0, "store B is not touched")
        invoice = order.invoice_id
        self.assertEqual((invoice.state, invoice.move_type), ("posted", "out_invoice"))
        self.assertEqual(invoice.partner_id, self.partners["douyin"])
        self.assertAlmostEqual(invoice.amount_total, 14.0)
        self.assertAlmostEqual(invoice.amount_tax, 0.69)  # 6.00 including 13 % VAT
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.account_id, self.receivable["douyin"])
        self.assertAlmostEqual(receivable.debit, 14.0)
        analytic = str(self.store_a.retail_analytic_account_id.id)
        for line in invoice.invoice_line_ids:
            self.assertEqual(line.analytic_distribution, {analytic: 100})
        accepted = self.douyin.state.received(CONFIRM)
        self.assertEqual([entry["body"]["order_id"] for entry in accepted], [order_id])
        self.assertTrue(accepted[0]["signed"])
        self.assertEqual(order.env["retail.platform.callback"].search([("order_id", "=", order.id)]).state, "sent")

    def test_the_work_is_left_to_crons_triggered_by_the_call_and_the_commit(self):
        Trigger = self.env["ir.cron.trigger"]
        process = self.env.ref("retail_platform.ir_cron_process_messages")
        send = self.env.ref("retail_platform.ir_cron_send_callbacks")
        self.place(self.shop_dy)
        self.place(self.shop_dy)
        self.assertEqual(Trigger.search_count([("cron_id", "=", process.id)]), 2)
        self.assertFalse(Trigger.search_count([("cron_id", "=", send.id)]))
        self.env["retail.platform.message"]._process_pending()
        self.assertEqual(Trigger.search_count([("cron_id", "=", send.id)]), 2, "each acceptance triggers its callback")
        self.assertFalse(self.douyin.state.received(), "nothing is sent before the cron runs")

    def test_query_budgets_of_the_answer_and_of_the_work(self):
        self.place(self.shop_dy)  # warm the route and the caches
        self.process()
        before = sql_db.sql_counter
        self.place(self.shop_dy)
        answer_queries = sql_db.sql_counter - before
        self.assertLessEqual(answer_queries, 30, "the answer records the message and logs the call, nothing more")
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["retail.platform.message"]._process_pending()
        self.assertLessEqual(self.env.cr.sql_log_count - before, 175, "one 2-line order, reserved and booked (162)")

    def test_delivered_deducts_the_stock(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.assertAnswer(self.send(self.shop_dy, "delivered", {"order_id": order_id}), 200)
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "delivered")
        self.assertEqual(order.picking_id.state, "done")
        self.assertEqual(self.on_hand(self.store_a, self.cola), 8.0)
        self.assertEqual(self.on_hand(self.store_a, self.chips), 9.0)

    def test_a_retried_webhook_creates_nothing_twice(self):
        response, order_id = self.place(self.shop_dy, message_id="MSG-1")
        self.assertAnswer(response, 200)
        again, _ = self.place(self.shop_dy, message_id="MSG-1", order_id=order_id)
        self.assertAnswer(again, 200)
        # the same order under another message id is not a second order either
        third, _ = self.place(self.shop_dy, order_id=order_id)
        self.process()
        self.assertAnswer(third, 200)
        self.assertEqual(self.env["retail.platform.message"].search_count([("order_ref", "=", order_id)]), 2)
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(len(order), 1)
        self.assertEqual(self.env["stock.picking"].search_count([("origin", "=", order.name)]), 1)
        self.assertEqual(self.env["account.move"].search_count([("invoice_origin", "=", order.name)]), 1)
        self.assertEqual(self.available(self.store_a, self.cola), 8.0)
        logs = self.env["retail.platform.log"].search([("order_ref", "=", order_id), ("direction", "=", "in")])
        self.assertEqual(sorted(logs.mapped("outcome")), ["duplicate", "ok", "ok"])

    def test_cancel_before_create_then_the_late_order_makes_nothing(self):
        order_id = "LATE-1"
        self.assertAnswer(self.send(self.shop_dy, "cancel", {"order_id": order_id}), 200)
        self.process()
        self.place(self.shop_dy, order_id=order_id)
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "cancelled")
        self.assertFalse(order.line_ids or order.picking_id or order.invoice_id)
        self.assertEqual(self.available(self.store_a, self.cola), 10.0)
        message = self.env["retail.platform.message"].search([("order_ref", "=", order_id), ("event", "=", "create")])
        self.assertEqual(message.state, "ignored")

    def test_delivered_before_create_waits_for_its_order(self):
        order_id = "EARLY-DELIVERY"
        self.send(self.shop_dy, "delivered", {"order_id": order_id})
        self.process()
        waiting = self.env["retail.platform.message"].search([("order_ref", "=", order_id)])
        self.assertEqual(waiting.state, "waiting")
        self.place(self.shop_dy, order_id=order_id)
        self.process()
        self.assertEqual(waiting.state, "done")
        self.assertEqual(self.order(self.shop_dy, order_id).state, "delivered")
        self.assertEqual(self.on_hand(self.store_a, self.cola), 8.0)

    def test_cancel_after_acceptance_unreserves_and_reverses_the_invoice(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.send(self.shop_dy, "cancel", {"order_id": order_id})
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.picking_id.state, "cancel")
        self.assertEqual(self.available(self.store_a, self.cola), 10.0)
        self.assertEqual(order.invoice_id.payment_state, "reversed")
        self.assertEqual(order.credit_note_ids.state, "posted")
        self.assertAlmostEqual(order.credit_note_ids.amount_total, 14.0)
        self.assertAlmostEqual(self.partners["douyin"].credit, 0.0)

    def test_cancel_after_delivery_is_refused_into_the_error_queue(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.send(self.shop_dy, "delivered", {"order_id": order_id})
        self.process()
        self.send(self.shop_dy, "cancel", {"order_id": order_id})
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "delivered")
        self.assertFalse(order.credit_note_ids)
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertEqual((error.kind, error.state), ("processing", "new"))
        self.assertIn("must send a refund", error.description)

    def test_partial_refund_after_delivery_with_goods_back(self):
        # Meituan says whether the goods came back (service_type 2, 退货退款)
        _response, order_id = self.place(self.shop_mt)
        self.process()
        self.send(self.shop_mt, "delivered", {"order_id": order_id})
        self.process()
        response = self.send(self.shop_mt, "refund", {"order_id": order_id, "refund_id": "RF-1", "goods_returned": True,
                                                      "lines": [{"sku": COLA_BARCODE, "qty": 1}]})
        self.assertAnswer(response, 200, platform="meituan")
        self.process()
        order = self.order(self.shop_mt, order_id)
        self.assertEqual(order.state, "partially_refunded")
        credit = order.credit_note_ids
        self.assertEqual((credit.move_type, credit.state, credit.ref), ("out_refund", "posted", "RF-1"))
        self.assertAlmostEqual(credit.amount_total, 3.0)
        self.assertAlmostEqual(order.invoice_id.amount_residual, 11.0)
        self.assertEqual(order.return_picking_ids.state, "done")
        self.assertEqual(self.on_hand(self.store_b, self.cola), 9.0)
        self.assertEqual(order.line_ids.filtered(lambda line: line.product_id == self.cola).refunded_quantity, 1.0)
        agreed = self.meituan.state.received("order/refund/agree")
        self.assertEqual([(entry["params"]["order_id"], entry["signed"]) for entry in agreed], [(order_id, True)])

    def test_refund_without_the_goods_back_leaves_the_stock(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.send(self.shop_dy, "delivered", {"order_id": order_id})
        self.process()
        self.send(self.shop_dy, "refund", {"order_id": order_id, "refund_id": "RF-2",
                                           "lines": [{"sku": COLA_BARCODE, "qty": 2}, {"sku": "DY-CHIPS", "qty": 1}]})
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "refunded")
        self.assertFalse(order.return_picking_ids)
        self.assertEqual(self.on_hand(self.store_a, self.cola), 8.0)
        self.assertAlmostEqual(order.invoice_id.amount_residual, 0.0)

    def test_refund_before_delivery_reduces_the_delivery(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        self.send(self.shop_dy, "refund", {"order_id": order_id, "refund_id": "RF-3",
                                           "lines": [{"sku": "DY-CHIPS", "qty": 1}]})
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(self.available(self.store_a, self.chips), 10.0)
        self.assertEqual(self.available(self.store_a, self.cola), 8.0)
        self.send(self.shop_dy, "delivered", {"order_id": order_id})
        self.process()
        self.assertEqual(self.on_hand(self.store_a, self.chips), 10.0)
        self.assertEqual(self.on_hand(self.store_a, self.cola), 8.0)
        self.assertEqual(order.state, "delivered")

    def test_refund_of_more_than_sold_changes_nothing(self):
        _response, order_id = self.place(self.shop_dy)
        self.process()
        before = self.counts()
        self.send(self.shop_dy, "refund", {"order_id": order_id, "refund_id": "RF-4",
                                           "lines": [{"sku": COLA_BARCODE, "qty": 3}]})
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "accepted")
        self.assertFalse(order.credit_note_ids)
        self.assertEqual(self.counts()["moves"], before["moves"])
        error = self.env["retail.platform.error"].search([("order_ref", "=", order_id)])
        self.assertIn("more than the 2.0 not yet refunded", error.description)

    def test_a_meituan_order_lands_in_its_store(self):
        response, order_id = self.place(self.shop_mt)
        self.assertAnswer(response, 200, platform="meituan")
        self.process()
        order = self.order(self.shop_mt, order_id)
        self.assertEqual(order.warehouse_id, self.store_b)
        self.assertEqual(self.available(self.store_b, self.chips), 9.0)
        self.assertEqual(self.available(self.store_a, self.chips), 10.0)
        self.assertEqual(order.invoice_id.partner_id, self.partners["meituan"])
        confirmed = self.meituan.state.received("order/confirm")
        self.assertEqual([(entry["params"]["order_id"], entry["signed"]) for entry in confirmed], [(order_id, True)])

    def test_an_eleme_order_signed_the_eleme_way_is_cancelled(self):
        shop = self.eleme_shop()
        response, order_id = self.place(shop)
        self.assertEqual(json.loads(response.text), {"message": "ok"})
        self.process()
        order = self.order(shop, order_id)
        self.assertEqual(order.state, "accepted")
        # the packing fee of the "extra" group is not a line of goods
        self.assertEqual(sorted(order.line_ids.mapped("platform_sku")), sorted([COLA_BARCODE, "MT-CHIPS"]))
        self.assertAlmostEqual(order.invoice_id.amount_total, 14.0)
        self.assertEqual(self.available(self.store_b, self.chips), 9.0)
        self.assertAnswer(self.send(shop, "cancel", {"order_id": order_id}), 200, platform="eleme")
        self.process()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(self.available(self.store_b, self.chips), 10.0)

    def test_an_eleme_refund_request_after_completion(self):
        shop = self.eleme_shop()
        _response, order_id = self.place(shop)
        self.process()
        self.send(shop, "delivered", {"order_id": order_id})
        self.process()
        self.send(shop, "refund", {"order_id": order_id, "refund_id": "EL-RF-1",
                                   "lines": [{"sku": "MT-CHIPS", "qty": 1}]})
        self.process()
        order = self.order(shop, order_id)
        self.assertEqual(order.state, "partially_refunded")
        self.assertEqual((order.credit_note_ids.ref, order.credit_note_ids.amount_total), ("EL-RF-1", 8.0))
        self.assertFalse(order.return_picking_ids, "Ele.me does not say that goods came back")

    def test_an_eleme_notice_of_our_own_acceptance_is_answered_and_recorded_nowhere(self):
        shop = self.eleme_shop()
        _response, order_id = self.place(shop)
        self.process()
        before = self.counts()
        body = {"requestId": "EL-NOTICE-1", "type": 12, "appId": 1, "shopId": shop.shop_code,
                "message": json.dumps({"orderId": order_id, "state": "valid", "shopId": shop.shop_code}),
                "timestamp": self.now() * 1000, "userId": 1}
        body["signature"] = eleme_signature(body, EL_SECRET)
        response = self.url_open(self.path(shop), data=json.dumps(body), headers={"Content-Type": "application/json"})
        self.assertEqual(json.loads(response.text), {"message": "ok"})
        self.process()
        self.assertEqual(self.counts(), before)
        log = self.env["retail.platform.log"].search([("direction", "=", "in")], order="id desc", limit=1)
        self.assertEqual((log.outcome, log.http_status), ("ok", 200))

    def test_a_meituan_push_has_an_address_per_kind(self):
        _response, order_id = self.place(self.shop_mt)
        self.process()
        paths = [entry.url for entry in self.env["retail.platform.log"].search(
            [("order_ref", "=", order_id), ("direction", "=", "in")])]
        self.assertEqual(paths, [self.path(self.shop_mt) + "/new"])
        self.assertAnswer(self.send(self.shop_mt, "delivered", {"order_id": order_id}), 200, platform="meituan")
        self.process()
        self.assertEqual(self.order(self.shop_mt, order_id).state, "delivered")

    def test_a_meituan_refund_outcome_notice_books_nothing_twice(self):
        _response, order_id = self.place(self.shop_mt)
        self.process()
        self.send(self.shop_mt, "refund", {"order_id": order_id, "refund_id": "MT-RF-1",
                                           "lines": [{"sku": "MT-CHIPS", "qty": 1}]})
        self.process()
        before = self.counts()
        # Meituan then tells of the refund agreed (notify_type agree): nothing more to book
        url = self.base_url() + self.path(self.shop_mt) + "/refund"
        params = {"app_id": "mt-key", "timestamp": str(self.now()), "app_poi_code": "MT-B", "order_id": order_id,
                  "notify_type": "agree", "refund_id": "MT-RF-1",
                  "food": json.dumps([{"app_food_code": "MT-CHIPS", "count": 1}])}
        params["sig"] = meituan_signature(url, params, MT_SECRET)
        response = self.url_open(url, data=params)
        self.assertAnswer(response, 200, platform="meituan")
        self.process()
        self.assertEqual(self.counts(), before)
        self.assertEqual(len(self.order(self.shop_mt, order_id).credit_note_ids), 1)

    def test_manual_acceptance_waits_for_the_store(self):
        self.shop_dy.auto_accept = False
        _response, order_id = self.place(self.shop_dy)
        self.process()
        order = self.order(self.shop_dy, order_id)
        self.assertEqual(order.state, "new")
        self.assertFalse(order.picking_id or order.invoice_id)
        order.with_user(self.manager_a).action_reject()
        self.env["retail.platform.callback"]._send_due()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(len(self.douyin.state.received(REJECT)), 1)

    def test_a_callback_the_platform_refuses_is_retried_later(self):
        self.douyin.state.fail_next = 1
        _response, order_id = self.place(self.shop_dy)
        self.process()
        callback = self.env["retail.platform.callback"].search([("order_id.platform_order_ref", "=", order_id)])
        self.assertEqual((callback.state, callback.attempts), ("pending", 1))
        self.assertGreater(callback.next_attempt, callback.create_date)
        log = self.env["retail.platform.log"].search([("kind", "=", "callback"), ("order_ref", "=", order_id)])
        self.assertEqual((log.outcome, log.http_status), ("refused", 503))
        callback.next_attempt = callback.create_date
        self.env["retail.platform.callback"]._send_due()
        self.assertEqual((callback.state, callback.attempts), ("sent", 2))
        self.assertEqual(len(self.douyin.state.received(CONFIRM)), 2)
