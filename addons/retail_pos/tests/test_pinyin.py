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
