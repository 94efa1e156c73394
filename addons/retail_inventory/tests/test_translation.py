from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_inventory"], ["zh_CN"], overwrite=True)

    def test_screens_and_messages_speak_chinese(self):
        action = self.env.ref("retail_inventory.retail_dispatch_proposal_action").with_context(lang="zh_CN")
        self.assertEqual(action.name, "调度方案")
        menu = self.env.ref("retail_inventory.retail_stocktake_menu").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "盘点")
        proposal = self.env["retail.dispatch.proposal"].create({})
        proposal.state = "cancel"
        with self.assertRaisesRegex(UserError, "只有草稿状态的方案才能修改。"):
            proposal.with_context(lang="zh_CN").action_plan()

    def test_a_refused_write_of_a_state_speaks_chinese(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        stocktake = self.env["retail.stocktake"].create({"retail_store_id": warehouse.id})
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(AccessError, "门店盘点单.状态 不能直接写入"):
            stocktake.with_user(admin).with_context(lang="zh_CN").write({"state": "done"})
