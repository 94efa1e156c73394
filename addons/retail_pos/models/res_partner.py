from odoo import api, fields, models

from .product_template import pinyin_key


class ResPartner(models.Model):
    _inherit = "res.partner"

    retail_pinyin = fields.Char(
        string="Pinyin",
        compute="_compute_retail_pinyin",
        store=True,
        index="trigram",
        help="Initials and full pinyin of the Chinese name, so cashiers find the customer by "
        "typing e.g. zs for 张三.",
    )

    @api.depends("name")
    def _compute_retail_pinyin(self):
        for partner in self:
            partner.retail_pinyin = pinyin_key(partner.name)

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        return [*fields_list, "retail_pinyin"] if fields_list else fields_list
