from odoo import api, fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    retail_points_value = fields.Float(related="company_id.retail_points_value")
    retail_points_per_currency = fields.Float(related="company_id.retail_points_per_currency")

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        if fields_list:
            fields_list += ["retail_points_value", "retail_points_per_currency"]
        return fields_list
