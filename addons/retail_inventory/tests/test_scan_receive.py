from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import BaseCase, HttpCase, new_test_user, tagged

from ..tools import receiving
from .common import RetailInventoryCase

MILK = "6901234567892"


def gs1_label(lot, expiry, count=None):
    """A raw GS1 label of the milk: GTIN, expiry date, then the lot (last: no separator)."""
    return f"010{MILK}17{expiry:%y%m%d}" + (f"37{count}\x1d" if count else "") + f"10{lot}"


class ScanReceiveCommon(RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier_b = new_test_user(cls.env, "retail_cashier_b", groups="retail_base.group_retail_staff")
        cls.cashier_b.retail_store_ids = cls.store_b
        cls.water = cls.env["product.product"].create({
            "name": "Water 500ml", "is_storable": True, "barcode": "6900000000035",
        })
        cls.milk = cls.env["product.product"].create({
            "name": "Fresh Milk 1L", "is_storable": True, "tracking": "lot", "use_expiration_date": True,
            "barcode": MILK,
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
                "product_id": product.id, "product_uom_qty": quantity, "product_uom": product.uom_id.id,
                "location_id": supplier.id, "location_dest_id": cls.store_a.lot_stock_id.id,
            }) for product, quantity in ((cls.water, 3), (cls.milk, 4))],
        })
        cls.supplier_receipt.action_confirm()
        cls.milk_move = cls.supplier_receipt.move_ids.filtered(lambda move: move.product_id == cls.milk)
        cls.in_a_month = fields.Date.today() + timedelta(days=30)


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
class TestScanSupplierLots(ScanReceiveCommon):
    """A lot-tracked product from a supplier: the clerk gives its lot (and expiry) by scanning."""

    def _receipt(self):
        return self.supplier_receipt.with_user(self.cashier_a)

    def _counted(self):
        return sorted((line.lot_name, line.quantity, line.expiration_date.date() if line.expiration_date else None)
                      for line in self.milk_move.move_line_ids)

    def test_product_scan_asks_for_the_lot_once_then_counts_into_it(self):
        receipt = self._receipt()
        asked = receipt.retail_scan(MILK)
        self.assertEqual((asked["status"], asked["move_id"], asked["needs_expiry"]),
                         ("lot_needed", self.milk_move.id, True))
        self.assertIn("Scan or type the lot number of Fresh Milk 1L", asked["message"])
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)
        counted = receipt.retail_scan(MILK, lot_name="MILK-A", expiration_date=str(self.in_a_month))
        self.assertEqual(counted["status"], "ok")
        self.assertEqual(receipt.retail_scan(MILK)["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-A", 2.0, self.in_a_month)])
        line = next(line for line in counted["state"]["lines"] if line["move_id"] == self.milk_move.id)
        self.assertEqual((line["current_lot"], line["needs_lot"]), ("MILK-A", True))
        self.assertEqual(self.milk_move.retail_scanned_qty, 2.0)

    def test_gs1_label_fills_lot_and_expiry(self):
        result = self._receipt().retail_scan(gs1_label("MILK-B", self.in_a_month))
        self.assertEqual(result["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-B", 1.0, self.in_a_month)])
        # the next plain scans count into the lot of the label
        self._receipt().retail_scan(MILK)
        self.assertEqual(self._counted(), [("MILK-B", 2.0, self.in_a_month)])

    def test_gs1_label_of_a_carton_counts_its_units(self):
        self._receipt().retail_scan(gs1_label("MILK-C", self.in_a_month, count=4))
        self.assertEqual(self._counted(), [("MILK-C", 4.0, self.in_a_month)])

    def test_another_lot_switches_the_count(self):
        receipt = self._receipt()
        receipt.retail_scan(MILK, lot_name="MILK-A", expiration_date=str(self.in_a_month))
        later = self.in_a_month + timedelta(days=5)
        switched = receipt.retail_scan_set_lot(self.milk_move.id, "MILK-D", str(later))
        self.assertEqual(switched["status"], "ok")
        receipt.retail_scan(MILK)
        receipt.retail_scan(MILK)
        self.assertEqual(self._counted(), [("MILK-A", 1.0, self.in_a_month), ("MILK-D", 2.0, later)])

    def test_validation_creates_the_lots_with_their_expiry(self):
        receipt = self._receipt()
        receipt.retail_scan(gs1_label("MILK-A", self.in_a_month, count=3))
        later = self.in_a_month + timedelta(days=7)
        receipt.retail_scan(gs1_label("MILK-B", later))
        for _unit in range(3):
            receipt.retail_scan("6900000000035")
        receipt.retail_validate()
        self.assertEqual(self.supplier_receipt.state, "done")
        lots = self.env["stock.lot"].search([("product_id", "=", self.milk.id)])
        self.assertEqual(sorted((lot.name, lot.expiration_date.date()) for lot in lots),
                         [("MILK-A", self.in_a_month), ("MILK-B", later)])
        for lot, quantity in zip(lots.sorted("name"), (3, 1), strict=True):
            self.assertEqual(self._on_hand(self.store_a, self.milk, lot), quantity)
        self.assertFalse(self.supplier_receipt.retail_discrepancy_ids)

    def test_new_lot_of_an_expiring_product_needs_its_expiry(self):
        asked = self._receipt().retail_scan(MILK, lot_name="MILK-E")
        self.assertEqual((asked["status"], asked["lot_name"]), ("lot_needed", "MILK-E"))
        self.assertIn("Lot MILK-E of Fresh Milk 1L is new: give its expiry date", asked["message"])
        self.assertFalse(self.milk_move.move_line_ids.filtered("lot_name"))
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)

    def test_existing_lot_is_received_again_with_its_own_expiry(self):
        lot = self.env["stock.lot"].create({
            "name": "MILK-OLD", "product_id": self.milk.id,
            "expiration_date": fields.Datetime.now() + timedelta(days=9),
        })
        result = self._receipt().retail_scan("MILK-OLD")
        self.assertEqual(result["status"], "ok")
        self.assertEqual(self.milk_move.move_line_ids.lot_id, lot)
        self._receipt().retail_scan(MILK)
        self._receipt().retail_validate()
        self.assertEqual(self.env["stock.lot"].search_count([("product_id", "=", self.milk.id)]), 1)
        self.assertEqual(self._on_hand(self.store_a, self.milk, lot), 2)

    def test_expired_lot_is_refused_and_nothing_is_counted(self):
        with self.assertRaisesRegex(UserError, r"Lot MILK-X of Fresh Milk 1L expired on .*: do not receive it"):
            self._receipt().retail_scan(MILK, lot_name="MILK-X", expiration_date=str(date.today() - timedelta(days=1)))
        with self.assertRaisesRegex(UserError, "31-02-2027 is not a date"):
            self._receipt().retail_scan(MILK, lot_name="MILK-X", expiration_date="31-02-2027")
        self.assertFalse(self.milk_move.retail_scan_lot_name)
        self.assertFalse(self.milk_move.move_line_ids.filtered("lot_name"))
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)

    def test_expiry_is_judged_by_the_stores_day_not_the_callers_time_zone(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        store_yesterday = self.env.company._retail_today() - timedelta(days=1)
        # twelve hours behind UTC, the caller's day is the store's yesterday for most of the day
        receipt = self._receipt().with_context(tz="Etc/GMT+12")
        with self.assertRaisesRegex(UserError, r"Lot MILK-X of Fresh Milk 1L expired on"):
            receipt.retail_scan(MILK, lot_name="MILK-X", expiration_date=str(store_yesterday))
        self.assertFalse(self.milk_move.retail_scan_lot_name)
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)

    def test_damaged_units_of_a_new_lot_are_scrapped_from_that_lot(self):
        receipt = self._receipt()
        receipt.retail_scan(gs1_label("MILK-A", self.in_a_month, count=4))
        receipt.retail_report_damaged(self.milk.id, 1, "Leaking carton")
        receipt.retail_validate()
        damaged = self.supplier_receipt.retail_discrepancy_ids.filtered(lambda d: d.kind == "damaged")
        self.assertEqual((damaged.lot_id.name, damaged.adjustment_move_id.state), ("MILK-A", "done"))
        self.assertEqual(self._on_hand(self.store_a, self.milk, damaged.lot_id), 3)

    def test_serial_numbers_one_unit_each_never_twice(self):
        self.milk.tracking = "serial"
        receipt = self._receipt()
        self.assertEqual(receipt.retail_scan(MILK, lot_name="SN-1", expiration_date=str(self.in_a_month))["status"],
                         "ok")
        # the next unit needs its own serial number
        self.assertEqual(receipt.retail_scan(MILK)["status"], "lot_needed")
        with self.assertRaisesRegex(UserError, "Serial number SN-1 of Fresh Milk 1L has already been received"):
            receipt.retail_scan(MILK, lot_name="SN-1", expiration_date=str(self.in_a_month))
        # a GS1 label names the unit by its serial number (21)
        self.assertEqual(receipt.retail_scan(f"010{MILK}17{self.in_a_month:%y%m%d}21SN-2")["status"], "ok")
        self.assertEqual(self._counted(), [("SN-1", 1.0, self.in_a_month), ("SN-2", 1.0, self.in_a_month)])

    def test_over_receipt_of_a_new_lot_is_received_into_it_and_recorded(self):
        receipt = self._receipt()
        receipt.retail_scan(gs1_label("MILK-A", self.in_a_month, count=4))
        receipt.retail_scan(MILK)
        for _unit in range(3):
            receipt.retail_scan("6900000000035")
        receipt.retail_validate()
        self.assertEqual(self.supplier_receipt.state, "done")
        lot = self.env["stock.lot"].search([("product_id", "=", self.milk.id)])
        self.assertEqual((lot.name, self._on_hand(self.store_a, self.milk, lot)), ("MILK-A", 5))
        over = self.supplier_receipt.retail_discrepancy_ids
        self.assertEqual((over.kind, over.quantity, over.lot_id, over.product_id), ("over", 1.0, lot, self.milk))

    def test_move_lines_changed_by_hand_are_not_what_is_received(self):
        receipt = self._receipt()
        receipt.retail_scan(gs1_label("MILK-A", self.in_a_month, count=2))
        line = self.milk_move.move_line_ids
        # store staff may edit the detailed operations of their receipt: it changes nothing received
        line.with_user(self.cashier_a).quantity = 40
        self.env["stock.move.line"].with_user(self.cashier_a).create({
            **self.milk_move._prepare_move_line_vals(quantity=10), "lot_name": "MILK-Z", "picked": True})
        self.assertEqual(self.milk_move.retail_scanned_qty, 2)
        receipt.retail_validate()
        lots = self.env["stock.lot"].search([("product_id", "=", self.milk.id)])
        self.assertEqual(lots.mapped("name"), ["MILK-A"])
        self.assertEqual(self._on_hand(self.store_a, self.milk, lots), 2)
        self.assertEqual(self.supplier_receipt.retail_discrepancy_ids.filtered(
            lambda d: d.product_id == self.milk).mapped("quantity"), [2.0])

    def test_lots_of_a_transfer_between_stores_are_not_asked(self):
        with self.assertRaisesRegex(UserError, "Lots are not entered for this product"):
            self.receipt.with_user(self.cashier_b).retail_scan_set_lot(self.receipt.move_ids.id, "YOG-NEW")

    def test_other_store_cannot_enter_lots(self):
        with self.assertRaises(AccessError):
            self.supplier_receipt.with_user(self.cashier_b).retail_scan_set_lot(
                self.milk_move.id, "MILK-A", str(self.in_a_month))
        self.assertFalse(self.milk_move.retail_scan_lot_name)


