from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RetailInventoryCase


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


@tagged("post_install", "-at_install")
class TestReceiptsToScanHelp(RetailHttpCase, RetailInventoryCase):
    """The empty list of receipts to scan, as the web client of a store's staff asks for it."""

    def _empty_list_help(self):
        self.authenticate(self.cashier_a.login, self.cashier_a.login)
        action = self.make_jsonrpc_request("/web/action/load", {
            "action_id": self.env.ref("retail_inventory.retail_receipt_action").id,
        })
        context = {**safe_eval(action["context"]), "lang": self.cashier_a.lang}
        return self.rpc(self.cashier_a.login, "stock.picking", "get_empty_list_help", action["help"],
                        context=context)

    def test_the_empty_list_says_what_to_do_in_english(self):
        text = self._empty_list_help()
        self.assertIn("No receipt is waiting for your store", text)
        self.assertIn("as soon as they are shipped to your store", text)
        self.assertNotIn("arcode", text)

    def test_the_empty_list_says_what_to_do_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_inventory"], ["zh_CN"], overwrite=True)
        self.cashier_a.lang = "zh_CN"
        text = self._empty_list_help()
        self.assertIn("没有等待本店收货的单据", text)
        self.assertNotIn("arcode", text)
        self.assertNotIn("条码", text)
