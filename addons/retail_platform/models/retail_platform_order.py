from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.outbound import DEFAULT_REJECT_REASON

ORDER_STATES = [
    ("new", "To Accept"),
    ("accepted", "Accepted"),
    ("delivered", "Delivered"),
    ("partially_refunded", "Partially Refunded"),
    ("refunded", "Refunded"),
    ("cancelled", "Cancelled"),
]


class PlatformError(UserError):
    """An event that cannot be applied, with the kind of error queue entry it makes."""

    def __init__(self, message, kind="processing"):
        super().__init__(message)
        self.kind = kind


class RetailPlatformOrder(models.Model):
    """An order of a delivery platform in one store: its stock (an outgoing picking, reserved on
    acceptance and done on delivery) and its books (an invoice to the platform on its
    receivable, with the store's analytic account; credit notes for cancellations and refunds)."""

    _name = "retail.platform.order"
    _description = "Delivery platform order"
    _order = "id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    shop_id = fields.Many2one("retail.platform.shop", required=True, index=True, readonly=True, ondelete="restrict")
    platform = fields.Selection(related="shop_id.platform", store=True)
    warehouse_id = fields.Many2one("stock.warehouse", "Store", required=True, index=True, readonly=True)
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    platform_order_ref = fields.Char("Platform Order", required=True, readonly=True)
    state = fields.Selection(ORDER_STATES, default="new", required=True, index=True, readonly=True)
    line_ids = fields.One2many("retail.platform.order.line", "order_id", readonly=True)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True, copy=False)
    return_picking_ids = fields.Many2many("stock.picking", string="Returns", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False)
    credit_note_ids = fields.Many2many("account.move", string="Credit Notes", readonly=True, copy=False)
    settlement_id = fields.Many2one("retail.platform.settlement", "Payout", readonly=True, copy=False, index=True)
    note = fields.Char(readonly=True)

    _order_uniq = models.Constraint(
        "UNIQUE(shop_id, platform_order_ref)", "A platform order is recorded once per shop.")

    @api.depends("shop_id.shop_code", "platform_order_ref")
    def _compute_name(self):
        for order in self:
            order.name = f"{order.shop_id.shop_code}/{order.platform_order_ref}"

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("price_subtotal"))

    # -- what a manager does -------------------------------------------------------------
    def _check_manager(self):
        for order in self:
            if not self.env.user._retail_is_manager_of(order.warehouse_id):
                raise AccessError(self.env._("Only a manager of %(store)s accepts or rejects its platform orders.",
                                             store=order.warehouse_id.name))

    def action_accept(self):
        self._check_manager()
        for order in self.sudo():
            if order.state != "new":
                raise UserError(self.env._("Order %(order)s is not waiting to be accepted.", order=order.name))
            order.with_company(order.company_id)._accept()

    def action_reject(self, reason=None):
        """Cancel the order and tell the platform, with ``reason`` (a key of ``REJECT_REASONS``,
        by default ``other``) in the platform's own words."""
        self._check_manager()
        reasons = dict(self.env["retail.platform.callback"]._fields["reject_reason"]._description_selection(self.env))
        reason = reason or DEFAULT_REJECT_REASON
        if reason not in reasons:
            raise UserError(self.env._("Unknown reason of a rejection: %(reason)s.", reason=reason))
        for order in self.sudo():
            if order.state != "new":
                raise UserError(self.env._("Order %(order)s is not waiting to be accepted.", order=order.name))
            order.write({"state": "cancelled",
                         "note": self.env._("Rejected by the store: %(reason)s", reason=reasons[reason])})
            order.env["retail.platform.callback"]._queue(order, "reject", {"reason": reason})

    def action_open_reject(self):
        """The dialog in which the store chooses its reason before rejecting."""
        self.ensure_one()
        self._check_manager()
        return {
            "type": "ir.actions.act_window", "name": self.env._("Reject the Order"),
            "res_model": "retail.platform.order.reject", "view_mode": "form", "target": "new",
            "context": {"default_order_id": self.id},
        }

    # -- the events of the platform ------------------------------------------------------
    @api.model
    def _apply_event(self, shop, event):
        """Apply one event of the platform; returns ``(message state, note)`` or raises PlatformError."""
        order = self.search([("shop_id", "=", shop.id), ("platform_order_ref", "=", event["order_id"])], limit=1)
        kind = event["event"]
        if kind == "create":
            if order.state == "cancelled" and not order.line_ids:
                return "ignored", self.env._("The order was cancelled before it arrived.")
            if order:
                return "ignored", self.env._("The order is already recorded.")
            order = self._create_from_event(shop, event)
            if shop.auto_accept:
                order._accept()
            return "done", ""
        if kind == "cancel":
            if not order:
                # cancelled before we heard of it: remember, so that a late creation is ignored
                self.create({"shop_id": shop.id, "warehouse_id": shop.warehouse_id.id,
                             "platform_order_ref": event["order_id"], "state": "cancelled",
                             "note": self.env._("Cancelled before it arrived")})
                return "done", self.env._("Cancelled before the order arrived.")
            if order.state == "cancelled":
                return "ignored", self.env._("The order is already cancelled.")
            if order.state not in ("new", "accepted"):
                raise PlatformError(self.env._(
                    "Order %(order)s was already delivered; the platform must send a refund, not a cancellation.",
                    order=order.name))
            order._cancel()
            return "done", ""
        if not order:
            return "waiting", self.env._("The order has not arrived yet.")
        if order.state == "cancelled":
            raise PlatformError(self.env._("Order %(order)s is cancelled.", order=order.name))
        if kind == "delivered":
            if order.state != "new" and order.picking_id.state == "done":
                return "ignored", self.env._("The order is already delivered.")
            if order.state == "new":
                order._accept()
            order._deliver()
            return "done", ""
        if kind == "refund":
            if order.state == "new":
                raise PlatformError(self.env._("Order %(order)s was never accepted; nothing to refund.",
                                               order=order.name))
            order._refund(event)
            return "done", ""
        raise PlatformError(self.env._("Unknown event %(event)s.", event=kind), kind="malformed")

    @api.model
    def _create_from_event(self, shop, event):
        return self._create_from_events([(shop, event)])

    @api.model
    def _create_from_events(self, shop_events):
        """The orders of ``[(shop, creation event)]``, created in one call; an unknown SKU of any of
        them raises."""
        skus = {}
        for shop, event in shop_events:
            skus.setdefault(shop.platform, set()).update(line["sku"] for line in event["lines"])
        Product = self.env["retail.platform.product"]
        products = {platform: Product._resolve(platform, list(platform_skus))
                    for platform, platform_skus in skus.items()}
        for shop, event in shop_events:
            unknown = sorted({line["sku"] for line in event["lines"]} - set(products[shop.platform]))
            if unknown:
                raise PlatformError(self.env._("Unknown SKU %(skus)s: give the product this barcode or list it in "
                                               "Platform Products.", skus=", ".join(unknown)), kind="unknown_sku")
        return self.create([{
            "shop_id": shop.id, "warehouse_id": shop.warehouse_id.id, "platform_order_ref": event["order_id"],
            "line_ids": [Command.create({
                "platform_sku": line["sku"], "product_id": products[shop.platform][line["sku"]].id,
                "quantity": line["qty"], "price_unit": line["price"],
            }) for line in event["lines"]],
        } for shop, event in shop_events])

    @api.model
    def _create_together(self, shop_events):
        """Several new orders (``[(shop, creation event)]``, of distinct orders of the platform, none
        recorded yet) as ``_apply_event`` makes them one by one, the orders, their pickings and their
        invoices each created in one call. Raises PlatformError when one of them is already recorded
        or cannot be made."""
        refs = [event["order_id"] for _shop, event in shop_events]
        shop_ids = list({shop.id for shop, _event in shop_events})
        if self.search_count([("shop_id", "in", shop_ids), ("platform_order_ref", "in", refs)], limit=1):
            raise PlatformError(self.env._("An order of the set is already recorded."))
        orders = self._create_from_events(shop_events)
        orders.filtered(lambda order: order.shop_id.auto_accept)._accept()
        return orders

    # -- stock and books -----------------------------------------------------------------
    def _accept(self):
        """Reserve the store's stock and book the sale to the platform: the pickings and the
        invoices of the orders each created in one call, the invoices posted one after the other so
        that their numbers follow the orders."""
        if not self:
            return
        pickings = self.env["stock.picking"].create([order._prepare_picking_vals() for order in self])
        pickings.action_confirm()
        pickings.action_assign()
        invoices = self.env["account.move"].create([order._prepare_invoice_vals(
            "out_invoice", [(line, line.quantity) for line in order.line_ids]) for order in self])
        for invoice in invoices:
            invoice.action_post()
        for order, picking, invoice in zip(self, pickings, invoices, strict=True):
            order.write({"state": "accepted", "picking_id": picking.id, "invoice_id": invoice.id})
        self.env["retail.platform.callback"]._queue(self, "accept")

    def _prepare_picking_vals(self):
        warehouse = self.warehouse_id
        customers = self.env.ref("stock.stock_location_customers")
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "partner_id": self.shop_id.partner_id.id,
            "origin": self.name,
            "move_ids": [Command.create({
                "product_id": line.product_id.id, "product_uom_qty": line.quantity,
                "product_uom": line.product_id.uom_id.id, "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id, "warehouse_id": warehouse.id,
            }) for line in self.line_ids],
        }

    def _prepare_invoice_vals(self, move_type, quantities, ref=None):
        """An invoice or credit note of ``quantities`` (``[(line, qty)]``) at the platform's prices,
        which include the taxes of the product."""
        shop = self.shop_id
        analytic = self.warehouse_id.retail_analytic_account_id
        values = {
            "move_type": move_type,
            "partner_id": shop.partner_id.id,
            "invoice_origin": self.name,
            "ref": ref or self.platform_order_ref,
            "invoice_line_ids": [Command.create(line._prepare_invoice_line_vals(qty, analytic))
                                 for line, qty in quantities if qty],
        }
        if shop.sale_journal_id:
            values["journal_id"] = shop.sale_journal_id.id
        return values

    def _deliver(self):
        """The goods left: deduct what the picking still holds."""
        self.ensure_one()
        picking = self.picking_id
        for move in picking.move_ids.filtered(lambda move: move.state not in ("done", "cancel")):
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.state = "delivered"

    def _cancel(self):
        self.ensure_one()
        if self.picking_id and self.picking_id.state != "done":
            self.picking_id.action_cancel()
        if self.invoice_id.state == "posted":
            reversal = self.invoice_id._reverse_moves(
                [{"ref": self.env._("Cancelled: %(order)s", order=self.platform_order_ref)}], cancel=True)
            self.credit_note_ids = [Command.link(reversal.id)]
        self.state = "cancelled"

    def _refund(self, event):
        """A credit note for the refunded quantities at the prices sold; the goods come back into
        the store only when the platform says they did. Refunded before delivery, the goods
        never leave: the delivery is reduced instead."""
        self.ensure_one()
        if event["refund_id"] and self.credit_note_ids.filtered(lambda move: move.ref == event["refund_id"]):
            raise PlatformError(self.env._("Refund %(refund)s of order %(order)s is already booked.",
                                           refund=event["refund_id"], order=self.name))
        quantities = []
        for item in event["lines"]:
            line = self.line_ids.filtered(lambda line, sku=item["sku"]: line.platform_sku == sku)[:1]
            if not line:
                raise PlatformError(self.env._("Order %(order)s has no line of SKU %(sku)s to refund.",
                                               order=self.name, sku=item["sku"]), kind="unknown_sku")
            left = line.quantity - line.refunded_quantity - sum(qty for seen, qty in quantities if seen == line)
            if item["qty"] > left + 1e-9:
                raise PlatformError(self.env._(
                    "Refund of %(qty)s x %(sku)s on order %(order)s is more than the %(left)s not yet refunded.",
                    qty=item["qty"], sku=item["sku"], order=self.name, left=left))
            quantities.append((line, item["qty"]))
        credit_note = self.env["account.move"].create(self._prepare_invoice_vals(
            "out_refund", quantities, ref=event["refund_id"] or self.env._("Refund")))
        credit_note.action_post()
        self._reconcile_with_invoice(credit_note)
        picking = self.picking_id
        if picking.state == "done":
            if event["goods_returned"]:
                self._return_goods(quantities)
        elif picking:
            for line, qty in quantities:
                for move in picking.move_ids.filtered(lambda move, product=line.product_id: move.product_id == product
                                                      and move.state not in ("done", "cancel"))[:1]:
                    move.product_uom_qty = max(move.product_uom_qty - qty, 0.0)
            if all(move.product_uom_qty <= 0 for move in picking.move_ids):
                picking.action_cancel()
        for line, qty in quantities:
            line.refunded_quantity += qty
        fully = all(line.refunded_quantity >= line.quantity for line in self.line_ids)
        self.write({"state": "refunded" if fully else "partially_refunded",
                    "credit_note_ids": [Command.link(credit_note.id)]})
        self.env["retail.platform.callback"]._queue(self, "refund", {"refund_id": event["refund_id"]})

    def _reconcile_with_invoice(self, credit_note):
        """Set the credit note off against the invoice while the platform has not paid it yet."""
        lines = (self.invoice_id | credit_note).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled)
        if self.invoice_id.payment_state == "not_paid" and len(lines) > 1:
            lines.reconcile()

    def _return_goods(self, quantities):
        wizard = self.env["stock.return.picking"].with_context(
            active_id=self.picking_id.id, active_model="stock.picking").create({"picking_id": self.picking_id.id})
        wanted = {}
        for line, qty in quantities:
            wanted[line.product_id] = wanted.get(line.product_id, 0.0) + qty
        for return_line in wizard.product_return_moves:
            return_line.quantity = wanted.pop(return_line.product_id, 0.0)
        returned = wizard._create_return()
        for move in returned.move_ids:
            move.quantity = move.product_uom_qty
        returned.move_ids.picked = True
        returned._action_done()
        self.return_picking_ids = [Command.link(returned.id)]
