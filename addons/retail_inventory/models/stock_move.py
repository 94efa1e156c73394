from datetime import date, datetime, time

from odoo import fields, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    retail_scanned_qty = fields.Float(
        string="Scanned", digits="Product Unit", copy=False,
        help="Units counted by scanning on the receiving screen.",
    )
    retail_scan_lot_name = fields.Char(
        string="Lot Being Received", copy=False,
        help="Lot or serial number that the units scanned on the receiving screen count into, until "
        "another one is scanned or entered.",
    )
    retail_scan_expiration_date = fields.Datetime(
        string="Expiry of the Lot Being Received", copy=False,
        help="Expiration date given for the lot being received; the lot is created with it when the "
        "receipt is validated.",
    )

    def _retail_needs_lot_entry(self):
        """Whether the receiving clerk says which lot arrives: a tracked product whose lots are not
        known from an earlier step (as they are for a transfer shipped by another store)."""
        self.ensure_one()
        picking_type = self.picking_type_id or self.picking_id.picking_type_id
        return (
            self.product_id.tracking != "none"
            and bool(picking_type.use_create_lots or picking_type.use_existing_lots)
            and not self.move_orig_ids.move_line_ids.lot_id
        )

    def _retail_existing_lot(self, name):
        return self.env["stock.lot"].search([
            ("product_id", "=", self.product_id.id), ("name", "=", name),
            ("company_id", "in", [False, self.company_id.id]),
        ], limit=1)

    def _retail_counted_lines(self):
        return self.move_line_ids.filtered(lambda line: line.lot_id or line.lot_name)

    def _retail_start_lot(self, lot_name, expiration_date=None):
        """Count the next scanned units of this move into ``lot_name``.

        :param expiration_date: date, datetime or ``YYYY-MM-DD`` string; ignored for a lot that
            already exists, which keeps its own
        """
        self.ensure_one()
        product = self.product_id
        name = (lot_name or "").strip()
        if not name:
            raise UserError(self.env._("Give the lot number of %s.", product.display_name))
        lot = self._retail_existing_lot(name)
        picking_type = self.picking_type_id or self.picking_id.picking_type_id
        if not lot and not picking_type.use_create_lots:
            raise UserError(self.env._(
                "%(lot)s is not a lot of %(product)s, and %(operation)s does not create new lots.",
                lot=name, product=product.display_name, operation=picking_type.display_name))
        if product.tracking == "serial" and self._retail_counted_lines().filtered(
                lambda line: (line.lot_id.name or line.lot_name) == name):
            raise UserError(self.env._("Serial number %(serial)s of %(product)s has already been received.",
                                       serial=name, product=product.display_name))
        expiry = False
        if not lot and expiration_date:
            expiry = self._retail_parse_expiry(expiration_date, name)
        self.write({"retail_scan_lot_name": name, "retail_scan_expiration_date": expiry})

    def _retail_parse_expiry(self, value, lot_name):
        product = self.product_id
        if isinstance(value, str):
            text = value.strip()
            try:
                value = fields.Date.to_date(text[:10])
            except ValueError:
                value = None
            if not value:
                raise UserError(self.env._("%(value)s is not a date (expected year-month-day).", value=text))
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            raise UserError(self.env._("The expiry date of lot %s is not a date.", lot_name))
        if value < fields.Date.context_today(self):
            raise UserError(self.env._(
                "Lot %(lot)s of %(product)s expired on %(date)s: do not receive it, put it aside.",
                lot=lot_name, product=product.display_name, date=value))
        return datetime.combine(value, time.min)

    def _retail_lot_needs_expiry(self):
        """The current lot is new and its product has expiration dates, but none was given."""
        self.ensure_one()
        return bool(
            self.product_id.use_expiration_date and self.retail_scan_lot_name
            and not self.retail_scan_expiration_date
            and not self._retail_existing_lot(self.retail_scan_lot_name)
        )

    def _retail_count_into_lot(self, quantity):
        """Add ``quantity`` received units of the current lot: one move line per lot, with the lot
        name (and expiry) from which validation creates the lot when it does not exist yet."""
        self.ensure_one()
        name = self.retail_scan_lot_name
        if self.product_id.tracking == "serial" and quantity != 1:
            raise UserError(self.env._("Serial numbers are received one unit at a time."))
        line = self._retail_counted_lines().filtered(lambda line: (line.lot_id.name or line.lot_name) == name)[:1]
        if line:
            line.quantity += quantity
        else:
            # the reservation without a lot, made when the receipt was confirmed, gives way to
            # the lots actually counted
            self.move_line_ids.filtered(lambda line: not line.lot_id and not line.lot_name and not line.picked).unlink()
            lot = self._retail_existing_lot(name)
            vals = self._prepare_move_line_vals(quantity=quantity)
            vals.update({"picked": True, "lot_id": lot.id, "lot_name": False if lot else name})
            if not lot and self.retail_scan_expiration_date:
                vals["expiration_date"] = self.retail_scan_expiration_date
            self.env["stock.move.line"].create(vals)
        self.retail_scanned_qty += quantity
        if self.product_id.tracking == "serial":
            self.write({"retail_scan_lot_name": False, "retail_scan_expiration_date": False})
