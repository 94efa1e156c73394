from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRetailPosTours(TestPointOfSaleHttpCommon):
    # A Chinese company: the till sells in RMB and prints the amount in capitals.
    country_code = "CN"
    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.main_pos_config.company_id
        store = cls.main_pos_config.picking_type_id.warehouse_id
        store.write({"retail_store_type": "store", "name": "Retail Tour Store"})
        cls.store = store
        cls.retail_manager = new_test_user(
            env, "retail_tour_manager", groups="retail_base.group_retail_manager",
            company_id=company.id, company_ids=[Command.set(company.ids)],
        )
        cls.retail_manager.retail_store_ids = store
        # Cash moves at the till need invoicing rights (core's rule).
        cls.pos_user.group_ids += env.ref("account.group_account_invoice")
        cls.manager_employee = env["hr.employee"].sudo().create({
            "name": "Retail Manager", "user_id": cls.retail_manager.id, "pin": "2580",
            "company_id": company.id,
        })
        cls.manager_employee._retail_set_approval_pin("258046")
        cls.cashier_employee = env["hr.employee"].sudo().create({
            "name": "Retail Cashier", "user_id": cls.pos_user.id, "company_id": company.id,
        })
        cls.cola = env["product.product"].create({
            "name": "可口可乐", "barcode": "6901234567892", "lst_price": 10.0,
            "available_in_pos": True, "taxes_id": [Command.clear()],
        })
        cls.milk = env["product.product"].create({
            "name": "Fresh Milk", "barcode": "6900000000017", "lst_price": 8.0, "available_in_pos": True,
            "is_storable": True, "tracking": "lot", "use_expiration_date": True,
            "taxes_id": [Command.clear()],
        })
        env["stock.lot"].create({
            "name": "MILK-OLD", "product_id": cls.milk.id, "company_id": company.id,
            "expiration_date": "2020-01-01 00:00:00",
        })
        cls.customer = env["res.partner"].create({"name": "张三"})
        env["res.partner"].create({"name": "李四"})
        plain = {"available_in_pos": True, "taxes_id": [Command.clear()]}
        Product = env["product.product"]
        burger, noodles, juice, tea = Product.create([
            {**plain, "name": "Tour Burger", "lst_price": 12.0},
            {**plain, "name": "Tour Noodles", "lst_price": 10.0},
            {**plain, "name": "Tour Juice", "lst_price": 5.0},
            {**plain, "name": "Tour Tea", "lst_price": 4.0},
        ])
        mains = env["product.combo"].create({"name": "Tour Mains", "combo_item_ids": [
            Command.create({"product_id": burger.id}), Command.create({"product_id": noodles.id}),
        ]})
        drinks = env["product.combo"].create({"name": "Tour Drinks", "combo_item_ids": [
            Command.create({"product_id": juice.id, "extra_price": 1.0}), Command.create({"product_id": tea.id}),
        ]})
        cls.lunch = Product.create({
            **plain, "name": "Tour Lunch Set", "type": "combo", "lst_price": 13.0,
            "combo_ids": [Command.set((mains | drinks).ids)],
        })
        tax_included = env["account.tax"].create({
            "name": "VAT 13% incl.", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "price_include_override": "tax_included", "company_id": company.id,
        })
        cls.fiscal_position = env["account.fiscal.position"].create({
            "name": "Incl. to Excl.", "company_id": company.id,
        })
        cls.tax_excluded = env["account.tax"].create({
            "name": "VAT 13% excl.", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "price_include_override": "tax_excluded", "company_id": company.id,
            "fiscal_position_ids": [Command.set(cls.fiscal_position.ids)],
            "original_tax_ids": [Command.set(tax_included.ids)],
        })
        cls.wine = Product.create({
            "name": "Rice Wine", "barcode": "6900000000024", "lst_price": 11.3, "available_in_pos": True,
            "taxes_id": [Command.set(tax_included.ids)],
        })
        cls.main_pos_config.write({
            "tax_regime_selection": True,
            "fiscal_position_ids": [Command.set(cls.fiscal_position.ids)],
            "module_pos_hr": True,
            "warehouse_id": store.id,
            "basic_employee_ids": [Command.set(cls.cashier_employee.ids)],
            "advanced_employee_ids": [Command.set(cls.manager_employee.ids)],
            "retail_scan_first": True,
            "retail_max_line_discount": 10.0,
            "retail_price_override_allowed": False,
            "retail_blind_closing": True,
        })

    def test_scan_first_approvals_combo_customer_and_receipt(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailPosScanFirstDiscountTour", login="pos_user")
        order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(len(order), 1)
        cola_line = order.lines.filtered(lambda line: line.product_id == self.cola)
        milk_line = order.lines.filtered(lambda line: line.product_id == self.milk)
        self.assertEqual((cola_line.qty, cola_line.discount), (2, 25.0))
        self.assertEqual(milk_line.pack_lot_ids.lot_name, "MILK-OLD")
        approvals = order.retail_approval_ids
        self.assertEqual(sorted(approvals.mapped("action")), ["discount", "expired_lot", "manual_entry"])
        self.assertEqual(approvals.approver_employee_id, self.manager_employee)
        self.assertEqual(approvals.retail_store_id, self.store)
        self.assertEqual(
            approvals.filtered(lambda approval: approval.action == "expired_lot").order_line_id, milk_line,
        )
        self.assertEqual(approvals.filtered(lambda approval: approval.action == "discount").new_value, "25")
        # The customer was found by pinyin initials; the combo and the fiscal position were
        # accepted by the server as the till priced them.
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.fiscal_position_id, self.fiscal_position)
        combo = order.lines.filtered(lambda line: line.product_id == self.lunch)
        self.assertEqual(
            sorted((line.product_id.name, line.price_unit) for line in combo.combo_line_ids),
            [("Tour Burger", 9.29), ("Tour Juice", 4.71)],
        )
        wine_line = order.lines.filtered(lambda line: line.product_id == self.wine)
        self.assertEqual((wine_line.price_unit, wine_line.tax_ids_after_fiscal_position), (11.3, self.tax_excluded))
        self.assertEqual(order.amount_total, 49.77)

    def test_return_against_receipt_and_blind_closing(self):
        # Closing the register needs an advanced employee in pos_hr.
        self.main_pos_config.advanced_employee_ids += self.cashier_employee
        self.main_pos_config.retail_cash_drop_witness = True
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailPosReturnReceiptTour", login="pos_user")
        orders = self.main_pos_config.current_session_id.order_ids
        refund = orders.filtered(lambda order: order.amount_total < 0)
        self.assertEqual(len(orders), 2)
        self.assertEqual((orders - refund).amount_return, 30.0)
        self.assertEqual(refund.lines.qty, -1)
        self.assertEqual(refund.lines.refunded_orderline_id.order_id, orders - refund)
        drop = self.env["retail.pos.cash.drop"].search([("session_id", "=", orders.session_id.id)])
        self.assertEqual(
            (drop.amount, drop.cashier_employee_id, drop.approver_employee_id, drop.reason),
            (5.0, self.cashier_employee, self.manager_employee, "Cash drop to the safe"),
        )
        self.assertEqual(drop.statement_line_id.amount, -5.0)
        self.assertEqual(orders.session_id.cash_register_balance_end, 5.0)

    def test_backlog_synchronised_in_batches(self):
        # Orders sold offline reach the server in one call; a call the server refuses because
        # one of its orders was tampered with is sent again order by order, and only that one
        # is left out.
        self.assertEqual(self.main_pos_config.retail_sync_batch_size, 10)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailPosBacklogSyncTour", login="pos_user")
        orders = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(len(orders), 5)
        self.assertEqual(set(orders.mapped("amount_total")), {10.0})
        self.assertEqual(orders.lines.mapped("price_unit"), [10.0] * 5)
        self.assertEqual(set(orders.mapped("state")), {"paid"})
