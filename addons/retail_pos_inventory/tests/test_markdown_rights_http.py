from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .common import MarkdownCase

MODEL = "retail.lot.markdown"


@tagged("post_install", "-at_install")
class TestMarkdownRightsHttp(RetailHttpCase, MarkdownCase):
    """Who sees and decides markdowns, tried over HTTP by each role and as an attacker would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.markdown_a = cls.propose()
        cls.markdown_b = cls.env[MODEL]._retail_propose(cls.store_b)

    def test_each_store_sees_its_own_markdowns(self):
        for login, expected in (("retail_cashier_a", self.markdown_a), ("retail_manager_a", self.markdown_a),
                                ("retail_manager_b", self.markdown_b),
                                ("retail_hq", self.markdown_a | self.markdown_b)):
            found = self.rpc(login, MODEL, "search_read", [], ["lot_name"])
            self.assertEqual({row["id"] for row in found}, set(expected.ids), login)
            steps = self.rpc(login, "retail.lot.markdown.step", "search_read", [], ["price"])
            self.assertEqual({row["id"] for row in steps}, set(expected.step_ids.ids), login)
        self.assertRpcDenied("AccessError", "retail_manager_b", MODEL, "read", self.markdown_a.ids, ["lot_name"])

    def test_only_the_stores_manager_or_hq_approves(self):
        self.assertRpcDenied("AccessError", "retail_cashier_a", MODEL, "action_approve", self.markdown_a.ids)
        self.assertRpcDenied("AccessError", "retail_manager_b", MODEL, "action_approve", self.markdown_a.ids)
        self.assertRpcDenied("AccessError", "retail_manager_a", MODEL, "action_approve",
                             (self.markdown_a | self.markdown_b).ids)
        self.assertEqual((self.markdown_a | self.markdown_b).mapped("state"), ["proposed", "proposed"])
        self.rpc("retail_manager_a", MODEL, "action_approve", self.markdown_a.ids,
                 context={"retail_skip_policy_check": True})
        self.rpc("retail_hq", MODEL, "action_approve", self.markdown_b.ids)
        self.assertEqual(self.markdown_a.approved_by_id, self.manager_a)
        self.assertEqual(self.markdown_b.approved_by_id, self.hq_user)

    def test_states_prices_and_floors_are_not_written_directly(self):
        for values in ({"state": "approved"}, {"approved_by_id": self.manager_a.id}, {"floor_price": 0.0},
                       {"list_price": 100.0}):
            self.assertRpcDenied("AccessError", "retail_manager_a", MODEL, "write", self.markdown_a.ids, values)
        self.assertRpcDenied("AccessError", "retail_manager_a", MODEL, "create", {
            "store_id": self.store_a.id, "lot_id": self.lot_yoghurt.id, "list_price": 100.0})
        self.assertRpcDenied("AccessError", "retail_manager_a", MODEL, "create", {
            "store_id": self.store_b.id, "lot_id": self.lot_yoghurt.id})
        self.assertEqual(self.markdown_a.state, "proposed")
        self.assertEqual((self.markdown_a.list_price, self.markdown_a.floor_price), (8.0, 5.0))

    def test_a_manager_adjusts_steps_above_the_floor_before_approval_only(self):
        step = self.markdown_a.step_ids[-1]
        self.assertRpcDenied("ValidationError", "retail_manager_a", "retail.lot.markdown.step", "write",
                             step.ids, {"price": 4.99})
        self.assertRpcDenied("AccessError", "retail_manager_b", "retail.lot.markdown.step", "write",
                             step.ids, {"price": 5.50})
        self.rpc("retail_manager_a", "retail.lot.markdown.step", "write", step.ids, {"price": 5.50})
        self.assertEqual(step.price, 5.50)
        self.rpc("retail_manager_a", MODEL, "action_approve", self.markdown_a.ids)
        self.assertRpcDenied("UserError", "retail_manager_a", "retail.lot.markdown.step", "write",
                             step.ids, {"price": 5.20})
        self.assertRpcDenied("UserError", "retail_manager_a", "retail.lot.markdown.step", "unlink", step.ids)
        self.assertEqual(step.price, 5.50)

    def test_a_manager_creates_a_markdown_at_the_products_price(self):
        created = self.rpc("retail_manager_a", MODEL, "create", {
            "store_id": self.store_a.id, "lot_id": self.lot_yoghurt.id})
        markdown_ = self.env[MODEL].browse(created)
        self.assertEqual((markdown_.list_price, markdown_.floor_price, markdown_.origin), (4.0, 2.0, "manual"))

    def test_proposals_from_the_expiry_watch_are_walled(self):
        (self.markdown_a | self.markdown_b).action_refuse()
        rows = self.rpc("retail_manager_a", "retail.expiry.report", "search_read",
                        [("lot_id", "=", self.lot_md.id)], ["retail_store_id"])
        self.assertEqual([row["retail_store_id"][0] for row in rows], [self.store_a.id])
        result = self.rpc("retail_manager_a", "retail.expiry.report", "action_retail_propose_markdown",
                          [row["id"] for row in rows])
        created = self.env[MODEL].search(result["domain"])
        self.assertEqual((created.store_id, created.lot_id, created.origin), (self.store_a, self.lot_md, "watch"))
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.expiry.report",
                             "action_retail_propose_markdown", [row["id"] for row in rows])
