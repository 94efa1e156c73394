from odoo import api, fields, models

from ..tools.pinyin import pinyin_key

PINYIN_HELP = "Initials and full pinyin of the Chinese name, so staff find it by typing e.g. kkl for 可口可乐."


class ProductTemplate(models.Model):
    _inherit = "product.template"

    retail_pinyin = fields.Char(string="Pinyin", compute="_compute_retail_pinyin", store=True, index="trigram",
                                help=PINYIN_HELP)

    @api.depends("name")
    def _compute_retail_pinyin(self):
        # the key is the Chinese name's, whatever the language of the one who renamed it
        chinese = "zh_CN" in self.env["res.lang"]._get_active_by("code")
        for template in self.with_context(lang="zh_CN") if chinese else self:
            template.retail_pinyin = pinyin_key(template.name)


class ResPartner(models.Model):
    _inherit = "res.partner"

    retail_pinyin = fields.Char(string="Pinyin", compute="_compute_retail_pinyin", store=True, index="trigram",
                                help=PINYIN_HELP)

    @api.depends("name")
    def _compute_retail_pinyin(self):
        for partner in self:
            partner.retail_pinyin = pinyin_key(partner.name)
