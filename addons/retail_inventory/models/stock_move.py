from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    retail_scanned_qty = fields.Float(
        string="Scanned", digits="Product Unit", copy=False,
        help="Units counted by scanning on the receiving screen.",
    )
