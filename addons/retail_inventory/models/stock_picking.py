from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools.barcode import get_barcode_check_digit

from ..tools import gs1, receiving
from ..tools.quantities import format_quantity
from .retail_guarded_mixin import check_guarded, check_guarded_create


class StockPicking(models.Model):
    _inherit = "stock.picking"
    _retail_guarded_fields = ("retail_dispatch_proposal_id", "retail_discrepancy_ids", "retail_scan_ids")

    retail_dispatch_proposal_id = fields.Many2one(
        "retail.dispatch.proposal", string="Dispatch Proposal", index="btree_not_null", readonly=True, copy=False,
    )
    retail_discrepancy_ids = fields.One2many("retail.receipt.discrepancy", "picking_id", string="Discrepancies")
    retail_scan_ids = fields.One2many("retail.receipt.scan", "picking_id", string="Counted by Scanning")
    retail_scan_only = fields.Boolean(
        string="Received by Scanning Only", compute="_compute_retail_scan_only",
        help="A receipt of a store that you receive by scanning: only a manager of the store types quantities "
        "and validates them without scanning.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_guarded(self, vals)
        return super().write(vals)

    @api.depends_context("uid")
    @api.depends("picking_type_id")
    def _compute_retail_scan_only(self):
        for picking in self:
            picking.retail_scan_only = picking._retail_is_scan_only()

    @api.model
    def get_empty_list_help(self, help_message):
        # core replaces every transfer list's help with its own, which points to Enterprise's
        # Barcode app; the receipts-to-scan list explains itself with the help of its action
        if self.env.context.get("retail_receipt_help"):
            return help_message
        return super().get_empty_list_help(help_message)

    def button_validate(self):
        # core validates the quantities typed on the moves: store staff receive what they scanned
        scan_only = self.filtered(lambda picking: picking.state not in ("done", "cancel")
                                  and picking._retail_is_scan_only())
        if scan_only:
            raise AccessError(self.env._(
                "%(receipts)s: the receipts of %(store)s are received by scanning. Press Scan to Receive and "
                "validate there; only a store manager validates typed quantities.",
                receipts=", ".join(scan_only.mapped("name")),
                store=", ".join(scan_only.picking_type_id.warehouse_id.mapped("name"))))
        return super().button_validate()

    def _action_done(self):
        result = super()._action_done()
        # the staff of one store do not see the other store's half of a transfer: read them all
        proposals = self.sudo().retail_dispatch_proposal_id.filtered(lambda p: p.state == "approved")
        for proposal in proposals:
            if all(picking.state in ("done", "cancel") for picking in proposal.picking_ids):
                proposal.state = "done"
        return result

    # ------------------------------------------------------------------ scan to receive

    def action_retail_scan_receive(self):
        self.ensure_one()
        self._retail_check_receivable()
        return {
            "type": "ir.actions.client",
            "tag": "retail_inventory.scan_receive",
            "name": self.env._("Receive %s", self.name),
            "params": {"model": self._name, "res_id": self.id},
        }

    def _retail_check_receivable(self):
        self.ensure_one()
        # receiving writes on the receipt: only those who may change it (its own store) receive
        self.check_access("write")
        if self.picking_type_code != "incoming":
            raise UserError(self.env._("%s is not a receipt: only incoming transfers are received by scanning.",
                                       self.name))
        if self.state in ("done", "cancel"):
            raise UserError(self.env._("%s is already closed.", self.name))
        if self.state == "waiting":
            raise UserError(self.env._("%s has not been shipped yet: the sending store must validate it first.",
                                       self.name))

    def _retail_may_type_quantities(self):
        return self.env.user._retail_is_manager_of(self.picking_type_id.warehouse_id)

    def _retail_is_store_receipt(self):
        self.ensure_one()
        return self.picking_type_code == "incoming" and bool(self.picking_type_id.warehouse_id.retail_store_type)

    def _retail_is_scan_only(self):
        """Whether the current user receives this receipt by scanning only: a receipt of a store,
        for anyone but a manager of that store (or headquarters)."""
        self.ensure_one()
        return not self.env.su and self._retail_is_store_receipt() and not self._retail_may_type_quantities()

    def _retail_check_received_unchanged(self):
        """What a store received stays as it was recorded: the moves and move lines of a done
        receipt of a store are not changed, nor added to (core would move the stock again)."""
        done = self.sudo().filtered(lambda picking: picking.state == "done" and picking._retail_is_store_receipt())
        if done:
            raise AccessError(self.env._(
                "%s has been received: what was received stays as recorded. Correct the stock with a return or "
                "a stocktake.", ", ".join(done.mapped("name"))))

    def _retail_record_discrepancies(self, vals_list):
        """Private: differences found by the receiving methods, once they have checked the receipt
        and the user (no role records or edits discrepancies directly)."""
        return self.env["retail.receipt.discrepancy"].sudo().create(vals_list)

    def retail_scan_state(self):
        """What the receiving screen shows: expected and scanned per product, lots counted."""
        self.ensure_one()
        lines = [
            {
                "move_id": move.id,
                "product_id": move.product_id.id,
                "product": move.product_id.display_name,
                "barcode": move.product_id.barcode or "",
                "lots": self._retail_lots_summary(move),
                "needs_lot": move._retail_needs_lot_entry(),
                "serial": move.product_id.tracking == "serial",
                "uses_expiry": move.product_id.use_expiration_date,
                "current_lot": move.retail_scan_lot_name or "",
                "expected": move.product_uom_qty,
                "scanned": move.retail_scanned_qty,
            }
            for move in self.move_ids.filtered(lambda m: m.state != "cancel").sorted("id")
        ]
        return {
            "picking_id": self.id,
            "name": self.name,
            "origin": self.origin or "",
            "partner": self.partner_id.display_name or "",
            "state": self.state,
            "closed": self.state in ("done", "cancel"),
            "can_type_quantity": self._retail_may_type_quantities(),
            "can_report_damaged": True,
            "validate_label": self.env._("Validate"),
            "done_message": self.env._("This receipt is done."),
            "expected": sum(line["expected"] for line in lines),
            "scanned": sum(line["scanned"] for line in lines),
            "lines": lines,
            "discrepancies": [
                {"kind": dict(d._fields["kind"].selection)[d.kind], "product": d.product_id.display_name or d.barcode,
                 "quantity": d.quantity, "reason": d.reason}
                for d in self.retail_discrepancy_ids.sorted("id")
            ],
        }

    def _retail_lots_summary(self, move):
        if not move._retail_needs_lot_entry():
            return ", ".join(move.move_line_ids.lot_id.mapped("name"))
        parts = []
        for count in move.retail_scan_ids.filtered(lambda count: count.quantity > 0):
            expiry = count.expiration_date or count.lot_id.expiration_date
            if expiry:
                parts.append(self.env._("%(lot)s: %(quantity)s, expires %(date)s", lot=count._retail_lot_label(),
                                        quantity=format_quantity(count.quantity), date=fields.Date.to_string(expiry)))
            else:
                parts.append(self.env._("%(lot)s: %(quantity)s", lot=count._retail_lot_label(),
                                        quantity=format_quantity(count.quantity)))
        return "; ".join(parts)

    def retail_scan(self, barcode, quantity=None, lot_name=None, expiration_date=None):
        """Count one scanned unit (or a typed quantity, for a store manager).

        A product barcode, a lot number or a GS1 label is scanned. A GS1 label may carry the lot,
        its expiry and how many units it stands for; a count on a label typed by hand is a typed
        quantity (``_retail_check_label_count``). For a product whose lots the clerk must give
        (a lot-tracked product from a supplier), the screen asks for the lot once, and sends the
        same scan again with ``lot_name`` (and ``expiration_date`` when the product has expiry
        dates); later scans count into that lot until another one is scanned or entered. On a
        transfer whose shipment carried lots, a scanned lot must be one of them: another lot is
        refused and recorded, and nothing is counted.

        :return: ``{"status": "ok" | "wrong" | "lot_needed", "message": str, "state":
            retail_scan_state()}``, and for ``lot_needed`` also ``move_id``, ``product``,
            ``lot_name`` (known so far) and ``needs_expiry``
        """
        self.ensure_one()
        self._retail_check_receivable()
        barcode = (barcode or "").strip()
        if not barcode:
            raise UserError(self.env._("Nothing was scanned."))
        typed = quantity not in (None, False, 1, 1.0)
        if typed:
            if not self._retail_may_type_quantities():
                raise UserError(self.env._(
                    "Typing a quantity needs a store manager of %s: scan each unit instead.",
                    self.picking_type_id.warehouse_id.name))
            if quantity <= 0:
                raise UserError(self.env._("The quantity must be positive (%s).", quantity))
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        product, lot, label = self._retail_identify(barcode, moves)
        if label and not typed:
            self._retail_check_label_count(barcode, label)
        if not product:
            known = self._retail_known_product(barcode, label)
            self._retail_record_discrepancies([{
                "picking_id": self.id, "product_id": known.id, "barcode": barcode, "kind": "wrong",
                "quantity": float(quantity or 1.0), "reason": self.env._("Not on this receipt: put aside"),
            }])
            message = self.env._("%(item)s is not expected in %(receipt)s. Put it aside; it has been recorded.",
                                 item=known.display_name or barcode, receipt=self.name)
            return {"status": "wrong", "message": message, "state": self.retail_scan_state()}
        # a label says how many units it stands for; a manager's typed quantity says it otherwise
        quantity = float(quantity) if typed else float((label or {}).get("count", 1))
        label = label or {}
        # on a label, a serial-tracked unit is named by its serial number (AI 21)
        labelled = ((label.get("serial") or label.get("lot")) if product.tracking == "serial"
                    else (label.get("lot") or label.get("serial")))
        product_moves = moves.filtered(lambda m: m.product_id == product)
        shipped_moves = product_moves.filtered(lambda m: m.product_id.tracking != "none" and m._retail_shipped_lots())
        if shipped_moves:
            return self._retail_scan_shipped(shipped_moves, barcode, quantity, lot, lot_name or labelled)
        move = self._retail_move_to_fill(product_moves)
        if move._retail_needs_lot_entry():
            new_lot = lot_name or labelled or lot.name
            if new_lot:
                move._retail_start_lot(new_lot, expiration_date or label.get("expiry"))
            if not move.retail_scan_lot_name or move._retail_lot_needs_expiry():
                return self._retail_lot_needed(move)
            move._retail_count_into_lot(quantity)
        else:
            move._retail_add_count(quantity)
        return self._retail_scan_counted(move)

    def _retail_check_label_count(self, barcode, label):
        """A count of units on a label that a person typed is a typed quantity: above 1 it needs a
        manager of the store, like a quantity typed into the box. What the client says of how the
        label came in is not asked; the characters of ``barcode`` tell what they can
        (``tools.gs1.typed_by_hand``)."""
        count = label.get("count", 1)
        if count <= 1 or self._retail_may_type_quantities():
            return
        store = self.picking_type_id.warehouse_id
        typed = gs1.typed_by_hand(barcode, store.retail_scanner_symbology)
        label = barcode.replace(gs1.FNC1, "<GS>")
        if typed == "typed_form":
            raise UserError(self.env._(
                "The GS1 label %(label)s was typed, and so was its count of %(count)s units: typing a quantity "
                "needs a store manager of %(store)s. Scan the label, or scan each unit. Nothing was counted.",
                label=label, count=format_quantity(count), store=store.name))
        if typed == "no_symbology":
            raise UserError(self.env._(
                "The GS1 label %(label)s came without the symbology identifier (such as ]C1) that the scanners of "
                "%(store)s send, so it was typed, and so was its count of %(count)s units: typing a quantity needs "
                "a store manager of %(store)s. Scan the label, or scan each unit. Nothing was counted.",
                label=label, count=format_quantity(count), store=store.name))

    def _retail_scan_shipped(self, moves, barcode, quantity, lot, lot_name):
        """A scan of a product whose lots were shipped by the sending store (see ``retail_scan``)."""
        name = lot.name if lot else (lot_name or "").strip()
        if not name:
            move = self._retail_move_to_fill(moves)
            move._retail_add_count(quantity)
            return self._retail_scan_counted(move)
        for move in moves:
            shipped = next((shipped for shipped, _quantity in move._retail_shipped_lots() if shipped.name == name),
                           None)
            if shipped:
                move._retail_add_count(quantity, lot=shipped)
                # units over the shipment count into the lot scanned last
                move._retail_set_current_lot(shipped.name)
                return self._retail_scan_counted(move)
        product = moves.product_id
        self._retail_record_discrepancies([{
            "picking_id": self.id, "product_id": product.id, "barcode": barcode, "kind": "wrong_lot",
            "lot_id": lot.id or moves[:1]._retail_existing_lot(name).id, "lot_name": name, "quantity": quantity,
            "reason": self.env._("Lot not shipped on this transfer: put aside"),
        }])
        message = self.env._(
            "Lot %(lot)s of %(product)s was not shipped on %(receipt)s: it is not counted. Put it aside; it has "
            "been recorded.", lot=name, product=product.display_name, receipt=self.name)
        return {"status": "wrong", "message": message, "state": self.retail_scan_state()}

    def _retail_move_to_fill(self, moves):
        """Of the moves of one product, the first that still expects units (else the first)."""
        return (moves.filtered(lambda m: m.product_uom.compare(m.retail_scanned_qty, m.product_uom_qty) < 0)
                or moves)[:1]

    def _retail_scan_counted(self, move):
        message = self.env._("%(product)s: %(scanned)s of %(expected)s",
                             product=move.product_id.display_name, scanned=format_quantity(move.retail_scanned_qty),
                             expected=format_quantity(move.product_uom_qty))
        return {"status": "ok", "message": message, "state": self.retail_scan_state()}

    def retail_scan_set_lot(self, move_id, lot_name, expiration_date=None):
        """Count the next scans of a product into another lot (the screen's *New lot*)."""
        self.ensure_one()
        self._retail_check_receivable()
        move = self.move_ids.filtered(lambda m: m.id == move_id and m.state != "cancel")
        if not move or not move._retail_needs_lot_entry():
            raise UserError(self.env._("Lots are not entered for this product on %s.", self.name))
        move._retail_start_lot(lot_name, expiration_date)
        if move._retail_lot_needs_expiry():
            return self._retail_lot_needed(move)
        return {"status": "ok", "message": self.env._("%(product)s: counting into lot %(lot)s",
                                                      product=move.product_id.display_name,
                                                      lot=move.retail_scan_lot_name),
                "state": self.retail_scan_state()}

    def _retail_lot_needed(self, move):
        product = move.product_id
        if product.tracking == "serial":
            message = self.env._("Scan or type the serial number of this %s.", product.display_name)
        elif move.retail_scan_lot_name:
            message = self.env._("Lot %(lot)s of %(product)s is new: give its expiry date.",
                                 lot=move.retail_scan_lot_name, product=product.display_name)
        else:
            message = self.env._("Scan or type the lot number of %s; the next units count into it.",
                                 product.display_name)
        return {
            "status": "lot_needed", "message": message, "state": self.retail_scan_state(),
            "move_id": move.id, "product": product.display_name, "lot_name": move.retail_scan_lot_name or "",
            "needs_expiry": product.use_expiration_date, "serial": product.tracking == "serial",
        }

    def _retail_identify(self, barcode, moves):
        """(product, lot, GS1 label) of a scan among the products of ``moves``."""
        Lot = self.env["stock.lot"]
        product = moves.product_id.filtered(lambda p: p.barcode == barcode)[:1]
        if product:
            return product, Lot, None
        lot = Lot.search([("name", "=", barcode), ("product_id", "in", moves.product_id.ids)], limit=1)
        if lot:
            return lot.product_id, lot, None
        label = self._retail_read_label(barcode)
        if label:
            product = moves.product_id.filtered(lambda p: gs1.gtin14(p.barcode) == label["gtin"])[:1]
        return product, Lot, label

    def _retail_read_label(self, barcode):
        """The GS1 label ``barcode`` as receiving takes it (``tools.gs1.receiving_values``), read
        by the company's nomenclature when it is a GS1 one, else by Odoo's default GS1
        nomenclature; ``None`` when ``barcode`` is no GS1 label.

        :raise UserError: naming the label, when it is meant as one but cannot be read
        """
        nomenclature = self.company_id.nomenclature_id
        if not nomenclature.is_gs1_nomenclature:
            nomenclature = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        try:
            elements = nomenclature.parse_barcode(gs1.element_string(barcode))
        except (ValidationError, ValueError):
            # the nomenclature raises on an impossible date (13th month, 30 February) or an
            # empty count rather than answering that it read nothing
            elements = None
        if not elements:
            if gs1.looks_like_label(barcode):
                raise UserError(self._retail_label_refused(barcode, nomenclature=nomenclature))
            return None
        try:
            return gs1.receiving_values(elements, self._retail_gs1_date)
        except gs1.LabelError as error:
            if error.problem == "no_product" and not gs1.looks_like_label(barcode):
                return None
            raise UserError(self._retail_label_refused(barcode, error)) from None

    @api.model
    def _retail_gs1_date(self, yymmdd):
        """A GS1 date, by the nomenclature's own century rule; ``ValueError`` when impossible."""
        try:
            return self.env["barcode.nomenclature"].gs1_date_to_date(yymmdd)
        except ValidationError as error:
            raise ValueError(yymmdd) from error

    def _retail_label_refused(self, barcode, error=None, nomenclature=None):
        """Why the GS1 label ``barcode`` is refused: ``error`` (a ``tools.gs1.LabelError``) when
        the nomenclature read it, else the check digit of its GTIN, or an application identifier
        of a typed label that ``nomenclature`` has no rule for, when that is what is wrong."""
        label = barcode.replace(gs1.FNC1, "<GS>")
        if error is None:
            gtin = gs1.gtin_at_start(barcode)
            digit = gtin and str(get_barcode_check_digit(gtin))
            if gtin and gtin[-1] != digit:
                return self.env._(
                    "The GS1 label %(label)s cannot be read: the check digit of its GTIN %(gtin)s should be "
                    "%(digit)s. Nothing was counted.", label=label, gtin=gtin, digit=digit)
            unknown = nomenclature and gs1.unknown_identifier(barcode, nomenclature.rule_ids.filtered(
                lambda rule: rule.encoding == "gs1-128").mapped("pattern"))
            if unknown:
                return self.env._(
                    "The GS1 label %(label)s cannot be read: the GS1 nomenclature has no rule for the application "
                    "identifier (%(ai)s). Nothing was counted.", label=label, ai=unknown)
            return self.env._(
                "The GS1 label %s cannot be read. Check its application identifiers (only those of the GS1 "
                "nomenclature are read), the length of each field, its dates (YYMMDD) and the separator (FNC1 or "
                "#) after each field of variable length. Nothing was counted.", label)
        if error.problem == "twice":
            return self.env._("The GS1 label %(label)s gives (%(ai)s) more than once. Nothing was counted.",
                              label=label, ai=error.ai)
        if error.problem == "empty":
            return self.env._("The GS1 label %(label)s has nothing after (%(ai)s). Nothing was counted.",
                              label=label, ai=error.ai)
        if error.problem == "date":
            return self.env._("The GS1 label %(label)s has an impossible date or time after (%(ai)s). Nothing was "
                              "counted.", label=label, ai=error.ai)
        if error.problem == "nothing":
            return self.env._("The GS1 label %(label)s counts no units: (%(ai)s) is 0. Nothing was counted.",
                              label=label, ai=error.ai)
        return self.env._("The GS1 label %s names no product: it has no (01) or (02). Nothing was counted.", label)

    def _retail_known_product(self, barcode, label):
        """The product a refused scan names, if any, to say what was put aside."""
        Product = self.env["product.product"]
        if label:
            gtin = label["gtin"]
            # the GTIN-14 of a label is the product's EAN-13, UPC-A or EAN-8 with leading zeros
            candidates = [gtin, gtin[1:], gtin[2:], gtin[6:]]
            return Product.search([("barcode", "in", candidates)], limit=1)
        return Product.search([("barcode", "=", barcode)], limit=1)

    def retail_report_damaged(self, product_id, quantity, reason):
        """Units received damaged: scrapped when the receipt is validated."""
        self.ensure_one()
        self._retail_check_receivable()
        move = self.move_ids.filtered(lambda m: m.product_id.id == product_id and m.state != "cancel")[:1]
        if not move:
            raise UserError(self.env._("This product is not on %s.", self.name))
        if quantity <= 0 or quantity > move.retail_scanned_qty:
            raise UserError(self.env._(
                "%(product)s: damaged units (%(quantity)s) must be between 1 and the units scanned (%(scanned)s).",
                product=move.product_id.display_name, quantity=format_quantity(quantity),
                scanned=format_quantity(move.retail_scanned_qty)))
        if not (reason or "").strip():
            raise UserError(self.env._("Say what is damaged."))
        lot_name = False
        if move._retail_needs_lot_entry():
            # the lot being counted, or the last one counted (a serial number is not kept)
            lot_name = move.retail_scan_lot_name or move.retail_scan_ids[-1:]._retail_lot_label() or False
            lot = move._retail_existing_lot(lot_name) if lot_name else move.move_line_ids.lot_id[:1]
        elif move.retail_scan_lot_name:
            lot = move._retail_existing_lot(move.retail_scan_lot_name)
        else:
            lot = move.move_line_ids.lot_id[:1]
        self._retail_record_discrepancies([{
            "picking_id": self.id, "product_id": move.product_id.id, "kind": "damaged",
            "lot_id": lot.id, "lot_name": lot_name, "quantity": quantity, "reason": reason.strip(),
        }])
        return self.retail_scan_state()

    def retail_validate(self, reason=None):
        """Receive what was scanned, and nothing else; book short, over and damaged units."""
        self.ensure_one()
        self._retail_check_receivable()
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        if not any(moves.mapped("retail_scanned_qty")):
            raise UserError(self.env._("Nothing has been scanned on %s yet.", self.name))
        reason = (reason or "").strip() or self.env._("Counted at receiving")
        received = {move: move._retail_received() for move in moves}
        discrepancies = self._retail_record_discrepancies(self._retail_prepare_differences(received, reason))
        # whatever the move lines were made to say, the goods arrive as they were counted
        for move in moves:
            move._retail_set_move_lines(received[move])
        moves.picked = True
        self.with_context(cancel_backorder=True, skip_backorder=True)._action_done()
        self._retail_link_received_lots()
        self._retail_book_adjustments(discrepancies)
        self._retail_scrap_damaged()
        return self.retail_scan_state()

    def _retail_prepare_differences(self, received, reason):
        """Discrepancy values of the units received against the units expected: per lot for a
        transfer whose shipment carried lots, per product otherwise."""
        values = []

        def difference(move, quantity, lot_id=False, lot_name=False):
            values.append({
                "picking_id": self.id, "product_id": move.product_id.id, "lot_id": lot_id, "lot_name": lot_name,
                "kind": "over" if quantity > 0 else "short", "quantity": abs(quantity), "reason": reason,
            })

        for move, items in received.items():
            shipped = move._retail_shipped_lots() if move.product_id.tracking != "none" else []
            if shipped:
                got = {self.env["stock.lot"].browse(item["lot_id"]): item["quantity"] for item in items}
                for lot, quantity in receiving.differences(dict(shipped), got).items():
                    difference(move, quantity, lot_id=lot.id)
                never_shipped = move.product_uom_qty - sum(quantity for _lot, quantity in shipped)
                if move.product_uom.compare(never_shipped, 0) > 0:
                    difference(move, -never_shipped)
                continue
            quantity = sum(item["quantity"] for item in items) - move.product_uom_qty
            if move.product_uom.compare(quantity, 0) == 0:
                continue
            # extra units of lots given at receiving are in the lot counted last
            last = items[-1] if items and quantity > 0 else {}
            difference(move, quantity, lot_id=last.get("lot_id") or False, lot_name=last.get("lot_name") or False)
        return values

    def _retail_link_received_lots(self):
        """Differences were recorded against lots that validation has just created."""
        for discrepancy in self.sudo().retail_discrepancy_ids.filtered(lambda d: d.lot_name and not d.lot_id):
            discrepancy.lot_id = self.move_line_ids.filtered(
                lambda line, d=discrepancy: line.product_id == d.product_id and line.lot_id.name == d.lot_name,
            ).lot_id[:1]

    def _retail_book_adjustments(self, discrepancies):
        """Short units left in transit are written off; over units are taken into transit.

        A tracked product's units that were never shipped (no lot) are not in transit: nothing
        to book for them.
        """
        source = self.location_id
        if source.usage != "transit":
            return
        discrepancies = discrepancies.filtered(lambda d: d.kind in ("short", "over")
                                               and (d.lot_id or d.product_id.tracking == "none"))
        if not discrepancies:
            return
        values = []
        for discrepancy in discrepancies:
            loss = discrepancy.product_id.with_company(self.company_id).property_stock_inventory
            short = discrepancy.kind == "short"
            values.append({
                "product_id": discrepancy.product_id.id,
                "product_uom_qty": discrepancy.quantity,
                "product_uom": discrepancy.product_id.uom_id.id,
                "location_id": source.id if short else loss.id,
                "location_dest_id": loss.id if short else source.id,
                "origin": self.name,
                "is_inventory": True,
                "move_line_ids": [Command.create({
                    "product_id": discrepancy.product_id.id,
                    "lot_id": discrepancy.lot_id.id,
                    "quantity": discrepancy.quantity,
                    "location_id": source.id if short else loss.id,
                    "location_dest_id": loss.id if short else source.id,
                })],
            })
        adjustments = self.env["stock.move"].sudo().create(values)
        adjustments.picked = True
        adjustments._action_done()
        for discrepancy, move in zip(discrepancies.sudo(), adjustments, strict=True):
            discrepancy.adjustment_move_id = move

    def _retail_scrap_damaged(self):
        damaged = self.sudo().retail_discrepancy_ids.filtered(
            lambda d: d.kind == "damaged" and not d.adjustment_move_id)
        for discrepancy in damaged:
            scrap = self.env["stock.scrap"].sudo().create({
                "product_id": discrepancy.product_id.id,
                "scrap_qty": discrepancy.quantity,
                "lot_id": discrepancy.lot_id.id,
                "location_id": self.location_dest_id.id,
                "picking_id": self.id,
                "company_id": self.company_id.id,
            })
            scrap.action_validate()
            discrepancy.adjustment_move_id = scrap.move_ids[:1]
