from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    retail_points_per_currency = fields.Float(related="company_id.retail_points_per_currency", readonly=False)
    retail_points_value = fields.Float(related="company_id.retail_points_value", readonly=False)
    retail_points_expiry_months = fields.Integer(related="company_id.retail_points_expiry_months", readonly=False)
    retail_points_journal_id = fields.Many2one(related="company_id.retail_points_journal_id", readonly=False)
    retail_points_liability_account_id = fields.Many2one(
        related="company_id.retail_points_liability_account_id", readonly=False)
    retail_points_expense_account_id = fields.Many2one(
        related="company_id.retail_points_expense_account_id", readonly=False)
    retail_points_breakage_account_id = fields.Many2one(
        related="company_id.retail_points_breakage_account_id", readonly=False)

    def action_retail_create_points_accounting(self):
        self.ensure_one()
        self.company_id._retail_points_accounting()
        return {"type": "ir.actions.client", "tag": "reload"}
