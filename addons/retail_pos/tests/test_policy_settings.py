from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestRetailPolicySettings(RetailPosCase):

    def test_cashier_cannot_change_policy(self):
        with self.assertRaises(AccessError):
            self.config_a.with_user(self.cashier_a).write({"retail_max_line_discount": 90.0})
        self.assertEqual(self.config_a.retail_max_line_discount, 10.0)

    def test_cashier_can_read_policy(self):
        self.assertFalse(self.config_a.with_user(self.cashier_a).retail_price_override_allowed)

    def test_manager_of_other_store_cannot_change_policy(self):
        with self.assertRaises(AccessError):
            self.config_a.with_user(self.manager_b).write({"retail_scan_first": True})

    def test_store_manager_changes_own_store_policy(self):
        self.config_a.with_user(self.manager_a).write({"retail_max_line_discount": 12.0})
        self.assertEqual(self.config_a.retail_max_line_discount, 12.0)

    def test_settings_write_through_to_till(self):
        settings = self.env["res.config.settings"].create({
            "pos_config_id": self.config_b.id,
            "pos_retail_scan_first": True,
            "pos_retail_blind_closing": True,
            "pos_retail_max_line_discount": 5.0,
        })
        settings.execute()
        self.assertTrue(self.config_b.retail_scan_first)
        self.assertTrue(self.config_b.retail_blind_closing)
        self.assertEqual(self.config_b.retail_max_line_discount, 5.0)

    def test_approvals_are_store_scoped(self):
        order = self.env["pos.order"].sync_from_ui([self.make_order([self.make_line(self.chips)])])
        order = self.env["pos.order"].browse(order["pos.order"][0]["id"])
        approval = self.env["retail.pos.approval"].sudo().create({
            "order_id": order.id, "retail_store_id": self.store_a.id, "action": "manual_entry",
            "approver_employee_id": self.employee_manager_a.id, "credential": "x" * 40,
        })
        Approval = self.env["retail.pos.approval"]
        self.assertIn(approval, Approval.with_user(self.manager_a).search([]))
        self.assertNotIn(approval, Approval.with_user(self.manager_b).search([]))
        self.assertIn(approval, Approval.with_user(self.hq_user).search([]))
        with self.assertRaises(AccessError):
            approval.with_user(self.manager_a).write({"new_value": "99"})

    def test_orders_and_sessions_are_store_scoped(self):
        result = self.env["pos.order"].sync_from_ui([self.make_order([self.make_line(self.chips)])])
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        Order = self.env["pos.order"]
        self.assertIn(order, Order.with_user(self.manager_a).search([]))
        self.assertNotIn(order, Order.with_user(self.manager_b).search([]))
        Session = self.env["pos.session"]
        self.assertIn(self.session_b, Session.with_user(self.manager_b).search([]))
        self.assertNotIn(self.session_a, Session.with_user(self.manager_b).search([]))
        self.assertIn(self.session_a, Session.with_user(self.hq_user).search([]))
