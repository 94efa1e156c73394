import datetime
import unicodedata

import lxml.html

from odoo.addons.retail_analytics.tests.common import pdf_text
from odoo.tests import tagged

from .common import RetailMembersAnalyticsCase

PACK_REPORT = "retail_analytics.action_report_retail_close_pack"
STORE_A = {
    "member_sales_amount": 17.0, "member_ticket_count": 4, "new_member_count": 1, "points_issued": 184,
    "points_redeemed": 170, "points_expired": 40, "points_outstanding": 374, "points_liability": 3.74,
}
STORE_B = {
    "member_sales_amount": 10.0, "member_ticket_count": 1, "new_member_count": 1, "points_issued": 10,
    "points_redeemed": 0, "points_expired": 0, "points_outstanding": 110, "points_liability": 1.10,
}


@tagged("post_install", "-at_install")
class TestClosePackMembers(RetailMembersAnalyticsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.packs = cls.env["retail.close.pack"]._build_packs(cls.day)
        cls.pack_a = cls.packs.filtered(lambda pack: pack.retail_store_id == cls.store_a)
        cls.pack_b = cls.packs.filtered(lambda pack: pack.retail_store_id == cls.store_b)
        cls.chain = cls.packs.filtered("is_chain")

    def assertFigures(self, pack, expected):
        for name, value in expected.items():
            self.assertAlmostEqual(pack[name], value, places=2, msg=f"{pack.name}: {name}")

    def test_member_figures_of_each_store_by_hand(self):
        self.assertFigures(self.pack_a, STORE_A)
        self.assertFigures(self.pack_b, STORE_B)

    def test_member_share_is_part_of_the_packs_own_sales(self):
        self.assertAlmostEqual(self.pack_a.sales_amount, 34.0)
        self.assertEqual(self.pack_a.ticket_count, 6)
        self.assertAlmostEqual(self.pack_a.member_sales_share, 50.0)
        self.assertAlmostEqual(self.pack_b.sales_amount, 40.0)
        self.assertAlmostEqual(self.pack_b.member_sales_share, 25.0)

    def test_chain_roll_up_sums_the_stores_member_figures(self):
        self.assertFigures(self.chain, {name: STORE_A[name] + STORE_B[name] for name in STORE_A})
        self.assertAlmostEqual(self.chain.member_sales_share, 100.0 * 27.0 / 74.0, places=1)

    def test_the_next_day_starts_from_the_evenings_liability(self):
        next_day = self.day + datetime.timedelta(days=1)
        pack = self.env["retail.close.pack"]._build_packs(next_day, stores=self.store_a)
        # the order of 35.00 after midnight; the 999 points earned then
        self.assertFigures(pack, {"member_sales_amount": 35.0, "member_ticket_count": 1, "new_member_count": 1,
                                  "points_issued": 999, "points_redeemed": 0, "points_outstanding": 374 + 999})

    def test_a_store_day_without_members_reads_zero_with_its_liability(self):
        before = self.day - datetime.timedelta(days=1)
        pack_b = self.env["retail.close.pack"]._build_packs(before, stores=self.store_b)
        self.assertFigures(pack_b, {"member_sales_amount": 0.0, "member_ticket_count": 0, "new_member_count": 0,
                                    "points_issued": 0, "points_outstanding": 100, "points_liability": 1.0})
        self.assertEqual(pack_b.member_sales_share, 0.0)

    def test_rebuild_keeps_the_member_figures(self):
        self.sell_to(self.member_old, self.session_a, self.cashier_a, self.at(self.day, 20), [(self.milk, 1, 5.0, 0)])
        self.pack_a.with_user(self.manager_a).action_rebuild()
        self.assertFigures(self.pack_a, dict(STORE_A, member_sales_amount=22.0, member_ticket_count=5))

    def test_member_figures_read_in_one_query_whatever_the_number_of_stores(self):
        Pack = self.env["retail.close.pack"]
        more_stores = self.env["stock.warehouse"].create([
            {"name": f"Query Store {index}", "code": f"QS{index}", "retail_store_type": "store"}
            for index in range(4)])
        self.env.flush_all()
        with self.assertQueryCount(1):
            figures = Pack._query_member_figures(self.day, self.store_a.ids)
        self.assertEqual(figures[self.store_a.id]["points_outstanding"], 374)
        with self.assertQueryCount(1):
            figures = Pack._query_member_figures(self.day, (self.store_a | self.store_b | more_stores).ids)
        self.assertEqual(len(figures), 6)
        self.assertEqual(figures[self.store_b.id]["member_ticket_count"], 1)

        def count(stores):
            rows = Pack._query_cashier_rows(self.day, stores.ids)
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            Pack._query_pack_figures(self.day, stores.ids, rows)
            return self.env.cr.sql_log_count - start

        self.assertEqual(count(self.store_a), count(self.store_a | self.store_b | more_stores))

    def test_packs_built_before_the_bridge_get_their_member_figures(self):
        self.env.flush_all()
        self.env.cr.execute("""
            UPDATE retail_close_pack SET member_sales_amount = 0, member_ticket_count = 0, new_member_count = 0,
                   points_issued = 0, points_redeemed = 0, points_expired = 0, points_outstanding = 0,
                   points_liability = 0
        """)
        self.env.invalidate_all()
        self.env["retail.close.pack"]._fill_member_figures()
        self.assertFigures(self.pack_a, STORE_A)
        self.assertFigures(self.pack_b, STORE_B)
        self.assertFigures(self.chain, {name: STORE_A[name] + STORE_B[name] for name in STORE_A})

    def test_the_spreadsheet_summary_carries_the_member_figures(self):
        summary = dict(self.pack_a._xlsx_sheets()[0].rows)
        self.assertAlmostEqual(summary["Member Sales"], 17.0)
        self.assertAlmostEqual(summary["Member Share %"], 50.0)
        self.assertEqual(summary["New Members"], 1)
        self.assertAlmostEqual(summary["Points Outstanding"], 374)
        self.assertAlmostEqual(summary["Points Liability"], 3.74)

    def test_the_report_shows_the_member_section_or_says_why_it_is_empty(self):
        quiet = self.env["retail.close.pack"]._build_packs(self.day - datetime.timedelta(days=1), stores=self.store_b)
        html = self.env["ir.actions.report"]._render_qweb_html(PACK_REPORT, (self.pack_a | quiet).ids)[0].decode()
        document = lxml.html.fromstring(html)
        sections = document.find_class("o_retail_pack_members")
        self.assertEqual(len(sections), 2)
        cells = [" ".join(cell.text_content().split()) for cell in sections[0].iter("td")]
        currency = self.pack_a.currency_id

        def money(text):
            return f"{currency.symbol} {text}" if currency.position == "before" else f"{text} {currency.symbol}"

        self.assertEqual(cells, [f"{money('17.00')} (50.0%)", "4", "1", "184", "170", "40", "374", money("3.74")])
        self.assertNotIn("No member shopped", sections[0].text_content())
        self.assertIn("No member shopped and nobody joined that day", " ".join(sections[1].text_content().split()))

    def test_the_pdf_shows_the_member_section_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["retail_analytics", "retail_members_analytics"], ["zh_CN"], overwrite=True)
        with self.allow_pdf_render():
            pdf, _kind = self.env["ir.actions.report"].with_context(
                lang="zh_CN", force_report_rendering=True)._render_qweb_pdf(PACK_REPORT, self.pack_a.ids)
        # poppler reads some ideographs as their compatibility forms (⼩ for 小)
        text = unicodedata.normalize("NFKC", pdf_text(pdf))
        for label in ("会员", "会员销售额及占比", "会员小票数", "新会员", "发放积分", "兑换积分",
                      "过期积分", "日终未结积分", "积分负债"):
            self.assertIn(label, text)
        for figure in ("17.00 (50.0%)", "184", "170", "374", "3.74"):
            self.assertIn(figure, text)
        self.assertNotIn("Members", text)
