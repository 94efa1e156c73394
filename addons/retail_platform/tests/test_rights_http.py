import base64

from odoo.tests import tagged

from .common import PlatformCase


@tagged("post_install", "-at_install")
class TestPlatformRightsHttp(PlatformCase):
    """Over real HTTP as each role: store walls on platform orders and errors, credentials for
    administrators only, and nothing written by a refused call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = "admin"

    def setUp(self):
        super().setUp()
        self.shop_dy.auto_accept = False
        self.shop_mt.auto_accept = False
        _response, self.ref_a = self.place(self.shop_dy)
        _response, self.ref_b = self.place(self.shop_mt)
        self.process()
        self.order_a = self.order(self.shop_dy, self.ref_a)
        self.order_b = self.order(self.shop_mt, self.ref_b)

    def test_a_store_manager_sees_only_the_platform_orders_of_their_store(self):
        found = self.rpc("retail_manager_b", "retail.platform.order", "search_read", [], ["platform_order_ref"])
        self.assertEqual([row["platform_order_ref"] for row in found], [self.ref_b])
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.platform.order", "read",
                             self.order_a.ids, ["state"])
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.platform.order.line", "read",
                             self.order_a.line_ids.ids, ["price_unit"])
        hq = self.rpc("retail_hq", "retail.platform.order", "search_count", [])
        self.assertEqual(hq, 2)

    def test_a_manager_of_another_store_cannot_reject_either(self):
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.platform.order", "action_reject",
                             self.order_a.ids)
        self.assertEqual(self.order_a.state, "new")
        self.assertFalse(self.env["retail.platform.callback"].search([("order_id", "=", self.order_a.id)]))

    def test_a_manager_of_another_store_cannot_accept_and_nothing_is_written(self):
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.platform.order", "action_accept",
                             self.order_a.ids, context={"allowed_company_ids": [self.env.company.id],
                                                        "retail_store_ids": [self.store_a.id]})
        self.assertEqual(self.order_a.state, "new")
        self.assertFalse(self.order_a.picking_id or self.order_a.invoice_id)
        self.assertEqual(self.available(self.store_a, self.cola), 10.0)

    def test_the_store_manager_accepts_their_own_order(self):
        self.rpc("retail_manager_a", "retail.platform.order", "action_accept", self.order_a.ids)
        self.assertEqual(self.order_a.state, "accepted")
        self.assertEqual(self.order_a.picking_id.state, "assigned")
        self.assertEqual(self.order_a.invoice_id.state, "posted")

    def test_nobody_writes_an_order_directly_or_reaches_its_private_methods(self):
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.platform.order", "write",
                             self.order_a.ids, {"state": "delivered"})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.order", "write",
                             self.order_a.ids, {"state": "delivered"})
        with self.assertRaises(Exception) as caught:
            self.rpc("retail_manager_a", "retail.platform.order", "_accept", self.order_a.ids)
        self.assertIn("private", str(caught.exception).lower())
        self.assertEqual(self.order_a.state, "new")
        self.assertFalse(self.order_a.picking_id)

    def test_cashiers_see_no_platform_order(self):
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.platform.order", "search_read", [], ["name"])

    def test_credentials_are_for_administrators_only(self):
        for login in ("retail_hq", "retail_manager_a", "plat_finance"):
            self.assertRpcDenied("AccessError", login, "retail.platform.shop", "read", self.shop_dy.ids,
                                 ["app_secret"])
        self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.shop", "write", self.shop_dy.ids,
                             {"app_secret": "mine"})
        self.assertEqual(self.shop_dy.app_secret, "douyin-shop-secret")
        read = self.rpc("admin", "retail.platform.shop", "read", self.shop_dy.ids, ["app_secret", "app_key"])
        self.assertEqual(read[0]["app_secret"], "douyin-shop-secret")
        # HQ configures the rest of the shop
        self.rpc("retail_hq", "retail.platform.shop", "write", self.shop_dy.ids, {"auto_accept": True})
        self.assertTrue(self.shop_dy.auto_accept)

    def test_only_administrators_say_where_the_calls_and_tokens_go(self):
        """The API address receives the signed calls and the access token: HQ reads it, only an
        administrator changes it, on a shop or a new one."""
        address = self.shop_dy.api_url
        read = self.rpc("retail_hq", "retail.platform.shop", "read", self.shop_dy.ids, ["api_url"])
        self.assertEqual(read[0]["api_url"], address)
        for vals in ({"api_url": "http://127.0.0.1:1/steal"}, {"api_url": False}):
            self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.shop", "write", self.shop_dy.ids, vals)
        self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.shop", "create", [{
            "name": "Mine", "platform": "douyin", "shop_code": "MINE", "warehouse_id": self.shop_dy.warehouse_id.id,
            "partner_id": self.shop_dy.partner_id.id, "api_url": "http://127.0.0.1:1/steal",
        }])
        self.shop_dy.invalidate_recordset()
        self.assertEqual(self.shop_dy.api_url, address)
        self.assertFalse(self.env["retail.platform.shop"].search([("shop_code", "=", "MINE")]))
        # the same address again is no change; an administrator changes it
        self.rpc("retail_hq", "retail.platform.shop", "write", self.shop_dy.ids,
                 {"api_url": address, "auto_accept": True})
        self.rpc("admin", "retail.platform.shop", "write", self.shop_dy.ids, {"api_url": address + "/v2"})
        self.assertEqual(self.shop_dy.api_url, address + "/v2")

    def test_the_error_queue_and_the_log_keep_their_walls(self):
        self.place(self.shop_dy, lines=[("UNLISTED", 1, 1.0)])
        error = self.env["retail.platform.error"].search([("kind", "=", "unknown_sku")])
        self.assertEqual(error.warehouse_id, self.store_a)
        self.assertEqual(self.rpc("retail_manager_b", "retail.platform.error", "search_count", []), 0)
        self.assertEqual(self.rpc("retail_manager_a", "retail.platform.error", "search_count", []), 1)
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.platform.error", "action_resolve", error.ids)
        self.assertEqual(error.state, "new")
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.platform.log", "search_read", [], ["url"])
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.platform.message", "search_read", [],
                             ["payload"])
        self.assertGreater(self.rpc("retail_hq", "retail.platform.log", "search_count", []), 0)

    def test_only_headquarters_sends_the_full_stock(self):
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.platform.shop", "action_full_stock_resync",
                             self.shop_dy.ids)
        self.assertFalse(self.douyin.state.received("/stock/update"))
        self.rpc("retail_hq", "retail.platform.shop", "action_full_stock_resync", self.shop_dy.ids)
        self.assertEqual(len(self.douyin.state.received("/stock/update")), 1)

    def test_only_finance_imports_payouts(self):
        self.assertRpcDenied("AccessError", "retail_hq", "retail.platform.settlement", "create",
                             {"shop_id": self.shop_dy.id})
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.platform.settlement", "create",
                             {"shop_id": self.shop_dy.id})
        self.assertFalse(self.env["retail.platform.settlement"].search([]))

    def test_finance_imports_a_payout_over_http_and_a_row_of_another_shop_is_refused(self):
        self.rpc("admin", "retail.platform.order", "action_accept", (self.order_a | self.order_b).ids)
        moves = self.env["account.move"].search_count([])
        # store B's order slipped into store A's Douyin statement
        forged = f"order_id,gross,commission,net\n{self.ref_a},14.00,1.40,12.60\n{self.ref_b},14.00,1.40,12.60\n"
        payout_id = self.rpc("plat_finance", "retail.platform.settlement", "create", {
            "shop_id": self.shop_dy.id, "statement_filename": "p.csv",
            "statement_file": base64.b64encode(forged.encode()).decode()})
        denied = self.assertRpcDenied("UserError", "plat_finance", "retail.platform.settlement", "action_import",
                                      [payout_id])
        self.assertIn(f"Row 3: order {self.ref_b} is not an order of", denied.message)
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        good = f"order_id,gross,commission,net\n{self.ref_a},14.00,1.40,12.60\n"
        self.rpc("plat_finance", "retail.platform.settlement", "write", [payout_id],
                 {"statement_file": base64.b64encode(good.encode()).decode()})
        self.rpc("plat_finance", "retail.platform.settlement", "action_import", [payout_id])
        self.assertEqual(self.order_a.settlement_id.id, payout_id)
        self.assertAlmostEqual(self.order_a.invoice_id.amount_residual, 0.0)
        self.assertFalse(self.order_b.settlement_id)
