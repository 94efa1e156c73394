from odoo import api, models
from odoo.exceptions import AccessError


class StockLocation(models.Model):
    _inherit = "stock.location"

    # The store rules on stock moves hold lists of location ids, and Odoo caches rule domains:
    # a new location, or one that moves to another warehouse, must reach them.

    @api.model_create_multi
    def create(self, vals_list):
        locations = super().create(vals_list)
        self._retail_locations_changed()
        return locations

    def write(self, vals):
        result = super().write(vals)
        if {"location_id", "usage", "warehouse_id"} & vals.keys():
            self._retail_locations_changed()
        return result

    def _retail_locations_changed(self):
        self.env["res.users"].invalidate_model(
            ["retail_store_location_ids", "retail_shared_location_ids", "retail_transit_location_ids"])
        self.env.registry.clear_cache()

    def _retail_check_stock_unwritten(self):
        """Nobody writes the stock of a store's quants directly (core moves it with full rights
        when goods move): stock changes only through moves, which record what happened."""
        stores = self.sudo().warehouse_id.filtered("retail_store_type")
        if stores:
            raise AccessError(self.env._(
                "The stock of %s changes only through stock moves: receive, ship or count it instead.",
                ", ".join(stores.mapped("name"))))
