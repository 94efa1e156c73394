from odoo import api, fields, models
from odoo.exceptions import AccessError


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

    def _retail_check_source_locations(self, locations):
        """Store staff move stock out of their own stores and out of suppliers, customers and
        transit, nowhere else: a move that took stock from another store's shelf would carry that
        store's goods into theirs. Only store managers book stock out of the inventory adjustment
        locations (where a count's gains come from)."""
        refused = self._retail_foreign_locations(locations, adjustments=self.has_group(
            "retail_base.group_retail_manager"))
        if refused:
            raise AccessError(self.env._(
                "You cannot take stock out of %(locations)s: store staff move stock out of their own stores only.",
                locations=", ".join(refused.mapped("complete_name"))))

    def _retail_foreign_locations(self, locations, adjustments=False):
        """Of ``locations``, those that store staff may not touch: other stores' locations (and
        the inventory adjustment ones, unless ``adjustments``). Headquarters and users outside the
        retail roles touch any."""
        self.ensure_one()
        locations = locations.sudo()
        if not self.has_group("retail_base.group_retail_staff") or self.has_group("retail_base.group_retail_hq"):
            return locations.browse()
        user = self.sudo()
        allowed = user.retail_store_location_ids | user.retail_shared_location_ids
        if not adjustments:
            allowed = allowed.filtered(lambda location: location.usage != "inventory")
        return locations - allowed