@tagged("post_install", "-at_install")
class TestScanShippedLots(ScanReceiveCommon):
    """One move of a transfer A → B whose shipment carried two lots: 3 of YOG-A-1, 3 of YOG-B-1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put(cls.store_a, cls.yoghurt, 3, cls.lot_b)
        cls.transit = cls.env.company.internal_transit_location_id
        stock_a, stock_b = cls.store_a.lot_stock_id, cls.store_b.lot_stock_id
        ship = cls.env["stock.picking"].create({
            "picking_type_id": cls.store_a.out_type_id.id, "location_id": stock_a.id,
            "location_dest_id": cls.transit.id,
            "move_ids": [Command.create({
                "product_id": cls.yoghurt.id, "product_uom_qty": 6, "product_uom": cls.yoghurt.uom_id.id,
                "location_id": stock_a.id, "location_dest_id": cls.transit.id,
            })],
        })
        ship.action_confirm()
        ship.move_ids.move_line_ids.unlink()
        ship.move_ids.move_line_ids = [Command.create({
            "product_id": cls.yoghurt.id, "lot_id": lot.id, "quantity": 3, "location_id": stock_a.id,
            "location_dest_id": cls.transit.id,
        }) for lot in (cls.lot_a, cls.lot_b)]
        ship.move_ids.picked = True
        ship._action_done()
        cls.two_lots = cls.env["stock.picking"].create({
            "picking_type_id": cls.store_b.in_type_id.id, "location_id": cls.transit.id,
            "location_dest_id": stock_b.id,
            "move_ids": [Command.create({
                "product_id": cls.yoghurt.id, "product_uom_qty": 6, "product_uom": cls.yoghurt.uom_id.id,
                "location_id": cls.transit.id, "location_dest_id": stock_b.id,
                "move_orig_ids": [Command.set(ship.move_ids.ids)],
            })],
        })
        cls.two_lots.action_confirm()
        cls.two_lots.action_assign()

    def _scan(self, *barcodes):
        receipt = self.two_lots.with_user(self.cashier_b)
        for barcode in barcodes:
            self.assertEqual(receipt.retail_scan(barcode)["status"], "ok")
        receipt.retail_validate()
        self.assertEqual(self.two_lots.state, "done")

    def _received(self):
        # store B held 10 of YOG-B-1 and none of YOG-A-1
        return {"YOG-A-1": self._on_hand(self.store_b, self.yoghurt, self.lot_a),
                "YOG-B-1": self._on_hand(self.store_b, self.yoghurt, self.lot_b) - 10}

    def _in_transit(self, lot):
        return self.env["stock.quant"]._get_available_quantity(
            self.yoghurt, self.transit, lot_id=lot, strict=True, allow_negative=True)

    def test_units_scanned_by_product_fill_the_shipped_lots(self):
        self._scan(*[self.yoghurt.barcode] * 6)
        self.assertEqual(self._received(), {"YOG-A-1": 3, "YOG-B-1": 3})
        self.assertFalse(self.two_lots.retail_discrepancy_ids)

    def test_one_lot_over_and_the_other_short_are_both_booked(self):
        self._scan(*["YOG-A-1"] * 6)
        self.assertEqual(self._received(), {"YOG-A-1": 6, "YOG-B-1": 0})
        found = sorted((d.kind, d.lot_id.name, d.quantity, d.adjustment_move_id.state)
                       for d in self.two_lots.retail_discrepancy_ids)
        self.assertEqual(found, [("over", "YOG-A-1", 3, "done"), ("short", "YOG-B-1", 3, "done")])
        self.assertEqual((self._in_transit(self.lot_a), self._in_transit(self.lot_b)), (0, 0))

    def test_units_over_the_shipment_go_into_the_lot_scanned_last(self):
        self._scan(*[self.yoghurt.barcode] * 4, "YOG-B-1", *[self.yoghurt.barcode] * 3)
        self.assertEqual(self._received(), {"YOG-A-1": 3, "YOG-B-1": 5})
        over = self.two_lots.retail_discrepancy_ids
        self.assertEqual((over.kind, over.lot_id, over.quantity), ("over", self.lot_b, 2))


@tagged("post_install", "-at_install")
class TestReceivingTool(BaseCase):
    """The plain rule of which lot each unit of a transfer goes into."""

    def test_product_scans_fill_the_shipped_lots_in_order(self):
        self.assertEqual(receiving.received_by_lot([("A", 3), ("B", 3)], {}, 4), {"A": 3, "B": 1})

    def test_lot_scans_count_into_their_lot_even_over_what_it_shipped(self):
        self.assertEqual(receiving.received_by_lot([("A", 3), ("B", 3)], {"A": 5}, 2), {"A": 5, "B": 2})

    def test_units_over_the_shipment_go_to_the_lot_scanned_last_else_the_last_shipped(self):
        self.assertEqual(receiving.received_by_lot([("A", 3), ("B", 3)], {"A": 1}, 7, "A"), {"A": 5, "B": 3})
        self.assertEqual(receiving.received_by_lot([("A", 3), ("B", 3)], {}, 7), {"A": 3, "B": 4})
        self.assertEqual(receiving.received_by_lot([("A", 4)], {}, 5), {"A": 5})

    def test_a_lot_not_shipped_is_the_callers_error(self):
        with self.assertRaises(ValueError):
            receiving.received_by_lot([("A", 3)], {"C": 1})

    def test_differences_per_lot(self):
        self.assertEqual(receiving.differences({"A": 3, "B": 3}, {"A": 6}), {"A": 3, "B": -3})
        self.assertEqual(receiving.differences({"A": 3}, {"A": 3}), {})


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
        # the milk came in two lots, typed for the first, from a GS1 label for the second; the
        # tour gave expiry dates 40 and 50 days ahead (a day either way for the browser's clock)
        lots = self.env["stock.lot"].search([("product_id", "=", self.milk.id)], order="name")
        self.assertEqual(lots.mapped("name"), ["MILK-A", "MILK-B"])
        for lot, days, quantity in zip(lots, (40, 50), (2, 2), strict=True):
            self.assertAlmostEqual((lot.expiration_date.date() - fields.Date.today()).days, days, delta=1)
            self.assertEqual(self._on_hand(self.store_a, self.milk, lot), quantity)
