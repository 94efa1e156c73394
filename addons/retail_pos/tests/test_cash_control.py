from uuid import uuid4

from odoo.addons.retail_pos.tools.credential import approval_credential
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestCashControl(RetailPosCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config_a.retail_cash_out_limit = 500.0

    def cash_out_approval(self, employee, secret, amount):
        nonce = str(uuid4())
        return {
            "employee_id": employee.id, "line_uuid": nonce, "new_value": str(amount),
            "credential": approval_credential(
                secret, f"session-{self.session_a.id}", "cash_out", nonce, str(amount), employee.id,
            ),
        }

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
        extras = self.extras(retail_approval=self.cash_out_approval(self.employee_manager_a, "2580", 600.0))
        self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)
        self.assertEqual(self.statement_lines().mapped("amount"), [-600.0])
        approval = self.env["retail.pos.approval"].search([("session_id", "=", self.session_a.id)])
        self.assertEqual(approval.action, "cash_out")
        self.assertEqual(approval.approver_employee_id, self.employee_manager_a)
        self.assertEqual(approval.retail_store_id, self.store_a)
        with self.assertRaisesRegex(UserError, "already been used"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)

    def test_cash_out_approved_by_other_store_manager_refused(self):
        extras = self.extras(retail_approval=self.cash_out_approval(self.employee_manager_b, "3690", 600.0))
        with self.assertRaisesRegex(UserError, "Manager B is not a manager of the store Test Store A"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)
        self.assertFalse(self.statement_lines())

    def test_cash_out_approval_for_smaller_amount_refused(self):
        extras = self.extras(retail_approval=self.cash_out_approval(self.employee_manager_a, "2580", 550.0))
        with self.assertRaisesRegex(UserError, "covers a cash move of 550.0, not 600.0"):
            self.session_a.try_cash_in_out("out", 600.0, "Bank deposit", False, extras)
