import base64
import io
from collections import Counter

import openpyxl
import xlrd

from odoo import fields, models
from odoo.exceptions import UserError


class RetailStocktakeImport(models.TransientModel):
    _name = "retail.stocktake.import"
    _description = "Import stocktake counts from a spreadsheet"

    stocktake_id = fields.Many2one("retail.stocktake", required=True, ondelete="cascade")
    file = fields.Binary(required=True)
    filename = fields.Char()

    def _read_rows(self):
        """Rows of the first sheet as lists of cell values (.xlsx with openpyxl, .xls with xlrd)."""
        data = base64.b64decode(self.file or b"")
        name = (self.filename or "").lower()
        try:
            if name.endswith(".xlsx"):
                sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
                return [list(row) for row in sheet.iter_rows(values_only=True)]
            if name.endswith(".xls"):
                sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
                return [sheet.row_values(index) for index in range(sheet.nrows)]
        # whatever the reader's complaint, the user gets the same clear message
        except Exception as error:
            raise UserError(self.env._("%(file)s cannot be read as a spreadsheet: %(error)s",
                                       file=self.filename, error=error)) from error
        raise UserError(self.env._("Import an .xlsx or .xls file (got %s).", self.filename or "?"))

    def action_import(self):
        """Columns: barcode, counted quantity, location (optional), lot (optional); one header row.

        All rows are checked first; a single bad row stops the import and every bad row is named.
        """
        self.ensure_one()
        stocktake = self.stocktake_id
        if stocktake.state != "counting":
            raise UserError(self.env._("%s is not being counted.", stocktake.name))
        rows = self._read_rows()
        body = [(number, row) for number, row in enumerate(rows, start=1)
                if number > 1 and any(cell not in (None, "") for cell in row)]
        barcodes = {self._text(row[0]) for _number, row in body if row}
        products = {
            product.barcode: product
            for product in self.env["product.product"].search([("barcode", "in", list(barcodes))])
        }
        locations = stocktake._counted_locations()
        by_location_name = {}
        for location in locations:
            by_location_name[location.complete_name] = location
            by_location_name.setdefault(location.name, location)
        default_location = stocktake.location_id or stocktake.retail_store_id.lot_stock_id
        errors, parsed = [], []
        # Every lot named in the file in one query, not one per row.
        lot_names = {self._text(([*list(row), None, None, None, None][:4])[3]) for _number, row in body} - {""}
        lots = self.env["stock.lot"].search([
            ("name", "in", list(lot_names)), ("product_id", "in", [p.id for p in products.values()]),
        ]) if lot_names else self.env["stock.lot"]
        lot_by_key = {(lot.product_id.id, lot.name): lot for lot in lots}
        for number, row in body:
            row = [*list(row), None, None, None, None][:4]
            barcode, quantity, location_name, lot_name = (
                self._text(row[0]), row[1], self._text(row[2]), self._text(row[3]))
            product = products.get(barcode)
            if not product:
                errors.append(self.env._("Row %(row)s: unknown barcode %(barcode)s.", row=number, barcode=barcode))
                continue
            try:
                quantity = float(quantity)
            except (TypeError, ValueError):
                errors.append(self.env._("Row %(row)s: the quantity %(quantity)s is not a number.",
                                         row=number, quantity=quantity))
                continue
            if quantity < 0:
                errors.append(self.env._("Row %(row)s: negative quantity %(quantity)s for %(barcode)s.",
                                         row=number, quantity=quantity, barcode=barcode))
                continue
            location = by_location_name.get(location_name) if location_name else default_location
            if not location:
                errors.append(self.env._("Row %(row)s: unknown location %(location)s in %(store)s.",
                                         row=number, location=location_name, store=stocktake.retail_store_id.name))
                continue
            lot = self.env["stock.lot"]
            if lot_name:
                lot = lot_by_key.get((product.id, lot_name))
                if not lot:
                    errors.append(self.env._("Row %(row)s: unknown lot %(lot)s for %(barcode)s.",
                                             row=number, lot=lot_name, barcode=barcode))
                    continue
            elif product.tracking in ("lot", "serial"):
                errors.append(self.env._(
                    "Row %(row)s: %(barcode)s is counted by lot: give its lot number in the lot column.",
                    row=number, barcode=barcode))
                continue
            parsed.append((number, product, location, lot, quantity))
        seen = Counter((product, location, lot) for _number, product, location, lot, _qty in parsed)
        for number, product, location, lot, _quantity in parsed:
            if seen[product, location, lot] > 1:
                errors.append(self.env._("Row %(row)s: %(barcode)s is counted more than once at %(location)s.",
                                         row=number, barcode=product.barcode, location=location.complete_name))
        if errors:
            raise UserError(self.env._("Nothing was imported. Fix these rows and import again:\n%s",
                                       "\n".join(errors)))
        if not parsed:
            raise UserError(self.env._("The file has no count rows."))
        lines = {(line.product_id, line.location_id, line.lot_id): line for line in stocktake.line_ids}
        new_values = []
        for _number, product, location, lot, quantity in parsed:
            line = lines.get((product, location, lot))
            if line:
                line.write({"counted_qty": quantity, "counted": True})
            else:
                new_values.append({
                    "stocktake_id": stocktake.id, "product_id": product.id, "location_id": location.id,
                    "lot_id": lot.id, "expected_qty": 0.0, "counted_qty": quantity, "counted": True,
                })
        self.env["retail.stocktake.line"].create(new_values)
        return {"type": "ir.actions.act_window_close"}

    @staticmethod
    def _text(value):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()
