import base64
import io

import openpyxl
import xlwt

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import RetailInventoryCase


def xlsx_file(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Barcode", "Quantity", "Location", "Lot"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue())


def xls_file(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Counts")
    for column, title in enumerate(["Barcode", "Quantity", "Location", "Lot"]):
        sheet.write(0, column, title)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write(number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestStocktake(RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put(cls.store_a, cls.biscuit, 20)
        cls.shelf = cls.env["stock.location"].create({
            "name": "Shelf 1", "usage": "internal", "location_id": cls.store_a.lot_stock_id.id,
        })

    def _stocktake(self, user=None, **vals):
        Stocktake = self.env["retail.stocktake"].with_user(user) if user else self.env["retail.stocktake"]
        stocktake = Stocktake.create({"retail_store_id": self.store_a.id, "reason": "Monthly count", **vals})
        stocktake.action_start()
        return stocktake

    def _import(self, stocktake, data, filename, user=None):
        Wizard = self.env["retail.stocktake.import"].with_user(user) if user else self.env["retail.stocktake.import"]
        return Wizard.create({"stocktake_id": stocktake.id, "file": data, "filename": filename}).action_import()

    def _line(self, stocktake, product):
        return stocktake.line_ids.filtered(lambda line: line.product_id == product)

    def test_start_lists_what_the_store_holds(self):
        stocktake = self._stocktake()
        self.assertEqual(stocktake.state, "counting")
        self.assertEqual(self._line(stocktake, self.yoghurt).expected_qty, 80)
        self.assertEqual(self._line(stocktake, self.yoghurt).lot_id, self.lot_a)
        self.assertEqual(self._line(stocktake, self.biscuit).expected_qty, 20)
        dairy = self._stocktake(category_id=self.category.id)
        self.assertEqual(dairy.line_ids.product_id, self.yoghurt)

    def test_xlsx_import_then_manager_approves_adjustments(self):
        stocktake = self._stocktake(user=self.cashier_a)
        self._import(stocktake, xlsx_file([
            ["6900000000028", 18, None, None],
            ["6900000000011", 80, None, "YOG-A-1"],
            ["6900000000028", 2, "Shelf 1", None],
        ]), "count.xlsx", user=self.cashier_a)
        biscuit_lines = self._line(stocktake, self.biscuit)
        self.assertEqual(sorted(biscuit_lines.mapped("difference")), [-2.0, 2.0])
        self.assertEqual(stocktake.variance_count, 2)
        stocktake.with_user(self.cashier_a).action_submit()
        with self.assertRaisesRegex(AccessError, "Only a store manager of Test Store A"):
            stocktake.with_user(self.cashier_a).action_approve()
        stocktake.with_user(self.manager_a).action_approve()
        self.assertEqual(stocktake.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.biscuit), 20)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.biscuit, self.shelf), 2)
        moves = self.env["stock.move"].search([("product_id", "=", self.biscuit.id), ("is_inventory", "=", True)])
        self.assertEqual(len(moves), 2)
        self.assertTrue(all("Monthly count" in name for name in moves.mapped("reference")))
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt), 80)

    def test_xls_import(self):
        stocktake = self._stocktake()
        self._import(stocktake, xls_file([["6900000000028", 25.0]]), "count.xls")
        line = self._line(stocktake, self.biscuit)
        self.assertEqual((line.counted_qty, line.counted, line.difference), (25.0, True, 5.0))

    def test_bad_rows_are_all_named_and_nothing_is_imported(self):
        stocktake = self._stocktake()
        bad = [
            ["6900000000028", 18],
            ["1234567890123", 4],
            ["6900000000011", -3],
            ["6900000000011", 5, "Back Room"],
            ["6900000000028", 7, "Shelf 1"],
            ["6900000000028", 8, "Shelf 1"],
            ["6900000000011", 9, "Shelf 1"],
        ]
        for data, name in ((xlsx_file(bad), "bad.xlsx"), (xls_file(bad), "bad.xls")):
            with self.assertRaises(UserError) as caught:
                self._import(stocktake, data, name)
            message = str(caught.exception)
            self.assertIn("Row 3: unknown barcode 1234567890123", message)
            self.assertIn("Row 4: negative quantity -3", message)
            self.assertIn("Row 5: unknown location Back Room", message)
            self.assertIn("Row 6: 6900000000028 is counted more than once", message)
            self.assertIn("Row 7: 6900000000028 is counted more than once", message)
            self.assertIn("Row 8: 6900000000011 is counted by lot: give its lot number", message)
            self.assertNotIn("Row 2", message)
        self.assertFalse(stocktake.line_ids.filtered("counted"))
        self.assertEqual(len(stocktake.line_ids), 2)
        with self.assertRaisesRegex(UserError, "cannot be read as a spreadsheet"):
            self._import(stocktake, base64.b64encode(b"not a spreadsheet"), "count.xlsx")

    def test_negative_count_by_hand_is_refused(self):
        stocktake = self._stocktake()
        with self.assertRaisesRegex(ValidationError, "Biscuit: a count cannot be negative"):
            self._line(stocktake, self.biscuit).counted_qty = -1

    def test_manager_of_another_store_cannot_see_or_approve(self):
        stocktake = self._stocktake()
        self._line(stocktake, self.biscuit).write({"counted_qty": 19, "counted": True})
        stocktake.action_submit()
        with self.assertRaises(AccessError):
            stocktake.with_user(self.manager_b).action_approve()
        with self.assertRaises(AccessError):
            stocktake.with_user(self.manager_b).read(["name"])
        self.assertFalse(self.env["retail.stocktake"].with_user(self.manager_b).search([]))
        self.assertEqual(stocktake.state, "to_approve")
        stocktake.with_user(self.hq_user).action_approve()
        self.assertEqual(self._on_hand(self.store_a, self.biscuit), 19)

    def test_manager_cannot_count_another_store_through_own_stocktake(self):
        self._put(self.store_b, self.biscuit, 7)
        stocktake = self._stocktake(user=self.manager_a)
        line = self._line(stocktake, self.biscuit).with_user(self.manager_a)
        self.env.flush_all()
        message = (f"{self.store_b.lot_stock_id.display_name} is not a stock location of Test Store A: "
                   "a stocktake counts its own store only")
        with self.assertRaisesRegex(ValidationError, message):
            line.write({"location_id": self.store_b.lot_stock_id.id, "counted_qty": 0, "counted": True})
        with self.assertRaisesRegex(ValidationError, "is not a stock location of Test Store A"):
            stocktake.with_user(self.manager_a).location_id = self.store_b.lot_stock_id
        # a refused write is not saved: drop what it left in memory, as the failed request would
        self.env.clear()
        self.assertEqual((line.location_id, line.counted), (self.store_a.lot_stock_id, False))
        self.assertFalse(stocktake.location_id)
        self.assertEqual(self._on_hand(self.store_b, self.biscuit), 7)

    def test_store_staff_cannot_approve_their_own_store(self):
        stocktake = self._stocktake(user=self.cashier_a)
        self._line(stocktake, self.biscuit).with_user(self.cashier_a).write({"counted_qty": 15, "counted": True})
        stocktake.with_user(self.cashier_a).action_submit()
        with self.assertRaisesRegex(AccessError, "Only a store manager of Test Store A or headquarters may approve"):
            stocktake.with_user(self.cashier_a).action_approve()
        self.assertEqual((stocktake.state, self._on_hand(self.store_a, self.biscuit)), ("to_approve", 20))
        stocktake.with_user(self.manager_a).action_approve()
        self.assertEqual((stocktake.state, stocktake.approved_by_id), ("done", self.manager_a))
        self.assertEqual(self._on_hand(self.store_a, self.biscuit), 15)

    def test_count_by_scanning(self):
        stocktake = self._stocktake(user=self.cashier_a)
        counter = stocktake.with_user(self.cashier_a)
        for _unit in range(3):
            result = counter.retail_scan("6900000000028")
        self.assertEqual(result["status"], "ok")
        counter.retail_scan("YOG-A-1")
        self.assertEqual(self._line(stocktake, self.biscuit).counted_qty, 3)
        self.assertEqual(self._line(stocktake, self.yoghurt).counted_qty, 1)
        self.assertEqual(counter.retail_scan("0000")["status"], "wrong")
        with self.assertRaisesRegex(UserError, "Typing a quantity needs a store manager of Test Store A"):
            counter.retail_scan("6900000000028", quantity=17)
        stocktake.with_user(self.manager_a).retail_scan("6900000000028", quantity=17)
        self.assertEqual(self._line(stocktake, self.biscuit).counted_qty, 20)
        counter.retail_validate()
        self.assertEqual(stocktake.state, "to_approve")
