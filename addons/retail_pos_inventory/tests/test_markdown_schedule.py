from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools.markdown import deepest_rate, schedule

NOW = datetime(2026, 6, 1, 8, 0)


def cents_up(price):
    return -(-round(price * 100, 6) // 1) / 100


@tagged("post_install", "-at_install")
class TestMarkdownSchedule(BaseCase):
    """The steps of a markdown, computed by hand."""

    def test_three_steps_the_last_one_capped_at_cost(self):
        expiration = NOW + timedelta(days=5)
        steps = schedule(NOW, expiration, 8.0, 5.0, cents_up)
        # 15 % until three days before, 30 % until the last day, then 50 % capped at cost (37.5 %)
        self.assertEqual([(step["date_from"], step["date_to"], step["price"]) for step in steps], [
            (NOW, expiration - timedelta(days=3), 6.80),
            (expiration - timedelta(days=3), expiration - timedelta(days=1), 5.60),
            (expiration - timedelta(days=1), expiration, 5.00),
        ])
        self.assertAlmostEqual(steps[2]["rate"], 0.375)

    def test_a_step_already_under_way_starts_now(self):
        expiration = NOW + timedelta(days=2)
        steps = schedule(NOW, expiration, 10.0, 0.0, cents_up)
        self.assertEqual([(step["date_from"], step["price"]) for step in steps],
                         [(NOW, 7.0), (expiration - timedelta(days=1), 5.0)])

    def test_steps_capped_at_the_floor_merge(self):
        expiration = NOW + timedelta(days=5)
        steps = schedule(NOW, expiration, 8.0, 6.0, cents_up)
        self.assertEqual([(step["date_from"], step["date_to"], step["price"]) for step in steps], [
            (NOW, expiration - timedelta(days=3), 6.80),
            (expiration - timedelta(days=3), expiration, 6.00),
        ])

    def test_no_step_at_or_above_the_floor_or_once_expired(self):
        expiration = NOW + timedelta(days=5)
        self.assertEqual(schedule(NOW, expiration, 8.0, 8.0, cents_up), [])
        self.assertEqual(schedule(NOW, expiration, 8.0, 9.0, cents_up), [])
        self.assertEqual(schedule(NOW, NOW - timedelta(hours=1), 8.0, 1.0, cents_up), [])
        self.assertEqual(deepest_rate(0.0, 1.0), 0.0)
        self.assertEqual(deepest_rate(10.0, 12.0), 0.0)

    def test_a_lot_expiring_beyond_a_week_waits(self):
        expiration = NOW + timedelta(days=10)
        steps = schedule(NOW, expiration, 10.0, 0.0, cents_up)
        self.assertEqual(steps[0]["date_from"], expiration - timedelta(days=7))

    def test_prices_are_rounded_up_so_the_floor_holds(self):
        steps = schedule(NOW, NOW + timedelta(hours=12), 3.33, 1.667, cents_up)
        self.assertEqual([step["price"] for step in steps], [1.67])
