from datetime import date, datetime

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.res_partner import CARD_BARCODE_PREFIX
from ..tools import phone
from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestMemberBatch(RetailMembersCase):
    """Enrolment and merge through the ORM: what they write, and what a batch costs."""

    def queries(self, action):
        """Queries of ``action()`` from cold caches, its flush and precommit (tracking) included."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()
        # an environment reads its user's time zone once, whenever the garbage collector made it anew
        self.env.user.mapped("tz")
        before = self.env.cr.sql_log_count
        action()
        self.env.flush_all()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - before

    def mobiles(self, start, size):
        return [f"1370{start + index:07d}" for index in range(size)]

    # ------------------------------------------------------------------ enrolment

    def test_enrolment_at_creation_costs_the_same_queries_for_10_or_100_members(self):
        Partner = self.env["res.partner"]

        def enrol(start, size):
            return self.queries(lambda: Partner.create([
                {"name": f"Batch {mobile}", "retail_is_member": True, "retail_mobile": mobile,
                 "retail_home_store_id": self.store_a.id}
                for mobile in self.mobiles(start, size)]))

        enrol(0, 2)  # warm the caches
        self.assertEqual(enrol(100, 10), enrol(1000, 100))
        members = Partner.search([("retail_mobile", "in", self.mobiles(1000, 100))])
        self.assertEqual(len(members), 100)
        self.assertEqual(len(set(members.mapped("retail_member_number"))), 100)
        self.assertEqual(members.mapped("barcode"), members.mapped("retail_card_barcode"))
        self.assertEqual(members.retail_loyalty_card_id.mapped("code"), members.mapped("retail_card_barcode"))
        self.assertEqual(members.retail_loyalty_card_id.partner_id, members)
        self.assertEqual(set(members.retail_loyalty_card_id.mapped("points")), {0})
        self.assertEqual(members.retail_tier_id, self.tier_regular)
        self.assertEqual(members.retail_tier_history_ids.mapped("reason"), ["enrol"] * 100)
        self.assertEqual(set(members.mapped("retail_join_date")), {fields.Date.context_today(members)})

    def test_contacts_becoming_members_cost_the_same_queries_for_10_or_100(self):
        Partner = self.env["res.partner"]

        def enrol(start, size):
            contacts = Partner.create([{"name": f"Contact {mobile}", "phone": f"+86 {mobile}"}
                                       for mobile in self.mobiles(start, size)])
            return self.queries(lambda: contacts.write({"retail_is_member": True}))

        enrol(0, 2)
        self.assertEqual(enrol(100, 10), enrol(1000, 100))
        members = Partner.search([("retail_mobile", "in", self.mobiles(1000, 100))])
        self.assertEqual(len(members), 100)
        self.assertEqual(members.mapped("phone"), [False] * 100)
        self.assertEqual(members.mapped("phone_sanitized"), [False] * 100)
        self.assertTrue(all(members.mapped("retail_loyalty_card_id")))

    def test_enrolment_with_a_history_costs_the_same_queries_for_10_or_100(self):
        Partner = self.env["res.partner"]
        joined = date(2024, 3, 1)

        def enrol(start, size):
            partners = Partner.create([{"name": f"Shopper {start + index}"} for index in range(size)])
            return self.queries(lambda: partners._retail_enrol(
                join_dates={partner.id: joined for partner in partners},
                home_stores={partner.id: self.store_b.id for partner in partners},
                lifetime_spend={partner.id: 10.0 * index for index, partner in enumerate(partners)}))

        enrol(0, 2)
        self.assertEqual(enrol(100, 10), enrol(1000, 100))
        members = Partner.search([("name", "=like", "Shopper 1___")], order="id")
        self.assertEqual(len(members), 100)
        self.assertEqual(set(members.mapped("retail_join_date")), {joined})
        self.assertEqual(members.retail_home_store_id, self.store_b)
        self.assertEqual(members.mapped("retail_lifetime_spend"), [10.0 * index for index in range(100)])
        self.assertEqual(set(members.retail_tier_history_ids.mapped("date")), {datetime(2024, 3, 1)})

    def test_enrolment_twice_gives_one_card_one_number_one_history(self):
        member = self.member
        number, card = member.retail_member_number, member.retail_loyalty_card_id
        member._retail_enrol()
        self.assertEqual((member.retail_member_number, member.retail_loyalty_card_id), (number, card))
        self.assertEqual(len(member.retail_tier_history_ids), 1)
        self.assertEqual(self.env["loyalty.card"].search_count([("partner_id", "=", member.id)]), 1)

    def test_enrolment_keeps_the_phone_out_of_the_chatter(self):
        contact = self.env["res.partner"].create({"name": "Qian Li", "phone": "137 0000 0020"})
        contact.retail_is_member = True
        self.env.flush_all()
        self.env.cr.precommit.run()
        trackings = self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id.model", "=", "res.partner"), ("mail_message_id.res_id", "=", contact.id)])
        self.assertFalse(trackings)
        self.assertEqual((contact.retail_mobile, contact.phone), ("13700000020", False))

    def test_enrolment_refuses_a_card_barcode_another_contact_has(self):
        sequence = self.env["ir.sequence"].search([("code", "=", "retail.member")], order="company_id", limit=1)
        upcoming = phone.card_barcode(CARD_BARCODE_PREFIX, sequence.number_next_actual)
        holder = self.env["res.partner"].create({"name": "Holder", "barcode": upcoming})
        count = self.env["res.partner"].search_count([])
        cards = self.env["loyalty.card"].search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.env["res.partner"].create({"name": "Next Member", "retail_is_member": True})
        self.assertEqual(str(caught.exception), "Another partner already has this barcode")
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertEqual(self.env["loyalty.card"].search_count([]), cards)
        self.assertEqual(holder.barcode, upcoming)

    def test_card_barcode_is_written_for_the_member_company(self):
        other = self.env["res.company"].create({"name": "Second Retail Co"})
        member = self.env["res.partner"].create(
            {"name": "Far Shopper", "retail_is_member": True, "company_id": other.id})
        self.assertEqual(member.with_company(other).barcode, member.retail_card_barcode)
        self.assertEqual(member.retail_loyalty_card_id.company_id, other)

    # ------------------------------------------------------------------ merge

    def merge(self, keep, *others, user=None, companies=None):
        Wizard = self.env["retail.member.merge.wizard"].with_user(user or self.manager_a)
        if companies:
            Wizard = Wizard.with_context(allowed_company_ids=companies.ids)
        wizard = Wizard.create({
            "partner_ids": [(6, 0, (keep | self.env["res.partner"].concat(*others)).ids)],
            "keep_partner_id": keep.id,
        })
        return wizard.action_merge()

    def test_merge_moves_orders_ledger_lots_history_and_cards_onto_the_kept_member(self):
        Partner = self.env["res.partner"]
        twins = Partner.create([
            {"name": f"张伟 card {index}", "retail_is_member": True, "retail_home_store_id": self.store_a.id}
            for index in range(3)])
        keep = self.member
        orders = self.sync_order(keep, qty=12) | self.sync_order(twins[0], qty=5) | self.sync_order(twins[1], qty=4)
        self.post_moves(twins[2], "adjust", 40)
        moves = (keep | twins).retail_points_move_ids
        lots = self.env["retail.points.lot"].search([("partner_id", "in", (keep | twins).ids)])
        history = (keep | twins).retail_tier_history_ids
        twin_cards = twins.retail_loyalty_card_id
        self.assertEqual(len(twin_cards), 3)
        self.assertEqual(keep.retail_points_balance, 1200)
        self.assertEqual(twins.mapped("retail_points_balance"), [500, 400, 40])
        spend = keep.retail_lifetime_spend + sum(twins.mapped("retail_lifetime_spend"))
        self.merge(keep, *twins)
        self.assertEqual(orders.partner_id, keep)
        self.assertEqual(moves.partner_id, keep)
        self.assertEqual(moves.card_id, keep.retail_loyalty_card_id)
        self.assertEqual(lots.exists().partner_id, keep)
        self.assertEqual(sum(lots.exists().mapped("remaining")), 2140)
        self.assertEqual(history.partner_id, keep)
        self.assertEqual(keep.retail_points_balance, 2140)
        self.assertEqual(keep.retail_loyalty_card_id.points, 2140)
        self.assertTrue(keep.retail_loyalty_card_id.active)
        # the merged-away cards: archived on the kept member, their points now on its card
        self.assertEqual(twin_cards.with_context(active_test=False).mapped("active"), [False] * 3)
        self.assertEqual(twin_cards.partner_id, keep)
        self.assertEqual(twin_cards.mapped("points"), [0, 0, 0])
        self.assertEqual(twins.mapped("active"), [False] * 3)
        self.assertEqual(twins.mapped("retail_is_member"), [False] * 3)
        self.assertEqual(twins.mapped("retail_points_balance"), [0, 0, 0])
        self.assertFalse(twins.retail_loyalty_card_id)
        self.assertEqual(twins.mapped("retail_lifetime_spend"), [0, 0, 0])
        self.assertAlmostEqual(keep.retail_lifetime_spend, spend)
        self.assertEqual(twins.mapped("commercial_partner_id"), twins)
        # 2,100 over the window: the kept member rises to silver
        self.assertEqual(keep.retail_tier_id, self.tier_silver)
        self.assertEqual(keep.retail_tier_history_ids[0].reason, "upgrade")
        self.assertIn(twins[0].retail_member_number, keep.message_ids[0].body)
        self.assertEqual(keep.retail_pos_order_count, 3)
        self.assertEqual(keep.retail_points_move_count, len(moves))

    def test_merge_keeps_the_balance_of_the_ledger(self):
        twin = self.env["res.partner"].create({"name": "Twin", "retail_is_member": True,
                                               "retail_home_store_id": self.store_a.id})
        self.post_moves(self.member, "adjust", 70)
        self.post_moves(twin, "adjust", 30)
        # a card that drifted from its ledger is set back to the ledger's balance
        twin.retail_loyalty_card_id.sudo().points = 999
        self.merge(self.member, twin)
        self.assertEqual(self.member.retail_points_balance, 100)

    def test_merge_of_members_of_different_companies_is_refused(self):
        other = self.env["res.company"].create({"name": "Second Retail Co"})
        far = self.env["res.partner"].create({"name": "Far", "retail_is_member": True, "company_id": other.id})
        self.hq_user.company_ids |= other
        with self.assertRaisesRegex(UserError, "Only members of the same company can be merged"):
            self.merge(self.member, far, user=self.hq_user, companies=self.company | other)
        self.assertTrue(far.retail_is_member)
        self.assertTrue(far.active)

    def test_merge_of_a_member_with_its_parent_is_refused(self):
        child = self.env["res.partner"].create({
            "name": "Child", "retail_is_member": True, "parent_id": self.member.id,
            "retail_home_store_id": self.store_a.id})
        with self.assertRaisesRegex(UserError, "You cannot merge a contact with one of his parent"):
            self.merge(self.member, child)
        self.assertTrue(child.retail_is_member)
        self.assertEqual(child.parent_id, self.member)
