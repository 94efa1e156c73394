from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestFinance(RetailMembersCase):

    def liability_balance(self):
        account = self.company.retail_points_liability_account_id
        lines = self.env["account.move.line"].search([("account_id", "=", account.id), ("parent_state", "=", "posted")])
        return round(sum(lines.mapped("credit")) - sum(lines.mapped("debit")), 2)

    def test_default_accounts_and_journal_exist(self):
        company = self.company._retail_points_accounting()
        self.assertEqual(company.retail_points_journal_id.type, "general")
        self.assertEqual(company.retail_points_liability_account_id.account_type, "liability_current")
        self.assertEqual(company.retail_points_breakage_account_id.account_type, "income_other")

    def test_points_journal_and_accounts_are_named_in_chinese_and_english(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_members"], ["zh_CN"], overwrite=True)
        other = self.env["res.company"].create({"name": "Points Test Co", "currency_id": self.company.currency_id.id})
        self.env["account.chart.template"].try_loading("generic_coa", company=other, install_demo=False)
        other = other._retail_points_accounting()
        named = [other.retail_points_journal_id, other.retail_points_liability_account_id,
                 other.retail_points_expense_account_id, other.retail_points_breakage_account_id]
        self.assertEqual([record.with_context(lang="zh_CN").name for record in named],
                         ["会员积分", "会员积分负债", "会员积分成本", "会员积分过期收益"])
        self.assertEqual([record.with_context(lang="en_US").name for record in named],
                         ["Member Points", "Member Points Liability", "Member Points Cost", "Member Points Breakage"])

    def test_liability_entries_balance_and_equal_the_ledger(self):
        Move = self.env["retail.points.move"]
        now = fields.Datetime.now()
        self.post_moves(self.member, "adjust", 1000, date=now - timedelta(days=400))
        self.sync_order(self.member, price=250.0)                       # earn 250 in store A
        self.sync_order(self.member, price=100.0, redeem=300)           # redeem 300, earn 97
        self.post_moves(self.member_b, "adjust", 500)                   # store B
        Move._cron_retail_expire_points()                               # 700 left of the old 1000 expire
        entries = Move._retail_book_liability(self.company)
        self.assertEqual(entries.mapped("state"), ["posted"] * len(entries))
        for entry in entries:
            self.assertAlmostEqual(sum(entry.line_ids.mapped("debit")), sum(entry.line_ids.mapped("credit")))
        ledger = Move.search([("company_id", "=", self.company.id)])
        ledger_value = round(sum(ledger.mapped("value")), 2)
        # 1000 + 250 - 300 + 97 + 500 - 700 = 847 points at 0.01
        self.assertAlmostEqual(ledger_value, 8.47)
        self.assertAlmostEqual(self.liability_balance(), ledger_value)
        self.assertFalse(ledger.filtered(lambda m: m.value and not m.account_move_id))
        breakage = self.env["account.move.line"].search([
            ("account_id", "=", self.company.retail_points_breakage_account_id.id), ("move_id", "in", entries.ids)])
        self.assertAlmostEqual(sum(breakage.mapped("credit")), 7.0)
        store_a_lines = entries.line_ids.filtered(
            lambda line: line.analytic_distribution == {str(self.store_a.retail_analytic_account_id.id): 100})
        self.assertTrue(store_a_lines, "lines carry the store's analytic account")
        self.assertFalse(Move._retail_book_liability(self.company), "nothing left to book")
        # the liability report agrees with the ledger and with the books
        report = self.env["retail.points.liability.report"].search([("company_id", "=", self.company.id)])
        self.assertAlmostEqual(round(sum(report.mapped("value")), 2), ledger_value)
        self.assertAlmostEqual(round(sum(report.mapped("booked_value")), 2), self.liability_balance())
        by_store = dict(self.env["retail.points.liability.report"]._read_group(
            [("company_id", "=", self.company.id)], ["retail_store_id"], ["value:sum"]))
        self.assertAlmostEqual(by_store[self.store_b], 5.0)

    def test_points_given_back_on_a_refund_are_a_liability_again(self):
        Move = self.env["retail.points.move"]
        self.post_moves(self.member, "adjust", 500)
        order = self.sync_order(self.member, price=100.0, redeem=400)   # redeem 400, earn 96
        self.sync_order(self.member, refund_of=order)                   # take back 96, give back 400
        entries = Move._retail_book_liability(self.company)
        ledger = Move.search([("company_id", "=", self.company.id)])
        self.assertAlmostEqual(round(sum(ledger.mapped("value")), 2), 5.0, msg="500 points at 0.01")
        self.assertAlmostEqual(self.liability_balance(), 5.0)
        liability = self.company.retail_points_liability_account_id
        returned = entries.line_ids.filtered(
            lambda line: line.account_id == liability and line.name == "Member points Redemption Reversal")
        self.assertEqual((sum(returned.mapped("credit")), sum(returned.mapped("debit"))), (4.0, 0.0))


@tagged("post_install", "-at_install")
class TestFinanceHome(RetailMembersCase):
    """Finance, with the accounting groups the demo gives it and no retail role."""

    def test_finance_reads_the_points_liability_of_every_store(self):
        finance = new_test_user(
            self.env, "retail_finance_home",
            groups="base.group_user,account.group_account_manager,account.group_account_user",
        )
        self.sync_order(self.member, price=100.0)
        self.env.flush_all()
        Report = self.env["retail.points.liability.report"]
        rows = Report.with_user(finance).search_read([], ["retail_store_id", "points"])
        self.assertEqual(rows, Report.search_read([], ["retail_store_id", "points"]))
        self.assertTrue(rows)
        menu = self.env.ref("retail_members.retail_points_liability_report_menu_account")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(finance)._visible_menu_ids())
