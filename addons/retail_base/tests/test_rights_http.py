import json
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RetailCase, RetailHttpCase, RetailRpcError

ROLES = ("cashier_a", "manager_a", "manager_b", "hq", "finance", "portal")
LOGINS = {
    "cashier_a": "retail_cashier_a",
    "manager_a": "retail_manager_a",
    "manager_b": "retail_manager_b",
    "hq": "retail_hq",
    "finance": "retail_base_finance",
    "portal": "retail_base_portal",
}
RETAIL_ROLES = {"cashier_a", "manager_a", "manager_b", "hq"}
INTERNAL = RETAIL_ROLES | {"finance"}
HQ = {"hq"}
NOBODY = set()
STORE_FIELDS = ["retail_store_type", "retail_region_id", "retail_user_ids", "retail_analytic_account_id",
                "retail_opening_date"]

# who may do what: every other role gets an AccessError
MATRIX = {
    ("retail.region", "search_read"): RETAIL_ROLES,
    ("retail.region", "create"): HQ,
    ("retail.region", "write"): HQ,
    ("retail.region", "unlink"): HQ,
    # stores are core warehouses: everyone inside the company reads them (transfers go
    # between stores), only inventory administrators change them
    ("stock.warehouse", "search_read"): INTERNAL,
    ("stock.warehouse", "read_every_field"): INTERNAL,
    ("stock.warehouse", "create"): NOBODY,
    ("stock.warehouse", "write"): NOBODY,
    ("stock.warehouse", "join_store_b"): NOBODY,
    ("stock.warehouse", "unlink"): NOBODY,
    ("res.users", "join_store_b"): NOBODY,
    ("res.users", "main_store_b"): NOBODY,
    ("res.users", "become_hq"): NOBODY,
    ("res.users", "create"): NOBODY,
    ("res.groups", "become_hq"): NOBODY,
}


