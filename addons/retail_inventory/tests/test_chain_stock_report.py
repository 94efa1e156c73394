from odoo.tests import tagged

from .common import RetailInventoryCase


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
