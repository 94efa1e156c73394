from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    retail_store_count = fields.Integer(compute="_compute_retail_store_count")

    def _compute_retail_store_count(self):
        count = self.env["stock.warehouse"].search_count([("retail_store_type", "=", "store")])
        for settings in self:
            settings.retail_store_count = count

    def action_retail_open_stores(self):
        return self.env["ir.actions.actions"]._for_xml_id("retail_base.stock_warehouse_action_retail")
