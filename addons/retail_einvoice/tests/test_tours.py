from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import COMPANY_TAX_ID, EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceTours(EinvoiceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["web", "portal", "point_of_sale", "retail_einvoice"],
                                                       ["zh_CN"])

    def test_customer_requests_an_invoice_in_chinese(self):
        order = self.make_order()
        url_code = self.env["res.lang"]._get_data(code="zh_CN").url_code
        self.start_tour(f"/{url_code}{order._retail_einvoice_path()}", "retail_einvoice_portal_tour")
        request = self.env["retail.einvoice"].search([("pos_order_id", "=", order.id)])
        self.assertEqual((request.channel, request.buyer_kind, request.buyer_title, request.buyer_tax_id),
                         ("portal", "company", "北京某某科技有限公司", COMPANY_TAX_ID))
        self.assertEqual(request.amount_total, 226.0)

    def test_the_receipt_qr_code_leads_to_the_request_page(self):
        """The till prints the receipt with the QR code; the customer follows it to the page in
        Chinese and asks for an invoice of that sale."""
        self.cashier_a.write({
            "group_ids": [Command.link(self.env.ref("point_of_sale.group_pos_user").id)], "lang": "zh_CN",
        })
        config = self.sessions[self.store_a].config_id
        self.start_tour(f"/pos/ui?config_id={config.id}", "retail_einvoice_receipt_tour", login="retail_cashier_a")
        order = self.env["pos.order"].search([("config_id", "=", config.id)], order="id desc", limit=1)
        self.assertEqual((order.state, order.amount_total), ("paid", 113.0))
        self.assertEqual(len(order.access_token), 36, "the token the till made for the order")
        request = order.retail_einvoice_ids
        self.assertEqual((request.channel, request.buyer_title, request.amount_total, request.retail_store_id),
                         ("portal", "张三", 113.0, self.store_a))
