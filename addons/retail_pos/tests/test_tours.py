from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRetailPosTours(TestPointOfSaleHttpCommon):

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
        cls.manager_employee = env["hr.employee"].sudo().create({
            "name": "Retail Manager", "user_id": cls.retail_manager.id, "pin": "2580",
            "company_id": company.id,
        })
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
        cls.main_pos_config.write({
            "module_pos_hr": True,
            "warehouse_id": store.id,
            "basic_employee_ids": [Command.set(cls.cashier_employee.ids)],
            "advanced_employee_ids": [Command.set(cls.manager_employee.ids)],
            "retail_scan_first": True,
            "retail_max_line_discount": 10.0,
            "retail_price_override_allowed": False,
            "retail_blind_closing": True,
        })

    def test_scan_first_discount_and_expired_lot_approvals(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailPosScanFirstDiscountTour", login="pos_user")
        order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(len(order), 1)
        cola_line = order.lines.filtered(lambda line: line.product_id == self.cola)
        milk_line = order.lines - cola_line
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

    def test_return_against_receipt_and_blind_closing(self):
        # Closing the register needs an advanced employee in pos_hr.
        self.main_pos_config.advanced_employee_ids += self.cashier_employee
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailPosReturnReceiptTour", login="pos_user")
        orders = self.main_pos_config.current_session_id.order_ids
        refund = orders.filtered(lambda order: order.amount_total < 0)
        self.assertEqual(len(orders), 2)
        self.assertEqual(refund.lines.qty, -1)
        self.assertEqual(refund.lines.refunded_orderline_id.order_id, orders - refund)
