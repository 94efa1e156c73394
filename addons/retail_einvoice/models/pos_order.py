import base64
from urllib.parse import urlencode

from odoo import api, fields, models

TILL_UNREAD_FIELDS = {"retail_einvoice_url", "retail_einvoice_qr", "retail_einvoice_ids"}


class PosOrder(models.Model):
    _inherit = "pos.order"

    # the receipt's e-invoice link finds its order by the token the till made for it (see the
    # portal controller): an index keeps that one lookup fast however many orders the chain has
    access_token = fields.Char(index="btree_not_null")
    retail_einvoice_ids = fields.One2many("retail.einvoice", "pos_order_id", "E-Invoices")
    retail_einvoice_url = fields.Char("E-Invoice Link", compute="_compute_retail_einvoice_url",
                                      help="The customer's page to ask for an e-invoice of this receipt.")
    retail_einvoice_qr = fields.Binary("E-Invoice QR Code", compute="_compute_retail_einvoice_url")

    @api.depends("access_token")
    def _compute_retail_einvoice_url(self):
        for order in self:
            if order.access_token and order.state in ("paid", "done", "invoiced"):
                order.retail_einvoice_url = f"{order.get_base_url()}{order._retail_einvoice_receipt_path()}"
                order.retail_einvoice_qr = base64.b64encode(self.env["ir.actions.report"].barcode(
                    "QR", order.retail_einvoice_url, width=180, height=180))
            else:
                order.retail_einvoice_url = False
                order.retail_einvoice_qr = False

    @api.model
    def _load_pos_data_fields(self, config):
        """The till reads every field of its orders (core asks for none in particular): not the
        e-invoice link and its QR code, which the till does not show and which would render a
        QR image for each order it synchronises."""
        fields_list = super()._load_pos_data_fields(config)
        if fields_list:
            return fields_list
        return [name for name in self.fields_get(attributes=()) if name not in TILL_UNREAD_FIELDS]

    def _retail_einvoice_path(self):
        """The customer's page of this order."""
        self.ensure_one()
        return f"/einvoice/pos/{self.id}?access_token={self.access_token}"

    def _retail_einvoice_receipt_path(self):
        """What the receipt's QR code carries: the receipt number and the token the till made for the
        order, both known when it prints, before the order reaches the server (the till builds the
        same link in ``order_receipt.js``)."""
        self.ensure_one()
        return f"/einvoice/ticket?{urlencode({'ref': self.pos_reference or '', 'access_token': self.access_token})}"

    def action_retail_einvoice_request(self):
        """Open a new request for this order, its buyer to be filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "retail.einvoice", "view_mode": "form",
            "target": "current", "context": {"default_pos_order_id": self.id},
        }
