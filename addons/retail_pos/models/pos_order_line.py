from odoo import api, models

# What a sale recorded: once paid, corrections go through a refund, never an edit.
RECORDED_LINE_FIELDS = frozenset({
    "order_id", "product_id", "qty", "price_unit", "discount", "price_subtotal", "price_subtotal_incl",
    "tax_ids", "refunded_orderline_id", "combo_parent_id", "combo_item_id", "price_extra",
})


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            order_ids = {vals.get("order_id") for vals in vals_list if vals.get("order_id")}
            self.env["pos.order"].browse(order_ids)._retail_check_recorded(RECORDED_LINE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and RECORDED_LINE_FIELDS & vals.keys():
            self.order_id._retail_check_recorded(RECORDED_LINE_FIELDS)
            if vals.get("order_id"):
                self.env["pos.order"].browse(vals["order_id"])._retail_check_recorded(RECORDED_LINE_FIELDS)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.order_id._retail_check_recorded(RECORDED_LINE_FIELDS)
        return super().unlink()
