from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .common import MarkdownCase

SESSION = "pos.session"


@tagged("post_install", "-at_install")
class TestStockRequestHttp(RetailHttpCase, MarkdownCase):
    """A cashier asks another store for a product over the till's route; the store that sends,
    or headquarters, decides. Tried by each role and with tampered input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["stock.warehouse"].create({
            "name": "Test Store C", "code": "TSC", "retail_store_type": "store", "retail_region_id": False})
        cls.env["stock.quant"]._update_available_quantity(cls.cola, cls.store_b.lot_stock_id, 12)
        cls.env["stock.quant"]._update_available_quantity(cls.cola, cls.other.lot_stock_id, 30)
        cls.env["stock.quant"]._update_available_quantity(cls.cola, cls.dc.lot_stock_id, 500)

    def requests(self):
        return self.env["retail.dispatch.proposal"].search([("retail_requested_by_id", "!=", False)])

    def test_the_cashier_sees_the_other_stores_holding_the_product_nearest_first(self):
        stores = self.rpc("retail_till_a", SESSION, "retail_stock_elsewhere", self.session_a.ids, self.cola.id)
        # store B is in store A's region, store C in none; the distribution centre is not a store
        self.assertEqual([(store["id"], store["qty"]) for store in stores],
                         [(self.store_b.id, 12.0), (self.other.id, 30.0)])
        self.assertEqual(set(stores[0]), {"id", "name", "region", "qty"})
        self.assertEqual(self.rpc("retail_till_a", SESSION, "retail_stock_elsewhere", self.session_a.ids,
                                  self.chips.id), [])

    def test_a_request_becomes_a_dispatch_line_that_the_sending_store_decides(self):
        answer = self.rpc("retail_till_a", SESSION, "retail_request_stock", self.session_a.ids,
                          self.cola.id, self.store_b.id, 3)
        request = self.requests()
        self.assertEqual(answer["proposal"], request.name)
        self.assertEqual((request.state, request.retail_requested_by_id, request.retail_request_session_id),
                         ("draft", self.pos_cashier, self.session_a))
        self.assertEqual([(line.source_id, line.destination_id, line.product_id, line.quantity, line.reason)
                          for line in request.line_ids],
                         [(self.store_b, self.store_a, self.cola, 3.0, "request")])
        # the receiving store's manager sees it but does not decide; nor does the cashier
        self.assertEqual(self.rpc("retail_manager_a", "retail.dispatch.proposal", "search_read",
                                  [("id", "=", request.id)], ["name"])[0]["name"], request.name)
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.dispatch.proposal", "action_approve",
                             request.ids)
        self.assertRpcDenied("AccessError", "retail_till_a", "retail.dispatch.proposal", "action_approve",
                             request.ids)
        self.assertRpcDenied("UserError", "retail_manager_b", "retail.dispatch.proposal", "action_plan",
                             request.ids)
        self.assertEqual(request.state, "draft")
        self.rpc("retail_manager_b", "retail.dispatch.proposal", "action_approve", request.ids)
        self.assertEqual((request.state, request.approved_by_id), ("approved", self.manager_b))
        self.assertTrue(request.picking_ids)
        self.assertEqual(set(request.picking_ids.move_ids.mapped("product_uom_qty")), {3.0})

    def test_the_sending_store_may_refuse(self):
        self.rpc("retail_till_a", SESSION, "retail_request_stock", self.session_a.ids, self.cola.id, self.store_b.id, 2)
        self.rpc("retail_manager_b", "retail.dispatch.proposal", "action_cancel", self.requests().ids)
        self.assertEqual(self.requests().state, "cancel")

    def test_bad_requests_are_refused_and_write_nothing(self):
        bad = [
            ((self.cola.id, self.store_b.id, 13), "UserError", "at most 12"),
            ((self.cola.id, self.store_b.id, 0), "UserError", "positive"),
            ((self.cola.id, self.store_b.id, -2), "UserError", "positive"),
            ((self.cola.id, self.store_b.id, "nan"), "UserError", "positive"),
            ((self.cola.id, self.store_b.id, 1.5), "UserError", "whole units"),
            ((self.cola.id, self.store_a.id, 1), "UserError", "no 可口可乐 to send"),
            ((self.cola.id, self.dc.id, 1), "UserError", "no 可口可乐 to send"),
            ((self.chips.id, self.store_b.id, 1), "UserError", "no Crisps to send"),
            ((999999, self.store_b.id, 1), "UserError", "stocked product"),
            (("1", self.store_b.id, 1), "UserError", "stocked product"),
        ]
        for args, error_name, message in bad:
            error = self.assertRpcDenied(error_name, "retail_till_a", SESSION, "retail_request_stock",
                                         self.session_a.ids, *args, context={"retail_skip_policy_check": True})
            self.assertIn(message, error.message, args)
        # a till of another store, and a user who is no cashier
        self.assertRpcDenied("AccessError", "retail_till_a", SESSION, "retail_request_stock",
                             self.session_b.ids, self.cola.id, self.store_a.id, 1)
        self.assertRpcDenied("AccessError", "retail_manager_b", SESSION, "retail_stock_elsewhere",
                             self.session_a.ids, self.cola.id)
        self.assertFalse(self.requests())

    def test_one_open_request_per_product_and_store(self):
        self.rpc("retail_till_a", SESSION, "retail_request_stock", self.session_a.ids, self.cola.id, self.store_b.id, 2)
        error = self.assertRpcDenied("UserError", "retail_till_a", SESSION, "retail_request_stock",
                                     self.session_a.ids, self.cola.id, self.store_b.id, 2)
        self.assertIn("already been asked", error.message)
        self.assertEqual(len(self.requests()), 1)

    def test_request_fields_are_not_written_directly(self):
        self.rpc("retail_till_a", SESSION, "retail_request_stock", self.session_a.ids, self.cola.id, self.store_b.id, 2)
        self.assertRpcDenied("AccessError", "retail_hq", "retail.dispatch.proposal", "write", self.requests().ids,
                             {"retail_requested_by_id": self.hq_user.id})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.dispatch.proposal", "create",
                             {"retail_requested_by_id": self.manager_b.id})
