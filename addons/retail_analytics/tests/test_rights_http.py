import datetime
import json
from unittest.mock import patch

from odoo.addons.retail_base.tests.common import RetailHttpCase, RetailRpcError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RetailAnalyticsCase, pdf_text

ROLES = ("cashier_a", "manager_a", "manager_b", "hq", "finance", "portal")
LOGINS = {
    "cashier_a": "retail_cashier_a",
    "manager_a": "retail_manager_a",
    "manager_b": "retail_manager_b",
    "hq": "retail_hq",
    "finance": "retail_analytics_finance",
    "portal": "retail_analytics_portal",
}
STORE_ROLES = {"manager_a", "manager_b", "hq"}
MANAGER_A_AND_HQ = {"manager_a", "hq"}
NOBODY = set()
HQ = {"hq"}

# who may do what, model by model: every other role gets an AccessError
MATRIX = {
    ("retail.close.pack", "search_read"): STORE_ROLES,
    ("retail.close.pack", "read_a"): MANAGER_A_AND_HQ,
    ("retail.close.pack", "create"): NOBODY,
    ("retail.close.pack", "write"): NOBODY,
    ("retail.close.pack", "unlink"): HQ,
    ("retail.close.pack.line", "search_read"): STORE_ROLES,
    ("retail.close.pack.line", "read_a"): MANAGER_A_AND_HQ,
    ("retail.close.pack.line", "create"): NOBODY,
    ("retail.close.pack.line", "write"): NOBODY,
    ("retail.close.pack.line", "unlink"): NOBODY,
    ("retail.review.item", "search_read"): STORE_ROLES,
    ("retail.review.item", "read_a"): MANAGER_A_AND_HQ,
    ("retail.review.item", "create"): NOBODY,
    ("retail.review.item", "write"): MANAGER_A_AND_HQ,
    ("retail.review.item", "unlink"): HQ,
    ("retail.anomaly.rule", "search_read"): STORE_ROLES,
    ("retail.anomaly.rule", "create"): HQ,
    ("retail.anomaly.rule", "write"): HQ,
    ("retail.anomaly.rule", "unlink"): HQ,
    ("retail.sales.report", "search_read"): STORE_ROLES,
    ("retail.sales.report", "read_a"): MANAGER_A_AND_HQ,
    ("retail.sales.report", "create"): NOBODY,
    ("retail.sales.report", "write"): NOBODY,
    ("retail.sales.report", "unlink"): NOBODY,
    ("retail.store.sales.report", "search_read"): STORE_ROLES,
    ("retail.store.sales.report", "read_a"): MANAGER_A_AND_HQ,
    ("retail.store.sales.report", "create"): NOBODY,
    ("retail.store.sales.report", "write"): NOBODY,
    ("retail.store.sales.report", "unlink"): NOBODY,
    ("retail.data.quality.report", "search_read"): HQ,
    ("retail.data.quality.report", "create"): NOBODY,
    ("retail.data.quality.report", "write"): NOBODY,
    ("retail.data.quality.report", "unlink"): NOBODY,
    ("retail.close.pack.build.wizard", "create"): HQ,
    ("retail.dashboard", "get_kpis"): STORE_ROLES,
}
PACK_REPORT = "/report/pdf/retail_analytics.report_retail_close_pack"


