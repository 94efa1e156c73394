import datetime

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RetailAnalyticsCase


@tagged("post_install", "-at_install")
class TestDashboard(RetailAnalyticsCase, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day), [(cls.milk, 2, 5.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day - datetime.timedelta(days=7)), [(cls.milk, 1, 5.0, 0)])
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day - datetime.timedelta(days=364)), [(cls.milk, 4, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(cls.day), [(cls.bread, 10, 4.0, 0)])
        cls.env["stock.quant"]._update_available_quantity(cls.milk, cls.store_a.lot_stock_id, 8)
        cls.rule = cls.env["retail.anomaly.rule"].create(
            {"name": "Tour spike", "rule_type": "sales_spike", "threshold": 10})
        cls.env["retail.review.item"]._create_from_hits([{
            "rule_id": cls.rule.id, "date": cls.day, "retail_store_id": cls.store_a.id,
            "product_id": cls.yoghurt.id, "value": 12.0, "baseline": 1.0, "threshold": 10,
            "history": "[1, 1, 0, 2, 1, 12]",
        }])

    def kpis(self, user, **kwargs):
        return self.env["retail.dashboard"].with_user(user).get_kpis(date_to=self.day, days=7, **kwargs)

    def test_manager_sees_own_store_against_last_week_and_year(self):
        data = self.kpis(self.manager_a)
        self.assertEqual([store["id"] for store in data["stores"]], [self.store_a.id])
        current = data["periods"]["current"]
        self.assertAlmostEqual(current["sales"], 10.0)
        self.assertEqual(current["tickets"], 1)
        self.assertAlmostEqual(current["margin"], 4.0)
        self.assertAlmostEqual(current["basket"], 10.0)
        self.assertAlmostEqual(data["periods"]["last_week"]["sales"], 5.0)
        self.assertAlmostEqual(data["periods"]["last_year"]["sales"], 20.0)
        self.assertAlmostEqual(current["sell_through"], 100 * 2 / (2 + 8))
        self.assertEqual(current["stockout_rate"], 0.0)
        self.assertEqual(current["series"], [{"offset": 6, "day": "2026-03-10", "sales": 10.0, "margin": 4.0}])

    def test_hq_sees_the_chain(self):
        data = self.kpis(self.hq_user)
        self.assertAlmostEqual(data["periods"]["current"]["sales"], 50.0)
        self.assertAlmostEqual(self.kpis(self.hq_user, store_id=self.store_b.id)["periods"]["current"]["sales"], 40.0)

    def test_other_store_and_staff_are_refused(self):
        with self.assertRaises(AccessError):
            self.kpis(self.manager_a, store_id=self.store_b.id)
        with self.assertRaises(AccessError):
            self.kpis(self.cashier_a)

    def test_tour_dashboard_and_review_item(self):
        self.start_tour("/odoo", "retail_analytics_dashboard_tour", login="retail_manager_a")
        item = self.env["retail.review.item"].search([("rule_id", "=", self.rule.id)])
        self.assertEqual(item.state, "investigating")

    def test_a_day_packed_for_some_stores_reads_the_others_from_their_orders(self):
        before = self.kpis(self.hq_user)["periods"]["current"]
        self.env["retail.close.pack"]._build_packs(self.day, stores=self.store_a)
        # late orders: store A's waits for its pack to be rebuilt, store B's counts at once
        self.sell(self.session_a, self.cashier_a, self.at(self.day, 21), [(self.milk, 1, 5.0, 0)])
        self.sell(self.session_b, self.manager_b, self.at(self.day, 21), [(self.bread, 1, 4.0, 0)])
        current = self.kpis(self.hq_user)["periods"]["current"]
        self.assertAlmostEqual(current["sales"], before["sales"] + 4.0)
        self.assertEqual(current["tickets"], before["tickets"] + 1)
        self.assertEqual(current["series"], [{"offset": 6, "day": "2026-03-10", "sales": 54.0, "margin": 26.0}])

    def test_tour_dashboard_without_a_store_explains_why_it_is_empty(self):
        new_test_user(self.env, "retail_manager_nowhere", groups="retail_base.group_retail_manager")
        self.start_tour("/odoo", "retail_analytics_dashboard_empty_tour", login="retail_manager_nowhere")

    def test_close_packs_feed_the_dashboard_with_the_same_figures(self):
        live = self.kpis(self.hq_user)["periods"]
        self.env["retail.close.pack"]._build_packs(self.day)
        self.env["retail.close.pack"]._build_packs(self.day - datetime.timedelta(days=7))
        from_packs = self.kpis(self.hq_user)["periods"]
        for period in ("current", "last_week", "last_year"):
            for kpi in ("sales", "margin", "tickets", "units", "series"):
                self.assertEqual(from_packs[period][kpi], live[period][kpi], f"{period} {kpi}")
        # an order synced after the pack was built shows once the pack is rebuilt
        self.sell(self.session_a, self.cashier_a, self.at(self.day, 20), [(self.milk, 1, 5.0, 0)])
        self.assertAlmostEqual(self.kpis(self.hq_user)["periods"]["current"]["sales"], 50.0)
        self.env["retail.close.pack"]._build_packs(self.day)
        self.assertAlmostEqual(self.kpis(self.hq_user)["periods"]["current"]["sales"], 55.0)
        # stockout rate of the period: milk sold with stock, bread sold without any
        self.assertAlmostEqual(self.kpis(self.hq_user)["periods"]["current"]["stockout_rate"], 50.0)
