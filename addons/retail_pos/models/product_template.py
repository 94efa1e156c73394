import re

from pypinyin import Style, lazy_pinyin

from odoo import api, fields, models

HAN = re.compile(r"[\u3400-\u9fff]")


def pinyin_key(text):
    """'可口可乐' -> 'kkl kekoule'; empty when the text has no Chinese characters."""
    if not text or not HAN.search(text):
        return ""
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()
    full = "".join(lazy_pinyin(text, errors="ignore")).lower()
    return f"{initials} {full}".replace("  ", " ").strip()


class ProductTemplate(models.Model):
    _inherit = "product.template"

    retail_pinyin = fields.Char(
        string="Pinyin",
        compute="_compute_retail_pinyin",
        store=True,
        index="trigram",
        help="Initials and full pinyin of the Chinese name, so cashiers find it by typing e.g. kkl.",
    )

    @api.depends("name")
    def _compute_retail_pinyin(self):
        chinese = "zh_CN" in self.env["res.lang"]._get_active_by("code")
        for template in self.with_context(lang="zh_CN") if chinese else self:
            template.retail_pinyin = pinyin_key(template.name)

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        return [*fields_list, "retail_pinyin"] if fields_list else fields_list
