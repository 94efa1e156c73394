import datetime
import io
import re

import lxml.html
import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RetailAnalyticsCase, pdf_text


@tagged("post_install", "-at_install")
class TestClosePack(RetailAnalyticsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        day, previous = cls.day, cls.day - datetime.timedelta(days=1)
        next_day = cls.day + datetime.timedelta(days=1)
        cls.sell(cls.session_a, cls.cashier_a, cls.at(day, 9), [(cls.milk, 2, 5.0, 0), (cls.bread, 1, 4.0, 10)])
        cls.sell(cls.session_a, cls.cashier_a2, cls.at(day, 10), [(cls.milk, 1, 5.0, 0), (cls.yoghurt, 3, 2.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(day, 11), [(cls.milk, -1, 5.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a2, cls.at(day, 12), [(cls.bread, 1, 4.0, 0)], state="cancel")
        cls.sell(cls.session_a, cls.cashier_a, datetime.datetime.combine(day, datetime.time(23, 30)),
                 [(cls.milk, 1, 5.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(previous), [(cls.milk, 4, 5.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, datetime.datetime.combine(next_day, datetime.time(0, 30)),
                 [(cls.milk, 7, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(day), [(cls.cheese, 1, 10.0, 0)])
        cls.close_session(cls.store_a, cls.cashier_a, cls.at(day, 22), counted=7.5)
        cls.close_session(cls.store_b, cls.manager_b, cls.at(day, 22), counted=100.0, start=100.0)
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.bread, cls.store_a.lot_stock_id, 10)
        Lot = cls.env["stock.lot"]
        cls.lot_soon = Lot.create({"name": "CH-SOON", "product_id": cls.cheese.id,
                                   "expiration_date": cls.at(day + datetime.timedelta(days=3))})
        cls.lot_late = Lot.create({"name": "CH-LATE", "product_id": cls.cheese.id,
                                   "expiration_date": cls.at(day + datetime.timedelta(days=30))})
        Quant._update_available_quantity(cls.cheese, cls.store_b.lot_stock_id, 5, lot_id=cls.lot_soon)
        Quant._update_available_quantity(cls.cheese, cls.store_b.lot_stock_id, 5, lot_id=cls.lot_late)
        cls.packs = cls.env["retail.close.pack"]._build_packs(cls.day)
        cls.pack_a = cls.packs.filtered(lambda p: p.retail_store_id == cls.store_a)
        cls.pack_b = cls.packs.filtered(lambda p: p.retail_store_id == cls.store_b)
        cls.chain = cls.packs.filtered("is_chain")

    def independent_figures(self, store):
        """The day's figures straight from the order tables, written apart from the addon."""
        self.env.cr.execute("""
            SELECT SUM(l.price_subtotal), COUNT(DISTINCT o.id), SUM(l.qty), SUM(l.total_cost),
                   SUM(l.qty * l.price_unit * l.discount / 100),
                   -SUM(l.price_subtotal) FILTER (WHERE l.qty < 0),
                   COUNT(DISTINCT o.id) FILTER (WHERE l.qty < 0)
              FROM pos_order o
              JOIN pos_order_line l ON l.order_id = o.id
              JOIN pos_config c ON c.id = o.config_id
             WHERE c.warehouse_id = %s AND o.state IN ('paid', 'done')
               AND o.date_order >= %s AND o.date_order < %s
        """, [store.id, self.day, self.day + datetime.timedelta(days=1)])
        sales, tickets, units, cost, discount, refund, refunds = self.env.cr.fetchone()
        self.env.cr.execute("""
            SELECT COUNT(*) FROM pos_order o JOIN pos_config c ON c.id = o.config_id
             WHERE c.warehouse_id = %s AND o.state = 'cancel' AND o.date_order::date = %s
        """, [store.id, self.day])
        voids = self.env.cr.fetchone()[0]
        return {
            "sales_amount": sales, "ticket_count": tickets, "units": units, "cost_amount": cost,
            "margin_amount": sales - cost, "discount_amount": discount, "refund_amount": refund or 0.0,
            "refund_count": refunds, "void_count": voids,
        }

    def test_pack_figures_equal_independent_sql(self):
        for pack in (self.pack_a, self.pack_b):
            for name, expected in self.independent_figures(pack.retail_store_id).items():
                self.assertAlmostEqual(pack[name], expected, places=2, msg=f"{pack.name}: {name}")

    def test_pack_figures_by_hand(self):
        pack = self.pack_a
        self.assertAlmostEqual(pack.sales_amount, 24.6)
        self.assertEqual(pack.ticket_count, 4)
        self.assertAlmostEqual(pack.units, 7.0)
        self.assertAlmostEqual(pack.margin_amount, 10.6)
        self.assertAlmostEqual(pack.discount_amount, 0.4)
        self.assertAlmostEqual(pack.refund_amount, 5.0)
        self.assertEqual(pack.refund_count, 1)
        self.assertEqual(pack.void_count, 1)
        self.assertAlmostEqual(pack.average_basket, 6.15)
        self.assertAlmostEqual(pack.units_per_basket, 1.75)

    def test_cash_variance_equals_the_point_of_sale_computation(self):
        sessions = self.env["pos.session"].search(
            [("state", "=", "closed"), ("config_id.warehouse_id", "=", self.store_a.id)])
        self.assertAlmostEqual(self.pack_a.cash_variance, sum(sessions.mapped("cash_register_difference")))
        self.assertAlmostEqual(self.pack_a.cash_variance, 7.5)
        self.assertEqual(self.pack_a.session_count, 1)
        self.assertAlmostEqual(self.pack_b.cash_variance, 0.0)

    def test_cashier_lines(self):
        lines = {line.user_id: line for line in self.pack_a.cashier_line_ids}
        self.assertEqual(set(lines), {self.cashier_a, self.cashier_a2})
        self.assertAlmostEqual(lines[self.cashier_a].amount, 13.6)
        self.assertEqual(lines[self.cashier_a].refund_count, 1)
        self.assertEqual(lines[self.cashier_a].void_count, 0)
        self.assertAlmostEqual(lines[self.cashier_a].discount_amount, 0.4)
        self.assertEqual(lines[self.cashier_a2].void_count, 1)
        self.assertEqual(lines[self.cashier_a2].ticket_count, 1)

    def test_top_and_bottom_products(self):
        self.assertEqual(self.pack_a.top_line_ids.sorted("sequence").product_id,
                         self.milk | self.yoghurt | self.bread)
        self.assertEqual(self.pack_a.bottom_line_ids.sorted("sequence")[:1].product_id, self.bread)

    def test_stockouts_and_near_expiry(self):
        self.assertEqual(set(self.pack_a.stockout_line_ids.product_id.ids), {self.milk.id, self.yoghurt.id})
        self.assertEqual(self.pack_a.stockout_count, 2)
        self.assertEqual(self.pack_b.expiry_line_ids.lot_id, self.lot_soon)
        self.assertEqual(self.pack_b.expiry_line_ids.quantity, 5)
        self.assertEqual(self.pack_b.near_expiry_count, 1)
        self.assertFalse(self.pack_a.expiry_line_ids)

    def test_the_pack_report_shows_amounts_and_quantities_as_such(self):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "retail_analytics.action_report_retail_close_pack", self.pack_a.ids)[0].decode()
        cells = [" ".join(cell.text_content().split()) for cell in lxml.html.fromstring(html).iter("td")]
        currency = self.pack_a.currency_id

        def money(text):
            return f"{currency.symbol} {text}" if currency.position == "before" else f"{text} {currency.symbol}"

        for amount in ("24.60", "6.15", "7.50", "0.40"):
            self.assertIn(money(amount), cells)
        self.assertIn(f"{money('10.60')} (43.1%)", cells)        # gross margin and its rate
        self.assertIn(f"{money('5.00')} (1)", cells)             # refunds and their tickets
        self.assertIn("7.00", cells)                              # units
        self.assertIn("1.75", cells)                              # units per basket
        quantities = [f"{line.quantity:.2f}" for line in self.pack_a.top_line_ids]
        self.assertTrue(quantities)
        for quantity in quantities:
            self.assertIn(quantity, cells)
        self.assertFalse([cell for cell in cells if re.fullmatch(r"\S*\s?-?\d+\.\d(\s\S*)?", cell)],
                         "no amount or quantity shows a single decimal")

    def test_chain_roll_up_sums_the_stores(self):
        self.assertEqual(len(self.chain), 1)
        self.assertAlmostEqual(self.chain.sales_amount, self.pack_a.sales_amount + self.pack_b.sales_amount)
        self.assertEqual(self.chain.ticket_count, 5)
        self.assertEqual(set(self.chain.store_line_ids.store_id.ids), {self.store_a.id, self.store_b.id})

    def test_the_chain_pack_is_named_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_analytics"], ["zh_CN"], overwrite=True)
        company, day = self.chain.company_id.name, self.chain.date
        self.assertEqual(self.chain.with_context(lang="en_US").name, f"Chain {company} {day}")
        self.assertEqual(self.chain.with_context(lang="zh_CN").name, f"连锁 {company} {day}")
        self.assertEqual(self.env["retail.close.pack"].search([("name", "ilike", self.store_a.name)]), self.pack_a)

    def test_rebuild_replaces_lines_and_keeps_one_pack(self):
        count = len(self.pack_a.line_ids)
        self.pack_a.with_user(self.manager_a).action_rebuild()
        self.assertEqual(len(self.pack_a.line_ids), count)
        self.assertEqual(self.env["retail.close.pack"].search_count(
            [("date", "=", self.day), ("retail_store_id", "=", self.store_a.id)]), 1)

    def test_store_manager_sees_only_own_pack(self):
        Pack = self.env["retail.close.pack"].with_user(self.manager_a)
        self.assertEqual(Pack.search([("date", "=", self.day)]), self.pack_a)
        with self.assertRaises(AccessError):
            self.pack_b.with_user(self.manager_a).read(["sales_amount"])
        with self.assertRaises(AccessError):
            self.chain.with_user(self.manager_a).read(["sales_amount"])
        with self.assertRaises(AccessError):
            self.pack_a.with_user(self.cashier_a).read(["sales_amount"])
        with self.assertRaises(AccessError):
            self.pack_b.with_user(self.manager_a).action_rebuild()
        lines = self.env["retail.close.pack.line"].with_user(self.manager_a).search([])
        self.assertEqual(lines.pack_id, self.pack_a)
        self.assertEqual(lines, self.pack_a.line_ids)

    def test_only_hq_builds_every_store(self):
        with self.assertRaises(AccessError):
            self.env["retail.close.pack.build.wizard"].with_user(self.manager_a).create({"date": self.day})
        wizard = self.env["retail.close.pack.build.wizard"].with_user(self.hq_user).create(
            {"date": self.day, "scan_anomalies": False})
        action = wizard.action_build()
        self.assertEqual(len(action["domain"][0][2]), 3)

    def test_delivery_mails_the_right_managers_only(self):
        with self.allow_pdf_render():
            self.packs.with_context(force_report_rendering=True)._send_packs()
        Mail = self.env["mail.mail"]
        mails_a = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.pack_a.id)])
        self.assertEqual(len(mails_a), 1)
        self.assertEqual(mails_a.recipient_ids, self.manager_a.partner_id)
        self.assertEqual(len(mails_a.attachment_ids), 2)
        pdf = mails_a.attachment_ids.filtered(lambda attachment: attachment.name.endswith(".pdf"))
        text = pdf_text(pdf.raw)
        self.assertIn(self.pack_a.name, text)
        for figure in ("24.60", "10.60", "6.15", "7.50", self.cashier_a2.name, self.milk.display_name):
            self.assertIn(figure, text)
        self.assertNotIn(self.store_b.name, text)
        chain_pdf = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.chain.id)]).attachment_ids
        chain_text = pdf_text(chain_pdf.filtered(lambda attachment: attachment.name.endswith(".pdf")).raw)
        self.assertIn(self.store_a.name, chain_text)
        self.assertIn(self.store_b.name, chain_text)
        self.assertIn(f"{self.chain.sales_amount:.2f}", chain_text)
        mails_b = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.pack_b.id)])
        self.assertEqual(mails_b.recipient_ids, self.manager_b.partner_id)
        chain_mail = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.chain.id)])
        self.assertIn(self.hq_user.partner_id, chain_mail.recipient_ids)
        self.assertNotIn(self.manager_a.partner_id, chain_mail.recipient_ids)
        self.assertEqual(set(self.packs.mapped("state")), {"sent"})
        # sending again does nothing unless asked
        self.packs._send_packs()
        self.assertEqual(Mail.search_count([("model", "=", "retail.close.pack"), ("res_id", "in", self.packs.ids)]), 3)

    def spreadsheet_of(self, pack):
        mail = self.env["mail.mail"].search([("model", "=", "retail.close.pack"), ("res_id", "=", pack.id)])
        attachment = mail.attachment_ids.filtered(lambda attachment: attachment.name.endswith(".xlsx"))
        self.assertEqual(attachment.name, f"Close Pack - {pack.name}.xlsx")
        self.assertEqual(attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return openpyxl.load_workbook(io.BytesIO(attachment.raw))

    def test_delivery_attaches_a_spreadsheet_with_the_packs_figures(self):
        self.packs._send_packs()
        book = self.spreadsheet_of(self.pack_a)
        self.assertEqual(book.sheetnames, ["Summary", "Cashiers", "Top Products", "Bottom Products", "Stockouts",
                                           "Near Expiry", "Anomalies"])
        summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(summary["Date"].date(), self.day)
        for name in ("sales_amount", "margin_amount", "ticket_count", "units", "discount_amount",
                     "refund_amount", "refund_count", "void_count", "cash_variance", "stockout_count"):
            self.assertAlmostEqual(summary[self.pack_a._fields[name].string], self.pack_a[name], msg=name)
        *cashiers, total = book["Cashiers"].iter_rows(min_row=2, values_only=True)
        self.assertEqual([row[0] for row in cashiers], [self.cashier_a.name, self.cashier_a2.name])
        # Total, sales, margin, tickets, discounts, refunds, refund tickets, voids
        self.assertEqual(total[0], "Total")
        self.assertAlmostEqual(total[1], self.pack_a.sales_amount)
        self.assertAlmostEqual(sum(row[1] for row in cashiers), self.pack_a.sales_amount)
        self.assertAlmostEqual(total[2], self.pack_a.margin_amount)
        self.assertEqual(total[3:], (self.pack_a.ticket_count, self.pack_a.discount_amount,
                                     self.pack_a.refund_amount, self.pack_a.refund_count, self.pack_a.void_count))
        stockouts = [row[0] for row in book["Stockouts"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(set(stockouts), {self.milk.display_name, self.yoghurt.display_name})

    def test_chain_spreadsheet_lists_the_stores_with_the_chain_totals(self):
        self.chain._send_packs()
        book = self.spreadsheet_of(self.chain)
        self.assertEqual(book.sheetnames, ["Summary", "Stores", "Anomalies"])
        *stores, total = book["Stores"].iter_rows(min_row=2, values_only=True)
        self.assertEqual([row[0] for row in stores], [self.store_a.name, self.store_b.name])
        self.assertAlmostEqual(total[1], self.chain.sales_amount)
        self.assertEqual(total[3], self.chain.ticket_count)
        self.assertAlmostEqual(total[-1], self.chain.cash_variance)

    def test_spreadsheet_speaks_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_analytics"], ["zh_CN"], overwrite=True)
        self.manager_b.lang = "zh_CN"
        self.pack_b._send_packs()
        book = self.spreadsheet_of(self.pack_b)
        self.assertEqual(book.sheetnames[:2], ["摘要", "收银员"])
        summary = dict(book["摘要"].iter_rows(min_row=2, values_only=True))
        self.assertAlmostEqual(summary["销售额"], self.pack_b.sales_amount)

    def test_delivery_speaks_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_analytics"], ["zh_CN"], overwrite=True)
        self.manager_b.lang = "zh_CN"
        (self.pack_a | self.pack_b)._send_packs()
        Mail = self.env["mail.mail"]
        mail_b = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.pack_b.id)])
        self.assertIn("日结报告", mail_b.subject)
        self.assertIn("客单价", str(mail_b.body_html))
        mail_a = Mail.search([("model", "=", "retail.close.pack"), ("res_id", "=", self.pack_a.id)])
        self.assertIn("Close pack", mail_a.subject)
        self.assertIn("Average basket", str(mail_a.body_html))
