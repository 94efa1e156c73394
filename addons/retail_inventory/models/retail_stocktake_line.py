from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.quantities import format_quantity
from .retail_guarded_mixin import refuse_fields


class RetailStocktakeLine(models.Model):
    _name = "retail.stocktake.line"
    _inherit = ["retail.guarded.mixin"]
    _description = "Counted product of a stocktake"
    _order = "stocktake_id, location_id, product_id, id"
    # what the system expected when counting started: the variances the manager approves
    _retail_guarded_fields = ("expected_qty",)

    stocktake_id = fields.Many2one("retail.stocktake", required=True, ondelete="cascade", index=True)
    retail_store_id = fields.Many2one(related="stocktake_id.retail_store_id", store=True, index=True)
    state = fields.Selection(related="stocktake_id.state")
    product_id = fields.Many2one("product.product", required=True)
    barcode = fields.Char(related="product_id.barcode")
    lot_id = fields.Many2one("stock.lot", domain="[('product_id', '=', product_id)]")
    location_id = fields.Many2one("stock.location", required=True)
    expected_qty = fields.Float(string="Expected", digits="Product Unit", readonly=True)
    counted_qty = fields.Float(string="Counted", digits="Product Unit")
    counted = fields.Boolean(string="Checked", help="Ticked when the line has been counted (by hand, scan or import).")
    difference = fields.Float(compute="_compute_difference", store=True, digits="Product Unit")

    @api.depends("expected_qty", "counted_qty", "counted")
    def _compute_difference(self):
        for line in self:
            line.difference = line.counted_qty - line.expected_qty if line.counted else 0.0

    @api.constrains("counted_qty")
    def _check_counted_qty(self):
        for line in self:
            if line.counted_qty < 0:
                raise ValidationError(self.env._(
                    "%(product)s: a count cannot be negative (%(quantity)s).",
                    product=line.product_id.display_name, quantity=format_quantity(line.counted_qty)))

    @api.constrains("location_id", "stocktake_id", "lot_id", "product_id")
    def _check_store(self):
        # approving applies the counts with full rights: a line may only count its own store
        for line in self:
            store = line.stocktake_id.retail_store_id
            if line.location_id.usage != "internal" or line.location_id.warehouse_id != store:
                raise ValidationError(self.env._(
                    "%(location)s is not a stock location of %(store)s: a stocktake counts its own store only.",
                    location=line.location_id.display_name, store=store.name))
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(self.env._("Lot %(lot)s is not a lot of %(product)s.",
                                                 lot=line.lot_id.name, product=line.product_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines.stocktake_id._retail_check_lines_open()
        return lines

    def write(self, vals):
        if not self.env.su:
            if "stocktake_id" in vals:
                # a counted line stays on its own count sheet
                refuse_fields(self, ["stocktake_id"])
            self.stocktake_id._retail_check_lines_open()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.stocktake_id._retail_check_lines_open()
        return super().unlink()

    @api.onchange("counted_qty")
    def _onchange_counted_qty(self):
        self.counted = True
