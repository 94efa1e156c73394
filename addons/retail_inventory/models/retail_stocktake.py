from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class RetailStocktake(models.Model):
    _name = "retail.stocktake"
    _inherit = ["retail.store.mixin", "mail.thread", "retail.guarded.mixin"]
    _description = "Stocktake (count sheet) of a store"
    _order = "id desc"
    _retail_guarded_fields = ("state", "approved_by_id")

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    retail_store_id = fields.Many2one(required=True, tracking=True)
    location_id = fields.Many2one(
        "stock.location",
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', retail_store_id)]",
        help="Count this location and the locations inside it. Empty: the store's whole stock.",
    )
    category_id = fields.Many2one(
        "product.category", string="Product Category",
        help="Count only the products of this category (and its subcategories).",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("counting", "Counting"), ("to_approve", "To Approve"), ("done", "Done"),
         ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, copy=False, tracking=True,
    )
    reason = fields.Char(
        default=lambda self: self.env._("Stocktake"),
        help="Written on the inventory adjustments, so finance sees why stock changed.",
    )
    line_ids = fields.One2many("retail.stocktake.line", "stocktake_id", string="Counts")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    variance_count = fields.Integer(compute="_compute_variance")
    variance_qty = fields.Float(compute="_compute_variance", string="Net Variance", digits="Product Unit")

    @api.depends("line_ids.difference", "line_ids.counted")
    def _compute_variance(self):
        for stocktake in self:
            counted = stocktake.line_ids.filtered("counted")
            stocktake.variance_count = len(counted.filtered(lambda line: line.difference))
            stocktake.variance_qty = sum(counted.mapped("difference"))

    @api.constrains("location_id", "retail_store_id")
    def _check_location(self):
        for stocktake in self:
            if stocktake.location_id and stocktake.location_id.warehouse_id != stocktake.retail_store_id:
                raise ValidationError(self.env._(
                    "%(location)s is not a stock location of %(store)s: a stocktake counts its own store only.",
                    location=stocktake.location_id.display_name, store=stocktake.retail_store_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("retail.stocktake") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("retail_store_id") and not self.env.su:
            store = self.env["stock.warehouse"].browse(vals["retail_store_id"])
            if store not in self.env.user._retail_visible_stores():
                raise AccessError(self.env._("You cannot move a stocktake to %s, a store that is not yours.",
                                             store.sudo().name))
        # the lines counted are the store's: approval applies them to that store's stock
        if "retail_store_id" in vals and not self.env.su and any(stocktake.state != "draft" for stocktake in self):
            raise UserError(self.env._("The store of a stocktake is fixed once counting has started."))
        return super().write(vals)

    def _retail_write_state(self, vals):
        """Private: the actions move a stocktake on with full rights once they have checked that
        the user may (see each action)."""
        self.sudo().write(vals)

    def _retail_check_lines_open(self):
        # once submitted, the counts are what the manager approves: they change only while counting
        closed = self.filtered(lambda stocktake: stocktake.state != "counting")
        if closed:
            raise UserError(self.env._("%s is not being counted: its counts cannot change.",
                                       ", ".join(closed.mapped("name"))))

    def _retail_check_may_count(self):
        # counting changes the stocktake: whoever may change it (its own store's staff)
        self.check_access("write")

    def _counted_locations(self):
        self.ensure_one()
        root = self.location_id or self.retail_store_id.lot_stock_id
        return self.env["stock.location"].search([("id", "child_of", root.id), ("usage", "=", "internal")])

    def action_start(self):
        """Open the count sheet with one line per product, lot and location in stock."""
        self._retail_check_may_count()
        for stocktake in self:
            if stocktake.state != "draft":
                raise UserError(self.env._("%s has already started.", stocktake.name))
            domain = [("location_id", "in", stocktake._counted_locations().ids)]
            if stocktake.category_id:
                domain.append(("product_id.categ_id", "child_of", stocktake.category_id.id))
            groups = self.env["stock.quant"]._read_group(
                domain, ["product_id", "lot_id", "location_id"], ["quantity:sum"])
            stocktake._retail_write_state({"state": "counting"})
            # what the system expects is the server's to say, not the counter's
            self.env["retail.stocktake.line"].sudo().create([{
                "stocktake_id": stocktake.id, "product_id": product.id, "lot_id": lot.id,
                "location_id": location.id, "expected_qty": quantity,
            } for product, lot, location, quantity in groups])
        return True

    def action_submit(self):
        self._retail_check_may_count()
        for stocktake in self:
            if stocktake.state != "counting":
                raise UserError(self.env._("%s is not being counted.", stocktake.name))
            if not stocktake.line_ids.filtered("counted"):
                raise UserError(self.env._("Nothing has been counted on %s yet.", stocktake.name))
            stocktake._retail_write_state({"state": "to_approve"})
        return True

    def action_back_to_counting(self):
        self._retail_check_may_count()
        self.filtered(lambda s: s.state == "to_approve")._retail_write_state({"state": "counting"})
        return True

    def action_cancel(self):
        self._retail_check_may_count()
        if any(stocktake.state == "done" for stocktake in self):
            raise UserError(self.env._("A stocktake already applied cannot be cancelled."))
        self._retail_write_state({"state": "cancel"})
        return True

    def action_approve(self):
        """Apply the counted variances as inventory adjustments (a store manager of that store)."""
        for stocktake in self:
            if not self.env.user._retail_is_manager_of(stocktake.retail_store_id):
                raise AccessError(self.env._(
                    "Only a store manager of %(store)s or headquarters may approve %(name)s.",
                    store=stocktake.retail_store_id.name, name=stocktake.name))
            if stocktake.state != "to_approve":
                raise UserError(self.env._("%s is not waiting for approval.", stocktake.name))
            stocktake._apply_counts()
            stocktake._retail_write_state({"state": "done", "approved_by_id": self.env.uid})
        return True

    def _apply_counts(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.counted and line.difference)
        if not lines:
            return
        Quant = self.env["stock.quant"].sudo().with_context(inventory_mode=True)
        quants = Quant.create([{
            "product_id": line.product_id.id,
            "location_id": line.location_id.id,
            "lot_id": line.lot_id.id,
            "inventory_quantity": line.counted_qty,
        } for line in lines])
        quants.with_context(inventory_name=f"{self.name}: {self.reason or ''}".strip(": "))._apply_inventory()
        quants.inventory_quantity_set = False

    # ------------------------------------------------------------------ counting by scanning

    def action_retail_scan_count(self):
        self.ensure_one()
        self._retail_check_counting()
        return {
            "type": "ir.actions.client",
            "tag": "retail_inventory.scan_receive",
            "name": self.env._("Count %s", self.name),
            "params": {"model": self._name, "res_id": self.id},
        }

    def _retail_check_counting(self):
        self.ensure_one()
        self._retail_check_may_count()
        if self.state != "counting":
            raise UserError(self.env._("%s is not being counted.", self.name))

    def retail_scan_state(self):
        self.ensure_one()
        lines = [
            {
                "move_id": line.id,
                "product_id": line.product_id.id,
                "product": line.product_id.display_name,
                "barcode": line.product_id.barcode or "",
                "lots": " ".join(filter(None, [line.lot_id.name, line.location_id.name])),
                "expected": line.expected_qty,
                "scanned": line.counted_qty,
            }
            for line in self.line_ids.filtered("counted").sorted("id")
        ]
        return {
            "name": self.name,
            "origin": self.retail_store_id.name,
            "partner": "",
            "state": self.state,
            "closed": self.state != "counting",
            "can_type_quantity": self.env.user._retail_is_manager_of(self.retail_store_id),
            "can_report_damaged": False,
            "validate_label": self.env._("Submit for Approval"),
            "done_message": self.env._("The counts wait for the store manager's approval."),
            "expected": sum(line["expected"] for line in lines),
            "scanned": sum(line["scanned"] for line in lines),
            "lines": lines,
            "discrepancies": [],
        }

    def retail_scan(self, barcode, quantity=None):
        """Count one scanned unit at the stocktake's location (a typed quantity needs a manager)."""
        self.ensure_one()
        self._retail_check_counting()
        barcode = (barcode or "").strip()
        if quantity not in (None, False, 1, 1.0):
            if not self.env.user._retail_is_manager_of(self.retail_store_id):
                raise UserError(self.env._(
                    "Typing a quantity needs a store manager of %s: scan each unit instead.",
                    self.retail_store_id.name))
            if quantity <= 0:
                raise UserError(self.env._("The quantity must be positive (%s).", quantity))
        quantity = float(quantity or 1.0)
        product = self.env["product.product"].search([("barcode", "=", barcode)], limit=1) if barcode else None
        lot = self.env["stock.lot"]
        if not product and barcode:
            lot = self.env["stock.lot"].search([("name", "=", barcode)], limit=1)
            product = lot.product_id
        if not product or (self.category_id and product.categ_id not in self.env["product.category"].search(
                [("id", "child_of", self.category_id.id)])):
            return {
                "status": "wrong",
                "message": self.env._("%s is not a product of this count.", barcode or "?"),
                "state": self.retail_scan_state(),
            }
        location = self.location_id or self.retail_store_id.lot_stock_id
        lines = self.line_ids.filtered(lambda line: line.product_id == product and line.location_id == location)
        line = (lines.filtered(lambda candidate: candidate.lot_id == lot) if lot else lines)[:1]
        if not line:
            line = self.env["retail.stocktake.line"].create({
                "stocktake_id": self.id, "product_id": product.id, "lot_id": lot.id,
                "location_id": location.id, "expected_qty": 0.0,
            })
        line.write({"counted_qty": (line.counted_qty if line.counted else 0.0) + quantity, "counted": True})
        return {
            "status": "ok",
            "message": self.env._("%(product)s: %(counted)s counted", product=product.display_name,
                                  counted=line.counted_qty),
            "state": self.retail_scan_state(),
        }

    def retail_validate(self, reason=None):
        self.ensure_one()
        self.action_submit()
        return self.retail_scan_state()
