from odoo.addons.retail_pos.tools.capitals import amount_in_capitals
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestPinyin(RetailPosCase):

    def test_product_pinyin_initials_and_full(self):
        self.assertEqual(self.cola.product_tmpl_id.retail_pinyin, "kkkl kekoukele")

    def test_pinyin_follows_name_changes(self):
        template = self.chips.product_tmpl_id
        self.assertFalse(template.retail_pinyin)
        template.name = "薯片"
        self.assertEqual(template.retail_pinyin, "sp shupian")

    def test_partner_pinyin(self):
        partner = self.env["res.partner"].create({"name": "张三"})
        self.assertEqual(partner.retail_pinyin, "zs zhangsan")

    def test_pinyin_loaded_into_till(self):
        self.assertIn("retail_pinyin", self.env["product.template"]._load_pos_data_fields(self.config_a))
        self.assertIn("retail_pinyin", self.env["res.partner"]._load_pos_data_fields(self.config_a))


@tagged("post_install", "-at_install")
class TestAmountInCapitals(RetailPosCase):

    def test_capitals(self):
        self.assertEqual(amount_in_capitals(123.45), "壹佰贰拾叁元肆角伍分")
        self.assertEqual(amount_in_capitals(1005), "壹仟零伍元整")
        self.assertEqual(amount_in_capitals(100.05), "壹佰元零伍分")
        self.assertEqual(amount_in_capitals(-20.3), "负贰拾元叁角")

    def test_order_amount_in_capitals(self):
        order = self.make_order([self.make_line(self.chips, 2), self.make_line(self.cola, 1)])
        result = self.env["pos.order"].sync_from_ui([order])
        pos_order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertEqual(pos_order.retail_amount_in_capitals, "贰拾贰元整")

    def test_invoice_in_yuan_shows_capitals(self):
        cny = self.env.ref("base.CNY")
        cny.active = True
        partner = self.env["res.partner"].create({"name": "张三"})
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "currency_id": cny.id,
            "invoice_line_ids": [(0, 0, {"name": "Goods", "quantity": 1, "price_unit": 123.45, "tax_ids": []})],
        })
        self.assertEqual(invoice.retail_amount_in_capitals, "壹佰贰拾叁元肆角伍分")
        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0]
        self.assertIn("壹佰贰拾叁元肆角伍分", html.decode())
