from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestTiers(RetailMembersCase):

    def new_member(self, name):
        return self.env["res.partner"].create({"name": name, "retail_is_member": True,
                                               "retail_home_store_id": self.store_a.id})

    def test_upgrade_at_once_on_the_qualifying_purchase_cent_boundaries(self):
        below, at, above = self.new_member("Below"), self.new_member("At"), self.new_member("Above")
        self.sync_order(below, price=1999.99)
        self.sync_order(at, price=2000.00)
        self.sync_order(above, price=2000.01)
        self.assertEqual(below.retail_tier_id, self.tier_regular)
        self.assertEqual(at.retail_tier_id, self.tier_silver)
        self.assertEqual(above.retail_tier_id, self.tier_silver)
        self.assertEqual(at.specific_property_product_pricelist, self.tier_silver.pricelist_id)
        change = at.retail_tier_history_ids.filtered(lambda h: h.reason == "upgrade")
        self.assertEqual((change.old_tier_id, change.new_tier_id), (self.tier_regular, self.tier_silver))
        self.assertAlmostEqual(change.rolling_spend, 2000.0)
        self.assertAlmostEqual(at.retail_rolling_spend, 2000.0)
        self.assertAlmostEqual(at.retail_lifetime_spend, 2000.0)

    def test_points_earned_with_tier_before_upgrade_then_multiplier_after(self):
        member = self.new_member("Climber")
        first = self.sync_order(member, price=2000.0)
        self.assertEqual(first.retail_points_earned, 2000, "earned at the tier held when buying")
        second = self.sync_order(member, price=100.0, pricelist=self.tier_silver.pricelist_id)
        self.assertEqual(second.retail_points_earned, 120)

    def test_downgrade_only_after_grace(self):
        member = self.new_member("Faller")
        self.sync_order(member, price=8000.0)
        self.assertEqual(member.retail_tier_id, self.tier_gold)
        Tier = self.env["retail.member.tier"]
        # a year and a day later, the spend is out of the window: the clock starts, the tier stays
        later = fields.Date.today() + timedelta(days=366)
        Tier._retail_evaluate(company=self.company, today=later)
        self.assertEqual(member.retail_tier_id, self.tier_gold)
        self.assertEqual(member.retail_tier_below_since, later)
        Tier._retail_evaluate(company=self.company, today=later + timedelta(days=29))
        self.assertEqual(member.retail_tier_id, self.tier_gold, "still within the 30 days of grace")
        Tier._retail_evaluate(company=self.company, today=later + timedelta(days=30))
        self.assertEqual(member.retail_tier_id, self.tier_regular)
        self.assertFalse(member.retail_tier_below_since)
        change = member.retail_tier_history_ids.filtered(lambda h: h.reason == "downgrade")
        self.assertEqual((change.old_tier_id, change.new_tier_id), (self.tier_gold, self.tier_regular))

    def test_member_is_told_of_changes(self):
        member = self.new_member("Told")
        member.email = "told@example.com"
        self.sync_order(member, price=8000.0)
        sent = self.env["retail.member.tier.history"]._retail_notify_pending()
        self.assertGreaterEqual(sent, 1)
        self.assertIn("T Gold", member.message_ids[0].body)
        mail = self.env["mail.mail"].search([("subject", "ilike", "T Gold"), ("recipient_ids", "in", member.ids)])
        self.assertTrue(mail, "an e-mail is queued for the member")
        self.assertFalse(member.retail_tier_history_ids.filtered(lambda h: h.reason == "upgrade" and not h.notified))

    def test_points_basis_tier(self):
        self.tier_silver.write({"basis": "points", "threshold": 500})
        member = self.new_member("Pointy")
        self.post_moves(member, "adjust", 600)
        self.env["retail.member.tier"]._retail_evaluate(company=self.company, partner_ids=member.ids)
        self.assertEqual(member.retail_tier_id, self.tier_regular, "adjustments do not count, only earnings")
        self.sync_order(member, price=500.0)
        self.assertEqual(member.retail_tier_id, self.tier_silver)

    def test_tier_discount_creates_pricelist_and_server_rechecks_it(self):
        pricelist = self.tier_gold.pricelist_id
        self.assertEqual(pricelist.item_ids.percent_price, 5)
        member = self.new_member("Cheater")
        orders = self.env["pos.order"].search_count([])
        with self.assertRaisesRegex(UserError, "uses the member pricelist .* which Cheater is not entitled to"):
            self.sync_order(member, price=95.0, pricelist=pricelist)
        self.assertEqual(self.env["pos.order"].search_count([]), orders)
        self.tier_gold.discount = 6
        self.assertEqual(pricelist.item_ids.percent_price, 6)

    def test_member_price_lists_follow_the_tiers_at_once(self):
        """The tiers' price lists are kept between orders: a tier given a price list, archived or
        brought back is enforced from the next order on."""
        self.assertIn(self.tier_gold.pricelist_id, self.env["pos.order"]._retail_tier_pricelists())
        pricelist = self.env["product.pricelist"].create(
            {"name": "Staff prices", "currency_id": self.company.currency_id.id})
        self.config.available_pricelist_ids |= pricelist
        self.sync_order(self.new_member("Before"), pricelist=pricelist)  # no tier's yet: anybody's
        self.tier_silver.pricelist_id = pricelist
        with self.assertRaisesRegex(UserError, "uses the member pricelist Staff prices"):
            self.sync_order(self.new_member("After"), pricelist=pricelist)
        self.tier_silver.active = False
        self.sync_order(self.new_member("Archived"), pricelist=pricelist)
        self.tier_silver.active = True
        with self.assertRaisesRegex(UserError, "uses the member pricelist Staff prices"):
            self.sync_order(self.new_member("Back"), pricelist=pricelist)
        self.tier_silver.unlink()
        self.sync_order(self.new_member("Gone"), pricelist=pricelist)

    def test_an_order_without_points_costs_the_member_checks_one_query_before_and_none_after(self):
        member = self.new_member("Counted")
        self.sync_order(member)  # warm the registry caches
        data = {"uuid": "counted-order", "partner_id": member.id, "session_id": self.pos_session.id,
                "pricelist_id": self.pricelist.id, "state": "paid", "lines": []}
        before = self.env.cr.sql_log_count
        self.env["pos.order"]._retail_check_orders_data([data])
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        order = self.sync_order(member)
        self.env.invalidate_all()
        order.lines.mapped("product_id")
        order.fetch(["partner_id", "retail_points_redeemed", "pricelist_id", "refunded_order_id", "amount_total",
                     "pos_reference", "name", "company_id"])
        order.partner_id.fetch(["retail_is_member", "retail_tier_id"])
        before = self.env.cr.sql_log_count
        order._retail_check_member_order()
        self.assertEqual(self.env.cr.sql_log_count - before, 0, "no ledger query when nothing is redeemed")

    def test_evaluation_rewrites_only_members_whose_tier_or_clock_changes(self):
        steady, climber = self.new_member("Steady"), self.new_member("Climber")
        self.sync_order(steady, price=100.0)
        self.sync_order(climber, price=1900.0)
        Tier = self.env["retail.member.tier"]
        Tier._retail_evaluate(company=self.company)

        def row_versions():
            self.env.cr.execute("SELECT id, ctid FROM res_partner WHERE id IN %s", [(steady.id, climber.id)])
            return dict(self.env.cr.fetchall())

        before = row_versions()
        self.env.cr.execute("UPDATE pos_order SET amount_total = 2000 WHERE partner_id = %s", [climber.id])
        self.assertEqual(Tier._retail_evaluate(company=self.company), 1)
        after = row_versions()
        self.assertEqual(after[steady.id], before[steady.id], "nothing changed for this member: row untouched")
        self.assertNotEqual(after[climber.id], before[climber.id])
        self.assertEqual(climber.retail_tier_id, self.tier_silver)
        self.assertEqual(steady.retail_rolling_spend, 100.0, "spend is read from the orders, not stored")


