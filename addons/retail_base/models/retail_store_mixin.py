from odoo import api, fields, models


class RetailStoreMixin(models.AbstractModel):
    """Gives a record a store, so that every addon scopes records the same way.

    Record rules of inheriting models read
    ``[('retail_store_id', 'in', user.retail_store_ids.ids)]`` for store staff and
    managers, and ``[(1, '=', 1)]`` for HQ.
    """

    _name = "retail.store.mixin"
    _description = "Record belonging to a store"

    retail_store_id = fields.Many2one(
        "stock.warehouse",
        string="Store",
        index=True,
        domain="[('retail_store_type', '!=', False)]",
        default=lambda self: self._default_retail_store_id(),
    )

    @api.model
    def _default_retail_store_id(self):
        return self.env.user.retail_default_store_id
