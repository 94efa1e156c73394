import json

from odoo.addons.retail_analytics.tests.common import pdf_text
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PlatformAnalyticsCase

MANAGER_A = "retail_manager_a"
PLATFORM_FIELDS = ["platform_order_count", "platform_sales_amount", "platform_refund_amount",
                   "platform_sales_share", "platform_commission_amount"]
PACK_REPORT = "/report/pdf/retail_analytics.report_retail_close_pack"


@tagged("post_install", "-at_install")
class TestPlatformAnalyticsRightsHttp(PlatformAnalyticsCase):
    """Store A's manager, logged in over real HTTP, gets store A's platform figures and nothing
    of store B's or of the chain's, whatever the context sent; nobody writes the figures from
    outside."""

    def setUp(self):
        super().setUp()
        self.pack_a, self.pack_b, self.chain = self.build()
        # store B's day gets platform figures of its own, which store A's manager must not see
        self.env.flush_all()
        self.env.cr.execute("UPDATE retail_close_pack SET platform_sales_amount = 77.0, platform_order_count = 7 "
                            "WHERE id = %s", self.pack_b.ids)
        self.env.invalidate_all()

    def tampered_contexts(self):
        """Contexts a caller may send to widen what it sees."""
        return (
            None,
            {"active_test": False},
            {"retail_store_ids": [self.store_a.id, self.store_b.id]},
            {"retail_hq": True, "retail_store_id": self.store_b.id, "default_retail_store_id": self.store_b.id},
        )

    def platform_figures(self, pack):
        self.env.invalidate_all()
        return pack.read(PLATFORM_FIELDS)[0]

    def test_manager_a_reads_store_a_platform_figures_and_nothing_of_store_b(self):
        for context in self.tampered_contexts():
            with self.subTest(context=context):
                rows = self.rpc(MANAGER_A, "retail.close.pack", "search_read", [], PLATFORM_FIELDS, context=context)
                self.assertEqual([row["id"] for row in rows], self.pack_a.ids)
                self.assertEqual(rows[0]["platform_order_count"], 3)
                self.assertAlmostEqual(rows[0]["platform_sales_amount"], 50.0)
                self.assertAlmostEqual(rows[0]["platform_sales_share"], 25.0)
                self.assertAlmostEqual(rows[0]["platform_commission_amount"], 3.13)
                totals = self.rpc(MANAGER_A, "retail.close.pack", "formatted_read_group", [], [],
                                  ["platform_sales_amount:sum", "platform_order_count:sum"], context=context)
                self.assertAlmostEqual(totals[0]["platform_sales_amount:sum"], 50.0)
                self.assertEqual(totals[0]["platform_order_count:sum"], 3)
                self.assertEqual(self.rpc(MANAGER_A, "retail.close.pack", "search_count",
                                          [("platform_sales_amount", "=", 77.0)], context=context), 0)
                for pack in (self.pack_b, self.chain):
                    self.assertRpcDenied("AccessError", MANAGER_A, "retail.close.pack", "read", pack.ids,
                                         PLATFORM_FIELDS, context=context)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.close.pack", "read", self.pack_a.ids,
                             PLATFORM_FIELDS)

    def test_platform_figures_cannot_be_forged_or_refilled_from_outside(self):
        before = {pack: self.platform_figures(pack) for pack in (self.pack_a, self.pack_b, self.chain)}
        count = self.env["retail.close.pack"].search_count([])
        forged = {"platform_sales_amount": 999.0, "platform_order_count": 50, "platform_commission_amount": 0}
        for context in self.tampered_contexts():
            with self.subTest(context=context):
                for pack in (self.pack_a, self.pack_b):
                    self.assertRpcDenied("AccessError", MANAGER_A, "retail.close.pack", "write", pack.ids, forged,
                                         context=context)
                self.assertRpcDenied("AccessError", MANAGER_A, "retail.close.pack", "create",
                                     [dict(forged, date="2026-01-01", retail_store_id=self.store_a.id)],
                                     context=context)
                for method, args in (("_fill_platform_figures", ()),
                                     ("_query_platform_figures", (str(self.day), [self.store_b.id]))):
                    self.assertRpcDenied("AccessError", MANAGER_A, "retail.close.pack", method, *args,
                                         context=context)
        self.assertRpcDenied("AccessError", "retail_hq", "retail.close.pack", "write", self.chain.ids, forged)
        self.assertEqual({pack: self.platform_figures(pack) for pack in before}, before)
        self.assertEqual(self.env["retail.close.pack"].search_count([]), count)

    def test_the_pdf_of_store_a_shows_its_platforms_and_store_b_is_refused(self):
        # the report route reads on a read-only cursor: its style sheets must exist already
        for bundle in ("web.report_assets_pdf", "web.report_assets_common"):
            self.env["ir.qweb"]._get_asset_bundle(bundle, js=False, autoprefix=True).css()
        self.authenticate(MANAGER_A, MANAGER_A)
        render = json.dumps({"force_report_rendering": True})
        own = self.url_open(f"{PACK_REPORT}/{self.pack_a.id}", params={"context": render}, timeout=120)
        self.assertEqual(own.status_code, 200)
        text = pdf_text(own.content)
        self.assertIn("Delivery Platforms", text)
        self.assertIn("50.00 (25.0%)", text)
        self.assertIn("3.13", text)
        self.assertNotIn(self.store_b.name, text)
        self.assertNotIn("77.00", text)
        for docids in (self.pack_b.ids, (self.pack_a | self.pack_b).ids, self.chain.ids):
            with self.subTest(docids=docids), mute_logger("odoo.http"):
                other = self.url_open(f"{PACK_REPORT}/{','.join(map(str, docids))}", params={"context": render},
                                      timeout=120)
                self.assertEqual(other.status_code, 403)
                self.assertFalse(other.content.startswith(b"%PDF"))
                self.assertNotIn("77.00", other.text)
