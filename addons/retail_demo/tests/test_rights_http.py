from odoo.addons.retail_base.tests.common import RetailCase, RetailHttpCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestGeneratorRightsHttp(RetailCase, RetailHttpCase):
    """The generator writes past the ORM: no caller over RPC may run it, whatever their role."""

    def test_nobody_generates_a_chain_over_rpc(self):
        stores = self.env["stock.warehouse"].search_count([])
        for login in ("retail_cashier_a", "retail_manager_a", "retail_hq", None):
            expected = "SessionExpiredException" if login is None else "AccessError"
            with self.subTest(login=login), mute_logger("odoo.http"):
                self.assertRpcDenied(expected, login, "retail.chain.generator", "generate", "test", 1)
                self.assertRpcDenied(expected, login, "retail.chain.generator", "_generate_chain",
                                     {"name": "test"}, 1)
                self.assertRpcDenied(expected, login, "retail.chain.generator.wizard", "create",
                                     [{"scale": "test"}])
        self.assertEqual(self.env["stock.warehouse"].search_count([]), stores)
