from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestPrivacy(RetailMembersCase):

    def test_cashier_sees_masked_mobile_only(self):
        member = self.member.with_user(self.cashier_a)
        self.assertEqual(member.retail_mobile_masked, "138****5678")
        with self.assertRaises(AccessError):
            member.read(["retail_mobile"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.cashier_a).search([("retail_mobile", "=", "13812345678")])

    def test_store_manager_sees_own_store_members_only(self):
        Partner = self.env["res.partner"].with_user(self.manager_a)
        visible = Partner.search([("retail_is_member", "=", True)])
        self.assertIn(self.member, visible)
        self.assertNotIn(self.member_b, visible)
        self.assertEqual(Partner.browse(self.member.id).retail_mobile, "13812345678")
        with self.assertRaises(AccessError):
            Partner.browse(self.member_b.id).read(["name"])
        # contacts that are not members are untouched by the rule
        self.assertEqual(Partner.browse(self.company.partner_id.id).name, self.company.partner_id.name)

    def test_headquarters_sees_every_member(self):
        visible = self.env["res.partner"].with_user(self.hq_user).search([("retail_is_member", "=", True)])
        self.assertIn(self.member, visible)
        self.assertIn(self.member_b, visible)

    def test_ledger_scoped_by_store_for_managers(self):
        self.post_moves(self.member, "adjust", 10)
        self.post_moves(self.member_b, "adjust", 20)
        Move = self.env["retail.points.move"]
        self.assertEqual(Move.with_user(self.manager_a).search([]).partner_id, self.member)
        self.assertEqual(Move.with_user(self.manager_b).search([]).partner_id, self.member_b)
        self.assertEqual(len(Move.with_user(self.hq_user).search([]).partner_id), 2)

    def test_pos_user_still_loads_partners_and_sells_to_members(self):
        pos_user = new_test_user(self.env, "retail_plain_pos", groups="base.group_user,point_of_sale.group_pos_user")
        data = self.env["res.partner"].with_user(pos_user).search_read(
            [("id", "in", (self.member | self.member_b).ids)],
            self.env["res.partner"]._load_pos_data_fields(self.config))
        self.assertEqual(len(data), 2)
        self.assertEqual({row["retail_mobile_masked"] for row in data}, {"138****5678", "139****1111"})
        self.assertNotIn("retail_mobile", data[0])
        found = self.env["res.partner"].with_user(pos_user).retail_pos_find_member("13900001111", self.config.id)
        self.assertEqual(found["members"][0]["id"], self.member_b.id)
        order = self.sync_order(self.member_b, price=30.0)
        self.assertEqual(self.member_b.retail_points_balance, 30)
        self.assertEqual(order.with_user(pos_user).partner_id.name, "Li Na")

    def test_tier_configuration_is_for_headquarters(self):
        with self.assertRaises(AccessError):
            self.tier_gold.with_user(self.manager_a).write({"threshold": 1})
        self.tier_gold.with_user(self.hq_user).write({"threshold": 9000})
        self.assertEqual(self.tier_gold.threshold, 9000)
