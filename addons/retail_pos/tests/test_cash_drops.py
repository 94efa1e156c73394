from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestCashDrops(RetailPosCase):
    """Cash moved from the drawer to the safe: recorded per session and cashier, not a cash-out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.config_a | cls.config_b).retail_cash_out_limit = 500.0
        cls.pos_cashier_b = new_test_user(
            cls.env, "retail_till_b", groups="retail_base.group_retail_staff,account.group_account_invoice",
        )
        cls.pos_cashier_b.retail_store_ids = cls.store_b
        cls.finance = new_test_user(cls.env, "retail_finance", groups="base.group_user,account.group_account_readonly")
        cls.employee_cashier_b = cls.env["hr.employee"].create({"name": "Cashier B", "user_id": cls.pos_cashier_b.id})

    def drop(self, amount, session=None, user=None, employee=None, **extras):
        session = session or self.session_a
        employee = self.employee_cashier_a if employee is None else employee
        extras = {"formattedAmount": "", "translatedType": "out", "retail_cash_drop": True,
                  "employee_id": employee.id, **extras}
        user = user or self.pos_cashier
        session.with_user(user).try_cash_in_out("out", amount, "Safe bag 17", user.partner_id.id, extras)
        return self.env["retail.pos.cash.drop"].search([("session_id", "=", session.id)], limit=1)

    def witness(self, employee, secret, amount, session=None):
        return self.make_approval(employee, secret, False, "cash_drop", "", amount, session=session)

    def assert_nothing_written(self):
        self.assertFalse(self.session_a.statement_line_ids)
        self.assertFalse(self.env["retail.pos.cash.drop"].search([("session_id", "=", self.session_a.id)]))
        self.assertFalse(self.env["retail.pos.approval"].search([("session_id", "=", self.session_a.id)]))

    def test_drop_above_cash_out_limit_recorded_without_approval(self):
        drop = self.drop(800.0)
        self.assertEqual(self.session_a.statement_line_ids.mapped("amount"), [-800.0])
        self.assertEqual(
            (drop.amount, drop.retail_store_id, drop.cashier_employee_id, drop.cashier_user_id, drop.reason),
            (800.0, self.store_a, self.employee_cashier_a, self.pos_cashier, "Safe bag 17"),
        )
        self.assertEqual(drop.statement_line_id, self.session_a.statement_line_ids)
        self.assertFalse(drop.approver_employee_id)
        self.assertTrue(drop.dropped_at)

    def test_expected_cash_deducts_the_drops(self):
        sale = self.make_order([self.make_line(self.cola, 100)])
        self.env["pos.order"].sync_from_ui([sale])
        self.drop(600.0)
        self.session_a.try_cash_in_out("out", 50.0, "Window cleaner", False,
                                       {"formattedAmount": "", "translatedType": "out"})
        self.assertEqual(self.session_a.retail_cash_drop_amount, 600.0)
        self.assertEqual(self.session_a.retail_cash_drop_count, 1)
        self.assertEqual(self.session_a.cash_register_balance_end, 350.0)

    def test_negative_drop_refused(self):
        with self.assertRaisesRegex(UserError, "A cash drop must be a positive amount."):
            self.drop(-50.0)
        self.assert_nothing_written()

    def test_drop_by_employee_not_working_on_the_till_refused(self):
        self.config_a.basic_employee_ids = self.employee_cashier_a
        with self.assertRaisesRegex(UserError, "The cashier of this cash drop does not work on the till Till A"):
            self.drop(100.0, employee=self.employee_cashier_b)
        self.assert_nothing_written()

    def test_witnessed_drop_refused_without_manager(self):
        self.config_a.retail_cash_drop_witness = True
        with self.assertRaisesRegex(UserError, "A cash drop on Till A must be witnessed by a store manager"):
            self.drop(300.0)
        self.assert_nothing_written()

    def test_witnessed_drop_records_the_manager(self):
        self.config_a.retail_cash_drop_witness = True
        drop = self.drop(300.0, retail_approval=self.witness(self.employee_manager_a, self.MANAGER_A_PIN, 300.0))
        self.assertEqual(drop.approver_employee_id, self.employee_manager_a)
        self.assertEqual((drop.approval_id.action, drop.approval_id.new_value), ("cash_drop", "300.0"))
        self.assertEqual(drop.approval_id.retail_store_id, self.store_a)

    def test_manager_cannot_witness_own_drop(self):
        self.config_a.retail_cash_drop_witness = True
        with self.assertRaisesRegex(UserError, "Manager A cannot witness their own cash drop"):
            self.drop(300.0, employee=self.employee_manager_a,
                      retail_approval=self.witness(self.employee_manager_a, self.MANAGER_A_PIN, 300.0))
        self.assert_nothing_written()

    def test_other_store_manager_cannot_witness(self):
        self.config_a.retail_cash_drop_witness = True
        answer = self.request_approval(self.employee_manager_b, self.MANAGER_B_PIN, False, "cash_drop", "", 300.0)
        self.assertFalse(answer["ok"])
        self.assert_nothing_written()

    def test_store_staff_see_only_their_stores_drops(self):
        own = self.drop(100.0)
        other = self.drop(200.0, session=self.session_b, user=self.pos_cashier_b, employee=self.employee_cashier_b)
        Drop = self.env["retail.pos.cash.drop"]
        self.assertEqual(Drop.with_user(self.pos_cashier).search([]), own)
        self.assertEqual(Drop.with_user(self.manager_b).search([]), other)
        with self.assertRaises(AccessError):
            other.with_user(self.pos_cashier).read(["amount"])
        self.assertEqual(Drop.with_user(self.finance).search([]), own | other)
        self.assertEqual(Drop.with_user(self.hq_user).search([]), own | other)

    def test_manager_sees_the_drop_witness_approval(self):
        self.config_a.retail_cash_drop_witness = True
        drop = self.drop(300.0, retail_approval=self.witness(self.employee_manager_a, self.MANAGER_A_PIN, 300.0))
        approvals = self.env["retail.pos.approval"].with_user(self.manager_a).search([("action", "=", "cash_drop")])
        self.assertEqual(approvals, drop.approval_id)

    def test_cashier_cannot_write_drops(self):
        drop = self.drop(100.0)
        with self.assertRaises(AccessError):
            drop.with_user(self.pos_cashier).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            self.env["retail.pos.cash.drop"].with_user(self.pos_cashier).create({
                "session_id": self.session_a.id, "cashier_user_id": self.pos_cashier.id, "amount": 5.0,
                "retail_store_id": self.store_a.id,
            })
        self.assertEqual(drop.amount, 100.0)

    def test_deleting_the_cash_move_removes_the_drop(self):
        drop = self.drop(100.0)
        accountant = new_test_user(
            self.env, "retail_till_accountant", groups="retail_base.group_retail_staff,account.group_account_basic",
            company_ids=[Command.set(self.env.company.ids)],
        )
        accountant.retail_store_ids = self.store_a
        self.session_a.with_user(accountant).delete_cash_in_out(drop.statement_line_id.id, False)
        self.assertFalse(drop.exists())
        self.assertEqual(self.session_a.retail_cash_drop_amount, 0.0)
