import datetime

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import RetailMembersAnalyticsCase


@tagged("post_install", "-at_install")
class TestDashboardMembers(RetailMembersAnalyticsCase, HttpCase):
    """The members' share of the sales on the dashboard: store A 17.00 of 34.00 on the day;
    a week earlier 5.00 of 20.00; store B 10.00 of 40.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        week_before = cls.day - datetime.timedelta(days=7)
        cls.sell_to(cls.member_old, cls.session_a, cls.cashier_a, cls.at(week_before), [(cls.milk, 1, 5.0, 0)])
        cls.sell_to(None, cls.session_a, cls.cashier_a, cls.at(week_before), [(cls.milk, 3, 5.0, 0)])

    def kpis(self, user, **kwargs):
        return self.env["retail.dashboard"].with_user(user).get_kpis(date_to=self.day, days=7, **kwargs)["periods"]

    def test_manager_sees_the_member_share_of_the_store_against_last_week(self):
        periods = self.kpis(self.manager_a)
        current, last_week = periods["current"], periods["last_week"]
        # the day before counts in the period: 20.00 of members only
        self.assertAlmostEqual(current["sales"], 54.0)
        self.assertAlmostEqual(current["member_sales"], 37.0)
        self.assertEqual(current["member_series"], [
            {"offset": 5, "day": "2026-03-09", "member_sales": 20.0, "member_share": 100.0},
            {"offset": 6, "day": "2026-03-10", "member_sales": 17.0, "member_share": 50.0},
        ])
        self.assertAlmostEqual(current["member_share"], 100.0 * (17.0 + 20.0) / (34.0 + 20.0))
        self.assertAlmostEqual(last_week["member_share"], 25.0)
        self.assertEqual(periods["last_year"]["member_share"], 0.0)
        self.assertEqual(periods["last_year"]["member_series"], [])

    def test_hq_sees_the_chain_and_each_store(self):
        current = self.kpis(self.hq_user)["current"]
        self.assertAlmostEqual(current["member_sales"], 17.0 + 20.0 + 10.0)
        self.assertAlmostEqual(current["member_share"], 100.0 * 47.0 / 94.0)
        store_b = self.kpis(self.hq_user, store_id=self.store_b.id)["current"]
        self.assertAlmostEqual(store_b["member_share"], 25.0)

    def test_close_packs_feed_the_member_share_with_the_same_figures(self):
        live = self.kpis(self.hq_user)
        Pack = self.env["retail.close.pack"]
        Pack._build_packs(self.day, stores=self.store_a)
        partly = self.kpis(self.hq_user)
        Pack._build_packs(self.day)
        Pack._build_packs(self.day - datetime.timedelta(days=1))
        Pack._build_packs(self.day - datetime.timedelta(days=7))
        packed = self.kpis(self.hq_user)
        for period in ("current", "last_week", "last_year"):
            for kpi in ("member_sales", "member_share", "member_series"):
                self.assertEqual(partly[period][kpi], live[period][kpi], f"{period} {kpi}")
                self.assertEqual(packed[period][kpi], live[period][kpi], f"{period} {kpi}")
        # a member order synced after the pack shows once the pack is rebuilt
        self.sell_to(self.member_b, self.session_b, self.manager_b, self.at(self.day, 20), [(self.cheese, 1, 10.0, 0)])
        self.assertAlmostEqual(self.kpis(self.hq_user)["current"]["member_sales"], 47.0)
        Pack._build_packs(self.day)
        self.assertAlmostEqual(self.kpis(self.hq_user)["current"]["member_sales"], 57.0)

    def test_the_analytics_figures_are_unchanged(self):
        current = self.kpis(self.manager_a)["current"]
        self.assertEqual(current["series"], [
            {"offset": 5, "day": "2026-03-09", "sales": 20.0, "margin": 8.0},
            {"offset": 6, "day": "2026-03-10", "sales": 34.0, "margin": 16.0},
        ])

    def test_tour_dashboard_shows_the_member_share(self):
        yesterday = fields.Date.context_today(self.env["res.users"]) - datetime.timedelta(days=1)
        self.sell_to(self.member_old, self.session_a, self.cashier_a, self.at(yesterday), [(self.milk, 4, 1.0, 0)])
        self.sell_to(None, self.session_a, self.cashier_a, self.at(yesterday), [(self.milk, 6, 1.0, 0)])
        self.start_tour("/odoo", "retail_members_analytics_dashboard_tour", login="retail_manager_a")
