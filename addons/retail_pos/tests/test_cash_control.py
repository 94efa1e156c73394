from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestCashControl(RetailPosCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config_a.retail_cash_out_limit = 500.0

    def cash_out_approval(self, employee, secret, amount, session=None):
        return self.make_approval(employee, secret, False, "cash_out", "", amount, session=session)

    @staticmethod
    def extras(**values):
        return {"formattedAmount": "", "translatedType": "out", **values}

    def statement_lines(self):
        return self.session_a.statement_line_ids

    def test_cash_out_within_limit(self):
        self.session_a.try_cash_in_out("out", 200.0, "Change for the bank", False, self.extras())
        self.assertEqual(self.statement_lines().mapped("amount"), [-200.0])

    def test_cash_out_above_limit_refused_without_approval(self):
        with self.assertRaisesRegex(UserError, "cash-out of 600.0 is above the limit of 500.0 of Till A"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, self.extras())
        self.assertFalse(self.statement_lines())

    def test_cash_out_above_limit_with_manager_approval(self):
        extras = self.extras(retail_approval=self.cash_out_approval(self.employee_manager_a, self.MANAGER_A_PIN, 600.0))
        self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)
        self.assertEqual(self.statement_lines().mapped("amount"), [-600.0])
        approval = self.env["retail.pos.approval"].search([("session_id", "=", self.session_a.id)])
        self.assertEqual(approval.action, "cash_out")
        self.assertEqual(approval.approver_employee_id, self.employee_manager_a)
        self.assertEqual(approval.retail_store_id, self.store_a)
        with self.assertRaisesRegex(UserError, "already been used"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)

    def test_cash_out_approved_by_other_store_manager_refused(self):
        answer = self.request_approval(self.employee_manager_b, self.MANAGER_B_PIN, False, "cash_out", "", 600.0)
        self.assertFalse(answer["ok"])

    def test_cash_out_approval_of_another_session_refused(self):
        cashier_b = self.env["res.users"].create({
            "name": "Till B", "login": "retail_till_b_cash",
            "group_ids": [(6, 0, self.env.ref("retail_base.group_retail_staff").ids)],
            "retail_store_ids": [(6, 0, self.store_b.ids)],
        })
        approval = self.make_approval(self.employee_manager_b, self.MANAGER_B_PIN, False, "cash_out", "", 600.0,
                                      session=self.session_b, user=cashier_b)
        with self.assertRaisesRegex(UserError, "approval that this server did not give"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, self.extras(retail_approval=approval))
        self.assertFalse(self.statement_lines())

    def test_cash_out_approval_for_smaller_amount_refused(self):
        extras = self.extras(retail_approval=self.cash_out_approval(self.employee_manager_a, self.MANAGER_A_PIN, 550.0))
        with self.assertRaisesRegex(UserError, "covers a cash move of 550.0, not 600.0"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)