@tagged("post_install", "-at_install")
class TestTierBenefitsAtTheTills(RetailMembersCase):

    def test_offer_on_all_tills_adds_tier_price_lists_in_the_company_currency(self):
        other_currency = self.env["res.currency"].search([("id", "!=", self.company.currency_id.id)], limit=1)
        self.tier_gold.pricelist_id.currency_id = other_currency
        store_till = self.config
        store_till.warehouse_id.retail_store_type = "store"
        self.tier_gold.with_user(self.hq_user).action_retail_offer_on_tills()
        tier_lists = (self.tier_regular | self.tier_silver | self.tier_gold | self.tier_diamond).pricelist_id
        self.assertTrue(tier_lists)
        self.assertLessEqual(tier_lists, store_till.available_pricelist_ids)
        self.assertTrue(store_till.use_pricelist)
        self.assertIn(store_till.pricelist_id, store_till.available_pricelist_ids)
        self.assertEqual(self.tier_gold.pricelist_id.currency_id, self.company.currency_id)

    def test_only_hq_or_pos_administrators_change_the_tills(self):
        with self.assertRaises(AccessError):
            self.tier_gold.with_user(self.manager_a).action_retail_offer_on_tills()

    def test_value_per_tier_pivot_sums_lifetime_spend(self):
        member = self.env["res.partner"].create({"name": "Pivot", "retail_is_member": True,
                                                 "retail_home_store_id": self.store_a.id})
        self.sync_order(member, price=2000.0)
        groups = self.env["res.partner"].with_user(self.hq_user).formatted_read_group(
            [("retail_is_member", "=", True), ("id", "=", member.id)], ["retail_tier_id"],
            ["retail_lifetime_spend:sum", "retail_points_balance:sum"],
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["retail_lifetime_spend:sum"], 2000.0)
