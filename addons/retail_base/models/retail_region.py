from odoo import fields, models


class RetailRegion(models.Model):
    _name = "retail.region"
    _description = "Retail Region"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    store_ids = fields.One2many("stock.warehouse", "retail_region_id", string="Stores")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A region code must be unique.")
