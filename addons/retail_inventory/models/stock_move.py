from collections import defaultdict
from datetime import date, datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import receiving
from .retail_guarded_mixin import check_guarded, check_guarded_create

# what a move receives: changed on a store receipt once it is done, they would rewrite what was
# received (core moves the stock again)
RECEIVED_FIELDS = frozenset({
    "product_id", "product_uom", "product_uom_qty", "quantity", "picked", "location_id", "location_dest_id",
    "move_line_ids", "lot_ids", "state", "picking_id",
})


class StockMove(models.Model):
    _inherit = "stock.move"
    _retail_guarded_fields = ("retail_scan_ids", "retail_scanned_qty", "retail_scan_lot_name",
                              "retail_scan_expiration_date")

    retail_scan_ids = fields.One2many("retail.receipt.scan", "move_id", string="Counted by Scanning")
    retail_scanned_qty = fields.Float(
        string="Scanned", digits="Product Unit", compute="_compute_retail_scanned_qty", store=True,
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

    @api.depends("retail_scan_ids.quantity")
    def _compute_retail_scanned_qty(self):
        for move in self:
            move.retail_scanned_qty = sum(move.retail_scan_ids.mapped("quantity"))

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_create(self, vals_list)
        moves = super().create(vals_list)
        if not self.env.su:
            moves.filtered(lambda move: not move.scrap_id).picking_id._retail_check_received_unchanged()
            self.env.user._retail_check_source_locations(moves.location_id)
        return moves

    def write(self, vals):
        check_guarded(self, vals)
        if not self.env.su and RECEIVED_FIELDS & vals.keys():
            self.filtered(lambda move: not move.scrap_id).picking_id._retail_check_received_unchanged()
        result = super().write(vals)
        if not self.env.su and "location_id" in vals:
            self.env.user._retail_check_source_locations(self.location_id)
        return result

    # ------------------------------------------------------------------ what was shipped, what is counted

    def _retail_needs_lot_entry(self):
        """Whether the receiving clerk says which lot arrives: a tracked product whose lots are not
        known from an earlier step (as they are for a transfer shipped by another store)."""
        self.ensure_one()
        picking_type = self.picking_type_id or self.picking_id.picking_type_id
        return (
            self.product_id.tracking != "none"
            and bool(picking_type.use_create_lots or picking_type.use_existing_lots)
            and not self._retail_shipped_lots()
        )

    def _retail_shipped_lots(self):
        """``[(lot, quantity)]`` that the shipment of this move carried, in shipping order."""
        self.ensure_one()
        shipped = defaultdict(float)
        lines = self.move_orig_ids.move_line_ids.filtered(lambda line: line.state == "done" and line.lot_id)
        for line in lines.sorted("id"):
            shipped[line.lot_id] += line.product_uom_id._compute_quantity(line.quantity, self.product_uom)
        return list(shipped.items())

    def _retail_existing_lot(self, name):
        return self.env["stock.lot"].search([
            ("product_id", "=", self.product_id.id), ("name", "=", name),
            ("company_id", "in", [False, self.company_id.id]),
        ], limit=1)

    def _retail_add_count(self, quantity, lot=None, lot_name=None, expiration_date=None):
        """Record ``quantity`` more units counted, into ``lot`` (or a new lot named ``lot_name``).

        Private: the scanning methods call it once they have checked the receipt, the user and the
        lot. The count is written with full rights since no role edits counts directly.
        """
        self.ensure_one()
        lot = lot or self.env["stock.lot"]
        lot_name = False if lot else (lot_name or False)
        count = self.retail_scan_ids.filtered(
            lambda scan: scan.lot_id == lot and (scan.lot_name or False) == lot_name)[:1]
        if count:
            count.sudo().quantity += quantity
            return count
        return self.env["retail.receipt.scan"].sudo().create({
            "picking_id": self.picking_id.id, "move_id": self.id, "lot_id": lot.id, "lot_name": lot_name,
            "expiration_date": (expiration_date or False) if lot_name else False, "quantity": quantity,
        })

    def _retail_set_current_lot(self, lot_name, expiration_date=False):
        """Private: the lot that the next scans count into (see ``_retail_add_count``)."""
        self.sudo().write({"retail_scan_lot_name": lot_name or False,
                           "retail_scan_expiration_date": expiration_date or False})

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
        if product.tracking == "serial" and self.retail_scan_ids.filtered(
                lambda scan: scan._retail_lot_label() == name):
            raise UserError(self.env._("Serial number %(serial)s of %(product)s has already been received.",
                                       serial=name, product=product.display_name))
        expiry = False
        if not lot and expiration_date:
            expiry = self._retail_parse_expiry(expiration_date, name)
        self._retail_set_current_lot(name, expiry)

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
        # the store's today, never the caller's: a time zone in the request's context moves nothing
        if value < (self[:1].company_id or self.env.company)._retail_today():
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
        """Add ``quantity`` received units of the current lot (a lot the clerk gives): one move
        line per lot, with the lot name (and expiry) from which validation creates the lot when it
        does not exist yet."""
        self.ensure_one()
        name = self.retail_scan_lot_name
        if self.product_id.tracking == "serial" and quantity != 1:
            raise UserError(self.env._("Serial numbers are received one unit at a time."))
        lot = self._retail_existing_lot(name)
        self._retail_add_count(quantity, lot=lot, lot_name=name, expiration_date=self.retail_scan_expiration_date)
        self._retail_set_move_lines(self._retail_received())
        if self.product_id.tracking == "serial":
            self._retail_set_current_lot(False)

    # ------------------------------------------------------------------ receiving what was counted

    def _retail_received(self):
        """What this move receives, from its counts only: ``[{"lot_id", "lot_name",
        "expiration_date", "quantity"}]``, one entry per lot (a single one without lot for a
        product without lots)."""
        self.ensure_one()
        counts = self.retail_scan_ids
        shipped = self._retail_shipped_lots() if self.product_id.tracking != "none" else []
        if shipped:
            by_lot = defaultdict(float)
            for count in counts.filtered("lot_id"):
                by_lot[count.lot_id] += count.quantity
            current = self._retail_existing_lot(self.retail_scan_lot_name) if self.retail_scan_lot_name else None
            received = receiving.received_by_lot(
                shipped, by_lot, sum(counts.filtered(lambda count: not count.lot_id).mapped("quantity")), current)
            return [{"lot_id": lot.id, "lot_name": False, "expiration_date": False, "quantity": quantity}
                    for lot, quantity in received.items()]
        if self._retail_needs_lot_entry():
            return [{"lot_id": count.lot_id.id, "lot_name": count.lot_name or False,
                     "expiration_date": count.expiration_date, "quantity": count.quantity}
                    for count in counts if count.quantity > 0]
        total = sum(counts.mapped("quantity"))
        return [{"lot_id": False, "lot_name": False, "expiration_date": False, "quantity": total}] if total else []

    def _retail_set_move_lines(self, received):
        """Make the open move lines of this move hold exactly ``received`` (see ``_retail_received``).

        The lines reserved when the goods were shipped are kept where they match (their source
        package stays right), in their order; lines that match nothing counted, or were moved
        outside the move's locations, are dropped.
        """
        self.ensure_one()

        def key(lot_id, lot_name):
            return (lot_id or False, False if lot_id else (lot_name or False))

        lines = self.move_line_ids.filtered(lambda line: line.state not in ("done", "cancel"))
        usable = defaultdict(list)
        for line in lines.sorted("id"):
            if (line.product_id == self.product_id
                    and line.location_id.parent_path.startswith(self.location_id.parent_path)
                    and line.location_dest_id.parent_path.startswith(self.location_dest_id.parent_path)):
                usable[key(line.lot_id.id, line.lot_name)].append(line)
        kept = self.env["stock.move.line"]
        new_lines = []
        for item in received:
            left = item["quantity"]
            candidates = usable.pop(key(item["lot_id"], item["lot_name"]), [])
            for position, line in enumerate(candidates):
                if self.product_uom.compare(left, 0) <= 0:
                    break
                last = position == len(candidates) - 1
                take = left if last else min(left, line.product_uom_id._compute_quantity(line.quantity,
                                                                                         self.product_uom))
                values = {"quantity": take, "product_uom_id": self.product_uom.id, "picked": True}
                if item["lot_name"] and item["expiration_date"]:
                    values["expiration_date"] = item["expiration_date"]
                line.write(values)
                kept |= line
                left -= take
            if self.product_uom.compare(left, 0) > 0:
                vals = self._prepare_move_line_vals()
                vals.update({"quantity": left, "product_uom_id": self.product_uom.id, "picked": True,
                             "lot_id": item["lot_id"], "lot_name": item["lot_name"]})
                if item["lot_name"] and item["expiration_date"]:
                    vals["expiration_date"] = item["expiration_date"]
                new_lines.append(vals)
        (lines - kept).unlink()
        self.env["stock.move.line"].create(new_lines)
