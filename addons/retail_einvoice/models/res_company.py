from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    retail_einvoice_on_receipt = fields.Boolean(
        "E-Invoice QR Code on Receipts", compute="_compute_retail_einvoice_on_receipt", compute_sudo=True,
        help="The company has an active e-invoice provider: the till's receipts carry the QR code of the "
             "customer's e-invoice page instead of Odoo's own invoicing code.")

    def _compute_retail_einvoice_on_receipt(self):
        providers = self.env["retail.einvoice.provider"]._read_group(
            [("company_id", "in", self.ids)], ["company_id"])
        with_provider = {company.id for (company,) in providers}
        for company in self:
            company.retail_einvoice_on_receipt = company.id in with_provider

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "retail_einvoice_on_receipt"]
