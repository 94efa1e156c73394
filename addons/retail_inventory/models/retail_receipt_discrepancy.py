from odoo import api, fields, models


class RetailReceiptDiscrepancy(models.Model):
    """A difference found while receiving. Only the receiving methods record it (after their
    checks); no role edits or deletes it."""

    _name = "retail.receipt.discrepancy"
    _inherit = ["retail.store.mixin"]
    _description = "Difference found while receiving goods"
    _order = "id desc"

    picking_id = fields.Many2one("stock.picking", string="Receipt", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product")
    lot_id = fields.Many2one("stock.lot")
    lot_name = fields.Char(
        string="Lot Number", help="Lot number counted at receiving, before validation created the lot.",
    )
    barcode = fields.Char(help="What was scanned, when it matched no product of the receipt.")
    kind = fields.Selection(
        [("short", "Short"), ("over", "Over"), ("damaged", "Damaged"), ("wrong", "Wrong item"),
         ("wrong_lot", "Lot not shipped")],
        required=True,
    )
    quantity = fields.Float(digits="Product Unit", default=1.0)
    reason = fields.Char(required=True)
    user_id = fields.Many2one("res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True)
    adjustment_move_id = fields.Many2one(
        "stock.move", string="Adjustment", readonly=True,
        help="The stock move that booked this difference when the receipt was validated.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("picking_id") and not vals.get("retail_store_id"):
                picking = self.env["stock.picking"].browse(vals["picking_id"])
                vals["retail_store_id"] = picking.picking_type_id.warehouse_id.id
        return super().create(vals_list)
