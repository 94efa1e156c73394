import json

from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import new_test_user, tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestRightsHttp(RetailHttpCase, RetailPosCase):
    """The till's entry points called over real HTTP, as each role and as an attacker would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, "retail_portal", groups="base.group_portal")
        cls.sale = cls.make_order([cls.make_line(cls.cola, 2)])
        cls.env["pos.order"].sync_from_ui([cls.sale])
        cls.sale_record = cls.env["pos.order"].search([("uuid", "=", cls.sale["uuid"])])

    def orders_named(self, uuid):
        return self.env["pos.order"].search_count([("uuid", "=", uuid)])

    # -- store walls -----------------------------------------------------------------------

    def test_tills_and_sessions_of_other_stores_are_walled(self):
        tills = self.rpc("retail_till_a", "pos.config", "search_read", [], ["name"])
        self.assertIn(self.config_a.id, [till["id"] for till in tills])
        self.assertNotIn(self.config_b.id, [till["id"] for till in tills])
        self.assertRpcDenied("AccessError", "retail_till_a", "pos.config", "read", [self.config_b.id], ["name"])
        self.assertRpcDenied("AccessError", "retail_till_a", "pos.config", "open_ui", [self.config_b.id])
        sessions = self.rpc("retail_till_a", "pos.session", "search_read", [], ["name"])
        self.assertEqual({session["id"] for session in sessions}, {self.session_a.id})
        sessions = self.rpc("retail_manager_b", "pos.session", "search_read", [], ["name"])
        self.assertEqual({session["id"] for session in sessions}, {self.session_b.id})
        status, body = self.json2("retail_till_a", "pos.config", "search_read", {"domain": [], "fields": ["name"]})
        self.assertEqual(status, 200, body)
        self.assertNotIn(self.config_b.id, [till["id"] for till in body])

    def test_stores_show_their_tills_to_till_users_only(self):
        fields = ["retail_pos_config_count", "retail_pos_config_ids"]
        stores = self.rpc("retail_till_a", "stock.warehouse", "read", self.store_a.ids, fields)
        self.assertEqual((stores[0]["retail_pos_config_count"], stores[0]["retail_pos_config_ids"]),
                         (len(self.config_a), self.config_a.ids))
        self.assertRpcDenied("AccessError", "retail_portal", "stock.warehouse", "read", self.store_a.ids, fields)

    def test_orders_and_payments_of_other_stores_are_walled(self):
        for model in ("pos.order", "pos.payment", "pos.order.line"):
            self.assertEqual(self.rpc("retail_manager_b", model, "search_read", [], ["id"]), [], model)
            self.assertTrue(self.rpc("retail_manager_a", model, "search_read", [], ["id"]), model)
        self.assertRpcDenied(
            "AccessError", "retail_manager_b", "pos.order", "read", self.sale_record.ids, ["amount_total"])

    # -- the caller's context and payload relax nothing --------------------------------------

    def test_lowered_price_with_a_context_key_refused(self):
        order = self.make_order([self.make_line(self.cola, price_unit=2.10)])
        error = self.assertRpcDenied(
            "UserError", "retail_till_a", "pos.order", "sync_from_ui", [order],
            context={"retail_skip_policy_check": True},
        )
        self.assertIn("below the price list price", error.message)
        self.assertEqual(self.orders_named(order["uuid"]), 0)

    def test_approval_round_trip_and_forgery(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        args = ["discount", order["uuid"], [{"line_uuid": line["uuid"], "new_value": "25"}]]
        wrong = self.rpc("retail_till_a", "pos.session", "retail_request_approval", [self.session_a.id], *args,
                         self.employee_manager_a.id, "000000")
        self.assertFalse(wrong["ok"])
        self.assertEqual(self.env["retail.pos.approval.attempt"].search_count([("success", "=", False)]), 1)
        answer = self.rpc("retail_till_a", "pos.session", "retail_request_approval", [self.session_a.id], *args,
                          self.employee_manager_a.id, self.MANAGER_A_PIN)
        self.assertTrue(answer["ok"], answer)
        forged = dict(answer["approvals"][0], new_value="90")
        order["retail_approval_payload"] = json.dumps([forged])
        self.assertRpcDenied("UserError", "retail_till_a", "pos.order", "sync_from_ui", [order])
        self.assertEqual(self.orders_named(order["uuid"]), 0)
        order["retail_approval_payload"] = json.dumps(answer["approvals"])
        self.rpc("retail_till_a", "pos.order", "sync_from_ui", [order])
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual((saved.retail_approval_state, saved.retail_approval_ids.state), ("verified", "verified"))

    def test_approval_entry_point_refuses_other_stores_and_outsiders(self):
        args = ["discount", "uuid", [{"line_uuid": "line", "new_value": "25"}], self.employee_manager_b.id,
                self.MANAGER_B_PIN]
        self.assertRpcDenied("AccessError", "retail_till_a", "pos.session", "retail_request_approval",
                             [self.session_b.id], *args)
        self.assertRpcDenied("AccessError", "retail_portal", "pos.session", "retail_request_approval",
                             [self.session_a.id], *args)
        self.assertRpcDenied("SessionExpiredException", None, "pos.session", "retail_request_approval",
                             [self.session_a.id], *args)
        self.assertRpcDenied("AccessError", "retail_portal", "pos.order", "retail_expired_lots", [[self.milk.id, "X"]])
        self.assertFalse(self.env["retail.pos.approval.attempt"].search([]))

    # -- what was sold stays as recorded -----------------------------------------------------

    def test_paid_order_cannot_be_lowered_over_http(self):
        line = self.sale_record.lines
        payment = self.sale_record.payment_ids
        for login in ("retail_till_a", "retail_manager_a"):
            self.assertRpcDenied("AccessError", login, "pos.order.line", "write", line.ids, {"qty": 1})
            self.assertRpcDenied("AccessError", login, "pos.order.line", "write", line.ids, {"price_unit": 1})
            self.assertRpcDenied("AccessError", login, "pos.order", "write", self.sale_record.ids, {"amount_total": 1})
            self.assertRpcDenied("AccessError", login, "pos.payment", "write", payment.ids, {"amount": 1})
        self.env.invalidate_all()
        self.assertEqual((line.qty, line.price_unit, self.sale_record.amount_total, payment.amount),
                         (2.0, 10.0, 20.0, 20.0))

    # -- approvals and attempts: who reads what ----------------------------------------------

    def test_approval_records_are_walled(self):
        self.request_approval(self.employee_manager_a, "111111", "uuid", "discount", "line", 25)
        self.assertEqual(len(self.rpc("retail_manager_a", "retail.pos.approval.attempt", "search_read", [], ["id"])), 1)
        self.assertEqual(self.rpc("retail_manager_b", "retail.pos.approval.attempt", "search_read", [], ["id"]), [])
        self.assertRpcDenied("AccessError", "retail_till_a", "retail.pos.approval.attempt", "search_read", [], ["id"])
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.pos.approval.attempt", "unlink",
                             self.env["retail.pos.approval.attempt"].search([]).ids)
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.pos.approval", "create",
                             {"action": "discount", "credential": "x"})
        self.assertRpcDenied("AccessError", "retail_till_a", "hr.employee", "read",
                             self.employee_manager_a.ids, ["retail_approval_pin_hash"])

    def test_till_settings_changed_only_by_their_store(self):
        # The cashier of store A, and the manager of store B, may not change how store A's till
        # sends its orders; nothing is written.
        self.config_a.retail_sync_batch_size = 10
        self.assertRpcDenied("AccessError", "retail_till_a", "pos.config", "write", self.config_a.ids,
                             {"retail_sync_batch_size": 1})
        self.assertRpcDenied("AccessError", "retail_manager_b", "pos.config", "write", self.config_a.ids,
                             {"retail_sync_batch_size": 100})
        self.config_a.invalidate_recordset()
        self.assertEqual(self.config_a.retail_sync_batch_size, 10)
