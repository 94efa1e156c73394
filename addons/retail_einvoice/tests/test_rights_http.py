from unittest.mock import patch

from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import APP_SECRET, EinvoiceCase

CASHIER_A, MANAGER_B, HQ, FINANCE, PORTAL = "retail_cashier_a", "retail_manager_b", "retail_hq", "einv_finance", \
    "einv_portal"


@tagged("post_install", "-at_install")
class TestEinvoiceRightsHttp(EinvoiceCase, RetailHttpCase):
    """Every role over real HTTP, with tampered input; nothing is written when a call is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls.make_order(cls.store_a)
        cls.order_b = cls.make_order(cls.store_b)

    def json2(self, login, model, method, payload=None):
        # as retail_base's rights test: no browser session along, and a key for a user without
        # admin rights
        self.authenticate(None, None)
        self._retail_logged_in = None
        with patch.object(type(self.env["res.users.apikeys"]), "_check_expiration_date", lambda self, date: None):
            return super().json2(login, model, method, payload)

    def count(self, **domain):
        return self.env["retail.einvoice"].search_count([(key, "=", value) for key, value in domain.items()])

    def create_as(self, login, order, **extra):
        return self.rpc(login, "retail.einvoice", "create",
                        {"pos_order_id": order.id, "buyer_kind": "personal", "buyer_title": "张三", **extra})

    @mute_logger("odoo.http")
    def test_staff_request_their_own_stores_orders_only(self):
        request_id = self.create_as(CASHIER_A, self.order_a)
        request = self.env["retail.einvoice"].browse(request_id)
        self.assertEqual((request.retail_store_id, request.state, request.amount_total), (self.store_a, "draft", 226.0))

        self.assertRpcDenied("AccessError", CASHIER_A, "retail.einvoice", "create",
                             {"pos_order_id": self.order_b.id, "buyer_title": "张三"})
        self.assertRpcDenied("AccessError", MANAGER_B, "retail.einvoice", "create",
                             {"pos_order_id": self.order_a.id, "buyer_title": "张三"})
        self.assertEqual(self.count(pos_order_id=self.order_b.id), 0)
        # the wall holds for reading too: store B's requests stay out of sight
        self.create_as(HQ, self.order_b)
        seen = self.rpc(CASHIER_A, "retail.einvoice", "search_read", [], fields=["pos_order_id"])
        self.assertEqual([row["pos_order_id"][0] for row in seen], [self.order_a.id])

    @mute_logger("odoo.http")
    def test_forged_amounts_store_and_state_are_refused(self):
        for forged in ({"amount_total": 1.0}, {"amount_tax": 0.0}, {"state": "issued"},
                       {"retail_store_id": self.store_b.id}, {"invoice_number": "00000000000000000001"},
                       {"idempotency_key": "chosen-by-the-caller"}, {"line_ids": [(0, 0, {"name": "x", "amount": 1})]}):
            with self.subTest(forged=forged):
                error = self.assertRpcDenied("UserError", CASHIER_A, "retail.einvoice", "create",
                                             {"pos_order_id": self.order_a.id, "buyer_title": "张三", **forged})
                self.assertIn("set by the server", error.message)
        # a context key cannot open the server's path either
        self.assertRpcDenied("UserError", CASHIER_A, "retail.einvoice", "create",
                             {"pos_order_id": self.order_a.id, "buyer_title": "张三", "amount_total": 1.0},
                             context={"retail_einvoice_server": True})
        self.assertEqual(self.count(pos_order_id=self.order_a.id), 0)

    @mute_logger("odoo.http")
    def test_only_finance_issues_voids_and_red_letters(self):
        request_id = self.create_as(CASHIER_A, self.order_a)
        calls = len(self.simulator.state.calls)
        for login in (CASHIER_A, MANAGER_B, HQ):
            for method in ("action_issue", "action_retry", "action_void", "action_red_letter"):
                with self.subTest(login=login, method=method):
                    self.assertRpcDenied("AccessError", login, "retail.einvoice", method, [request_id])
        for context in ({"retail_einvoice_server": True}, {"skip_finance_check": True}, {"su": True}):
            self.assertRpcDenied("AccessError", CASHIER_A, "retail.einvoice", "action_issue", [request_id],
                                 context=context)
        self.assertRpcDenied("AccessError", CASHIER_A, "retail.einvoice", "write", [request_id],
                             {"buyer_title": "改过的"})
        request = self.env["retail.einvoice"].browse(request_id)
        self.assertEqual((request.state, request.buyer_title), ("draft", "张三"))
        self.assertEqual(len(self.simulator.state.calls), calls, "nothing reached the provider")
        status, _body = self.json2(CASHIER_A, "retail.einvoice", "action_issue", {"ids": [request_id]})
        self.assertEqual(status, 403)

        self.rpc(FINANCE, "retail.einvoice", "action_issue", [request_id])
        self.assertEqual(request.state, "issued")
        self.assertRpcDenied("UserError", FINANCE, "retail.einvoice", "write", [request_id],
                             {"buyer_title": "改过的"})
        self.assertRpcDenied("UserError", FINANCE, "retail.einvoice", "write", [request_id],
                             {"amount_total": 1.0})
        self.assertRpcDenied("AccessError", FINANCE, "retail.einvoice", "unlink", [request_id])
        self.rpc(FINANCE, "retail.einvoice", "action_red_letter", [request_id])
        self.assertTrue(request.is_reversed)
        self.assertEqual(request.follow_up_ids.state, "issued")

    @mute_logger("odoo.http")
    def test_provider_credentials_are_for_administrators(self):
        provider = self.provider.id
        for login in (FINANCE, CASHIER_A, HQ):
            with self.subTest(login=login):
                self.assertRpcDenied("AccessError", login, "retail.einvoice.provider", "read", [provider],
                                     ["app_secret"])
                rows = self.rpc(login, "retail.einvoice.provider", "search_read", [["id", "=", provider]])
                self.assertNotIn("app_secret", rows[0])
                self.assertNotIn("app_id", rows[0])
                self.assertRpcDenied("AccessError", login, "retail.einvoice.provider", "write", [provider],
                                     {"wsdl_url": "http://127.0.0.1:1/?wsdl"})
                self.assertRpcDenied("AccessError", login, "retail.einvoice.provider", "action_test_connection",
                                     [provider])
        self.assertEqual(self.provider.wsdl_url, self.simulator.wsdl_url)
        rows = self.rpc("admin", "retail.einvoice.provider", "read", [provider], ["app_secret"])
        self.assertEqual(rows[0]["app_secret"], APP_SECRET)
        # the log finance reads carries no secret
        request_id = self.create_as(CASHIER_A, self.order_a)
        self.rpc(FINANCE, "retail.einvoice", "action_issue", [request_id])
        logs = self.rpc(FINANCE, "retail.einvoice.log", "search_read", [["einvoice_id", "=", request_id]],
                        fields=["request_xml"])
        self.assertNotIn(APP_SECRET, logs[0]["request_xml"])
        self.assertRpcDenied("AccessError", FINANCE, "retail.einvoice.log", "create",
                             {"einvoice_id": request_id, "operation": "IssueInvoice", "outcome": "ok"})
        self.assertRpcDenied("AccessError", CASHIER_A, "retail.einvoice.log", "search_read", [])

    @mute_logger("odoo.http")
    def test_portal_and_anonymous_users_get_nothing(self):
        self.create_as(HQ, self.order_a)
        for method, args in (("search_read", ([],)), ("create", ({"pos_order_id": self.order_b.id,
                                                                   "buyer_title": "张三"},))):
            self.assertRpcDenied("AccessError", PORTAL, "retail.einvoice", method, *args)
        self.assertRpcDenied("AccessError", PORTAL, "retail.einvoice.provider", "search_read", [])
        self.assertRpcDenied("SessionExpiredException", None, "retail.einvoice", "search_read", [])
        self.assertEqual(self.count(pos_order_id=self.order_b.id), 0)
