from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RetailDispatchRoute(models.Model):
    _name = "retail.dispatch.route"
    _description = "Dispatch route between two stores"
    _order = "source_id, destination_id"

    source_id = fields.Many2one(
        "stock.warehouse", string="From", required=True, ondelete="cascade",
        domain="[('retail_store_type', '!=', False)]",
    )
    destination_id = fields.Many2one(
        "stock.warehouse", string="To", required=True, ondelete="cascade",
        domain="[('retail_store_type', '!=', False)]",
    )
    cost = fields.Float(
        help="Cost of sending goods on this route (money or distance). A dispatch plan only "
        "uses routes whose cost is within its route limit.",
    )
    distance_km = fields.Float(string="Distance (km)")
    active = fields.Boolean(
        default=True,
        help="Archive a route to forbid transfers between these two stores.",
    )

    _route_uniq = models.Constraint(
        "UNIQUE(source_id, destination_id)", "There is already a route between these two stores.",
    )

    @api.constrains("source_id", "destination_id")
    def _check_stores(self):
        for route in self:
            if route.source_id == route.destination_id:
                raise ValidationError(self.env._("A route must join two different stores (%s).",
                                                 route.source_id.display_name))

    @api.depends("source_id", "destination_id")
    def _compute_display_name(self):
        for route in self:
            route.display_name = f"{route.source_id.name} → {route.destination_id.name}"