@tagged("post_install", "-at_install")
class TestAnalyticsRightsHttp(RetailAnalyticsCase, RetailHttpCase):
    """Every role, logged in over real HTTP, against every model and public method of the
    addon: what it may do, and that store A's people get nothing of store B (nor HQ anything
    of a company it does not belong to)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(cls.env, LOGINS["finance"], groups="account.group_account_manager")
        cls.portal = new_test_user(cls.env, LOGINS["portal"], groups="base.group_portal")
        cls.company_2 = cls.env["res.company"].create({"name": "Retail Second Company"})
        cls.store_c = cls.env["stock.warehouse"].create({
            "name": "Test Store C", "code": "TSC", "retail_store_type": "store", "company_id": cls.company_2.id})
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day), [(cls.milk, 2, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(cls.day), [(cls.bread, 10, 4.0, 0)])
        Pack = cls.env["retail.close.pack"]
        packs = Pack._build_packs(cls.day)
        cls.pack_a = packs.filtered(lambda p: p.retail_store_id == cls.store_a)
        cls.pack_b = packs.filtered(lambda p: p.retail_store_id == cls.store_b)
        cls.pack_c = packs.filtered(lambda p: p.retail_store_id == cls.store_c)
        cls.chain = packs.filtered(lambda p: p.is_chain and p.company_id == cls.env.company)
        cls.chain_2 = packs.filtered(lambda p: p.is_chain and p.company_id == cls.company_2)
        cls.spare_pack = Pack._build_packs(cls.day - datetime.timedelta(days=1), stores=cls.store_a)
        (cls.pack_a | cls.pack_b)._send_packs()
        cls.rule = cls.env["retail.anomaly.rule"].create(
            {"name": "Rights spike", "rule_type": "sales_spike", "threshold": 10})
        cls.spare_rule = cls.env["retail.anomaly.rule"].create(
            {"name": "Spare rule", "rule_type": "negative_stock", "threshold": 1})
        hit = {"rule_id": cls.rule.id, "date": cls.day, "value": 12.0, "baseline": 1.0, "threshold": 10}
        cls.item_a, cls.spare_item, cls.item_b, cls.item_c = cls.env["retail.review.item"]._create_from_hits([
            dict(hit, retail_store_id=cls.store_a.id, product_id=cls.milk.id),
            dict(hit, retail_store_id=cls.store_a.id, product_id=cls.yoghurt.id),
            dict(hit, retail_store_id=cls.store_b.id, product_id=cls.bread.id, value=40.0),
            dict(hit, retail_store_id=cls.store_c.id, product_id=cls.bread.id),
        ])
        cls.item_b.write({"state": "false_positive", "resolution": "false_positive"})
        cls.env.flush_all()
        cls.ids_of = {
            "retail.close.pack": cls.pack_a.id,
            "retail.close.pack.line": cls.pack_a.line_ids[:1].id,
            "retail.review.item": cls.item_a.id,
            "retail.anomaly.rule": cls.rule.id,
            "retail.sales.report": cls.report_row("retail.sales.report", cls.store_a),
            "retail.store.sales.report": cls.report_row("retail.store.sales.report", cls.store_a),
            "retail.data.quality.report": cls.env["retail.data.quality.report"].search([], limit=1).id,
        }

    @classmethod
    def report_row(cls, model, store):
        return cls.env[model].search([("retail_store_id", "=", store.id), ("date", "=", cls.day)], limit=1).id

    # ------------------------------------------------------------------ helpers

    def json2(self, login, model, method, payload=None):
        # the shared helper sends the session of the last rpc call along, which Odoo refuses
        # with another user's key, and makes the key as the user, which Odoo allows a user
        # without admin rights only with an expiry date
        self.authenticate(None, None)
        self._retail_logged_in = None
        with patch.object(type(self.env["res.users.apikeys"]), "_check_expiration_date", lambda self, date: None):
            return super().json2(login, model, method, payload)

    def tampered_contexts(self):
        """Contexts a caller may send to widen what it sees."""
        return (
            {"active_test": False},
            {"retail_store_ids": [self.store_a.id, self.store_b.id]},
            {"retail_hq": True, "retail_store_id": self.store_b.id, "default_retail_store_id": self.store_b.id},
        )

    def outcome(self, role, model, operation):
        """``"ok"`` or the short name of the error ``role`` gets for ``operation`` on ``model``."""
        login = LOGINS[role]
        target = self.ids_of.get(model)
        calls = {
            "search_read": lambda: self.rpc(login, model, "search_read", [], ["display_name"]),
            "read_a": lambda: self.rpc(login, model, "read", [target], ["display_name"]),
            "write": lambda: self.rpc(login, model, "write", [target], self.write_values(model, role)),
            "create": lambda: self.rpc(login, model, "create", [self.create_values(model, role)]),
            "unlink": lambda: self.rpc(login, model, "unlink", [self.spare_id(model)]),
            "get_kpis": lambda: self.rpc(login, model, "get_kpis", date_to=str(self.day), days=7),
        }
        try:
            with mute_logger("odoo.http"):
                calls[operation]()
        except RetailRpcError as error:
            return error.name.rsplit(".", 1)[-1]
        return "ok"

    def write_values(self, model, role):
        return {
            "retail.close.pack": {"sales_amount": 999.0},
            "retail.close.pack.line": {"amount": 999.0},
            "retail.review.item": {"note": f"Seen by {role}"},
            "retail.anomaly.rule": {"threshold": 12.0},
            "retail.sales.report": {"sales_amount": 999.0},
            "retail.store.sales.report": {"sales_amount": 999.0},
            "retail.data.quality.report": {"detail": "forged"},
        }[model]

    def create_values(self, model, role):
        return {
            "retail.close.pack": {"date": "2026-01-01", "retail_store_id": self.store_a.id, "sales_amount": 1.0},
            "retail.close.pack.line": {"pack_id": self.pack_a.id, "kind": "top", "amount": 999.0},
            "retail.review.item": {"rule_id": self.rule.id, "date": "2026-01-01",
                                   "retail_store_id": self.store_a.id, "value": 1.0},
            "retail.anomaly.rule": {"name": f"Rule of {role}", "rule_type": "negative_stock", "threshold": 1},
            "retail.sales.report": {"sales_amount": 1.0},
            "retail.store.sales.report": {"sales_amount": 1.0},
            "retail.data.quality.report": {"detail": "forged"},
            "retail.close.pack.build.wizard": {"date": str(self.day), "scan_anomalies": False},
        }[model]

    def spare_id(self, model):
        return {
            "retail.close.pack": self.spare_pack.id,
            "retail.review.item": self.spare_item.id,
            "retail.anomaly.rule": self.spare_rule.id,
        }.get(model, self.ids_of[model])

    def ids(self, records):
        return sorted(record["id"] for record in records)

    # ------------------------------------------------------------------ the matrix

    def test_rights_matrix_of_every_role(self):
        """HQ comes last, as it deletes the spare records."""
        figures = {name: self.pack_a[name] for name in ("sales_amount", "ticket_count", "margin_amount")}
        line_count = self.env["retail.close.pack.line"].search_count([])
        self.assertEqual(self.rights_matrix_mismatches(ROLES, MATRIX), [])
        self.env.invalidate_all()
        # what was refused left no trace
        self.assertEqual({name: self.pack_a[name] for name in figures}, figures)
        self.assertEqual(self.env["retail.close.pack.line"].search_count([]), line_count)
        self.assertFalse(self.env["retail.close.pack"].search([("date", "=", "2026-01-01")]))
        self.assertFalse(self.env["retail.review.item"].search([("date", "=", "2026-01-01")]))
        self.assertEqual(self.item_a.note, "Seen by hq")
        self.assertEqual(self.env["retail.anomaly.rule"].search([("name", "like", "Rule of ")]).mapped("name"),
                         ["Rule of hq"])
        for spare in (self.spare_pack, self.spare_item, self.spare_rule):
            self.assertFalse(spare.exists())

    def test_json2_per_role(self):
        """The JSON-2 API answers each role as the web client's route does."""
        expected = {
            "cashier_a": None, "finance": None, "portal": None,
            "manager_a": [self.pack_a.id, self.spare_pack.id],
            "manager_b": [self.pack_b.id],
            "hq": sorted((self.pack_a | self.spare_pack | self.pack_b | self.chain).ids),
        }
        for role, pack_ids in expected.items():
            status, body = self.json2(LOGINS[role], "retail.close.pack", "search_read", {
                "domain": [], "fields": ["retail_store_id"],
                "context": {"active_test": False, "allowed_company_ids": [self.env.company.id]},
            })
            if pack_ids is None:
                self.assertEqual((status, body["name"]), (403, "odoo.exceptions.AccessError"), role)
            else:
                self.assertEqual((status, self.ids(body)), (200, pack_ids), role)
        status, body = self.json2(LOGINS["manager_a"], "retail.dashboard", "get_kpis",
                                  {"store_id": self.store_b.id, "date_to": str(self.day)})
        self.assertEqual((status, body["name"]), (403, "odoo.exceptions.AccessError"))

    def test_anonymous_gets_nothing(self):
        for model, method, args in (("retail.close.pack", "search_read", ([], ["sales_amount"])),
                                    ("retail.review.item", "read", ([self.item_a.id], ["value"])),
                                    ("retail.dashboard", "get_kpis", ())):
            self.assertRpcDenied("SessionExpiredException", None, model, method, *args)
        response = self.url_open("/json/2/retail.close.pack/search_read", data=json.dumps({"domain": []}),
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 401)
        response = self.url_open(f"{PACK_REPORT}/{self.pack_a.id}")
        self.assertFalse(response.content.startswith(b"%PDF"))
        self.assertNotIn(self.pack_a.name, response.text)

    # ------------------------------------------------------------------ store walls

    def test_manager_a_reads_nothing_of_store_b(self):
        login = LOGINS["manager_a"]
        own_packs = [self.pack_a.id, self.spare_pack.id]
        for context in (None, *self.tampered_contexts()):
            with self.subTest(context=context):
                packs = self.rpc(login, "retail.close.pack", "search_read", [], ["retail_store_id"], context=context)
                self.assertEqual(self.ids(packs), own_packs)
                lines = self.rpc(login, "retail.close.pack.line", "search_read", [], ["pack_id"], context=context)
                self.assertEqual(self.ids(lines), sorted((self.pack_a | self.spare_pack).line_ids.ids))
                items = self.rpc(login, "retail.review.item", "search_read", [], ["retail_store_id"], context=context)
                self.assertEqual(self.ids(items), sorted((self.item_a | self.spare_item).ids))
                self.assertEqual(self.rpc(login, "retail.close.pack", "search_count",
                                          [("retail_store_id", "=", self.store_b.id)], context=context), 0)
        self.assertEqual(self.rpc(login, "retail.close.pack", "name_search", "Test Store B"), [])
        for model, record in (("retail.close.pack", self.pack_b), ("retail.close.pack", self.chain),
                              ("retail.close.pack.line", self.pack_b.line_ids[:1]),
                              ("retail.close.pack.line", self.chain.line_ids[:1]),
                              ("retail.review.item", self.item_b)):
            self.assertRpcDenied("AccessError", login, model, "read", record.ids, ["display_name"])
            self.assertRpcDenied("AccessError", login, model, "web_read", record.ids, {"display_name": {}})
            self.assertRpcDenied("AccessError", login, model, "copy_data", record.ids)
        web = self.rpc(login, "retail.close.pack", "web_read", self.pack_a.ids,
                       {"line_ids": {"fields": {"store_id": {}}}, "review_item_ids": {"fields": {}}})
        self.assertEqual({item["id"] for item in web[0]["review_item_ids"]}, set((self.item_a | self.spare_item).ids))
        self.assertFalse([line for line in web[0]["line_ids"] if line["store_id"]])

    def test_manager_a_totals_exclude_store_b(self):
        login = LOGINS["manager_a"]
        for context in (None, *self.tampered_contexts()):
            for model, measure in (("retail.close.pack", "sales_amount:sum"),
                                   ("retail.store.sales.report", "sales_amount:sum"),
                                   ("retail.sales.report", "sales_amount:sum"),
                                   ("retail.review.item", "value:sum")):
                with self.subTest(model=model, context=context):
                    groups = self.rpc(login, model, "formatted_read_group", [], [], [measure], context=context)
                    expected = {"retail.review.item": 24.0}.get(model, 10.0)
                    self.assertAlmostEqual(groups[0][measure], expected)
        rows = self.rpc(login, "retail.sales.report", "search_read", [("retail_store_id", "=", self.store_b.id)],
                        ["sales_amount"])
        self.assertEqual(rows, [])

    def test_rule_feedback_counts_only_the_readers_stores(self):
        fields = ["item_count", "false_positive_count", "suggested_threshold"]
        own = self.rpc(LOGINS["manager_a"], "retail.anomaly.rule", "read", self.rule.ids, fields)[0]
        self.assertEqual((own["item_count"], own["false_positive_count"], own["suggested_threshold"]), (2, 0, 0.0))
        self.assertEqual(
            len(self.rpc(LOGINS["manager_a"], "retail.anomaly.rule", "read", self.rule.ids,
                         ["review_item_ids"])[0]["review_item_ids"]), 2)
        chain = self.rpc(LOGINS["hq"], "retail.anomaly.rule", "read", self.rule.ids, fields)[0]
        self.assertEqual((chain["item_count"], chain["false_positive_count"]), (3, 1))
        self.assertAlmostEqual(chain["suggested_threshold"], 44.0)

    def test_mails_activities_and_attachments_stay_in_their_store(self):
        login = LOGINS["manager_a"]
        messages = self.rpc(login, "mail.message", "search_read", [("model", "=", "retail.close.pack")], ["res_id"])
        self.assertTrue(messages)
        self.assertIn(self.pack_a.id, {message["res_id"] for message in messages})
        self.assertLessEqual({message["res_id"] for message in messages}, {self.pack_a.id, self.spare_pack.id})
        attachments = self.rpc(login, "ir.attachment", "search_read", [("name", "ilike", "Close Pack")], ["name"])
        self.assertTrue(attachments)
        self.assertFalse([a for a in attachments if self.store_b.name in a["name"]])
        activities = self.rpc(login, "mail.activity", "search_read", [("res_model", "=", "retail.review.item")],
                              ["res_id"])
        self.assertEqual({activity["res_id"] for activity in activities}, {self.item_a.id, self.spare_item.id})

    # ------------------------------------------------------------------ other companies

    def test_hq_sees_every_store_of_its_company_only(self):
        login = LOGINS["hq"]
        packs = self.rpc(login, "retail.close.pack", "search_read", [], ["retail_store_id"])
        self.assertEqual(self.ids(packs), sorted((self.pack_a | self.spare_pack | self.pack_b | self.chain).ids))
        items = self.rpc(login, "retail.review.item", "search_read", [], ["retail_store_id"])
        self.assertNotIn(self.item_c.id, self.ids(items))
        for model, record in (("retail.close.pack", self.pack_c), ("retail.close.pack", self.chain_2),
                              ("retail.close.pack.line", self.chain_2.line_ids), ("retail.review.item", self.item_c)):
            self.assertRpcDenied("AccessError", login, model, "read", record.ids, ["display_name"])
        kpis = self.rpc(login, "retail.dashboard", "get_kpis", date_to=str(self.day), days=7)
        self.assertEqual({store["id"] for store in kpis["stores"]}, {self.store_a.id, self.store_b.id})
        self.assertAlmostEqual(kpis["periods"]["current"]["sales"], 50.0)
        self.assertRpcDenied("AccessError", login, "retail.dashboard", "get_kpis", store_id=self.store_c.id)
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_rebuild", self.chain_2.ids)

    def test_another_companys_context_is_refused(self):
        for role in ("manager_a", "hq"):
            for model, method, args, kwargs in (
                    ("retail.close.pack", "search_read", ([], ["sales_amount"]), {}),
                    ("retail.review.item", "search_read", ([], ["value"]), {}),
                    ("retail.store.sales.report", "formatted_read_group", ([], [], ["sales_amount:sum"]), {}),
                    ("retail.dashboard", "get_kpis", (), {"date_to": str(self.day)})):
                with self.subTest(role=role, model=model):
                    self.assertRpcDenied("AccessError", LOGINS[role], model, method, *args, **kwargs,
                                         context={"allowed_company_ids": [self.env.company.id, self.company_2.id]})

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_refuses_store_b_and_bad_input(self):
        login = LOGINS["manager_a"]
        for context in (None, *self.tampered_contexts()):
            with self.subTest(context=context):
                self.assertRpcDenied("AccessError", login, "retail.dashboard", "get_kpis",
                                     store_id=self.store_b.id, date_to=str(self.day), context=context)
                kpis = self.rpc(login, "retail.dashboard", "get_kpis", date_to=str(self.day), days=7, context=context)
                self.assertEqual([store["id"] for store in kpis["stores"]], [self.store_a.id])
                self.assertAlmostEqual(kpis["periods"]["current"]["sales"], 10.0)
        self.assertRpcDenied("AccessError", LOGINS["manager_b"], "retail.dashboard", "get_kpis",
                             store_id=self.store_a.id)
        for kwargs in ({"store_id": str(self.store_a.id)}, {"store_id": [self.store_a.id]}, {"store_id": True},
                       {"date_to": "the day before"}, {"date_to": "0001-01-01"}, {"days": "many"}, {"days": [7]}):
            with self.subTest(kwargs=kwargs):
                self.assertRpcDenied("UserError", login, "retail.dashboard", "get_kpis", **kwargs)

    # ------------------------------------------------------------------ close pack actions

    def test_pack_actions_on_store_b_change_nothing(self):
        login = LOGINS["manager_a"]
        built_at = datetime.datetime(2026, 3, 11, 6, 0)
        self.pack_b.built_at = built_at
        mails = self.env["mail.mail"].search_count([])
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_rebuild", self.pack_b.ids)
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_send", self.pack_b.ids)
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_send", (self.pack_a | self.pack_b).ids)
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_send", self.chain.ids)
        self.assertRpcDenied("AccessError", login, "retail.close.pack", "action_rebuild", self.chain.ids)
        self.assertRpcDenied("AccessError", LOGINS["cashier_a"], "retail.close.pack", "action_send", self.pack_a.ids)
        self.assertRpcDenied("AccessError", LOGINS["cashier_a"], "retail.close.pack", "action_rebuild", self.pack_a.ids)
        self.env.invalidate_all()
        self.assertEqual(self.pack_b.built_at, built_at)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def test_rebuild_takes_nothing_from_the_callers_context(self):
        context = {"default_retail_store_id": self.store_b.id, "default_store_id": self.store_b.id,
                   "default_is_chain": True, "default_state": "sent", "default_company_id": self.company_2.id,
                   "default_kind": "store", "active_test": False}
        self.rpc(LOGINS["manager_a"], "retail.close.pack", "action_rebuild", self.pack_a.ids, context=context)
        self.env.invalidate_all()
        pack = self.pack_a
        self.assertEqual((pack.retail_store_id, pack.is_chain, pack.company_id),
                         (self.store_a, False, self.env.company))
        self.assertEqual(set(pack.line_ids.mapped("retail_store_id")), {self.store_a})
        self.assertFalse(pack.line_ids.store_id)
        self.assertNotIn("store", pack.line_ids.mapped("kind"))
        self.assertAlmostEqual(pack.sales_amount, 10.0)

    def test_hq_rebuilds_its_companys_roll_up_only(self):
        (self.pack_c | self.chain_2).built_at = datetime.datetime(2026, 3, 11, 6, 0)
        built_at = {pack: pack.built_at for pack in self.pack_c | self.chain_2}
        self.rpc(LOGINS["hq"], "retail.close.pack", "action_rebuild", self.chain.ids)
        self.env.invalidate_all()
        self.assertEqual({pack: pack.built_at for pack in self.pack_c | self.chain_2}, built_at)
        self.assertAlmostEqual(self.chain.sales_amount, 50.0)
        self.assertEqual(set(self.chain.store_line_ids.store_id.ids), {self.store_a.id, self.store_b.id})

    def test_wizard_builds_the_callers_company_and_ignores_its_context(self):
        day = self.day - datetime.timedelta(days=5)
        self.assertRpcDenied("AccessError", LOGINS["manager_a"], "retail.close.pack.build.wizard", "create",
                             [{"date": str(day)}])
        context = {"default_state": "sent", "default_is_chain": True, "default_store_id": self.store_c.id,
                   "active_test": False}
        wizard_ids = self.rpc(LOGINS["hq"], "retail.close.pack.build.wizard", "create",
                              [{"date": str(day), "scan_anomalies": True}])
        action = self.rpc(LOGINS["hq"], "retail.close.pack.build.wizard", "action_build", wizard_ids, context=context)
        packs = self.env["retail.close.pack"].browse(action["domain"][0][2])
        self.assertEqual(packs, self.env["retail.close.pack"].search([("date", "=", day)]))
        self.assertEqual(set(packs.retail_store_id.ids), {self.store_a.id, self.store_b.id})
        self.assertEqual(packs.filtered("is_chain").company_id, self.env.company)
        self.assertEqual(set(packs.mapped("state")), {"draft"})
        self.assertFalse(packs.line_ids.filtered(lambda line: line.kind != "store" and line.store_id))

    # ------------------------------------------------------------------ review items

    def test_review_of_store_b_is_refused_and_changes_nothing(self):
        login = LOGINS["manager_a"]
        for action in ("action_investigate", "action_confirm", "action_mark_false_positive", "action_close"):
            self.assertRpcDenied("AccessError", login, "retail.review.item", action, self.item_b.ids)
        self.assertRpcDenied("AccessError", login, "retail.review.item", "write", self.item_b.ids, {"note": "x"})
        self.assertRpcDenied("AccessError", login, "retail.review.item", "message_post", self.item_b.ids, body="x")
        self.env.invalidate_all()
        self.assertEqual((self.item_b.state, self.item_b.note), ("false_positive", False))

    def test_a_finding_cannot_be_rewritten_by_its_reviewer(self):
        login = LOGINS["manager_a"]
        for vals in ({"state": "closed"}, {"resolution": "false_positive"}, {"retail_store_id": self.store_b.id},
                     {"value": 0.0}, {"threshold": 99.0}, {"rule_id": self.spare_rule.id}, {"date": "2026-01-01"},
                     {"product_id": self.bread.id}, {"history": "[]"}):
            with self.subTest(vals=vals):
                self.assertRpcDenied("AccessError", login, "retail.review.item", "write", self.item_a.ids, vals)
                self.assertRpcDenied("AccessError", LOGINS["hq"], "retail.review.item", "write", self.item_a.ids, vals)
        self.assertRpcDenied("ValidationError", login, "retail.review.item", "write", self.item_a.ids,
                             {"assigned_user_id": self.manager_b.id})
        self.assertRpcDenied("ValidationError", login, "retail.review.item", "write", self.item_a.ids,
                             {"assigned_user_id": self.cashier_a.id})
        self.env.invalidate_all()
        item = self.item_a
        self.assertEqual((item.state, item.retail_store_id, item.value, item.assigned_user_id),
                         ("new", self.store_a, 12.0, self.manager_a))
        self.rpc(login, "retail.review.item", "write", self.item_a.ids, {"assigned_user_id": self.hq_user.id})
        self.env.invalidate_all()
        self.assertEqual(self.item_a.assigned_user_id, self.hq_user)

    def test_review_actions_leave_their_trace_whatever_the_context(self):
        context = {"tracking_disable": True, "mail_notrack": True, "default_state": "closed"}
        self.rpc(LOGINS["manager_a"], "retail.review.item", "action_investigate", self.item_a.ids, context=context)
        self.env.invalidate_all()
        self.assertEqual(self.item_a.state, "investigating")
        tracked = self.item_a.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
        self.assertEqual(tracked.new_value_char, "Investigating")
        self.assertEqual(self.item_a.message_ids.filtered("tracking_value_ids").author_id, self.manager_a.partner_id)

    # ------------------------------------------------------------------ the close pack PDF

    def test_close_pack_pdf_of_the_own_store_only(self):
        # the report route reads on a read-only cursor: its style sheets must exist already
        for bundle in ("web.report_assets_pdf", "web.report_assets_common"):
            self.env["ir.qweb"]._get_asset_bundle(bundle, js=False, autoprefix=True).css()
        login = LOGINS["manager_a"]
        self.authenticate(login, login)
        render = json.dumps({"force_report_rendering": True})
        own = self.url_open(f"{PACK_REPORT}/{self.pack_a.id}", params={"context": render}, timeout=120)
        self.assertEqual(own.status_code, 200)
        text = pdf_text(own.content)
        self.assertIn(self.pack_a.name, text)
        self.assertIn("10.00", text)
        self.assertNotIn(self.store_b.name, text)
        for docids in (self.pack_b.ids, (self.pack_a | self.pack_b).ids, self.chain.ids):
            with self.subTest(docids=docids), mute_logger("odoo.http"):
                other = self.url_open(f"{PACK_REPORT}/{','.join(map(str, docids))}", params={"context": render},
                                      timeout=120)
                self.assertEqual(other.status_code, 403)
                self.assertFalse(other.content.startswith(b"%PDF"))
                self.assertNotIn(self.store_b.name, other.text)
