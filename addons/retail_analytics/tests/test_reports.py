from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RetailAnalyticsCase


@tagged("post_install", "-at_install")
class TestSalesReports(RetailAnalyticsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day), [(cls.milk, 2, 5.0, 10), (cls.bread, 1, 4.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day), [(cls.milk, -1, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(cls.day), [(cls.milk, 3, 5.0, 0)])
        cls.env.flush_all()

    def test_store_day_figures(self):
        rows = self.env["retail.store.sales.report"].search(
            [("date", "=", self.day), ("retail_store_id", "=", self.store_a.id)])
        self.assertEqual(len(rows), 1)
        self.assertAlmostEqual(rows.sales_amount, 9 + 4 - 5)
        self.assertEqual(rows.ticket_count, 2)
        self.assertAlmostEqual(rows.units, 2)
        self.assertAlmostEqual(rows.margin_amount, 8 - (6 + 2 - 3))
        self.assertAlmostEqual(rows.discount_amount, 1.0)
        self.assertAlmostEqual(rows.refund_amount, 5.0)
        self.assertEqual(rows.refund_count, 1)

    def test_store_product_day_figures(self):
        milk_a = self.env["retail.sales.report"].search(
            [("date", "=", self.day), ("retail_store_id", "=", self.store_a.id), ("product_id", "=", self.milk.id)])
        self.assertAlmostEqual(milk_a.sales_amount, 4.0)
        self.assertAlmostEqual(milk_a.units, 1.0)
        self.assertAlmostEqual(milk_a.refund_units, 1.0)

    def test_managers_see_only_their_stores_rows(self):
        for model in ("retail.store.sales.report", "retail.sales.report"):
            Report = self.env[model]
            self.assertEqual(set(Report.with_user(self.manager_a).search([]).retail_store_id.ids), {self.store_a.id})
            self.assertEqual(set(Report.with_user(self.manager_b).search([]).retail_store_id.ids), {self.store_b.id})
            groups = Report.with_user(self.manager_a)._read_group([], ["retail_store_id"], ["sales_amount:sum"])
            self.assertEqual([store for store, _total in groups], [self.store_a])
            self.assertEqual(set(Report.with_user(self.hq_user).search([]).retail_store_id.ids),
                             {self.store_a.id, self.store_b.id})
            with self.assertRaises(AccessError):
                Report.with_user(self.cashier_a).search([])


@tagged("post_install", "-at_install")
class TestDataQuality(RetailAnalyticsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.no_barcode = Product.create({"name": "Loose Apples", "list_price": 1.0})
        cls.upc = Product.create({"name": "Soap UPC", "barcode": "012345678905", "list_price": 2.0})
        cls.ean = Product.create({"name": "Soap EAN", "barcode": "0012345678905", "list_price": 2.0})
        cls.cheap = Product.create({"name": "Cheap Razor", "barcode": "RA-RAZOR", "list_price": 1.0,
                                    "standard_price": 1.5})
        cls.bad_phone = cls.env["res.partner"].create({"name": "Bad Phone", "phone": "call me"})
        cls.short_phone = cls.env["res.partner"].create({"name": "Short Phone", "phone": "123"})
        cls.good_phone = cls.env["res.partner"].create({"name": "Good Phone", "phone": "+86 138 0013 8000"})
        cls.env.flush_all()

    def problems(self, problem):
        rows = self.env["retail.data.quality.report"].search([("problem", "=", problem)])
        return rows.product_id.ids, rows.partner_id.ids

    def test_each_problem_is_listed(self):
        products, _partners = self.problems("no_barcode")
        self.assertIn(self.no_barcode.id, products)
        self.assertNotIn(self.milk.id, products)
        products, _partners = self.problems("duplicate_barcode")
        self.assertEqual({self.upc.id, self.ean.id} & set(products), {self.upc.id, self.ean.id})
        self.assertNotIn(self.milk.id, products)
        _products, partners = self.problems("invalid_phone")
        self.assertIn(self.bad_phone.id, partners)
        self.assertIn(self.short_phone.id, partners)
        self.assertNotIn(self.good_phone.id, partners)
        products, _partners = self.problems("price_below_cost")
        self.assertIn(self.cheap.id, products)
        self.assertNotIn(self.milk.id, products)

    def test_only_hq_sees_data_quality(self):
        self.assertTrue(self.env["retail.data.quality.report"].with_user(self.hq_user).search_count([]))
        with self.assertRaises(AccessError):
            self.env["retail.data.quality.report"].with_user(self.manager_a).search([])
