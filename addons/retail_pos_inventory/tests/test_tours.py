from datetime import timedelta

from odoo import Command, fields
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMarkdownTours(TestPointOfSaleHttpCommon):
    """A store manager approves a markdown in the web client; the till sells the scanned lot at
    its price and prints it; the server keeps that price."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.main_pos_config.company_id
        store = cls.main_pos_config.picking_type_id.warehouse_id
        store.write({"retail_store_type": "store", "name": "Markdown Tour Store"})
        cls.store = store
        cls.retail_manager = new_test_user(
            env, "markdown_tour_manager", groups="retail_base.group_retail_manager",
            company_id=company.id, company_ids=[Command.set(company.ids)],
        )
        cls.retail_manager.retail_store_ids = store
        company.nomenclature_id = env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        cls.main_pos_config.write({
            "warehouse_id": store.id,
            "fallback_nomenclature_id": env.ref("barcodes.default_barcode_nomenclature").id,
            "retail_price_override_allowed": False,
        })
        cls.milk = env["product.product"].create({
            "name": "Markdown Milk", "barcode": "06900000000014", "lst_price": 8.0, "standard_price": 5.0,
            "available_in_pos": True, "is_storable": True, "tracking": "lot", "use_expiration_date": True,
            "taxes_id": [Command.clear()],
        })
        cls.lot = env["stock.lot"].create({
            "name": "MILK-MD", "product_id": cls.milk.id, "company_id": company.id,
            "expiration_date": fields.Datetime.now() + timedelta(days=5),
        })
        full = env["stock.lot"].create({
            "name": "MILK-FULL", "product_id": cls.milk.id, "company_id": company.id,
            "expiration_date": fields.Datetime.now() + timedelta(days=30),
        })
        env["stock.quant"]._update_available_quantity(cls.milk, store.lot_stock_id, 30, lot_id=cls.lot)
        env["stock.quant"]._update_available_quantity(cls.milk, store.lot_stock_id, 10, lot_id=full)
        # no sales yet: all 30 would expire unsold
        cls.markdown = env["retail.lot.markdown"]._retail_propose(store)

    def test_manager_approves_the_proposed_markdown(self):
        self.assertEqual(self.markdown.state, "proposed")
        self.start_tour("/odoo/action-retail_pos_inventory.retail_lot_markdown_action",
                        "RetailMarkdownApproveTour", login="markdown_tour_manager")
        self.assertEqual((self.markdown.state, self.markdown.approved_by_id), ("approved", self.retail_manager))

    def test_scanned_lot_sells_at_its_markdown_price(self):
        self.markdown.with_user(self.retail_manager).action_approve()
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailMarkdownTillTour", login="pos_user")
        order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(
            [(line.pack_lot_ids.lot_name, line.qty, line.price_unit) for line in order.lines],
            [("MILK-MD", 1.0, 6.80), ("MILK-FULL", 1.0, 8.0)],
        )
        self.assertEqual(order.amount_total, 14.80)

    def test_cashier_asks_another_store_for_a_product(self):
        other = self.env["stock.warehouse"].create({
            "name": "Other Tour Store", "code": "OTS", "retail_store_type": "store",
            "company_id": self.store.company_id.id})
        juice = self.env["product.product"].create({
            "name": "Request Juice", "lst_price": 5.0, "available_in_pos": True, "is_storable": True,
            "taxes_id": [Command.clear()]})
        self.env["stock.quant"]._update_available_quantity(juice, other.lot_stock_id, 12)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailStockRequestTour", login="pos_user")
        request = self.env["retail.dispatch.proposal"].sudo().search(
            [("retail_requested_by_id", "=", self.pos_user.id)])
        self.assertEqual(request.state, "draft")
        self.assertEqual([(line.source_id, line.destination_id, line.product_id, line.quantity)
                          for line in request.line_ids], [(other, self.store, juice, 2.0)])
