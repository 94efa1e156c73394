from odoo import api, fields, models


class RetailReceiptScan(models.Model):
    """What the receiving screen counted, per product and lot: the only source of what a receipt
    scanned in a store receives. Only the scanning methods write it (after their checks); no
    role edits it, so that what was counted stays as it was counted."""

    _name = "retail.receipt.scan"
    _inherit = ["retail.store.mixin"]
    _description = "Units counted by scanning at receiving"
    _order = "picking_id, move_id, id"

    picking_id = fields.Many2one("stock.picking", string="Receipt", required=True, ondelete="cascade", index=True,
                                 readonly=True)
    move_id = fields.Many2one("stock.move", required=True, ondelete="cascade", index=True, readonly=True)
    product_id = fields.Many2one(related="move_id.product_id")
    lot_id = fields.Many2one("stock.lot", readonly=True)
    lot_name = fields.Char(
        string="Lot Number", readonly=True,
        help="A lot counted at receiving that does not exist yet: validation creates it.",
    )
    expiration_date = fields.Datetime(string="Expiry of the New Lot", readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    user_id = fields.Many2one("res.users", string="Counted by", default=lambda self: self.env.user, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        pickings = self.env["stock.picking"].browse({vals["picking_id"] for vals in vals_list})
        store = {picking.id: picking.picking_type_id.warehouse_id.id for picking in pickings}
        for vals in vals_list:
            vals.setdefault("retail_store_id", store[vals["picking_id"]])
        return super().create(vals_list)

    def _retail_lot_label(self):
        self.ensure_one()
        return self.lot_id.name or self.lot_name or ""
