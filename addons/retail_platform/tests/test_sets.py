from odoo.tests import tagged

from .common import COLA_BARCODE, PlatformCase

CONFIRM = "/goodlife/v1/trade/buy/merchant_confirm_order/"


@tagged("post_install", "-at_install")
class TestOrdersWorkedInSets(PlatformCase):
    """The cron works the new orders it finds together; one that cannot be made holds back no other."""

    def messages(self, order_ids):
        return self.env["retail.platform.message"].search([("order_ref", "in", order_ids)])

    def test_new_orders_are_made_together_each_with_its_own_picking_and_invoice(self):
        one_cola = [(COLA_BARCODE, 1, 3.0)]
        self.place(self.shop_dy, lines=one_cola)
        self.process()  # warm the caches
        _response, alone = self.place(self.shop_dy, lines=one_cola)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["retail.platform.message"]._process_pending()
        one_order = self.env.cr.sql_log_count - before
        order_ids = [self.place(self.shop_dy, lines=one_cola)[1] for _index in range(5)]
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["retail.platform.message"]._process_pending()
        five_orders = self.env.cr.sql_log_count - before
        self.assertLess(five_orders, 3 * one_order, f"five orders made together ({five_orders} queries) cost less "
                        f"than three made alone ({one_order} each)")
        orders = self.env["retail.platform.order"].browse(
            [self.order(self.shop_dy, order_id).id for order_id in order_ids])
        self.assertEqual(orders.mapped("state"), ["accepted"] * 5)
        self.assertEqual(len(orders.picking_id), 5)
        self.assertEqual(orders.picking_id.mapped("state"), ["assigned"] * 5)
        self.assertEqual(orders.mapped("picking_id.origin"), orders.mapped("name"))
        invoices = orders.mapped("invoice_id")
        self.assertEqual(len(invoices), 5)
        self.assertEqual(invoices.mapped("state"), ["posted"] * 5)
        self.assertEqual(invoices.mapped("ref"), order_ids, "each invoice is its order's")
        self.assertEqual(invoices.mapped("name"), sorted(invoices.mapped("name")),
                         "the invoices are numbered in the order the platform sent the orders")
        self.assertEqual(self.available(self.store_a, self.cola), 3.0, "seven colas reserved")
        self.assertEqual(set(self.messages(order_ids).mapped("state")), {"done"})
        self.process()
        confirmed = [entry["body"]["order_id"] for entry in self.douyin.state.received(CONFIRM)]
        self.assertEqual(sorted(confirmed[-5:]), sorted(order_ids), "each order's acceptance goes back once")
        self.assertEqual(len(confirmed), 7)
        self.assertNotIn(alone, order_ids)

    def test_a_set_where_one_order_fails_is_worked_again_order_by_order(self):
        # store B's platform invoices were pointed at a purchase journal: its orders cannot be booked
        purchases = self.env["account.journal"].create({"name": "Purchases B", "code": "PURB", "type": "purchase"})
        self.shop_mt.sale_journal_id = purchases
        before = self.counts()
        first = self.place(self.shop_dy)[1]
        broken = self.place(self.shop_mt)[1]
        second = self.place(self.shop_dy)[1]
        self.process()
        for order_id in (first, second):
            order = self.order(self.shop_dy, order_id)
            self.assertEqual(order.state, "accepted")
            self.assertEqual(order.picking_id.state, "assigned")
            self.assertEqual(order.invoice_id.state, "posted")
        self.assertEqual(self.available(self.store_a, self.cola), 6.0)
        self.assertFalse(self.order(self.shop_mt, broken), "nothing of the failing order is written")
        self.assertEqual(self.available(self.store_b, self.cola), 10.0)
        self.assertEqual(self.counts(), {**before, "orders": before["orders"] + 2, "messages": before["messages"] + 3,
                                         "pickings": before["pickings"] + 2, "moves": before["moves"] + 2})
        messages = self.messages([first, broken, second])
        self.assertEqual({message.order_ref: message.state for message in messages},
                         {first: "done", broken: "error", second: "done"})
        failed = messages.filtered(lambda message: message.order_ref == broken)
        self.assertIn("sale journal", failed.note)
        errors = self.env["retail.platform.error"].search([("message_id", "in", messages.ids)])
        self.assertEqual(errors.message_id, failed, "only the failing order is in the error queue")
        self.assertEqual(errors.state, "new")
        self.assertEqual([entry["body"]["order_id"] for entry in self.douyin.state.received(CONFIRM)], [first, second])
        self.assertFalse(self.meituan.state.received(), "nothing is confirmed of the failing order")
