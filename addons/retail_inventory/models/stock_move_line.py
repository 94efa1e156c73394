from odoo import api, models

# what a move line receives: changed once the receipt is done, they would move the stock again
RECEIVED_FIELDS = frozenset({
    "product_id", "product_uom_id", "quantity", "picked", "lot_id", "lot_name", "location_id", "location_dest_id",
    "package_id", "result_package_id", "owner_id", "quant_id", "move_id", "picking_id",
})


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._retail_received_lines().picking_id._retail_check_received_unchanged()
            self.env.user._retail_check_source_locations(lines.location_id)
        return lines

    def write(self, vals):
        if not self.env.su and RECEIVED_FIELDS & vals.keys():
            self._retail_received_lines().picking_id._retail_check_received_unchanged()
        result = super().write(vals)
        if not self.env.su and "location_id" in vals:
            self.env.user._retail_check_source_locations(self.location_id)
        return result

    def _retail_received_lines(self):
        # a scrap from a receipt is a move of its own, linked to the receipt
        return self.filtered(lambda line: not line.move_id.scrap_id)
