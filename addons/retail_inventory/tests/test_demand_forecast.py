from datetime import timedelta

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .test_forecast_accuracy import ForecastAccuracyCommon


@tagged("post_install", "-at_install")
class TestDemandForecast(RetailHttpCase, ForecastAccuracyCommon):
    """The nightly forecast of each store's products, and the planner reading it."""

    def rows(self, store=None):
        return self.env["retail.demand.forecast"].search([("store_id", "=", (store or self.store_a).id)])

    def test_each_product_sold_gets_the_weeks_forecast(self):
        written = self.env["retail.demand.forecast"]._retail_forecast(self.store_a)
        rows = self.rows()
        self.assertEqual(written, len(rows))
        self.assertLessEqual(self.milk | self.crisps, rows.product_id)
        by_product = {row.product_id: row for row in rows}
        # milk: 4, 4, 4, 4, 6, 10, 10 a week, about six a day
        self.assertAlmostEqual(by_product[self.milk].daily, 6.0, delta=1.0)
        # crisps: three a day until the shelf emptied; the empty days are not read as no demand
        self.assertAlmostEqual(by_product[self.crisps].daily, 3.0, delta=0.5)
        self.assertTrue(all(rows.mapped("method")))
        self.assertTrue(all(sigma >= 0 for sigma in rows.mapped("sigma")))
        # made again, it replaces the store's rows
        self.env["retail.demand.forecast"]._retail_forecast(self.store_a)
        self.assertEqual(len(self.rows()), written)

    def test_the_planner_plans_on_the_nightly_forecast(self):
        Proposal = self.env["retail.dispatch.proposal"]
        average = Proposal._retail_read_chain(self.store_a, 28, "average")
        self.env["retail.demand.forecast"]._retail_forecast(self.store_a)
        chain = Proposal._retail_read_chain(self.store_a, 28, "forecast")
        pairs = dict(zip(chain["product"].tolist(), chain["velocity"].tolist(), strict=True))
        by_product = {row.product_id.id: row.daily for row in self.rows()}
        self.assertAlmostEqual(pairs[self.milk.id], by_product[self.milk.id])
        self.assertAlmostEqual(pairs[self.crisps.id], by_product[self.crisps.id])
        self.assertEqual(chain["product"].tolist(), average["product"].tolist())
        # a forecast older than two nights is not trusted: the average again
        self.env.cr.execute("UPDATE retail_demand_forecast SET date = %s",
                            [fields.Date.today() - timedelta(days=5)])
        stale = Proposal._retail_read_chain(self.store_a, 28, "forecast")
        self.assertEqual(stale["velocity"].tolist(), average["velocity"].tolist())

    def test_store_walls_over_http(self):
        self.env["retail.demand.forecast"]._retail_forecast(self.store_a | self.store_b)
        own = self.rpc("retail_cashier_a", "retail.demand.forecast", "search_read", [], ["store_id"])
        self.assertEqual({row["store_id"][0] for row in own}, {self.store_a.id})
        other = self.rpc("retail_manager_b", "retail.demand.forecast", "search_read", [], ["store_id"])
        self.assertEqual({row["store_id"][0] for row in other}, {self.store_b.id})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.demand.forecast", "create",
                             {"store_id": self.store_a.id, "product_id": self.milk.id, "date": "2026-01-01"})
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.demand.forecast", "_retail_forecast",
                             [])

    def test_the_chain_stock_view_reads_the_nightly_forecast(self):
        Report = self.env["retail.stock.report"]

        def row(product):
            return Report.search([("retail_store_id", "=", self.store_a.id), ("product_id", "=", product.id)])

        before = row(self.milk)
        self.assertFalse(before.from_forecast)
        self.env["retail.demand.forecast"]._retail_forecast(self.store_a)
        self.env.flush_all()
        Report.invalidate_model()
        forecast = {row.product_id: row.daily for row in self.rows()}
        for product in (self.milk, self.crisps):
            self.assertTrue(row(product).from_forecast)
            self.assertAlmostEqual(row(product).velocity, forecast[product], places=2)
        # the days of cover follow the forecast
        milk = row(self.milk)
        self.assertAlmostEqual(milk.days_of_cover, (milk.available + milk.incoming) / milk.velocity, places=1)
