"""Each addon's part of the demo chain, run on the small fixtures of that addon's own tests."""

from datetime import timedelta

import numpy as np

from odoo import fields
from odoo.addons.retail_analytics.tests.common import RetailAnalyticsCase
from odoo.addons.retail_inventory.tests.common import RetailInventoryCase
from odoo.addons.retail_members.tests.common import RetailMembersCase
from odoo.addons.retail_pos.tests.common import RetailPosCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPosPart(RetailPosCase):
    def test_demo_generator_gives_stores_a_policy_and_managers_a_pin(self):
        chain = {
            "stores": self.store_a + self.store_b,
            "users": {"managers": self.manager_a + self.manager_b},
            "rng": None,
            "company": self.env.company,
            "summary": {},
        }
        self.env["retail.chain.generator"]._retail_pos_generate_policies(chain)
        self.assertTrue(self.config_a.retail_scan_first)
        self.assertEqual(self.config_b.retail_max_line_discount, 10.0)
        self.assertTrue(self.config_b.retail_cash_drop_witness)
        self.assertTrue(self.employee_manager_a.pin)
        self.assertEqual(self.employee_manager_b.barcode, f"RM{self.manager_b.id:08d}")
        self.assertEqual(chain["summary"]["retail_pos_policies"], 2)


@tagged("post_install", "-at_install")
class TestInventoryPart(RetailInventoryCase):
    def test_generator_adds_dispatch_settings_and_routes(self):
        chain = {"rng": np.random.default_rng(3), "stores": self.stores, "dc": self.dc, "summary": {}}
        self.env["retail.chain.generator"]._retail_generate_extra(chain)
        routes = self.env["retail.dispatch.route"].search([("source_id", "in", (self.stores | self.dc).ids)])
        self.assertEqual(len(routes), 6)
        self.assertEqual(chain["summary"]["dispatch_routes"], 6)
        self.assertTrue(all(route.cost == route.distance_km for route in routes))
        self.assertIn(self.store_a.retail_min_days, (1.0, 2.0, 3.0))


@tagged("post_install", "-at_install")
class TestMembersPart(RetailMembersCase):
    def test_demo_members_get_their_mobile_where_the_till_looks(self):
        Generator = self.env["retail.chain.generator"]
        planned = {"name": ["王芳", "李强"], "phone": ["13700000011", "15800000012"], "store": [0, 1]}
        chain = {"data": {"members": planned}, "rng": np.random.default_rng(7), "company": self.company,
                 "stores": self.store_a | self.store_b, "summary": {}}
        Generator._create_members(chain)
        Generator._retail_generate_extra(chain)
        members = chain["members"]
        self.assertEqual(members.mapped("retail_mobile"), ["13700000011", "15800000012"])
        self.assertEqual(members.mapped("phone"), [False, False])
        self.assertEqual(members.mapped("phone_sanitized"), [False, False])
        self.assertEqual(members.mapped("retail_pinyin"), ["wf wangfang", "lq liqiang"])
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        found = Partner.retail_pos_find_member("158 0000 0012", self.config.id)
        self.assertEqual([member["id"] for member in found["members"]], members[1].ids)

    def test_demo_chain_hook_gives_members_cards_tiers_and_points(self):
        partners = self.env["res.partner"].create([{"name": f"Demo shopper {index}"} for index in range(3)])
        chain = {
            "scale": "demo", "seed": 7, "rng": np.random.default_rng(7), "company": self.company,
            "stores": self.store_a | self.store_b, "members": partners, "summary": {},
        }
        self.env["retail.chain.generator"]._retail_generate_extra(chain)
        self.assertTrue(all(partners.mapped("retail_is_member")))
        self.assertEqual(len(set(partners.mapped("retail_card_barcode"))), 3)
        self.assertEqual(set(partners.retail_home_store_id.ids), {self.store_a.id, self.store_b.id})
        self.assertTrue(all(points >= 20 for points in partners.mapped("retail_points_balance")))
        self.assertTrue(all(partners.mapped("retail_tier_id")))
        self.assertEqual(chain["summary"]["retail_members"], 3)
        today = fields.Date.today()
        for join_date in partners.mapped("retail_join_date"):
            self.assertTrue(today - timedelta(days=730) <= join_date <= today)
        self.assertEqual(len(partners.retail_loyalty_card_id), 3)
        self.assertEqual(partners.retail_loyalty_card_id.mapped("points"), partners.mapped("retail_points_balance"))
        self.assertEqual(partners.retail_tier_history_ids.mapped("reason"), ["enrol"] * 3)
        self.assertFalse(self.env["retail.member.tier.history"].search(
            [("partner_id", "in", partners.ids), ("notified", "=", False), ("reason", "!=", "enrol")]))


@tagged("post_install", "-at_install")
class TestAnalyticsPart(RetailAnalyticsCase):
    def test_generator_hook_scans_and_builds_the_last_day(self):
        # milk costs 3: sold at 2.7 in store A (10 % below, the rule fires), at 2.71 in store B (it does not)
        self.sell(self.session_a, self.manager_a, self.at(self.day, 9), [(self.milk, 1, 2.7, 0)])
        self.sell(self.session_b, self.manager_b, self.at(self.day, 9), [(self.milk, 1, 2.71, 0)])
        self.env["retail.anomaly.rule"].search([]).active = False
        self.env["retail.anomaly.rule"].create({"name": "Below cost", "rule_type": "price_below_cost",
                                                "threshold": 0.1})
        chain = {"end_date": self.day, "stores": self.store_a | self.store_b, "summary": {}}
        self.env["retail.chain.generator"]._retail_generate_extra(chain)
        self.assertEqual(chain["summary"]["review_items"], 1)
        self.assertEqual(chain["summary"]["close_packs"], 3)
        item = self.env["retail.review.item"].search([("date", "=", self.day)])
        self.assertEqual(item.retail_store_id, self.store_a)
        packs = self.env["retail.close.pack"].search([("date", "=", self.day)])
        self.assertEqual(len(packs), 3)
