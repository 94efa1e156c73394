from odoo import api, models
from odoo.exceptions import AccessError

# what a quant holds: core changes it with full rights when stock moves; a user writing it would
# make or remove stock without a move
STOCK_FIELDS = frozenset({
    "quantity", "reserved_quantity", "product_id", "location_id", "lot_id", "package_id", "owner_id", "in_date",
})


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            Location = self.env["stock.location"]
            holding = [vals for vals in vals_list if vals.get("quantity") or vals.get("reserved_quantity")]
            Location.browse({vals.get("location_id") for vals in holding})._retail_check_stock_unwritten()
            # core creates counted quants with full rights: the store walls are checked here
            foreign = self.env.user._retail_foreign_locations(
                Location.browse({vals["location_id"] for vals in vals_list if vals.get("location_id")}))
            if foreign:
                raise AccessError(self.env._("You cannot count stock in %s: a store counts its own stock only.",
                                             ", ".join(foreign.mapped("complete_name"))))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and STOCK_FIELDS & vals.keys():
            self.sudo().location_id._retail_check_stock_unwritten()
        return super().write(vals)

    def _apply_inventory(self, date=None):
        # a store's stock is counted with a stocktake, which its manager approves
        if not self.env.su:
            stores = self.sudo().location_id.warehouse_id.filtered("retail_store_type")
            refused = stores.filtered(lambda store: not self.env.user._retail_is_manager_of(store))
            if refused:
                raise AccessError(self.env._(
                    "Only a store manager of %s or headquarters applies inventory adjustments: count the stock "
                    "with a stocktake.", ", ".join(refused.mapped("name"))))
        return super()._apply_inventory(date)
