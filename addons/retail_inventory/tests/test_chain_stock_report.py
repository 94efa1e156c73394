import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import RetailInventoryCase


def export_of(action, env):
    """The export record an export action downloads."""
    return env["retail.stock.report.export"].browse(int(action["url"].split("/")[4]))


@tagged("post_install", "-at_install")
class TestChainStockReport(RetailInventoryCase):
    def _row(self, model, store, user=None):
        Report = self.env[model].with_user(user) if user else self.env[model]
        return Report.search([("retail_store_id", "=", store.id), ("product_id", "=", self.yoghurt.id)])

    def test_chain_stock_per_store(self):
        self.env.flush_all()
        row_a = self._row("retail.stock.report", self.store_a)
        row_b = self._row("retail.stock.report", self.store_b)
        self.assertEqual((row_a.on_hand, row_a.sold_28_days, row_a.near_expiry_qty), (80.0, 140.0, 80.0))
        self.assertAlmostEqual(row_a.velocity, 5.0)
        self.assertAlmostEqual(row_a.days_of_cover, 16.0)
        self.assertEqual((row_b.on_hand, row_b.near_expiry_qty), (10.0, 0.0))
        self.assertAlmostEqual(row_b.days_of_cover, 10 / 30, places=3)
        self.assertEqual(row_a.region_id, self.region)
        self.assertEqual(row_a.categ_id, self.category)

    def test_store_staff_see_their_store_only(self):
        self.env.flush_all()
        rows = self.env["retail.stock.report"].with_user(self.cashier_a).search([("product_id", "=", self.yoghurt.id)])
        self.assertEqual(rows.retail_store_id, self.store_a)
        self.assertFalse(self._row("retail.stock.report", self.store_b, self.cashier_a))

    def test_expiry_watch_and_markdown(self):
        self.env.flush_all()
        row = self._row("retail.expiry.report", self.store_a)
        # 80 units, 5 a day, 4 days left: 20 sell, 60 at risk; 16 days to sell -> 15 % off
        self.assertEqual((row.lot_id, row.quantity), (self.lot_a, 80.0))
        self.assertAlmostEqual(row.at_risk_qty, 60.0, delta=0.5)
        self.assertAlmostEqual(row.days_to_sell, 16.0)
        self.assertEqual(row.suggested_markdown, 0.15)
        row_b = self._row("retail.expiry.report", self.store_b)
        self.assertEqual((row_b.at_risk_qty, row_b.suggested_markdown), (0.0, 0.0))
        self.assertFalse(self._row("retail.expiry.report", self.store_b, self.manager_a))

    def test_expired_lot_is_removed_from_sale_and_scrapped_by_its_manager(self):
        expired = self.env["stock.lot"].create({
            "name": "YOG-EXPIRED", "product_id": self.yoghurt.id, "company_id": self.env.company.id,
            "expiration_date": fields.Datetime.now() - timedelta(days=82),
        })
        self._put(self.store_a, self.yoghurt, 12, lot=expired)
        self.env.flush_all()
        row = self.env["retail.expiry.report"].search([("lot_id", "=", expired.id)])
        self.assertTrue(row.expired)
        self.assertEqual(row.suggested_markdown, 0.0)
        with self.assertRaises(AccessError):
            row.with_user(self.manager_b).action_retail_scrap()
        with self.assertRaisesRegex(UserError, "Only expired lots"):
            self._row("retail.expiry.report", self.store_a).with_user(self.manager_a).action_retail_scrap()
        row.with_user(self.manager_a).action_retail_scrap()
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, lot=expired), 0.0)
        scrap = self.env["stock.scrap"].search([("lot_id", "=", expired.id)])
        self.assertEqual((scrap.state, scrap.scrap_qty), ("done", 12.0))

    def test_hq_filters_by_category_region_and_store_and_exports_to_excel(self):
        self.env.flush_all()
        Report = self.env["retail.stock.report"].with_user(self.hq_user)
        dairy = Report.search([("categ_id", "=", self.category.id), ("region_id", "=", self.region.id)])
        self.assertEqual(set(dairy.mapped(lambda row: (row.retail_store_id, row.product_id))),
                         {(self.store_a, self.yoghurt), (self.store_b, self.yoghurt)})
        rows = Report.search([("categ_id", "=", self.category.id), ("retail_store_id", "=", self.store_a.id)])
        action = rows.action_retail_export_xlsx()
        self.assertEqual((action["type"], action["target"]), ("ir.actions.act_url", "download"))
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export_of(action, self.env).file))).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0][:5], ("Store", "Region", "Product", "Product Category", "On Hand"))
        self.assertEqual(len(values), 2)
        self.assertEqual(values[1][:5], ("Test Store A", self.region.name, "Yoghurt 200g", "Dairy", 80.0))
        self.assertEqual(values[1][-1], 80.0)

    def test_store_staff_export_their_own_rows_only(self):
        self.env.flush_all()
        Report = self.env["retail.stock.report"]
        row_b = self._row("retail.stock.report", self.store_b)
        with self.assertRaises(AccessError):
            row_b.with_user(self.cashier_a).action_retail_export_xlsx()
        self.assertFalse(self.env["retail.stock.report.export"].search([]))
        own = Report.with_user(self.cashier_a).search([("product_id", "=", self.yoghurt.id)])
        action = own.action_retail_export_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export_of(action, self.env).file))).active
        self.assertEqual([row[0] for row in sheet.iter_rows(min_row=2, values_only=True)], ["Test Store A"])


@tagged("post_install", "-at_install")
class TestChainStockDownload(HttpCase, RetailInventoryCase):
    def test_the_file_downloads_for_its_maker_only(self):
        self.env.flush_all()
        rows = self.env["retail.stock.report"].with_user(self.hq_user).search([("product_id", "=", self.yoghurt.id)])
        url = rows.action_retail_export_xlsx()["url"]
        self.authenticate(self.hq_user.login, self.hq_user.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")  # an xlsx file is a zip archive
        self.assertIn("chain_stock_", response.headers["Content-Disposition"])
        self.authenticate(self.cashier_a.login, self.cashier_a.login)
        self.assertIn(self.url_open(url).status_code, (403, 404))
