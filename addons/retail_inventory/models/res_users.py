from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # What the record rules on stock moves compare with: plain location ids, so that PostgreSQL
    # filters moves on their own indexed columns instead of joining every move to its locations.
    retail_store_location_ids = fields.Many2many(
        "stock.location", string="Locations of My Stores", compute="_compute_retail_location_ids",
        compute_sudo=True)
    retail_shared_location_ids = fields.Many2many(
        "stock.location", string="Locations of No Store", compute="_compute_retail_location_ids",
        compute_sudo=True, help="Suppliers, customers, transit and the other locations that belong to no warehouse.")
    retail_transit_location_ids = fields.Many2many(
        "stock.location", string="Transit Locations", compute="_compute_retail_location_ids", compute_sudo=True)

    @api.depends("retail_store_ids")
    def _compute_retail_location_ids(self):
        Location = self.env["stock.location"].with_context(active_test=False)
        shared = Location.search([("warehouse_id", "=", False)])
        transit = shared.filtered(lambda location: location.usage == "transit")
        for user in self:
            user.retail_store_location_ids = Location.search([("warehouse_id", "in", user.retail_store_ids.ids)])
            user.retail_shared_location_ids = shared
            user.retail_transit_location_ids = transit
