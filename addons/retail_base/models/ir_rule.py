from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Give record rules the stores of the current user, as ``retail_store_ids``.

        Store rules read ``[('<store field>', 'in', retail_store_ids)]``, the way core's
        website rules read ``website``. The value comes from the user record, never from the
        request context, so no caller can widen it.
        """
        context = super()._eval_context()
        context["retail_store_ids"] = self.env.user.sudo().retail_store_ids.ids
        return context
