import base64
import io

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PlatformCase


@tagged("post_install", "-at_install")
class TestSettlement(PlatformCase):
    """A payout statement clears each order's receivable in one entry, the commission an expense
    of the store; a bad row stops everything and is named."""

    def setUp(self):
        super().setUp()
        self.refs = []
        for _index in range(2):
            _response, ref = self.place(self.shop_dy)
            self.refs.append(ref)
        self.process()
        self.orders = self.order(self.shop_dy, self.refs[0]) | self.order(self.shop_dy, self.refs[1])

    def statement(self, text, filename="payout.csv", content=None):
        return self.env["retail.platform.settlement"].with_user(self.finance).create({
            "name": "抖音 2026-12-01", "shop_id": self.shop_dy.id, "statement_filename": filename,
            "statement_file": base64.b64encode(content or text.encode()),
        })

    def test_csv_payout_reconciles_each_order_and_books_the_commission(self):
        payout = self.statement(f"订单号,订单金额,佣金,结算金额\n{self.refs[0]},14.00,1.40,12.60\n"
                                f"{self.refs[1]},14.00,1.40,12.60\n")
        payout.action_import()
        self.assertEqual(payout.state, "done")
        move = payout.move_id
        self.assertEqual((move.state, move.journal_id), ("posted", self.payout_journal))
        for order in self.orders:
            self.assertIn(order.invoice_id.payment_state, ("paid", "in_payment"))
            self.assertEqual(order.settlement_id, payout)
        commission = move.line_ids.filtered(lambda line: line.account_id == self.commission_account)
        self.assertAlmostEqual(commission.debit, 2.80)
        self.assertEqual(commission.analytic_distribution, {str(self.store_a.retail_analytic_account_id.id): 100})
        bank = move.line_ids.filtered(lambda line: line.account_id == self.payout_journal.default_account_id)
        self.assertAlmostEqual(bank.debit, 25.20)
        self.assertAlmostEqual(self.partners["douyin"].credit, 0.0)
        self.assertAlmostEqual(payout.net_total, 25.20)

    def test_xlsx_payout_after_a_partial_refund(self):
        import openpyxl  # noqa: PLC0415

        self.send(self.shop_dy, "refund", {"order_id": self.refs[0], "refund_id": "R-X",
                                           "lines": [{"sku": "DY-CHIPS", "qty": 1}]})
        self.process()
        book = openpyxl.Workbook()
        book.active.append(["order_id", "gross", "commission", "net"])
        book.active.append([self.refs[0], 6.00, 0.60, 5.40])
        buffer = io.BytesIO()
        book.save(buffer)
        payout = self.statement("", filename="payout.xlsx", content=buffer.getvalue())
        payout.action_import()
        order = self.orders[0]
        # the credit note and the payout together clear the invoice
        self.assertAlmostEqual(order.invoice_id.amount_residual, 0.0)
        self.assertAlmostEqual(order.credit_note_ids.amount_residual, 0.0)
        self.assertTrue(payout.move_id.line_ids.filtered(lambda line: line.name == self.refs[0]).reconciled)
        self.assertEqual(self.orders[1].invoice_id.payment_state, "not_paid")

    def test_a_bad_row_stops_the_whole_import_and_is_named(self):
        moves = self.env["account.move"].search_count([])
        payout = self.statement(f"order_id,gross,commission,net\n{self.refs[0]},14.00,1.40,12.60\n"
                                "NOT-AN-ORDER,5.00,0.50,4.50\n")
        with self.assertRaisesRegex(UserError, "Row 3: order NOT-AN-ORDER is not an order of"):
            payout.action_import()
        wrong = self.statement(f"order_id,gross,commission,net\n{self.refs[0]},14.00,1.40,12.60\n"
                               f"{self.refs[1]},15.00,1.50,13.50\n")
        with self.assertRaisesRegex(UserError, "Row 3: .* has 14.0 to receive, the statement says 15.00"):
            wrong.action_import()
        broken = self.statement(f"order_id,gross,commission,net\n{self.refs[0]},14.00,1.40,12.00\n")
        with self.assertRaisesRegex(UserError, "row 2: net 12.00 is not gross 14.00"):
            broken.action_import()
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertEqual(payout.state, "draft")
        self.assertFalse(payout.line_ids or payout.move_id)
        for order in self.orders:
            self.assertEqual(order.invoice_id.payment_state, "not_paid")
            self.assertFalse(order.settlement_id)

    def test_an_order_is_settled_once(self):
        self.statement(f"order_id,gross,commission,net\n{self.refs[0]},14.00,1.40,12.60\n").action_import()
        again = self.statement(f"order_id,gross,commission,net\n{self.refs[0]},14.00,1.40,12.60\n")
        with self.assertRaisesRegex(UserError, "Row 2: order .* was already settled"):
            again.action_import()
