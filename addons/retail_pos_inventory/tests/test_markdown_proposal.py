from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import MarkdownCase


@tagged("post_install", "-at_install")
class TestMarkdownProposal(MarkdownCase):
    def test_a_lot_that_will_not_sell_in_time_gets_a_schedule(self):
        proposed = self.propose()
        self.assertEqual(proposed.lot_id, self.lot_md, "the yoghurt sells in time; store B is not asked")
        self.assertEqual((proposed.store_id, proposed.state, proposed.origin), (self.store_a, "proposed", "nightly"))
        # about two a day for five days: some 20 of the 30 would expire unsold
        self.assertAlmostEqual(proposed.forecast_daily, 2.0, delta=0.3)
        self.assertAlmostEqual(proposed.qty_at_risk, 20.0, delta=2.0)
        self.assertEqual((proposed.list_price, proposed.floor_price, proposed.quantity), (8.0, 5.0, 30.0))
        expiration = self.lot_md.expiration_date
        self.assertEqual([(step.date_to, step.price) for step in proposed.step_ids], [
            (expiration - timedelta(days=3), 6.80),
            (expiration - timedelta(days=1), 5.60),
            (expiration, 5.00),
        ])
        self.assertAlmostEqual(proposed.current_rate, 0.15, places=4)
        self.assertEqual(proposed.current_price, 6.80)

    def test_proposing_again_creates_nothing(self):
        first = self.propose()
        self.assertFalse(self.propose())
        first.action_refuse()
        self.assertEqual(len(self.propose()), 1, "a refused markdown leaves the lot open for the next night")

    def test_the_store_margin_floor_caps_the_depth(self):
        self.store_a.retail_markdown_margin_floor = 20.0  # at least 6.00 for a cost of 5.00
        proposed = self.propose()
        self.assertEqual(proposed.floor_price, 6.0)
        self.assertEqual(proposed.step_ids.mapped("price"), [6.80, 6.00])

    def test_no_markdown_when_the_price_is_already_at_the_floor(self):
        self.milk.standard_price = 8.0
        self.assertFalse(self.propose())

    def test_the_nightly_planning_proposes_for_every_store_after_its_forecast(self):
        today = self.env.company._retail_today()
        runs = self.env["retail.nightly.run"]
        for store in self.store_a | self.store_b:
            runs |= runs._retail_run(store, today)
        self.assertEqual(runs.mapped("state"), ["done", "done"])
        self.assertEqual(runs[0].step_ids.mapped("code"), ["forecast", "accuracy", "replenishment", "markdowns"])
        markdowns = self.env["retail.lot.markdown"].search([("lot_id", "=", self.lot_md.id)])
        # store B sells no milk: its five cartons will all expire
        self.assertEqual(markdowns.store_id, self.store_a | self.store_b)
        self.assertEqual(markdowns.filtered(lambda m: m.store_id == self.store_b).qty_at_risk, 5.0)

    def test_approval_starts_the_first_step_at_approval(self):
        proposed = self.propose()
        first = proposed.step_ids[0]
        first.date_from = fields.Datetime.now() - timedelta(days=1)
        proposed.with_user(self.manager_a).action_approve()
        self.assertEqual((proposed.state, proposed.approved_by_id), ("approved", self.manager_a))
        self.assertGreaterEqual(first.date_from, proposed.approved_at)

    def test_markdown_days_are_promotion_days_for_the_forecast(self):
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(self.store_a, 7)
        pairs = list(zip(history["store"].tolist(), history["product"].tolist(), strict=True))
        row = pairs.index((self.store_a.id, self.milk.id))
        self.assertFalse(history["promotion"][row].any())
        self.propose().with_user(self.manager_a).action_approve()
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(self.store_a, 7)
        self.assertEqual(list(zip(history["store"].tolist(), history["product"].tolist(), strict=True)), pairs)
        self.assertEqual(history["promotion"][row].tolist(), [False] * 6 + [True])
        self.assertTrue(history["censored"][row][-1])

    def test_the_nightly_forecast_is_read_when_there_is_one(self):
        # last night's forecast says the store sells six cartons a day: the 30 sell in time
        self.env["retail.demand.forecast"].create({
            "store_id": self.store_a.id, "product_id": self.milk.id, "date": fields.Date.today(), "daily": 6.0})
        self.assertFalse(self.propose())
        self.env["retail.demand.forecast"].search([]).write({"daily": 1.0})
        proposed = self.propose()
        self.assertEqual((proposed.forecast_daily, proposed.qty_at_risk), (1.0, 25.0))
