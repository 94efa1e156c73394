import base64

from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    retail_einvoice_ids = fields.One2many("retail.einvoice", "pos_order_id", "E-Invoices")
    retail_einvoice_url = fields.Char("E-Invoice Link", compute="_compute_retail_einvoice_url",
                                      help="The customer's page to ask for an e-invoice of this receipt.")
    retail_einvoice_qr = fields.Binary("E-Invoice QR Code", compute="_compute_retail_einvoice_url")

    @api.depends("access_token")
    def _compute_retail_einvoice_url(self):
        base_url = self.get_base_url()
        for order in self:
            if order.access_token and order.state in ("paid", "done", "invoiced"):
                order.retail_einvoice_url = f"{base_url}{order._retail_einvoice_path()}"
                order.retail_einvoice_qr = base64.b64encode(self.env["ir.actions.report"].barcode(
                    "QR", order.retail_einvoice_url, width=180, height=180))
            else:
                order.retail_einvoice_url = False
                order.retail_einvoice_qr = False

    def _retail_einvoice_path(self):
        self.ensure_one()
        return f"/einvoice/pos/{self.id}?access_token={self.access_token}"

    def action_retail_einvoice_request(self):
        """Open a new request for this order, its buyer to be filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "retail.einvoice", "view_mode": "form",
            "target": "current", "context": {"default_pos_order_id": self.id},
        }
