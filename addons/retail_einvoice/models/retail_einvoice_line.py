from odoo import fields, models


class RetailEinvoiceLine(models.Model):
    _name = "retail.einvoice.line"
    _description = "E-invoice line"
    _order = "einvoice_id, id"

    einvoice_id = fields.Many2one("retail.einvoice", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="einvoice_id.currency_id")
    name = fields.Char("Description", required=True)
    quantity = fields.Float(digits="Product Unit")
    amount = fields.Monetary("Amount excl. Tax")
    tax_rate = fields.Float(digits=(4, 4), help="0.13 for 13 %.")
    tax_amount = fields.Monetary("Tax")
