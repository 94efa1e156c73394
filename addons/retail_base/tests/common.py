from odoo.tests import TransactionCase, new_test_user


class RetailCase(TransactionCase):
    """Two stores, a distribution centre and one user per role, built once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.region = cls.env["retail.region"].create({"name": "East", "code": "E"})
        cls.dc = Warehouse.create({"name": "Test DC", "code": "TDC", "retail_store_type": "dc"})
        cls.store_a = Warehouse.create({
            "name": "Test Store A", "code": "TSA", "retail_store_type": "store",
            "retail_region_id": cls.region.id,
        })
        cls.store_b = Warehouse.create({
            "name": "Test Store B", "code": "TSB", "retail_store_type": "store",
            "retail_region_id": cls.region.id,
        })
        cls.cashier_a = new_test_user(cls.env, "retail_cashier_a", groups="retail_base.group_retail_staff")
        cls.manager_a = new_test_user(cls.env, "retail_manager_a", groups="retail_base.group_retail_manager")
        cls.manager_b = new_test_user(cls.env, "retail_manager_b", groups="retail_base.group_retail_manager")
        cls.hq_user = new_test_user(cls.env, "retail_hq", groups="retail_base.group_retail_hq")
        cls.cashier_a.retail_store_ids = cls.store_a
        cls.manager_a.retail_store_ids = cls.store_a
        cls.manager_b.retail_store_ids = cls.store_b
