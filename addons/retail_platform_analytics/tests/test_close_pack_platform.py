import datetime

import lxml.html

from odoo.tests import tagged

from .common import STORE_A, STORE_B, PlatformAnalyticsCase

PACK_REPORT = "retail_analytics.action_report_retail_close_pack"


@tagged("post_install", "-at_install")
class TestClosePackPlatform(PlatformAnalyticsCase):

    def test_platform_figures_of_each_store_by_hand(self):
        pack_a, pack_b, _chain = self.build()
        self.assertFigures(pack_a, STORE_A)
        self.assertFigures(pack_b, STORE_B)

    def test_platform_sales_are_beside_the_tills_not_in_them(self):
        pack_a, pack_b, _chain = self.build()
        # the pack's sales stay the tills': the platform orders are not counted twice
        self.assertAlmostEqual(pack_a.sales_amount, 150.0)
        self.assertEqual(pack_a.ticket_count, 1)
        self.assertAlmostEqual(pack_a.refund_amount, 0.0)
        self.assertAlmostEqual(pack_a.platform_sales_share, 25.0)
        self.assertAlmostEqual(pack_b.sales_amount, 40.0)
        self.assertEqual(pack_b.platform_sales_share, 0.0)

    def test_platform_sales_are_without_tax_as_booked(self):
        order = self.order(self.shop_dy, self.ref_1)
        # 2 x 10.00 of chips without tax and a cola at 11.30 including 13 % VAT
        self.assertAlmostEqual(order.invoice_id.amount_total, 31.30)
        self.assertAlmostEqual(order.invoice_id.amount_untaxed, 30.0)
        pack_a, _pack_b, _chain = self.build(stores=self.store_a)
        self.assertAlmostEqual(pack_a.platform_sales_amount, 30.0 + 30.0 + 10.0 - 10.0 - 10.0)

    def test_chain_roll_up_sums_the_stores_platform_figures(self):
        _pack_a, _pack_b, chain = self.build()
        self.assertFigures(chain, {name: STORE_A[name] + STORE_B[name] for name in STORE_A})
        self.assertAlmostEqual(chain.sales_amount, 190.0)
        self.assertAlmostEqual(chain.platform_sales_share, 100.0 * 50.0 / 240.0, places=1)

    def test_a_store_day_without_platform_orders_reads_zero(self):
        _pack_a, pack_b, _chain = self.build()
        self.assertFigures(pack_b, STORE_B)
        before = self.day - datetime.timedelta(days=1)
        pack_a, pack_b, _chain = self.build(day=before)
        # the day before: nothing sold on the platforms, only the payout dated that day
        self.assertFigures(pack_a, dict(STORE_B, platform_commission_amount=2.0))
        self.assertEqual(pack_a.platform_sales_share, 0.0)
        self.assertFigures(pack_b, STORE_B)

    def test_a_refund_belongs_to_the_day_it_is_booked(self):
        credit_note = self.order(self.shop_dy, self.ref_2).credit_note_ids
        self.assertEqual((credit_note.move_type, credit_note.amount_untaxed), ("out_refund", 10.0))
        self.env.flush_all()
        self.env.cr.execute("UPDATE account_move SET create_date = create_date + interval '1 day' WHERE id = %s",
                            credit_note.ids)
        pack_a, _pack_b, _chain = self.build(stores=self.store_a)
        self.assertFigures(pack_a, {"platform_order_count": 3, "platform_sales_amount": 60.0,
                                    "platform_refund_amount": 10.0})
        next_day, _pack_b, _chain = self.build(day=self.day + datetime.timedelta(days=1), stores=self.store_a)
        self.assertFigures(next_day, {"platform_order_count": 0, "platform_sales_amount": -10.0,
                                      "platform_refund_amount": 10.0, "platform_commission_amount": 0.0})

    def test_an_order_accepted_later_counts_on_its_day(self):
        pack_a, _pack_b, _chain = self.build(stores=self.store_a)
        self.order(self.shop_dy, self.ref_4).with_user(self.manager_a).action_accept()
        pack_a.with_user(self.manager_a).action_rebuild()
        self.assertFigures(pack_a, dict(STORE_A, platform_order_count=4, platform_sales_amount=100.0))
        self.assertAlmostEqual(pack_a.platform_sales_share, 40.0)

    def test_platform_figures_read_in_one_query_whatever_the_number_of_stores(self):
        Pack = self.env["retail.close.pack"]
        more_stores = self.env["stock.warehouse"].create([
            {"name": f"Query Store {index}", "code": f"QP{index}", "retail_store_type": "store"}
            for index in range(4)])
        self.env.flush_all()
        with self.assertQueryCount(1):
            figures = Pack._query_platform_figures(self.day, self.store_a.ids)
        self.assertAlmostEqual(figures[self.store_a.id]["platform_sales_amount"], 50.0)
        with self.assertQueryCount(1):
            figures = Pack._query_platform_figures(self.day, (self.store_a | self.store_b | more_stores).ids)
        self.assertEqual(len(figures), 6)
        self.assertEqual(figures[more_stores[0].id]["platform_order_count"], 0)

        def count(stores):
            rows = Pack._query_cashier_rows(self.day, stores.ids)
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            Pack._query_pack_figures(self.day, stores.ids, rows)
            return self.env.cr.sql_log_count - start

        self.assertEqual(count(self.store_a), count(self.store_a | self.store_b | more_stores))

    def test_packs_built_before_the_bridge_get_their_platform_figures(self):
        pack_a, pack_b, chain = self.build()
        self.env.flush_all()
        self.env.cr.execute("""
            UPDATE retail_close_pack SET platform_order_count = 0, platform_sales_amount = 0,
                   platform_refund_amount = 0, platform_commission_amount = 0
        """)
        self.env.invalidate_all()
        self.env["retail.close.pack"]._fill_platform_figures()
        self.assertFigures(pack_a, STORE_A)
        self.assertFigures(pack_b, STORE_B)
        self.assertFigures(chain, {name: STORE_A[name] + STORE_B[name] for name in STORE_A})

    def test_the_spreadsheet_summary_carries_the_platform_figures(self):
        pack_a, _pack_b, _chain = self.build()
        summary = dict(pack_a._xlsx_sheets()[0].rows)
        self.assertEqual(summary["Platform Orders"], 3)
        self.assertAlmostEqual(summary["Platform Sales"], 50.0)
        self.assertAlmostEqual(summary["Platform Share %"], 25.0)
        self.assertAlmostEqual(summary["Platform Refunds"], 20.0)
        self.assertAlmostEqual(summary["Platform Commission"], 3.13)

    def test_the_report_shows_the_platform_section_or_says_why_it_is_empty(self):
        pack_a, pack_b, _chain = self.build()
        html = self.env["ir.actions.report"]._render_qweb_html(PACK_REPORT, (pack_a | pack_b).ids)[0].decode()
        sections = lxml.html.fromstring(html).find_class("o_retail_pack_platforms")
        self.assertEqual(len(sections), 2)
        cells = [" ".join(cell.text_content().split()) for cell in sections[0].iter("td")]
        currency = pack_a.currency_id

        def money(text):
            return f"{currency.symbol} {text}" if currency.position == "before" else f"{text} {currency.symbol}"

        self.assertEqual(cells, [f"{money('50.00')} (25.0%)", "3", money("20.00"), money("3.13")])
        self.assertNotIn("No delivery-platform order", sections[0].text_content())
        self.assertIn("No delivery-platform order, refund or payout that day",
                      " ".join(sections[1].text_content().split()))
