from odoo import fields, models


class PosSession(models.Model):
    _inherit = "pos.session"

    retail_store_id = fields.Many2one(
        related="config_id.warehouse_id", store=True, string="Store", index=True
    )
    retail_blind_closing = fields.Boolean(related="config_id.retail_blind_closing", string="Blind Closing")

    def _get_sale_vals(self, key, sale_vals):
        vals = super()._get_sale_vals(key, sale_vals)
        analytic_account = self.config_id.warehouse_id.retail_analytic_account_id
        if analytic_account:
            vals["analytic_distribution"] = {str(analytic_account.id): 100}
        return vals
