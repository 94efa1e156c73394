"""Forecast accuracy measured from the stores' own sales history, behind the store walls.

Store A sells two more products for 208 days: milk with a weekly pattern and Poisson noise, and
crisps at 3 a day until its shelf went empty four days ago. The figures the job writes are
checked against the forecasting core run on the same days, computed here from the sales the
test made; the empty days are not scored.
"""

from datetime import datetime, time, timedelta

import numpy as np

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.fields import Command
from odoo.tests import tagged

from ..models.retail_forecast_accuracy import HELD_OUT_DAYS, HISTORY_DAYS
from ..tools import forecast
from .common import RetailInventoryCase

DAYS = HISTORY_DAYS + HELD_OUT_DAYS
METHODS = {"chosen", *forecast.METHODS}


class ForecastAccuracyCommon(RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fresh_milk = cls.env["product.category"].create({"name": "Fresh Milk"})
        cls.snacks = cls.env["product.category"].create({"name": "Snacks"})
        cls.milk = cls.env["product.product"].create({
            "name": "Milk 1L", "is_storable": True, "categ_id": cls.fresh_milk.id})
        cls.crisps = cls.env["product.product"].create({
            "name": "Crisps", "is_storable": True, "categ_id": cls.snacks.id})
        rng = np.random.default_rng(42)
        first_day = (fields.Datetime.now() - timedelta(days=DAYS - 1)).date()
        weekday = (first_day.weekday() + np.arange(DAYS)) % 7
        milk = rng.poisson(np.array([4, 4, 4, 4, 6, 10, 10])[weekday]).astype(float)
        crisps = np.full(DAYS, 3.0)
        crisps[-4:] = 0.0
        cls.sold = np.array([milk, crisps])
        cls.stockout = np.zeros(cls.sold.shape, dtype=bool)
        cls.stockout[1, -4:] = True
        # milk keeps 50 on the shelf; crisps end at nothing
        cls._put(cls.store_a, cls.milk, milk.sum() + 50)
        cls._put(cls.store_a, cls.crisps, crisps.sum())
        cls._sell_daily(cls.store_a, {cls.milk: milk, cls.crisps: crisps}, first_day)

    @classmethod
    def _sell_daily(cls, store, sales, first_day):
        """One done sale per product and day, dated at noon of that day."""
        customer = cls.env.ref("stock.stock_location_customers")
        values, dates = [], []
        for product, daily in sales.items():
            for day, quantity in enumerate(daily.tolist()):
                if not quantity:
                    continue
                values.append({
                    "product_id": product.id, "product_uom_qty": quantity, "product_uom": product.uom_id.id,
                    "location_id": store.lot_stock_id.id, "location_dest_id": customer.id,
                    "move_line_ids": [Command.create({
                        "product_id": product.id, "quantity": quantity,
                        "location_id": store.lot_stock_id.id, "location_dest_id": customer.id,
                    })],
                })
                dates.append(datetime.combine(first_day + timedelta(days=day), time(12)))
        moves = cls.env["stock.move"].create(values)
        moves._action_confirm()
        moves.picked = True
        moves._action_done()
        # back-date the sales in one statement (the ORM would write them one by one)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_move SET date = day.date FROM unnest(%s::int[], %s::timestamp[]) AS day(id, date)"
            " WHERE stock_move.id = day.id", [moves.ids, dates])
        cls.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestForecastAccuracy(RetailHttpCase, ForecastAccuracyCommon):
    def _rows(self, **domain):
        return self.env["retail.forecast.accuracy"].search(
            [("store_id", "=", self.store_a.id)] + [(key, "=", value) for key, value in domain.items()])

    def test_the_history_is_read_day_by_day_with_the_empty_shelf(self):
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(self.store_a, DAYS)
        rows = {product: index for index, product in enumerate(history["product"].tolist())}
        np.testing.assert_array_equal(history["sold"][rows[self.milk.id]], self.sold[0])
        np.testing.assert_array_equal(history["sold"][rows[self.crisps.id]], self.sold[1])
        np.testing.assert_array_equal(history["stockout"][rows[self.crisps.id]], self.stockout[1])
        self.assertFalse(history["stockout"][rows[self.milk.id]].any())
        # no promotion here: the forecast leaves out the empty-shelf days only
        self.assertFalse(history["promotion"].any())
        np.testing.assert_array_equal(history["censored"], history["stockout"])

    def test_measure_writes_each_method_per_store_and_category(self):
        rows = self.env["retail.forecast.accuracy"]._retail_measure(self.store_a)
        self.assertEqual(set(rows.mapped("method")), METHODS)
        self.assertEqual(rows.store_id, self.store_a)
        # the common fixture's yoghurts (dairy) sold today: a third category
        self.assertEqual(set(rows.mapped("categ_id")), {self.fresh_milk, self.snacks, self.category})
        self.assertEqual(len(rows), 3 * len(METHODS))
        # seasonal naive against itself, by definition, where it could be scored: the yoghurts
        # sold only today and the crisps the same every day, so nothing in their history
        # scales an error
        naive = rows.filtered(lambda row: row.method == "seasonal_naive")
        self.assertEqual(naive.filtered("rmsse_naive").categ_id, self.fresh_milk)
        for row in naive.filtered("rmsse_naive"):
            self.assertAlmostEqual(row.rmsse_ratio, 1.0)

    def test_figures_are_those_of_the_forecasting_core_on_the_same_days(self):
        self.env["retail.forecast.accuracy"]._retail_measure(self.store_a)
        past, actual = self.sold[:, :HISTORY_DAYS], self.sold[:, HISTORY_DAYS:]
        past_censored, counted = self.stockout[:, :HISTORY_DAYS], ~self.stockout[:, HISTORY_DAYS:]
        first_weekday = (fields.Datetime.now() - timedelta(days=DAYS - 1)).date().weekday()
        groups = np.array([self.fresh_milk.id, self.snacks.id])
        expected = forecast.forecast(past, past_censored, horizon=HELD_OUT_DAYS,
                                     first_weekday=first_weekday, groups=groups).mean
        naive = forecast.seasonal_naive(past, HELD_OUT_DAYS, past_censored, first_weekday)
        rmsse = forecast.rmsse(actual, expected, past, past_censored, counted)
        naive_rmsse = forecast.rmsse(actual, naive, past, past_censored, counted)
        milk = self._rows(method="chosen", categ_id=self.fresh_milk.id)
        self.assertEqual(milk.product_count, 1)
        self.assertEqual(milk.units, actual[0].sum())
        self.assertAlmostEqual(milk.absolute_error, np.abs(actual[0] - expected[0]).sum(), places=2)
        self.assertAlmostEqual(milk.wape, np.abs(actual[0] - expected[0]).sum() / actual[0].sum(), places=3)
        self.assertAlmostEqual(milk.rmsse, rmsse[0], places=3)
        self.assertAlmostEqual(milk.rmsse_ratio, rmsse[0] / naive_rmsse[0], places=3)
        # a weekly pattern under Poisson noise: a smoothed forecast beats last week's noise
        self.assertLess(milk.rmsse_ratio, 1.0)

    def test_empty_shelf_days_are_not_scored(self):
        self.env["retail.forecast.accuracy"]._retail_measure(self.store_a)
        crisps = self._rows(method="chosen", categ_id=self.snacks.id)
        # 24 stocked days of the held-out four weeks at 3 a day; the 4 empty days count for nothing
        self.assertEqual(crisps.units, 72.0)
        # a constant 3 a day is forecast exactly: no error on the stocked days
        self.assertAlmostEqual(crisps.absolute_error, 0.0, places=6)

    def test_one_store_measured_again_replaces_its_rows_only(self):
        Accuracy = self.env["retail.forecast.accuracy"]
        rows = Accuracy._retail_measure(self.store_a | self.store_b)
        # store B sells yoghurts (the common fixture), A its three products in two categories
        self.assertEqual(set(rows.store_id.ids), {self.store_a.id, self.store_b.id})
        store_b_rows = rows.filtered(lambda row: row.store_id == self.store_b).ids
        again = Accuracy._retail_measure(self.store_a, rows[:1].date)
        self.assertEqual(set(Accuracy.search([]).ids), set(again.ids) | set(store_b_rows))
        self.assertFalse(set(again.ids) & set(rows.ids))

    def test_one_read_of_the_history_whatever_the_products(self):
        Accuracy = self.env["retail.forecast.accuracy"]
        # with the till's markdowns (a bridge), their promotion days are one more query
        queries = 13 + int("retail.lot.markdown.step" in self.env)
        Accuracy._retail_measure(self.store_a)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=queries):
            Accuracy._retail_measure(self.store_a)
        # six more products in three more categories: the same queries
        first_day = (fields.Datetime.now() - timedelta(days=DAYS - 1)).date()
        sales = {}
        for index in range(6):
            category = self.env["product.category"].create({"name": f"Category {index % 3}"})
            product = self.env["product.product"].create({
                "name": f"Product {index}", "is_storable": True, "categ_id": category.id})
            self._put(self.store_a, product, 100)
            sales[product] = np.arange(DAYS) % (index + 2) == 0
        self._sell_daily(self.store_a, {product: days.astype(float) for product, days in sales.items()}, first_day)
        Accuracy._retail_measure(self.store_a)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=queries):
            rows = Accuracy._retail_measure(self.store_a)
        self.assertEqual(len(rows.categ_id), 9)

    def test_store_walls_over_http(self):
        self.env["retail.forecast.accuracy"]._retail_measure(self.store_a | self.store_b)
        fields_read = ["store_id", "method", "rmsse_ratio"]
        own = self.rpc("retail_cashier_a", "retail.forecast.accuracy", "search_read", [], fields_read)
        self.assertTrue(own)
        self.assertEqual({row["store_id"][0] for row in own}, {self.store_a.id})
        other = self.rpc("retail_manager_b", "retail.forecast.accuracy", "search_read", [], fields_read)
        self.assertEqual({row["store_id"][0] for row in other}, {self.store_b.id})
        everything = self.rpc("retail_hq", "retail.forecast.accuracy", "search_read", [], fields_read)
        self.assertEqual({row["store_id"][0] for row in everything}, {self.store_a.id, self.store_b.id})
        # even a store B manager's context naming store A shows nothing of A
        tampered = self.rpc("retail_manager_b", "retail.forecast.accuracy", "search_read",
                            [("store_id", "=", self.store_a.id)], fields_read,
                            context={"allowed_company_ids": [self.env.company.id], "active_test": False})
        self.assertEqual(tampered, [])

    def test_nobody_writes_or_runs_the_measure_over_http(self):
        Accuracy = self.env["retail.forecast.accuracy"]
        Accuracy._retail_measure(self.store_a | self.store_b)
        before = sorted(Accuracy.search([]).mapped(lambda row: (row.id, row.rmsse_ratio)))
        row = Accuracy.search([("store_id", "=", self.store_a.id)], limit=1)
        for login in ("retail_cashier_a", "retail_manager_b", "retail_hq"):
            self.assertRpcDenied("AccessError", login, "retail.forecast.accuracy", "write", row.ids,
                                 {"rmsse_ratio": 0.1})
            self.assertRpcDenied("AccessError", login, "retail.forecast.accuracy", "create",
                                 {"date": "2026-01-01", "store_id": self.store_a.id, "method": "chosen"})
            self.assertRpcDenied("AccessError", login, "retail.forecast.accuracy", "unlink", row.ids)
            # private: no RPC reaches it
            self.assertRpcDenied("AccessError", login, "retail.forecast.accuracy", "_retail_measure",
                                 [self.store_a.id])
        self.env.invalidate_all()
        self.assertEqual(sorted(Accuracy.search([]).mapped(lambda row: (row.id, row.rmsse_ratio))), before)
