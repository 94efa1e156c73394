from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class StockPicking(models.Model):
    _inherit = "stock.picking"

    retail_dispatch_proposal_id = fields.Many2one(
        "retail.dispatch.proposal", string="Dispatch Proposal", index="btree_not_null", readonly=True, copy=False,
    )
    retail_discrepancy_ids = fields.One2many("retail.receipt.discrepancy", "picking_id", string="Discrepancies")

    def _action_done(self):
        result = super()._action_done()
        proposals = self.retail_dispatch_proposal_id.filtered(lambda p: p.state == "approved")
        for proposal in proposals:
            if all(picking.state in ("done", "cancel") for picking in proposal.picking_ids):
                proposal.sudo().state = "done"
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
        """What the receiving screen shows: expected and scanned per product."""
        self.ensure_one()
        lines = [
            {
                "move_id": move.id,
                "product_id": move.product_id.id,
                "product": move.product_id.display_name,
                "barcode": move.product_id.barcode or "",
                "lots": ", ".join(move.move_line_ids.lot_id.mapped("name")),
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

    def retail_scan(self, barcode, quantity=None):
        """Count one scanned unit (or a typed quantity, for a store manager).

        :return: ``{"status": "ok" | "wrong", "message": str, "state": retail_scan_state()}``
        """
        self.ensure_one()
        self._retail_check_receivable()
        barcode = (barcode or "").strip()
        if not barcode:
            raise UserError(self.env._("Nothing was scanned."))
        if quantity not in (None, False, 1, 1.0):
            if not self._retail_may_type_quantities():
                raise UserError(self.env._(
                    "Typing a quantity needs a store manager of %s: scan each unit instead.",
                    self.picking_type_id.warehouse_id.name))
            if quantity <= 0:
                raise UserError(self.env._("The quantity must be positive (%s).", quantity))
        quantity = float(quantity or 1.0)
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        product = moves.product_id.filtered(lambda p: p.barcode == barcode)[:1]
        if not product:
            lot = self.env["stock.lot"].search([("name", "=", barcode), ("product_id", "in", moves.product_id.ids)],
                                               limit=1)
            product = lot.product_id
        if not product:
            known = self.env["product.product"].search([("barcode", "=", barcode)], limit=1)
            self.env["retail.receipt.discrepancy"].create({
                "picking_id": self.id, "product_id": known.id, "barcode": barcode, "kind": "wrong",
                "quantity": quantity, "reason": self.env._("Not on this receipt: put aside"),
            })
            message = self.env._("%(item)s is not expected in %(receipt)s. Put it aside; it has been recorded.",
                                 item=known.display_name or barcode, receipt=self.name)
            return {"status": "wrong", "message": message, "state": self.retail_scan_state()}
        move = moves.filtered(lambda m: m.product_id == product)[:1]
        move.retail_scanned_qty += quantity
        message = self.env._("%(product)s: %(scanned)s of %(expected)s",
                             product=product.display_name, scanned=move.retail_scanned_qty,
                             expected=move.product_uom_qty)
        return {"status": "ok", "message": message, "state": self.retail_scan_state()}

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
        self.env["retail.receipt.discrepancy"].create({
            "picking_id": self.id, "product_id": move.product_id.id, "kind": "damaged",
            "lot_id": move.move_line_ids.lot_id[:1].id,
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
        # the goods arrive as counted
        for move in moves:
            move.quantity = move.retail_scanned_qty
            move.picked = True
        self.with_context(cancel_backorder=True, skip_backorder=True)._action_done()
        self._retail_book_adjustments(discrepancies)
        self._retail_scrap_damaged()
        return self.retail_scan_state()

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
