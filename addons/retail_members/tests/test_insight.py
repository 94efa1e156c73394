from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestInsight(RetailMembersCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        cls.now = now
        for member, days_ago in ((cls.member, (100, 90, 80)), (cls.member_b, (3, 1))):
            for days in days_ago:
                order = cls.sync_order(member, price=50.0)
                cls.env.cr.execute(
                    "UPDATE pos_order SET date_order = %s WHERE id = %s", [now - timedelta(days=days), order.id])
        cls.env.cr.execute("UPDATE res_partner SET retail_join_date = %s WHERE id = %s",
                           [(now - timedelta(days=100)).date().replace(day=1), cls.member.id])
        cls.env.invalidate_all()

    def test_segments_and_at_risk_members(self):
        count = self.env["res.partner"]._cron_retail_member_insight(now=self.now)
        self.assertGreaterEqual(count, 2)
        self.assertTrue(self.member.retail_at_risk, "80 days away, usually every 10 days")
        self.assertFalse(self.member_b.retail_at_risk)
        self.assertEqual(self.member.retail_visit_count, 3)
        self.assertAlmostEqual(self.member.retail_usual_interval, 10.0)
        self.assertTrue(self.member.retail_rfm_segment)
        self.assertTrue(self.member_b.retail_rfm_segment)

    def test_cohort_retention_by_join_month(self):
        rows = self.env["retail.member.cohort.report"].search([
            ("cohort", "=", self.member.retail_join_date)])
        self.assertTrue(rows)
        self.assertEqual(sum(rows.mapped("active_members")), len(rows), "one member in the cohort")
        self.assertEqual(set(rows.mapped("retention")), {100.0})
        self.assertEqual(rows.mapped("cohort_size"), [1] * len(rows))

    def test_manager_reads_value_per_tier(self):
        groups = self.env["res.partner"].with_user(self.manager_a)._read_group(
            [("retail_is_member", "=", True)], ["retail_tier_id"], ["retail_lifetime_spend:sum"])
        self.assertEqual(sum(value for _tier, value in groups), 150.0, "only store A's member")

    def test_points_per_tier_read_from_the_cards(self):
        self.post_moves(self.member, "adjust", 70)
        self.post_moves(self.member_b, "adjust", 30)
        groups = dict(self.env["res.partner"].with_user(self.hq_user)._read_group(
            [("id", "in", (self.member | self.member_b).ids)], ["retail_tier_id"], ["retail_points_balance:sum"]))
        # 150 and 100 earned on the orders of the fixture, plus the adjustments
        self.assertEqual(groups, {self.tier_regular: 350.0})
