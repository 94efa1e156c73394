import json
from datetime import timedelta
from uuid import uuid4

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import new_test_user, tagged

from .common import RetailMembersCase

MOBILE_A = "13812345678"
MOBILE_B = "13900001111"
MOBILE_C = "13711112222"


@tagged("post_install", "-at_install")
class TestMemberWallHttp(RetailHttpCase, RetailMembersCase):
    """Store A's cashier and manager, a portal user, an internal user without the till and an
    anonymous caller, over real HTTP, against the members of store A (``member``), store B
    (``member_b``) and another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal = new_test_user(env, "retail_portal", groups="base.group_portal")
        cls.clerk = new_test_user(env, "retail_clerk", groups="base.group_user")
        cls.editor_a = new_test_user(
            env, "retail_editor_a", groups="retail_base.group_retail_staff,base.group_partner_manager")
        cls.editor_a.retail_store_ids = cls.store_a
        cls.other_company = env["res.company"].create({"name": "Other Retail Co"})
        cls.far_member = env["res.partner"].create({
            "name": "Far Member", "retail_is_member": True, "retail_mobile": "13600000001",
            "company_id": cls.other_company.id,
        })
        cls.member_b.email = "lina@example.com"
        # enrolled with a phone, as core's contact form gives it
        cls.member_c = env["res.partner"].create({
            "name": "Chen Jing", "retail_is_member": True, "phone": "+86 137 1111 2222",
            "retail_home_store_id": cls.store_a.id,
        })

    def lookup(self, login, query):
        return self.rpc(login, "res.partner", "retail_pos_find_member", query, self.config.id)

    def lookups(self, user=None):
        domain = [("user_id", "=", user.id)] if user else []
        return self.env["retail.member.lookup"].sudo().search(domain)

    def order_payload(self, partner, price=30.0):
        uuid = str(uuid4())
        now = fields.Datetime.to_string(fields.Datetime.now())
        return {
            "amount_paid": price, "amount_return": 0, "amount_tax": 0, "amount_total": price,
            "date_order": now, "fiscal_position_id": False, "pricelist_id": self.pricelist.id,
            "name": f"Order {uuid}", "last_order_preparation_change": "{}",
            "lines": [(0, 0, {
                "product_id": self.product.id, "qty": 1, "price_unit": price, "price_subtotal": price,
                "price_subtotal_incl": price, "tax_ids": [], "discount": 0,
            })],
            "partner_id": partner.id, "session_id": self.pos_session.id,
            "payment_ids": [(0, 0, {"amount": price, "name": now, "payment_method_id": self.cash_method.id})],
            "uuid": uuid, "user_id": self.cashier_a.id, "to_invoice": False, "retail_points_redeemed": 0,
            "state": "paid",
        }

    # ------------------------------------------------------------------ the store wall

    def test_cashier_reads_no_member_of_another_store(self):
        rows = self.rpc("retail_cashier_a", "res.partner", "search_read", [("retail_is_member", "=", True)], ["name"])
        ids = {row["id"] for row in rows}
        self.assertIn(self.member.id, ids)
        self.assertNotIn(self.member_b.id, ids)
        self.assertEqual(self.rpc("retail_cashier_a", "res.partner", "search_read",
                                  [("id", "=", self.member_b.id)], ["name"]), [])
        self.assertEqual(self.rpc("retail_cashier_a", "res.partner", "name_search", "Li Na"), [])
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "read", [self.member_b.id], ["name"])
        # contacts that are not members stay visible
        company_partner = self.company.partner_id
        self.assertEqual(self.rpc("retail_cashier_a", "res.partner", "read", [company_partner.id], ["name"])[0]["name"],
                         company_partner.name)

    def test_cashier_reads_no_full_number_of_a_member(self):
        readable = self.rpc("retail_cashier_a", "res.partner", "fields_get", [], ["type"])
        # the ids of related records hold no number (and some of core's are not for cashiers)
        names = [name for name, field in readable.items() if field["type"] not in ("one2many", "many2many")]
        everything = self.rpc("retail_cashier_a", "res.partner", "read", (self.member | self.member_c).ids, names)
        self.assertNotIn(MOBILE_A, json.dumps(everything, default=str))
        self.assertNotIn(MOBILE_C[3:], json.dumps(everything, default=str))
        self.assertEqual([row["phone"] for row in everything], [False, False])
        self.assertEqual([row["retail_mobile_masked"] for row in everything], ["138****5678", "137****2222"])
        self.assertNotIn("retail_mobile", everything[0])
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "read", [self.member_c.id],
                             ["retail_mobile"])
        for number in (MOBILE_A, MOBILE_C):
            for domain in ([("phone", "ilike", number[:3])], [("phone", "=", number)],
                           [("phone_sanitized", "ilike", number[:4])], [("phone_mobile_search", "=", number)],
                           [("phone_mobile_search", "ilike", number[:6])],
                           [("phone_mobile_search", "=", f"+86{number}")]):
                self.assertEqual(self.rpc("retail_cashier_a", "res.partner", "search_read", domain, ["name"]), [],
                                 domain)
            for domain in ([("retail_mobile", "=", number)], [("retail_mobile", "ilike", number[:3])],
                           [("commercial_partner_id.retail_mobile", "=", number)]):
                self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "search_read", domain, ["name"])
            self.assertEqual(self.rpc("retail_cashier_a", "res.partner", "name_search", number), [])
        groups = self.rpc("retail_cashier_a", "res.partner", "formatted_read_group",
                          [("retail_is_member", "=", True)], ["phone"], ["__count"])
        self.assertEqual([group["phone"] for group in groups], [False])
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "formatted_read_group",
                             [("retail_is_member", "=", True)], ["retail_mobile"], ["__count"])

    def test_manager_sees_the_full_number_of_their_members_only(self):
        rows = self.rpc("retail_manager_a", "res.partner", "read", (self.member | self.member_c).ids,
                        ["retail_mobile", "phone"])
        self.assertEqual([(row["retail_mobile"], row["phone"]) for row in rows], [(MOBILE_A, False), (MOBILE_C, False)])
        found = self.rpc("retail_manager_a", "res.partner", "search_read", [("retail_mobile", "=", MOBILE_A)], ["name"])
        self.assertEqual([row["id"] for row in found], self.member.ids)
        self.assertEqual(self.rpc("retail_manager_a", "res.partner", "search_read",
                                  [("retail_mobile", "=", MOBILE_B)], ["name"]), [])
        self.assertRpcDenied("AccessError", "retail_manager_a", "res.partner", "read", [self.member_b.id],
                             ["retail_mobile"])

    def test_staff_cannot_set_a_member_number_through_the_phone(self):
        error = self.assertRpcDenied("AccessError", "retail_editor_a", "res.partner", "write", [self.member.id],
                                     {"phone": "13700000001"})
        self.assertIn("Only store managers can set a member's mobile number", error.message)
        self.assertEqual((self.member.retail_mobile, self.member.phone), (MOBILE_A, False))
        # a contact keeps its phone, which the staff may write
        contact = self.env["res.partner"].create({"name": "Walk-in"})
        self.rpc("retail_editor_a", "res.partner", "write", [contact.id], {"phone": "13700000001"})
        self.assertEqual(contact.phone, "13700000001")

    # ------------------------------------------------------------------ the lookup

    def test_lookup_by_exact_mobile_finds_a_member_of_another_store_masked(self):
        result = self.lookup("retail_cashier_a", "139 0000 1111")
        self.assertEqual(result["status"], "found")
        self.assertEqual(result["members"], [{
            "id": self.member_b.id, "name": "Li Na", "member_number": self.member_b.retail_member_number,
            "mobile_masked": "139****1111", "tier": "T Regular", "points": 0.0,
        }])
        self.assertNotIn(MOBILE_B, json.dumps(result, default=str))
        self.assertNotIn("lina@example.com", json.dumps(result, default=str))
        partner = result["records"]["res.partner"][0]
        expected_fields = set(self.env["res.partner"]._load_pos_data_fields(self.config))
        self.assertEqual(set(partner), expected_fields)
        self.assertEqual((partner["id"], partner["name"], partner["retail_mobile_masked"]),
                         (self.member_b.id, "Li Na", "139****1111"))
        self.assertEqual((partner["phone"], partner["email"], partner["barcode"]), (False, False, False))
        self.assertEqual(self.lookups(self.cashier_a).partner_ids, self.member_b)
        # the lookup opened nothing else: the member stays behind the wall
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "read", [self.member_b.id], ["name"])

    def test_lookup_by_card_and_member_number(self):
        for query in (self.member_b.retail_card_barcode, self.member_b.retail_member_number,
                      self.member_b.retail_member_number.lower()):
            result = self.lookup("retail_cashier_a", query)
            self.assertEqual([member["id"] for member in result["members"]], self.member_b.ids, query)
        own = self.lookup("retail_cashier_a", MOBILE_A)
        # a member of the cashier's store comes as the cashier reads them
        self.assertEqual(own["records"]["res.partner"][0]["email"], "zhangwei@example.com")

    def test_partial_and_name_queries_find_nothing(self):
        queries = ["139", "1390000111", "Li", "Li Na", "li na", "zhangwei", "zw", "张", "张伟", "%", "139%", "_",
                   self.member_b.retail_card_barcode[:12], self.member_b.retail_member_number[:-1], "M%"]
        for query in queries:
            result = self.lookup("retail_cashier_a", query)
            self.assertEqual((result["status"], result["members"], result["records"]), ("not_found", [], {}), query)
            self.assertIn("No member has this card", result["message"])
        self.assertEqual(len(self.lookups(self.cashier_a)), len(queries))
        self.assertFalse(self.lookups(self.cashier_a).partner_ids)

    def test_rate_limit_refuses_after_the_limit_across_requests(self):
        self.env["ir.config_parameter"].sudo().set_param("retail_members.member_lookup_limit", "3")
        for query in (MOBILE_B, "13700000000", "Li Na"):
            self.assertNotEqual(self.lookup("retail_cashier_a", query)["status"], "limited")
        self.assertEqual(len(self.lookups(self.cashier_a)), 3)
        for query in (MOBILE_B, self.member.retail_card_barcode):
            # a new request each time: the refusal comes from the attempts stored by the earlier ones
            self.authenticate(None, None)
            self._retail_logged_in = None
            result = self.lookup("retail_cashier_a", query)
            self.assertEqual((result["status"], result["members"], result["records"]), ("limited", [], {}))
            self.assertEqual(result["message"], "Too many member lookups: 3 in 5 minutes. Try again in a few minutes.")
        self.assertEqual(len(self.lookups(self.cashier_a)), 3, "nothing is written on a refusal")
        # the limit is per user
        self.assertEqual(self.lookup("retail_manager_a", MOBILE_A)["status"], "found")
        # once the attempts are older than the window, the cashier may look up again
        self.env.cr.execute("UPDATE retail_member_lookup SET create_date = create_date - interval '6 minutes'"
                            " WHERE user_id = %s", [self.cashier_a.id])
        self.assertEqual(self.lookup("retail_cashier_a", MOBILE_B)["status"], "found")

    def test_lookup_refused_to_portal_anonymous_and_users_without_the_till(self):
        for login in ("retail_portal", "retail_clerk"):
            error = self.assertRpcDenied("AccessError", login, "res.partner", "retail_pos_find_member",
                                         MOBILE_B, self.config.id)
            self.assertIn("Only point of sale users can look members up", error.message)
        self.assertRpcDenied("SessionExpiredException", None, "res.partner", "retail_pos_find_member",
                             MOBILE_B, self.config.id)
        # JSON-2, with an API key of the user without the till
        key = self.env["res.users.apikeys"].with_user(self.clerk)._generate(
            None, "clerk key", fields.Datetime.now() + timedelta(days=1))
        response = self.url_open(
            "/json/2/res.partner/retail_pos_find_member",
            data=json.dumps({"query": MOBILE_B, "config_id": self.config.id}),
            headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("Only point of sale users can look members up", response.text)
        self.assertNotIn("Li Na", response.text)
        self.assertFalse(self.lookups())

    def test_lookup_refuses_bad_input(self):
        self.assertRpcDenied("UserError", "retail_cashier_a", "res.partner", "retail_pos_find_member",
                             ["13900001111"], self.config.id)
        self.assertRpcDenied("UserError", "retail_cashier_a", "res.partner", "retail_pos_find_member",
                             MOBILE_B, 0)
        self.assertFalse(self.lookups())

    def test_member_of_another_company_is_never_found(self):
        result = self.lookup("retail_cashier_a", "13600000001")
        self.assertEqual((result["status"], result["members"]), ("not_found", []))
        result = self.lookup("retail_cashier_a", self.far_member.retail_card_barcode)
        self.assertEqual((result["status"], result["members"]), ("not_found", []))

    # ------------------------------------------------------------------ selling to a member of another store

    def test_order_for_a_member_of_another_store_syncs_from_till_a(self):
        self.assertEqual(self.lookup("retail_cashier_a", MOBILE_B)["status"], "found")
        payload = self.order_payload(self.member_b)
        result = self.rpc("retail_cashier_a", "pos.order", "sync_from_ui", [payload])
        order = self.env["pos.order"].search([("uuid", "=", payload["uuid"])])
        self.assertEqual((order.partner_id, order.state), (self.member_b, "paid"))
        self.assertEqual(order.retail_points_earned, 30)
        self.assertEqual(self.member_b.retail_points_balance, 30)
        # the till gets the member back with the new balance, masked
        partner = next(row for row in result["res.partner"] if row["id"] == self.member_b.id)
        self.assertEqual((partner["retail_points_balance"], partner["email"], partner["phone"]), (30.0, False, False))
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "read", [self.member_b.id], ["name"])
        # the store closes its session with the member's order in it
        self.pos_session.with_user(self.manager_a).action_pos_session_closing_control()
        self.assertEqual(self.pos_session.state, "closed")

    def test_order_for_a_hidden_member_not_found_at_the_till_is_refused(self):
        payload = self.order_payload(self.member_b)
        error = self.assertRpcDenied("AccessError", "retail_cashier_a", "pos.order", "sync_from_ui", [payload])
        self.assertIn("its customer is a member of another store", error.message)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))
        self.assertFalse(self.member_b.retail_points_move_ids)
        # a lookup that found someone else grants nothing
        self.lookup("retail_cashier_a", MOBILE_A)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "pos.order", "sync_from_ui", [payload])
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))

    def test_till_reload_keeps_the_member_of_a_draft_order(self):
        self.lookup("retail_cashier_a", MOBILE_B)
        payload = dict(self.order_payload(self.member_b), state="draft", payment_ids=[], amount_paid=0)
        self.rpc("retail_cashier_a", "pos.order", "sync_from_ui", [payload])
        data = self.rpc("retail_cashier_a", "pos.session", "load_data", [self.pos_session.id],
                        ["pos.order", "res.partner"])
        self.assertIn(payload["uuid"], [order["uuid"] for order in data["pos.order"]])
        partner = next(row for row in data["res.partner"] if row["id"] == self.member_b.id)
        self.assertEqual((partner["name"], partner["email"], partner["retail_mobile_masked"]),
                         ("Li Na", False, "139****1111"))
        # only the members of the till's orders come past the wall
        self.assertNotIn(self.far_member.id, [row["id"] for row in data["res.partner"]])

    def test_refund_of_a_member_order_needs_no_new_lookup(self):
        self.lookup("retail_cashier_a", MOBILE_B)
        sale = self.order_payload(self.member_b)
        self.rpc("retail_cashier_a", "pos.order", "sync_from_ui", [sale])
        order = self.env["pos.order"].search([("uuid", "=", sale["uuid"])])
        # the next day: the lookup no longer lets the cashier sell to the member
        self.env.cr.execute("UPDATE retail_member_lookup SET create_date = create_date - interval '25 hours'")
        again = self.order_payload(self.member_b)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "pos.order", "sync_from_ui", [again])
        refund = self.order_payload(self.member_b, price=-30.0)
        refund["lines"][0][2].update(qty=-1, price_unit=30.0, refunded_orderline_id=order.lines.id)
        self.rpc("retail_cashier_a", "pos.order", "sync_from_ui", [refund])
        refunded = self.env["pos.order"].search([("uuid", "=", refund["uuid"])])
        self.assertEqual((refunded.partner_id, refunded.refunded_order_id), (self.member_b, order))
        self.assertEqual(self.member_b.retail_points_balance, 0)
