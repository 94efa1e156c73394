import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import RetailCase


@tagged("post_install", "-at_install")
class TestStore(RetailCase):
    def test_store_gets_analytic_account_in_stores_plan(self):
        plan = self.env.ref("retail_base.analytic_plan_stores")
        self.assertEqual(self.store_a.retail_analytic_account_id.plan_id, plan)
        self.assertEqual(self.store_a.retail_analytic_account_id.name, "Test Store A")
        self.assertNotEqual(self.store_a.retail_analytic_account_id, self.store_b.retail_analytic_account_id)

    def test_plain_warehouse_gets_no_analytic_account(self):
        warehouse = self.env["stock.warehouse"].create({"name": "Outside", "code": "OUT"})
        self.assertFalse(warehouse.retail_analytic_account_id)
        warehouse.retail_store_type = "store"
        self.assertTrue(warehouse.retail_analytic_account_id)

    def test_default_store_follows_assigned_stores(self):
        self.assertEqual(self.cashier_a.retail_default_store_id, self.store_a)
        self.assertEqual(self.store_a.retail_user_ids & self.cashier_a, self.cashier_a)
        self.cashier_a.retail_store_ids = self.store_b
        self.assertEqual(self.cashier_a.retail_default_store_id, self.store_b)

    def test_visible_stores_by_role(self):
        self.assertEqual(self.manager_a._retail_visible_stores(), self.store_a)
        self.assertIn(self.store_b, self.hq_user._retail_visible_stores())
        self.assertIn(self.dc, self.hq_user._retail_visible_stores())

    def test_manager_of_own_store_only(self):
        self.assertTrue(self.manager_a._retail_is_manager_of(self.store_a))
        self.assertFalse(self.manager_a._retail_is_manager_of(self.store_b))
        self.assertFalse(self.cashier_a._retail_is_manager_of(self.store_a))
        self.assertTrue(self.hq_user._retail_is_manager_of(self.store_b))

    def test_role_hierarchy(self):
        self.assertTrue(self.hq_user.has_group("retail_base.group_retail_manager"))
        self.assertTrue(self.manager_a.has_group("retail_base.group_retail_staff"))
        self.assertFalse(self.cashier_a.has_group("retail_base.group_retail_manager"))

    def test_staff_cannot_edit_regions(self):
        self.region.with_user(self.cashier_a).read(["name"])
        with self.assertRaises(AccessError):
            self.region.with_user(self.cashier_a).write({"name": "West"})
        self.region.with_user(self.hq_user).write({"name": "West"})
        self.assertEqual(self.region.name, "West")


@tagged("post_install", "-at_install")
class TestStoresDay(TransactionCase):
    def test_today_is_the_stores_day_whoever_asks(self):
        company = self.env.company
        company.partner_id.tz = "Asia/Shanghai"
        nobody = self.env["res.users"].with_context(tz=False)
        with freeze_time("2026-03-10 22:00:00"):
            self.assertEqual(company.with_env(nobody.env)._retail_today(), datetime.date(2026, 3, 11))
        with freeze_time("2026-03-10 12:00:00"):
            self.assertEqual(company._retail_today(), datetime.date(2026, 3, 10))
