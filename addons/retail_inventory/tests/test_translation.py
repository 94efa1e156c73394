from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def test_screens_and_messages_speak_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_inventory"], ["zh_CN"], overwrite=True)
        action = self.env.ref("retail_inventory.retail_dispatch_proposal_action").with_context(lang="zh_CN")
        self.assertEqual(action.name, "调度方案")
        menu = self.env.ref("retail_inventory.retail_stocktake_menu").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "盘点")
        proposal = self.env["retail.dispatch.proposal"].create({})
        proposal.state = "cancel"
        with self.assertRaisesRegex(UserError, "只有草稿状态的方案才能修改。"):
            proposal.with_context(lang="zh_CN").action_plan()
