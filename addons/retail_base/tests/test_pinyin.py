from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPinyinKey(TransactionCase):
    def test_products_and_partners_get_initials_and_full_pinyin(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        template = self.env["product.template"].create({"name": "Cola"})
        template.with_context(lang="zh_CN").name = "可口可乐"
        self.assertEqual(template.retail_pinyin, "kkkl kekoukele")
        partner = self.env["res.partner"].create({"name": "张三"})
        self.assertEqual(partner.retail_pinyin, "zs zhangsan")
        self.assertFalse(self.env["res.partner"].create({"name": "John Smith"}).retail_pinyin)
        found = self.env["res.partner"].search([("retail_pinyin", "ilike", "zs")])
        self.assertIn(partner, found)
