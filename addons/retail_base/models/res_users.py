from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    retail_store_ids = fields.Many2many(
        "stock.warehouse",
        "retail_store_user_rel",
        "user_id",
        "warehouse_id",
        string="Stores",
        domain="[('retail_store_type', '!=', False)]",
        help="Stores this user works in. Store staff and store managers see only the records "
        "of these stores; HQ sees every store.",
    )
    retail_default_store_id = fields.Many2one(
        "stock.warehouse",
        string="Main Store",
        compute="_compute_retail_default_store_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', retail_store_ids)]",
    )

    @api.depends("retail_store_ids")
    def _compute_retail_default_store_id(self):
        for user in self:
            if user.retail_default_store_id not in user.retail_store_ids:
                user.retail_default_store_id = user.retail_store_ids[:1]

    def _retail_visible_stores(self):
        """Stores whose records this user may see: HQ sees every store of its companies."""
        self.ensure_one()
        if self.has_group("retail_base.group_retail_hq"):
            return self.env["stock.warehouse"].sudo().search(
                [("retail_store_type", "!=", False), ("company_id", "in", self.sudo().company_ids.ids)])
        return self.sudo().retail_store_ids

    def _retail_is_manager_of(self, warehouse):
        """Whether this user may approve for ``warehouse`` as its manager."""
        self.ensure_one()
        if self.has_group("retail_base.group_retail_hq"):
            return warehouse.sudo().company_id <= self.sudo().company_ids
        return self.has_group("retail_base.group_retail_manager") and warehouse in self.sudo().retail_store_ids

    @api.model
    def _get_invalidation_fields(self):
        # the store record rules read the user's stores, and Odoo caches rule domains per user
        return super()._get_invalidation_fields() | {"retail_store_ids"}
