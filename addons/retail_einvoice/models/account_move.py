from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    retail_einvoice_ids = fields.One2many("retail.einvoice", "move_id", "E-Invoices")

    def action_retail_einvoice_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "retail.einvoice", "view_mode": "form",
            "target": "current", "context": {"default_move_id": self.id, "default_buyer_title": self.partner_id.name,
                                             "default_buyer_tax_id": self.partner_id.vat or False,
                                             "default_buyer_kind": "company" if self.partner_id.vat else "personal"},
        }
