import datetime

from odoo import fields
from odoo.tests import tagged

from .common import RetailAnalyticsCase


@tagged("post_install", "-at_install")
class TestAnomalyScan(RetailAnalyticsCase):
    """Fixture day: every rule type has one candidate exactly at its threshold (fires) and
    one just below (does not)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["retail.anomaly.rule"]
        day = cls.day
        cls.juice = cls.env["product.product"].create({
            "name": "Juice", "list_price": 3.0, "standard_price": 1.5, "is_storable": True, "barcode": "RA-JUICE"})
        # baseline: yoghurt sells 1 and juice 4 a day in both stores for 28 days
        for offset in range(1, 29):
            when = cls.at(day - datetime.timedelta(days=offset))
            cls.sell(cls.session_a, cls.manager_a, when, [(cls.yoghurt, 1, 2.0, 0), (cls.juice, 4, 3.0, 0)])
            cls.sell(cls.session_b, cls.manager_b, when, [(cls.yoghurt, 1, 2.0, 0), (cls.juice, 4, 3.0, 0)])
        # spike: yoghurt 10 in store A (fires), 9 in store B (does not);
        # drop: juice down 75% in store A (1 sold), 74.75% in store B (1.01 sold)
        cls.sell(cls.session_a, cls.manager_a, cls.at(day, 8), [(cls.yoghurt, 10, 2.0, 0), (cls.juice, 1, 3.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(day, 8), [(cls.yoghurt, 9, 2.0, 0), (cls.juice, 1.01, 3.0, 0)])
        # price below cost: milk costs 3; 2.7 in A is 10% below (fires), 2.71 in B is not
        cls.sell(cls.session_a, cls.manager_a, cls.at(day, 9), [(cls.milk, 1, 2.7, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(day, 9), [(cls.milk, 1, 2.71, 0)])
        # discount rate: cashier_a gives 20% on 100 (fires), cashier_a2 19.99% (does not)
        cls.sell(cls.session_a, cls.cashier_a, cls.at(day, 10), [(cls.bread, 25, 4.0, 20)])
        cls.sell(cls.session_a, cls.cashier_a2, cls.at(day, 10), [(cls.bread, 25, 4.0, 19.99)])
        # refunds and voids: cashier_a has 1 refund + 1 void out of 2 tickets + 1 void (2/3),
        # cashier_a2 1 void out of 1 ticket + 1 void (1/2)
        cls.sell(cls.session_a, cls.cashier_a, cls.at(day, 11), [(cls.bread, -1, 4.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(day, 11), [(cls.bread, 1, 4.0, 0)], state="cancel")
        cls.sell(cls.session_a, cls.cashier_a2, cls.at(day, 11), [(cls.bread, 1, 4.0, 0)], state="cancel")
        # cash variance: 50 in A (fires), 49.99 in B (does not)
        cls.session_cash_a = cls.close_session(cls.store_a, cls.manager_a, cls.at(day, 22), counted=50.0)
        cls.close_session(cls.store_b, cls.manager_b, cls.at(day, 22), counted=49.99)
        # negative stock: bread -2 in A (fires at 2), milk -1.99 in B (does not)
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.bread, cls.store_a.lot_stock_id, -2)
        Quant._update_available_quantity(cls.milk, cls.store_b.lot_stock_id, -1.99)
        cls.rules = {
            "sales_spike": Rule.create({"name": "Spike", "rule_type": "sales_spike", "threshold": 10,
                                        "baseline_days": 28, "min_volume": 1}),
            "sales_drop": Rule.create({"name": "Drop", "rule_type": "sales_drop", "threshold": 0.9,
                                       "baseline_days": 28, "min_volume": 1}),
            "price_below_cost": Rule.create({"name": "Below cost", "rule_type": "price_below_cost",
                                             "threshold": 0.1}),
            "discount_rate": Rule.create({"name": "Discounts", "rule_type": "discount_rate", "threshold": 0.2}),
            "refund_void_rate": Rule.create({"name": "Refunds", "rule_type": "refund_void_rate",
                                             "threshold": 0.6, "min_volume": 3}),
            "cash_variance": Rule.create({"name": "Cash", "rule_type": "cash_variance", "threshold": 50}),
            "negative_stock": Rule.create({"name": "Negative", "rule_type": "negative_stock", "threshold": 2}),
        }

    def scan(self, rule_type, day=None):
        return self.env["retail.anomaly.rule"]._scan(day or self.day, rules=self.rules[rule_type])

    def test_sales_spike_fires_at_ten_times_not_nine(self):
        items = self.scan("sales_spike")
        self.assertEqual(len(items), 1)
        self.assertEqual((items.retail_store_id, items.product_id), (self.store_a, self.yoghurt))
        self.assertAlmostEqual(items.value, 10.0)
        self.assertAlmostEqual(items.baseline, 1.0)
        self.assertIn("<polyline", str(items.chart_html))

    def test_a_review_item_is_named_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rules["sales_spike"].with_context(lang="zh_CN").name = "销量激增"
        item = self.scan("sales_spike")
        self.assertEqual(item.with_context(lang="en_US").name, "Spike / Test Store A / Yoghurt")
        self.assertEqual(item.with_context(lang="zh_CN").name, "销量激增 / Test Store A / Yoghurt")
        Item = self.env["retail.review.item"]
        self.assertEqual(Item.search([("name", "ilike", "spike"), ("id", "=", item.id)]), item)
        self.assertEqual(Item.with_context(lang="zh_CN").search([("name", "ilike", "激增")]), item)

    def test_sales_drop_fires_for_products_that_stopped(self):
        # the day after, nothing sold: yoghurt's baseline is about 1.3 a day in both stores,
        # juice's about 4 and bread's 1.75 in store A; milk's 1/28 a day is below the minimum volume
        items = self.scan("sales_drop", self.day + datetime.timedelta(days=1))
        self.assertEqual(set(items.mapped(lambda i: (i.retail_store_id.id, i.product_id.id))),
                         {(self.store_a.id, self.yoghurt.id), (self.store_b.id, self.yoghurt.id),
                          (self.store_a.id, self.juice.id), (self.store_b.id, self.juice.id),
                          (self.store_a.id, self.bread.id)})
        self.assertEqual(set(items.mapped("value")), {1.0})

    def test_sales_drop_fires_at_its_threshold_not_just_below(self):
        self.rules["sales_drop"].threshold = 0.75
        items = self.scan("sales_drop")
        self.assertEqual((items.retail_store_id, items.product_id), (self.store_a, self.juice))
        self.assertAlmostEqual(items.value, 0.75)
        self.assertAlmostEqual(items.baseline, 4.0)

    def test_price_below_cost(self):
        items = self.scan("price_below_cost")
        self.assertEqual((items.retail_store_id, items.product_id), (self.store_a, self.milk))
        self.assertAlmostEqual(items.value, 0.1)
        self.assertAlmostEqual(items.baseline, 3.0)

    def test_discount_rate_by_cashier(self):
        items = self.scan("discount_rate")
        self.assertEqual(items.cashier_id, self.cashier_a)
        self.assertAlmostEqual(items.value, 0.2)

    def test_refund_void_rate_by_cashier(self):
        items = self.scan("refund_void_rate")
        self.assertEqual(items.cashier_id, self.cashier_a)
        self.assertAlmostEqual(items.value, 2 / 3.0, places=4)
        self.assertEqual(items.baseline, 3)

    def test_refund_void_rate_fires_at_its_threshold_not_just_below(self):
        rule = self.rules["refund_void_rate"]
        rule.write({"threshold": 0.5, "min_volume": 0})
        items = self.scan("refund_void_rate")
        self.assertEqual(items.cashier_id, self.cashier_a | self.cashier_a2)
        self.assertAlmostEqual(items.filtered(lambda item: item.cashier_id == self.cashier_a2).value, 0.5)
        self.env["retail.review.item"].search([("rule_id", "=", rule.id)]).unlink()
        rule.threshold = 0.5001
        self.assertEqual(self.scan("refund_void_rate").cashier_id, self.cashier_a)

    def test_cash_variance(self):
        items = self.scan("cash_variance")
        self.assertEqual(items.session_id, self.session_cash_a)
        self.assertAlmostEqual(items.value, 50.0)

    def test_negative_stock(self):
        items = self.scan("negative_stock")
        self.assertEqual((items.retail_store_id, items.product_id), (self.store_a, self.bread))
        self.assertAlmostEqual(items.value, 2.0)

    def test_stock_variance_after_stocktake(self):
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.yoghurt, self.store_a.lot_stock_id, 130)
        Quant._update_available_quantity(self.milk, self.store_a.lot_stock_id, 40)
        quants = Quant.search([("location_id", "=", self.store_a.lot_stock_id.id),
                               ("product_id", "in", (self.yoghurt | self.milk).ids)])
        for quant in quants:
            # yoghurt: 100 x 1 = 100 lost (fires at 100); milk: 33 x 3 = 99 lost (does not)
            quant.inventory_quantity = 30 if quant.product_id == self.yoghurt else 7
        quants.action_apply_inventory()
        rule = self.env["retail.anomaly.rule"].create(
            {"name": "Stocktake", "rule_type": "stock_variance", "threshold": 100})
        today = fields.Date.today()
        items = self.env["retail.anomaly.rule"]._scan(today, rules=rule)
        self.assertEqual((items.retail_store_id, items.product_id), (self.store_a, self.yoghurt))
        self.assertAlmostEqual(items.value, 100.0)
        self.assertAlmostEqual(items.baseline, -100.0)

    def test_full_scan_creates_exactly_the_expected_items(self):
        items = self.env["retail.anomaly.rule"]._scan(self.day)
        by_type = {}
        for item in items:
            by_type.setdefault(item.rule_type, []).append(item)
        self.assertEqual({k: len(v) for k, v in by_type.items()}, {
            "sales_spike": 1, "price_below_cost": 1, "discount_rate": 1, "refund_void_rate": 1,
            "cash_variance": 1, "negative_stock": 1,
        })
        # each item is assigned to its store's manager with a to-do
        for item in items:
            manager = self.manager_a if item.retail_store_id == self.store_a else self.manager_b
            self.assertEqual(item.assigned_user_id, manager)
            self.assertEqual(item.activity_ids.user_id, manager)
        # a second scan of the same day finds nothing new
        self.assertFalse(self.env["retail.anomaly.rule"]._scan(self.day))

    def test_scope_limits_the_rule(self):
        self.rules["sales_spike"].write({"scope": "store", "store_ids": [(6, 0, self.store_b.ids)]})
        self.assertFalse(self.scan("sales_spike"))
        self.rules["sales_spike"].write({"scope": "category", "categ_ids": [(6, 0, self.category.ids)]})
        self.assertEqual(len(self.scan("sales_spike")), 1)

    def test_scan_changes_no_business_data(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT COUNT(*), SUM(amount_total) FROM pos_order")
        orders = self.env.cr.fetchone()
        self.env.cr.execute("SELECT COUNT(*), SUM(quantity) FROM stock_quant")
        quants = self.env.cr.fetchone()
        self.env["retail.anomaly.rule"]._scan(self.day)
        self.env.flush_all()
        self.env.cr.execute("SELECT COUNT(*), SUM(amount_total) FROM pos_order")
        self.assertEqual(self.env.cr.fetchone(), orders)
        self.env.cr.execute("SELECT COUNT(*), SUM(quantity) FROM stock_quant")
        self.assertEqual(self.env.cr.fetchone(), quants)
