from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestSessionAnalytic(RetailPosCase):

    def test_session_entry_carries_store_analytic_account(self):
        order = self.make_order([self.make_line(self.chips, 2), self.make_line(self.cola, 1)], session=self.session_b)
        self.env["pos.order"].sync_from_ui([order])
        session = self.session_b
        session.post_closing_cash_details(22.0)
        session.close_session_from_ui()
        self.assertEqual(session.state, "closed")
        income_lines = session.move_id.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertTrue(income_lines)
        account = self.store_b.retail_analytic_account_id
        self.assertTrue(account)
        for line in income_lines:
            self.assertEqual(line.analytic_distribution, {str(account.id): 100})
        self.assertAlmostEqual(sum(income_lines.mapped("credit")), 22.0)
