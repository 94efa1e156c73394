from odoo.tests import HttpCase, tagged

from .common import COMPANY_TAX_ID, EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceTours(EinvoiceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["web", "portal", "retail_einvoice"], ["zh_CN"])

    def test_customer_requests_an_invoice_in_chinese(self):
        order = self.make_order()
        url_code = self.env["res.lang"]._get_data(code="zh_CN").url_code
        self.start_tour(f"/{url_code}{order._retail_einvoice_path()}", "retail_einvoice_portal_tour")
        request = self.env["retail.einvoice"].search([("pos_order_id", "=", order.id)])
        self.assertEqual((request.channel, request.buyer_kind, request.buyer_title, request.buyer_tax_id),
                         ("portal", "company", "北京某某科技有限公司", COMPANY_TAX_ID))
        self.assertEqual(request.amount_total, 226.0)
