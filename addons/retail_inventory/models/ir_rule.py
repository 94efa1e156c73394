from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Give the stock rules the location ids of the user's stores (see ``res_users.py``)."""
        context = super()._eval_context()
        user = self.env.user.sudo()
        context.update({
            "retail_store_location_ids": user.retail_store_location_ids.ids,
            "retail_shared_location_ids": user.retail_shared_location_ids.ids,
            "retail_transit_location_ids": user.retail_transit_location_ids.ids,
        })
        return context