@tagged("post_install", "-at_install")
class TestBaseRightsHttp(RetailCase, RetailHttpCase):
    """Every role over real HTTP against what retail_base adds: regions, the retail fields of
    stores, the users' stores and roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(cls.env, LOGINS["finance"], groups="account.group_account_manager")
        cls.portal = new_test_user(cls.env, LOGINS["portal"], groups="base.group_portal")
        cls.spare_region = cls.env["retail.region"].create({"name": "Spare", "code": "SPARE"})
        cls.hq_group = cls.env.ref("retail_base.group_retail_hq")
        cls.users = {role: cls.env["res.users"].search([("login", "=", login)]) for role, login in LOGINS.items()}

    def json2(self, login, model, method, payload=None):
        # the shared helper sends the session of the last rpc call along, which Odoo refuses
        # with another user's key, and makes the key as the user, which Odoo allows a user
        # without admin rights only with an expiry date
        self.authenticate(None, None)
        self._retail_logged_in = None
        with patch.object(type(self.env["res.users.apikeys"]), "_check_expiration_date", lambda self, date: None):
            return super().json2(login, model, method, payload)

    def outcome(self, role, model, operation):
        """``"ok"`` or the short name of the error ``role`` gets for ``operation`` on ``model``."""
        login, me = LOGINS[role], self.users[role].id
        join_store_b = {"stock.warehouse": (self.store_b.ids, {"retail_user_ids": [Command.link(me)]}),
                        "res.users": ([me], {"retail_store_ids": [Command.link(self.store_b.id)]})}
        calls = {
            ("retail.region", "create"): ("create", [{"name": f"Region of {role}"}]),
            ("retail.region", "write"): ("write", self.region.ids, {"name": f"East by {role}"}),
            ("retail.region", "unlink"): ("unlink", self.spare_region.ids),
            ("stock.warehouse", "create"): ("create", [{"name": "Store Z", "code": "TSZ",
                                                         "retail_store_type": "store"}]),
            ("stock.warehouse", "write"): ("write", self.store_a.ids, {"retail_region_id": False,
                                                                       "retail_opening_date": "2020-01-01"}),
            ("stock.warehouse", "read_every_field"): ("read", self.store_a.ids, []),
            ("stock.warehouse", "join_store_b"): ("write", *join_store_b["stock.warehouse"]),
            ("stock.warehouse", "unlink"): ("unlink", self.store_b.ids),
            ("res.users", "join_store_b"): ("write", *join_store_b["res.users"]),
            ("res.users", "main_store_b"): ("write", [me], {"retail_default_store_id": self.store_b.id}),
            ("res.users", "become_hq"): ("write", [me], {"group_ids": [Command.link(self.hq_group.id)]}),
            ("res.users", "create"): ("create", [{"name": "Helper", "login": f"helper_{role}",
                                                  "retail_store_ids": [Command.set(self.store_b.ids)]}]),
            ("res.groups", "become_hq"): ("write", self.hq_group.ids, {"user_ids": [Command.link(me)]}),
        }
        method, *args = calls.get((model, operation)) or (operation, [], STORE_FIELDS if model == "stock.warehouse"
                                                           else ["name"])
        try:
            with mute_logger("odoo.http"):
                self.rpc(login, model, method, *args)
        except RetailRpcError as error:
            return error.name.rsplit(".", 1)[-1]
        return "ok"

    def test_rights_matrix_of_every_role(self):
        """HQ comes last, as it deletes the spare region."""
        self.assertEqual(self.rights_matrix_mismatches(ROLES, MATRIX), [])
        self.env.invalidate_all()
        # nobody moved into store B, nor became HQ; the stores are as they were
        self.assertEqual(self.store_b.retail_user_ids, self.manager_b)
        for role in set(ROLES) - {"manager_b"}:
            self.assertNotIn(self.store_b, self.users[role].retail_store_ids, role)
        for role in set(ROLES) - HQ:
            self.assertFalse(self.users[role].has_group("retail_base.group_retail_hq"), role)
        self.assertEqual(self.manager_a._retail_visible_stores(), self.store_a)
        self.assertEqual(self.manager_a.retail_default_store_id, self.store_a)
        self.assertEqual((self.store_a.retail_region_id, self.store_a.retail_opening_date), (self.region, False))
        self.assertFalse(self.env["stock.warehouse"].search([("code", "=", "TSZ")]))
        self.assertFalse(self.env["res.users"].search([("login", "like", "helper_")]))
        self.assertEqual(self.region.name, "East by hq")
        self.assertEqual(self.env["retail.region"].search([("name", "like", "Region of ")]).mapped("name"),
                         ["Region of hq"])
        self.assertFalse(self.spare_region.exists())

    def store_rule(self):
        """A store rule written the way the addons write theirs, on the stores themselves."""
        return self.env["ir.rule"].create({
            "name": "Test: staff read their stores only",
            "model_id": self.env["ir.model"]._get_id("stock.warehouse"),
            "domain_force": "['|', ('retail_store_type', '=', False), ('id', 'in', retail_store_ids)]",
            "groups": [Command.link(self.env.ref("retail_base.group_retail_staff").id)],
        })

    def test_store_rules_read_the_users_stores_not_the_context(self):
        self.store_rule()
        for context in (None, {"retail_store_ids": [self.store_a.id, self.store_b.id]}, {"active_test": False},
                        {"retail_hq": True, "allowed_company_ids": [self.env.company.id]}):
            with self.subTest(context=context):
                stores = self.rpc(LOGINS["manager_a"], "stock.warehouse", "search_read",
                                  [("retail_store_type", "=", "store")], ["name"], context=context)
                self.assertEqual([store["id"] for store in stores], self.store_a.ids)
                self.assertRpcDenied("AccessError", LOGINS["manager_a"], "stock.warehouse", "read",
                                     self.store_b.ids, ["name"], context=context)
        status, body = self.json2(LOGINS["manager_b"], "stock.warehouse", "search_read", {
            "domain": [("retail_store_type", "=", "store")], "fields": ["name"],
            "context": {"retail_store_ids": self.store_a.ids}})
        self.assertEqual((status, [store["id"] for store in body]), (200, self.store_b.ids))

    def test_a_store_change_of_a_user_applies_to_the_next_call(self):
        self.store_rule()
        domain = [("retail_store_type", "=", "store")]
        self.assertEqual(len(self.rpc(LOGINS["cashier_a"], "stock.warehouse", "search_read", domain, ["name"])), 1)
        self.cashier_a.retail_store_ids = self.store_b
        stores = self.rpc(LOGINS["cashier_a"], "stock.warehouse", "search_read", domain, ["name"])
        self.assertEqual([store["id"] for store in stores], self.store_b.ids)

    def test_json2_per_role(self):
        for role in ROLES:
            status, body = self.json2(LOGINS[role], "retail.region", "search_read",
                                      {"domain": [("id", "=", self.region.id)], "fields": ["name"],
                                       "context": {"active_test": False}})
            if role in RETAIL_ROLES:
                self.assertEqual((status, [region["name"] for region in body]), (200, ["East"]), role)
            else:
                self.assertEqual((status, body["name"]), (403, "odoo.exceptions.AccessError"), role)
        status, body = self.json2(LOGINS["manager_a"], "res.users", "write", {
            "ids": self.manager_a.ids, "vals": {"retail_store_ids": [Command.link(self.store_b.id)]},
            "context": {"retail_hq": True}})
        self.assertEqual((status, body["name"]), (403, "odoo.exceptions.AccessError"))
        self.assertEqual(self.manager_a.retail_store_ids, self.store_a)

    def test_anonymous_gets_nothing(self):
        for model, method, args in (("retail.region", "search_read", ([], ["name"])),
                                    ("stock.warehouse", "search_read", ([], STORE_FIELDS))):
            self.assertRpcDenied("SessionExpiredException", None, model, method, *args)
        response = self.url_open("/json/2/retail.region/search_read", data=json.dumps({"domain": []}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 401)

    def test_hq_manages_the_stores_of_its_companies_only(self):
        company = self.env["res.company"].create({"name": "Retail Other Company"})
        store_c = self.env["stock.warehouse"].create(
            {"name": "Test Store C", "code": "TSC", "retail_store_type": "store", "company_id": company.id})
        self.assertNotIn(store_c, self.hq_user._retail_visible_stores())
        self.assertFalse(self.hq_user._retail_is_manager_of(store_c))
        self.assertTrue(self.hq_user._retail_is_manager_of(self.store_b))
        self.hq_user.company_ids |= company
        self.assertIn(store_c, self.hq_user._retail_visible_stores())
        self.assertTrue(self.hq_user._retail_is_manager_of(store_c))
