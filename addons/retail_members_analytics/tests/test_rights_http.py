import json

from odoo.addons.retail_analytics.tests.common import pdf_text
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RetailMembersAnalyticsCase

MANAGER_B = "retail_manager_b"
MEMBER_FIELDS = ["member_sales_amount", "member_sales_share", "member_ticket_count", "new_member_count",
                 "points_issued", "points_redeemed", "points_expired", "points_outstanding", "points_liability"]
PACK_REPORT = "/report/pdf/retail_analytics.report_retail_close_pack"


@tagged("post_install", "-at_install")
class TestMembersAnalyticsRightsHttp(RetailMembersAnalyticsCase, RetailHttpCase):
    """Store B's manager, logged in over real HTTP, gets store B's member figures and nothing of
    store A's, whatever the context sent; nobody writes the figures from outside."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        packs = cls.env["retail.close.pack"]._build_packs(cls.day)
        cls.pack_a = packs.filtered(lambda pack: pack.retail_store_id == cls.store_a)
        cls.pack_b = packs.filtered(lambda pack: pack.retail_store_id == cls.store_b)
        cls.chain = packs.filtered("is_chain")
        cls.env.flush_all()

    def tampered_contexts(self):
        """Contexts a caller may send to widen what it sees."""
        return (
            None,
            {"active_test": False},
            {"retail_store_ids": [self.store_a.id, self.store_b.id]},
            {"retail_hq": True, "retail_store_id": self.store_a.id, "default_retail_store_id": self.store_a.id},
        )

    def member_figures(self, pack):
        self.env.invalidate_all()
        return pack.read(MEMBER_FIELDS)[0]

    def test_manager_b_reads_store_b_members_and_nothing_of_store_a(self):
        for context in self.tampered_contexts():
            with self.subTest(context=context):
                rows = self.rpc(MANAGER_B, "retail.close.pack", "search_read", [], MEMBER_FIELDS, context=context)
                self.assertEqual([row["id"] for row in rows], self.pack_b.ids)
                self.assertAlmostEqual(rows[0]["member_sales_amount"], 10.0)
                self.assertAlmostEqual(rows[0]["member_sales_share"], 25.0)
                self.assertEqual(rows[0]["new_member_count"], 1)
                self.assertAlmostEqual(rows[0]["points_outstanding"], 110)
                totals = self.rpc(MANAGER_B, "retail.close.pack", "formatted_read_group", [], [],
                                  ["member_sales_amount:sum", "points_liability:sum"], context=context)
                self.assertAlmostEqual(totals[0]["member_sales_amount:sum"], 10.0)
                self.assertAlmostEqual(totals[0]["points_liability:sum"], 1.10)
                self.assertEqual(self.rpc(MANAGER_B, "retail.close.pack", "search_count",
                                          [("points_outstanding", ">", 200)], context=context), 0)
                for pack in (self.pack_a, self.chain):
                    self.assertRpcDenied("AccessError", MANAGER_B, "retail.close.pack", "read", pack.ids,
                                         MEMBER_FIELDS, context=context)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.close.pack", "read", self.pack_a.ids,
                             MEMBER_FIELDS)

    def test_member_figures_cannot_be_forged_or_refilled_from_outside(self):
        before = {pack: self.member_figures(pack) for pack in (self.pack_a, self.pack_b, self.chain)}
        count = self.env["retail.close.pack"].search_count([])
        forged = {"member_sales_amount": 999.0, "points_outstanding": 0, "new_member_count": 50}
        for context in self.tampered_contexts():
            with self.subTest(context=context):
                for pack in (self.pack_a, self.pack_b):
                    self.assertRpcDenied("AccessError", MANAGER_B, "retail.close.pack", "write", pack.ids, forged,
                                         context=context)
                self.assertRpcDenied("AccessError", MANAGER_B, "retail.close.pack", "create",
                                     [dict(forged, date="2026-01-01", retail_store_id=self.store_b.id)],
                                     context=context)
                for method, args in (("_fill_member_figures", ()), ("_query_member_figures", (str(self.day),
                                                                                              [self.store_a.id]))):
                    self.assertRpcDenied("AccessError", MANAGER_B, "retail.close.pack", method, *args,
                                         context=context)
        self.assertRpcDenied("AccessError", "retail_hq", "retail.close.pack", "write", self.chain.ids, forged)
        self.assertEqual({pack: self.member_figures(pack) for pack in before}, before)
        self.assertEqual(self.env["retail.close.pack"].search_count([]), count)

    def test_the_pdf_of_store_b_shows_its_members_and_store_a_is_refused(self):
        # the report route reads on a read-only cursor: its style sheets must exist already
        for bundle in ("web.report_assets_pdf", "web.report_assets_common"):
            self.env["ir.qweb"]._get_asset_bundle(bundle, js=False, autoprefix=True).css()
        self.authenticate(MANAGER_B, MANAGER_B)
        render = json.dumps({"force_report_rendering": True})
        own = self.url_open(f"{PACK_REPORT}/{self.pack_b.id}", params={"context": render}, timeout=120)
        self.assertEqual(own.status_code, 200)
        text = pdf_text(own.content)
        self.assertIn("Members", text)
        self.assertIn("10.00 (25.0%)", text)
        self.assertIn("110", text)
        self.assertNotIn(self.store_a.name, text)
        self.assertNotIn("17.00", text)
        for docids in (self.pack_a.ids, (self.pack_a | self.pack_b).ids, self.chain.ids):
            with self.subTest(docids=docids), mute_logger("odoo.http"):
                other = self.url_open(f"{PACK_REPORT}/{','.join(map(str, docids))}", params={"context": render},
                                      timeout=120)
                self.assertEqual(other.status_code, 403)
                self.assertFalse(other.content.startswith(b"%PDF"))
                self.assertNotIn("17.00", other.text)

    def test_dashboard_member_share_stays_in_the_managers_store(self):
        for context in self.tampered_contexts():
            with self.subTest(context=context):
                kpis = self.rpc(MANAGER_B, "retail.dashboard", "get_kpis", date_to=str(self.day), days=7,
                                context=context)
                current = kpis["periods"]["current"]
                self.assertEqual([store["id"] for store in kpis["stores"]], [self.store_b.id])
                self.assertAlmostEqual(current["member_sales"], 10.0)
                self.assertAlmostEqual(current["member_share"], 25.0)
                self.assertEqual(current["member_series"], [
                    {"offset": 6, "day": str(self.day), "member_sales": 10.0, "member_share": 25.0}])
                self.assertRpcDenied("AccessError", MANAGER_B, "retail.dashboard", "get_kpis",
                                     store_id=self.store_a.id, date_to=str(self.day), context=context)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.dashboard", "get_kpis",
                             date_to=str(self.day))
