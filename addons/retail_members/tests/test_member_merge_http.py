from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestMemberMergeHttp(RetailHttpCase, RetailMembersCase):
    """The member merge wizard over real HTTP: who may merge which members, with what they send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.twin_a = env["res.partner"].create({
            "name": "张伟 (old card)", "retail_is_member": True, "retail_home_store_id": cls.store_a.id,
        })
        cls.other_company = env["res.company"].create({"name": "Other Retail Co"})
        cls.far_member = env["res.partner"].create({
            "name": "Far Member", "retail_is_member": True, "company_id": cls.other_company.id,
            "retail_home_store_id": cls.store_a.id,
        })
        cls.hq_user.company_ids |= cls.other_company
        cls.contact = env["res.partner"].create({"name": "Walk-in"})

    def setUp(self):
        super().setUp()
        self.post_moves(self.member, "adjust", 100)
        self.post_moves(self.twin_a, "adjust", 40)
        self.post_moves(self.member_b, "adjust", 25)

    def merge(self, login, partners, keep, context=None):
        wizard_id = self.rpc(login, "retail.member.merge.wizard", "create",
                             {"partner_ids": [(6, 0, partners.ids)], "keep_partner_id": keep.id}, context=context)
        return self.rpc(login, "retail.member.merge.wizard", "action_merge", [wizard_id], context=context)

    def assertMergeDenied(self, error, login, partners, keep, message, context=None):
        wizard_id = self.rpc(login, "retail.member.merge.wizard", "create",
                             {"partner_ids": [(6, 0, partners.ids)], "keep_partner_id": keep.id}, context=context)
        denied = self.assertRpcDenied(error, login, "retail.member.merge.wizard", "action_merge", [wizard_id],
                                      context=context)
        self.assertIn(message, denied.message)
        return denied

    def assertNothingMerged(self):
        self.env.invalidate_all()
        for partner, balance in ((self.member, 100), (self.twin_a, 40), (self.member_b, 25)):
            self.assertTrue(partner.active and partner.retail_is_member, partner.name)
            self.assertEqual(partner.retail_points_balance, balance, partner.name)
            self.assertEqual(partner.retail_points_move_ids.partner_id, partner, partner.name)
            self.assertTrue(partner.retail_loyalty_card_id.active, partner.name)
        self.assertTrue(self.far_member.active and self.far_member.retail_is_member)

    def test_manager_merges_two_members_of_their_store(self):
        action = self.merge("retail_manager_a", self.member | self.twin_a, self.member)
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.member.id))
        self.env.invalidate_all()
        self.assertEqual(self.member.retail_points_balance, 140)
        self.assertFalse(self.twin_a.active)
        self.assertFalse(self.twin_a.retail_is_member)
        self.assertFalse(self.twin_a.with_context(active_test=False).retail_points_move_ids)
        self.assertEqual(len(self.member.retail_points_move_ids), 2)
        # the manager reads the merged member as before, the store wall unchanged
        rows = self.rpc("retail_manager_a", "res.partner", "read", self.member.ids, ["retail_points_balance"])
        self.assertEqual(rows[0]["retail_points_balance"], 140)

    def test_cashier_cannot_merge(self):
        # the wizard is for managers: the cashier cannot even open it, nor reach the merge itself
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.member.merge.wizard", "create",
                             {"partner_ids": [(6, 0, (self.member | self.twin_a).ids)],
                              "keep_partner_id": self.member.id})
        self.assertRpcDenied("AccessError", "retail_cashier_a", "res.partner", "_retail_merge",
                             self.member.ids, self.twin_a.ids)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "base.partner.merge.automatic.wizard",
                             "_retail_merge_members", self.twin_a.ids, self.member.id)
        self.assertNothingMerged()

    def test_manager_cannot_merge_a_member_of_another_store(self):
        # core refuses a member the manager cannot read in the selection, sent or from the list
        for vals, context in (
            ({"partner_ids": [(6, 0, (self.member | self.member_b).ids)], "keep_partner_id": self.member.id}, None),
            ({}, {"active_model": "res.partner", "active_ids": (self.member | self.member_b).ids,
                  "active_test": False, "retail_points_ledger": True}),
        ):
            denied = self.assertRpcDenied("AccessError", "retail_manager_a", "retail.member.merge.wizard", "create",
                                          vals, context=context)
            self.assertNotIn("Li Na", denied.message)
        # the member to keep behind the wall: the merge refuses it, without naming them
        denied = self.assertMergeDenied("AccessError", "retail_manager_a", self.member | self.twin_a, self.member_b,
                                        "You can merge only the members of your stores")
        self.assertNotIn("Li Na", denied.message)
        self.assertNothingMerged()

    def test_members_of_different_companies_are_not_merged(self):
        context = {"allowed_company_ids": [self.company.id, self.other_company.id]}
        self.assertMergeDenied("UserError", "retail_hq", self.member | self.far_member, self.member,
                               "Only members of the same company can be merged", context=context)
        self.assertNothingMerged()

    def test_only_members_are_merged_and_the_kept_one_is_selected(self):
        self.assertMergeDenied("UserError", "retail_manager_a", self.member | self.contact, self.member,
                               "Only members can be merged here")
        self.assertMergeDenied("UserError", "retail_manager_a", self.member, self.member,
                               "Select at least two members to merge")
        self.assertMergeDenied("UserError", "retail_manager_a", self.member | self.twin_a, self.contact,
                               "Choose which of the selected members to keep")
        self.assertNothingMerged()
        self.assertTrue(self.contact.active)

    def test_headquarters_merges_members_of_two_stores(self):
        self.merge("retail_hq", self.member | self.member_b, self.member_b)
        self.env.invalidate_all()
        self.assertEqual(self.member_b.retail_points_balance, 125)
        self.assertFalse(self.member.active)
        self.assertEqual(self.member.retail_mobile, False)
        # the kept member's mobile is its own; the merged-away one's is free for a new member
        self.assertEqual(self.member_b.retail_mobile, "13900001111")
        newcomer = self.env["res.partner"].create(
            {"name": "New", "retail_is_member": True, "retail_mobile": "13812345678"})
        self.assertTrue(newcomer.retail_member_number)
