from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools import gs1


class StockPicking(models.Model):
    _inherit = "stock.picking"

    retail_dispatch_proposal_id = fields.Many2one(
        "retail.dispatch.proposal", string="Dispatch Proposal", index="btree_not_null", readonly=True, copy=False,
    )
    retail_discrepancy_ids = fields.One2many("retail.receipt.discrepancy", "picking_id", string="Discrepancies")

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
        for line in move._retail_counted_lines():
            lot = line.lot_id.name or line.lot_name
            expiry = line.expiration_date or line.lot_id.expiration_date
            if expiry:
                parts.append(self.env._("%(lot)s: %(quantity)s, expires %(date)s", lot=lot,
                                        quantity=f"{line.quantity:g}", date=fields.Date.to_string(expiry)))
            else:
                parts.append(self.env._("%(lot)s: %(quantity)s", lot=lot, quantity=f"{line.quantity:g}"))
        return "; ".join(parts)

    def retail_scan(self, barcode, quantity=None, lot_name=None, expiration_date=None):
        """Count one scanned unit (or a typed quantity, for a store manager).

        A product barcode, a lot number or a GS1 label is scanned. A GS1 label may carry the lot,
        its expiry and how many units it stands for. For a product whose lots the clerk must give
        (a lot-tracked product from a supplier), the screen asks for the lot once, and sends the
        same scan again with ``lot_name`` (and ``expiration_date`` when the product has expiry
        dates); later scans count into that lot until another one is scanned or entered.

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
        if not product:
            known = self._retail_known_product(barcode, label)
            self.env["retail.receipt.discrepancy"].create({
                "picking_id": self.id, "product_id": known.id, "barcode": barcode, "kind": "wrong",
                "quantity": float(quantity or 1.0), "reason": self.env._("Not on this receipt: put aside"),
            })
            message = self.env._("%(item)s is not expected in %(receipt)s. Put it aside; it has been recorded.",
                                 item=known.display_name or barcode, receipt=self.name)
            return {"status": "wrong", "message": message, "state": self.retail_scan_state()}
        # a label says how many units it stands for; a manager's typed quantity says it otherwise
        quantity = float(quantity) if typed else float((label or {}).get("count", 1))
        move = moves.filtered(lambda m: m.product_id == product)[:1]
        if move._retail_needs_lot_entry():
            label = label or {}
            # on a label, a serial-tracked unit is named by its serial number (AI 21)
            labelled = ((label.get("serial") or label.get("lot")) if product.tracking == "serial"
                        else (label.get("lot") or label.get("serial")))
            new_lot = lot_name or labelled or lot.name
            if new_lot:
                move._retail_start_lot(new_lot, expiration_date or label.get("expiry"))
            if not move.retail_scan_lot_name or move._retail_lot_needs_expiry():
                return self._retail_lot_needed(move)
            move._retail_count_into_lot(quantity)
        else:
            move.retail_scanned_qty += quantity
        message = self.env._("%(product)s: %(scanned)s of %(expected)s",
                             product=product.display_name, scanned=move.retail_scanned_qty,
                             expected=move.product_uom_qty)
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
        label = gs1.parse(barcode)
        if label:
            product = moves.product_id.filtered(lambda p: gs1.gtin14(p.barcode) == label["gtin"])[:1]
        return product, Lot, label

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
        move = self.move_ids.filtered(lambda m: m.product_id.id == product_id)[:1]
        if not move:
            raise UserError(self.env._("This product is not on %s.", self.name))
        if quantity <= 0 or quantity > move.retail_scanned_qty:
            raise UserError(self.env._(
                "%(product)s: damaged units (%(quantity)s) must be between 1 and the units scanned (%(scanned)s).",
                product=move.product_id.display_name, quantity=quantity, scanned=move.retail_scanned_qty))
        if not (reason or "").strip():
            raise UserError(self.env._("Say what is damaged."))
        lot_name = False
        if move._retail_needs_lot_entry():
            # the lot being counted, or the last one counted (a serial number is not kept)
            last = move._retail_counted_lines()[-1:]
            lot_name = move.retail_scan_lot_name or last.lot_id.name or last.lot_name
        self.env["retail.receipt.discrepancy"].create({
            "picking_id": self.id, "product_id": move.product_id.id, "kind": "damaged",
            "lot_id": move._retail_existing_lot(lot_name).id if lot_name else move.move_line_ids.lot_id[:1].id,
            "lot_name": lot_name,
            "quantity": quantity, "reason": reason.strip(),
        })
        return self.retail_scan_state()

    def retail_validate(self, reason=None):
        """Receive what was scanned; book short, over and damaged units as adjustments."""
        self.ensure_one()
        self._retail_check_receivable()
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        if not any(moves.mapped("retail_scanned_qty")):
            raise UserError(self.env._("Nothing has been scanned on %s yet.", self.name))
        reason = (reason or "").strip() or self.env._("Counted at receiving")
        Discrepancy = self.env["retail.receipt.discrepancy"]
        differences = []
        for move in moves:
            difference = move.retail_scanned_qty - move.product_uom_qty
            if move.product_uom.compare(difference, 0) != 0:
                differences.append((move, difference))
        discrepancies = Discrepancy.create([{
            "picking_id": self.id, "product_id": move.product_id.id,
            "lot_id": (move.move_orig_ids.move_line_ids.lot_id or move.move_line_ids.lot_id)[:1].id,
            "kind": "over" if difference > 0 else "short", "quantity": abs(difference), "reason": reason,
        } for move, difference in differences])
        # the goods arrive as counted; counted lots are already move lines of their own
        for move in moves:
            if move._retail_needs_lot_entry() and move._retail_counted_lines():
                move.move_line_ids.filtered(lambda line: not line.lot_id and not line.lot_name).unlink()
            else:
                move.quantity = move.retail_scanned_qty
            move.picked = True
        self.with_context(cancel_backorder=True, skip_backorder=True)._action_done()
        self._retail_link_received_lots()
        self._retail_book_adjustments(discrepancies)
        self._retail_scrap_damaged()
        return self.retail_scan_state()

    def _retail_link_received_lots(self):
        """Damaged units were recorded against a lot that validation has just created."""
        for discrepancy in self.retail_discrepancy_ids.filtered(lambda d: d.lot_name and not d.lot_id):
            discrepancy.lot_id = self.move_line_ids.filtered(
                lambda line, d=discrepancy: line.product_id == d.product_id and line.lot_id.name == d.lot_name,
            ).lot_id[:1]

    def _retail_book_adjustments(self, discrepancies):
        """Short units left in transit are written off; over units are taken into transit."""
        source = self.location_id
        if source.usage != "transit" or not discrepancies:
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
        for discrepancy, move in zip(discrepancies, adjustments, strict=True):
            discrepancy.adjustment_move_id = move

    def _retail_scrap_damaged(self):
        damaged = self.retail_discrepancy_ids.filtered(lambda d: d.kind == "damaged" and not d.adjustment_move_id)
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
