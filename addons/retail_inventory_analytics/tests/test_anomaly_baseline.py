"""The anomaly baselines read the demand history the planner and the forecasts read.

Store A, scanned yesterday, 28-day baseline:
- tea sold 10 a day for two weeks, then its shelf was empty for two weeks, then 1 sold
  yesterday (still in the open session, so not in the stock moves): its usual day is 10 (a
  90 % drop), not the 5 of a plain mean (80 %);
- biscuits sold 4 a day until the day before yesterday, then the shelf was empty: nothing sold
  yesterday because nothing was there, which is not a sales drop;
- rice sold 4 a day and still has 50 on the shelf, and sold nothing yesterday: a sales drop.
"""

from datetime import datetime, time, timedelta

from odoo import fields
from odoo.addons.retail_analytics.tests.common import RetailAnalyticsCase
from odoo.addons.retail_inventory.tests.common import RetailInventoryCase
from odoo.fields import Command
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestAnomalyBaseline(RetailAnalyticsCase, RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.day = fields.Datetime.now().date() - timedelta(days=1)
        Product = cls.env["product.product"]
        cls.tea = Product.create({"name": "Tea", "list_price": 8.0, "standard_price": 4.0, "is_storable": True})
        cls.biscuits = Product.create({"name": "Biscuits", "list_price": 6.0, "standard_price": 3.0,
                                       "is_storable": True})
        cls.rice = Product.create({"name": "Rice", "list_price": 9.0, "standard_price": 5.0, "is_storable": True})
        sales = {cls.tea: {}, cls.biscuits: {}, cls.rice: {}}
        for offset in range(1, 29):
            if offset >= 15:
                sales[cls.tea][offset] = 10.0
            sales[cls.biscuits][offset] = 4.0
            sales[cls.rice][offset] = 4.0
        sales[cls.tea][0] = 1.0
        cls._put(cls.store_a, cls.tea, 140.0)
        cls._put(cls.store_a, cls.biscuits, 112.0)
        cls._put(cls.store_a, cls.rice, 162.0)
        for product, days in sales.items():
            for offset, quantity in days.items():
                cls.sell(cls.session_a, cls.manager_a, cls.at(cls.day - timedelta(days=offset)),
                         [(product, quantity, product.list_price, 0)])
        cls._move_daily(cls.store_a, sales)
        cls.rule = cls.env["retail.anomaly.rule"].create({
            "name": "Drop", "rule_type": "sales_drop", "threshold": 0.85, "baseline_days": 28, "min_volume": 1,
            "scope": "store", "store_ids": [Command.set(cls.store_a.ids)]})

    @classmethod
    def _move_daily(cls, store, sales):
        """The stock side of the sales: one done move to the customer per product and day
        before ``day``; ``day``'s own sales are still in the open session's till."""
        customer = cls.env.ref("stock.stock_location_customers")
        values, dates = [], []
        for product, days in sales.items():
            for offset, quantity in days.items():
                if not offset:
                    continue
                values.append({
                    "product_id": product.id, "product_uom_qty": quantity, "product_uom": product.uom_id.id,
                    "location_id": store.lot_stock_id.id, "location_dest_id": customer.id,
                    "move_line_ids": [Command.create({
                        "product_id": product.id, "quantity": quantity,
                        "location_id": store.lot_stock_id.id, "location_dest_id": customer.id})],
                })
                dates.append(datetime.combine(cls.day - timedelta(days=offset), time(12)))
        moves = cls.env["stock.move"].create(values)
        moves._action_confirm()
        moves.picked = True
        moves._action_done()
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_move SET date = day.date FROM unnest(%s::int[], %s::timestamp[]) AS day(id, date)"
            " WHERE stock_move.id = day.id", [moves.ids, dates])
        cls.env.invalidate_all()

    def scan(self):
        return self.env["retail.anomaly.rule"]._scan(self.day, rules=self.rule)

    def test_the_usual_day_leaves_out_the_empty_shelf(self):
        tea = self.scan().filtered(lambda item: item.product_id == self.tea)
        self.assertEqual(len(tea), 1, "one sold against a usual ten is a 90 % drop")
        self.assertAlmostEqual(tea.baseline, 10.0)
        self.assertAlmostEqual(tea.value, 0.9)

    def test_a_day_without_stock_is_not_a_sales_drop(self):
        items = self.scan()
        self.assertNotIn(self.biscuits, items.product_id, "the shelf was empty: nothing could sell")
        rice = items.filtered(lambda item: item.product_id == self.rice)
        self.assertEqual((len(rice), rice.baseline, rice.value), (1, 4.0, 1.0),
                         "a product on the shelf that stopped selling is a drop")

    def test_the_history_marks_what_the_rule_leaves_out(self):
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(self.store_a, 30)
        row = {product: index for index, product in enumerate(history["product"].tolist())}
        # the history ends today; yesterday is its last day but one
        self.assertTrue(history["stockout"][row[self.biscuits.id], -2])
        self.assertFalse(history["stockout"][row[self.rice.id], -2])
        self.assertTrue(history["stockout"][row[self.tea.id], -15:-2].all())
