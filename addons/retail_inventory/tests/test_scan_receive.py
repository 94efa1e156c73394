from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RetailInventoryCase


class ScanReceiveCommon(RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier_b = new_test_user(cls.env, "retail_cashier_b", groups="retail_base.group_retail_staff")
        cls.cashier_b.retail_store_ids = cls.store_b
        cls.water = cls.env["product.product"].create({
            "name": "Water 500ml", "is_storable": True, "barcode": "6900000000035",
        })
        proposal = cls.env["retail.dispatch.proposal"].create({
            "store_ids": [(6, 0, cls.stores.ids)],
            "line_ids": [(0, 0, {
                "source_id": cls.store_a.id, "destination_id": cls.store_b.id, "product_id": cls.yoghurt.id,
                "lot_id": cls.lot_a.id, "quantity": 6, "reason": "manual",
            })],
        })
        proposal.action_approve()
        cls.ship = proposal.picking_ids.filtered(lambda p: p.picking_type_id == cls.store_a.out_type_id)
        cls.receipt = proposal.picking_ids - cls.ship
        cls.ship.button_validate()
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.supplier_receipt = cls.env["stock.picking"].create({
            "picking_type_id": cls.store_a.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": cls.store_a.lot_stock_id.id,
            "move_ids": [(0, 0, {
                "product_id": cls.water.id, "product_uom_qty": 3, "product_uom": cls.water.uom_id.id,
                "location_id": supplier.id, "location_dest_id": cls.store_a.lot_stock_id.id,
            })],
        })
        cls.supplier_receipt.action_confirm()


@tagged("post_install", "-at_install")
class TestScanReceive(ScanReceiveCommon):
    def test_scan_counts_units_and_lots(self):
        receipt = self.receipt.with_user(self.cashier_b)
        self.assertEqual(receipt.state, "assigned")
        result = receipt.retail_scan("6900000000011")
        self.assertEqual(result["status"], "ok")
        result = receipt.retail_scan("YOG-A-1")
        self.assertEqual((result["state"]["scanned"], result["state"]["expected"]), (2.0, 6.0))

    def test_wrong_item_is_refused_and_recorded(self):
        result = self.receipt.with_user(self.cashier_b).retail_scan("6900000000028")
        self.assertEqual(result["status"], "wrong")
        self.assertIn("Biscuit is not expected in", result["message"])
        self.assertEqual(result["state"]["scanned"], 0.0)
        wrong = self.receipt.retail_discrepancy_ids
        self.assertEqual((wrong.kind, wrong.product_id, wrong.retail_store_id), ("wrong", self.biscuit, self.store_b))

    def test_typed_quantity_needs_a_manager_of_the_store(self):
        with self.assertRaisesRegex(UserError, "Typing a quantity needs a store manager of Test Store B"):
            self.receipt.with_user(self.cashier_b).retail_scan("6900000000011", quantity=6)
        self.assertEqual(self.receipt.move_ids.retail_scanned_qty, 0.0)
        manager_b = self.manager_b
        result = self.receipt.with_user(manager_b).retail_scan("6900000000011", quantity=6)
        self.assertEqual(result["state"]["scanned"], 6.0)

    def test_short_units_are_written_off_from_transit(self):
        receipt = self.receipt.with_user(self.cashier_b)
        for _unit in range(4):
            receipt.retail_scan("6900000000011")
        receipt.retail_validate("Carton torn open")
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 4)
        short = self.receipt.retail_discrepancy_ids
        self.assertEqual((short.kind, short.quantity, short.reason, short.lot_id), ("short", 2.0, "Carton torn open",
                                                                                     self.lot_a))
        self.assertEqual(short.adjustment_move_id.state, "done")
        self.assertEqual(short.adjustment_move_id.location_dest_id.usage, "inventory")
        transit = self.env.company.internal_transit_location_id
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.yoghurt, transit, lot_id=self.lot_a,
                                                                        allow_negative=True), 0)
        self.assertFalse(self.receipt.backorder_ids)

    def test_damaged_units_are_scrapped(self):
        receipt = self.receipt.with_user(self.manager_b)
        receipt.retail_scan("6900000000011", quantity=6)
        with self.assertRaisesRegex(UserError, "between 1 and the units scanned"):
            receipt.retail_report_damaged(self.yoghurt.id, 7, "crushed")
        receipt.retail_report_damaged(self.yoghurt.id, 1, "Crushed pot")
        receipt.retail_validate()
        damaged = self.receipt.retail_discrepancy_ids
        self.assertEqual((damaged.kind, damaged.quantity), ("damaged", 1.0))
        self.assertTrue(damaged.adjustment_move_id.scrap_id)
        self.assertEqual(damaged.adjustment_move_id.state, "done")
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 5)

    def test_other_store_cannot_receive(self):
        with self.assertRaises(AccessError):
            self.receipt.with_user(self.cashier_a).retail_scan("6900000000011")

    def test_only_open_receipts_are_scanned(self):
        with self.assertRaisesRegex(UserError, "is not a receipt"):
            self.ship.retail_scan("6900000000011")
        with self.assertRaisesRegex(UserError, "Nothing has been scanned"):
            self.receipt.retail_validate()


@tagged("post_install", "-at_install")
class TestScanReceiveTours(HttpCase, ScanReceiveCommon):
    def test_tour_receive_interstore_transfer_by_scanning(self):
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{self.receipt.id}",
                        "retail_inventory_scan_interstore", login=self.cashier_b.login)
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 6)
        self.assertFalse(self.receipt.retail_discrepancy_ids)

    def test_tour_supplier_receipt_refuses_wrong_item(self):
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{self.supplier_receipt.id}",
                        "retail_inventory_scan_supplier_refusals", login=self.cashier_a.login)
        self.assertEqual(self.supplier_receipt.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.water), 2)
        self.assertEqual(sorted(self.supplier_receipt.retail_discrepancy_ids.mapped("kind")),
                         ["short", "wrong", "wrong"])
