from odoo.tests import TransactionCase, tagged

from ..models.retail_chain_generator_pos import DEMO_APPROVAL_PIN


@tagged("post_install", "-at_install")
class TestDemoChainTills(TransactionCase):
    """The demo chain's tills, used the way a cashier and a manager of store S01 use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["retail.chain.generator"].generate(scale="test", seed=7)
        cls.stores = cls.env["stock.warehouse"].search([("retail_store_type", "=", "store")], order="code")
        cls.store = cls.stores[0]
        cls.config = cls.store.retail_pos_config_ids[:1]
        cls.cashier = cls.env["res.users"].search([("login", "=", "cashier")])

    def manager_of(self, config):
        return config.advanced_employee_ids.filtered(lambda e: e.user_id.retail_store_ids == config.warehouse_id)

    def test_each_till_offers_its_own_store_staff_only(self):
        self.config.open_ui()
        loaded = self.config.current_session_id.with_user(self.cashier).load_data(["hr.employee"])["hr.employee"]
        employees = self.env["hr.employee"].browse([employee["id"] for employee in loaded])
        self.assertEqual(employees.user_id.retail_store_ids, self.store)
        self.assertNotIn(self.env.ref("base.user_admin"), employees.user_id)
        self.assertIn(self.manager_of(self.config), employees)
        for store in self.stores:
            config = store.retail_pos_config_ids[:1]
            self.assertTrue(config.basic_employee_ids, store.name)
            self.assertTrue(self.manager_of(config), store.name)
            self.assertTrue(all(config.basic_employee_ids.mapped("pin")), store.name)

    def test_every_till_product_and_customer_has_its_pinyin_key(self):
        def chinese(record):
            return any("\u4e00" <= char <= "\u9fff" for char in record.name or "")

        Template = self.env["product.template"]
        missing = Template.search([("available_in_pos", "=", True), ("retail_pinyin", "=", False)])
        self.assertFalse(missing.filtered(chinese))
        self.assertGreater(Template.search_count([("available_in_pos", "=", True), ("retail_pinyin", "!=", False)]), 10)
        cola = Template.search([("name", "ilike", "可口可乐")], limit=1)
        if cola:
            self.assertIn("kkkl", cola.retail_pinyin)
        members = self.env["res.partner"].search([("retail_pinyin", "=", False), ("name", "!=", False)])
        self.assertFalse(members.filtered(chinese))

    def test_s01_cashier_logs_in_with_the_documented_pin(self):
        employee = self.config.basic_employee_ids.filtered(lambda e: e.user_id == self.cashier)
        self.assertEqual(employee.pin, "1011")
        self.assertEqual(self.manager_of(self.config).pin, "2010")

    def test_s01_manager_approves_with_the_demo_approval_pin(self):
        self.config.open_ui()
        session = self.config.current_session_id
        manager = self.manager_of(self.config)
        args = ("discount", "order-uuid", [{"line_uuid": "line", "new_value": "20"}], manager.id)
        self.assertTrue(session.with_user(self.cashier).retail_request_approval(*args, DEMO_APPROVAL_PIN)["ok"])
        self.assertFalse(session.with_user(self.cashier).retail_request_approval(*args, manager.pin)["ok"])
