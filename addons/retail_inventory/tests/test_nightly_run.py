"""The nightly planning: every step for each store, one store per commit, all or nothing per
store, resumable, idempotent, a store run again alone; behind the store walls."""

from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .test_forecast_accuracy import ForecastAccuracyCommon

STEPS = ["forecast", "accuracy", "replenishment"]


@tagged("post_install", "-at_install")
class TestNightlyRun(RetailHttpCase, ForecastAccuracyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._retail_today()
        cls.cron = cls.env.ref("retail_inventory.ir_cron_retail_nightly_planning")

    def runs(self, store=None):
        domain = [("date", "=", self.today)] + ([("store_id", "=", store.id)] if store else [])
        return self.env["retail.nightly.run"].search(domain)

    def nightly_drafts(self, store):
        return self.env["retail.replenishment"].search(
            [("origin", "=", "nightly"), ("state", "=", "draft"), ("store_ids", "in", store.ids)])

    def trigger(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_the_night_plans_each_store_once_with_every_step(self):
        self.trigger()
        run_a, run_b = self.runs(self.store_a), self.runs(self.store_b)
        self.assertEqual((run_a.state, run_b.state), ("done", "done"))
        steps = run_a.step_ids
        self.assertEqual(steps.mapped("code")[:3], STEPS)
        counts = dict(zip(steps.mapped("code"), steps.mapped("count"), strict=True))
        forecasts = self.env["retail.demand.forecast"].search([("store_id", "=", self.store_a.id)])
        self.assertEqual(counts["forecast"], len(forecasts))
        self.assertLessEqual(self.milk | self.crisps, forecasts.product_id)
        self.assertEqual(counts["accuracy"], self.env["retail.forecast.accuracy"].search_count(
            [("store_id", "=", self.store_a.id), ("date", "=", self.today)]))
        # no orderpoint yet: every product the store sells is a change, in one draft for HQ
        draft = self.nightly_drafts(self.store_a)
        self.assertEqual(len(draft), 1)
        self.assertEqual(draft.store_ids, self.store_a)
        self.assertEqual(counts["replenishment"], draft.changed_count)
        self.assertGreater(draft.changed_count, 0)
        self.assertTrue(run_a.summary.startswith(f"Demand forecast {counts['forecast']} · "))
        # a second run the same night does nothing again
        accuracy_ids = self.env["retail.forecast.accuracy"].search([]).ids
        step_ids = self.runs().step_ids.ids
        self.trigger()
        self.assertEqual(self.env["retail.forecast.accuracy"].search([]).ids, accuracy_ids)
        self.assertEqual(self.runs().step_ids.ids, step_ids)
        self.assertEqual(self.nightly_drafts(self.store_a), draft)

    def test_a_store_that_fails_keeps_nothing_of_the_night_and_is_taken_up_again(self):
        # the settings HQ last approved for store B cannot be computed: 30 days > the 28 forecast
        approved = self.env["retail.replenishment"].create(
            {"store_ids": [(6, 0, self.store_b.ids)], "lead_days": 20.0, "review_days": 10.0})
        approved.sudo().write({"state": "approved"})
        with self.assertLogs("odoo.addons.retail_inventory.models.retail_nightly_run", "ERROR") as logged:
            self.trigger()
        self.assertIn("nightly planning of store Test Store B failed", logged.output[0])
        run_b = self.runs(self.store_b)
        self.assertEqual(run_b.state, "failed")
        self.assertIn("28", run_b.error)
        self.assertFalse(run_b.step_ids)
        # the forecast and accuracy written for B before the failing step were undone
        self.assertFalse(self.env["retail.demand.forecast"].search([("store_id", "=", self.store_b.id)]))
        self.assertFalse(self.env["retail.forecast.accuracy"].search(
            [("store_id", "=", self.store_b.id), ("date", "=", self.today)]))
        self.assertEqual(self.runs(self.store_a).state, "done", "one store's trouble does not hold back the others")
        todo = self.env["retail.nightly.run"]._retail_stores_to_run(self.today)
        self.assertEqual(todo & (self.store_a | self.store_b), self.store_b)
        approved.sudo().write({"review_days": 7.0})
        self.trigger()
        self.assertEqual(self.runs(self.store_b).state, "done")
        self.assertEqual(self.nightly_drafts(self.store_b).review_days, 7.0,
                         "the nightly draft takes the settings last approved for the store")

    def test_a_nightly_draft_is_replaced_the_next_run_and_none_kept_without_a_change(self):
        Run = self.env["retail.nightly.run"]
        Run._retail_run(self.store_a, self.today)
        first = self.nightly_drafts(self.store_a)
        Run._retail_run(self.store_a, self.today)
        second = self.nightly_drafts(self.store_a)
        self.assertEqual(len(second), 1)
        self.assertFalse(first.exists(), "the earlier draft nobody approved is replaced")
        self.assertEqual(len(self.runs(self.store_a)), 1, "one run a night per store")
        second.action_approve()
        run = Run._retail_run(self.store_a, self.today)
        self.assertFalse(self.nightly_drafts(self.store_a), "every level is in place: nothing to approve")
        self.assertEqual(run.step_ids.filtered(lambda step: step.code == "replenishment").count, 0)
        self.assertEqual(second.state, "approved", "an approved replenishment is never touched")

    def test_store_walls_and_who_runs_a_store_again_over_http(self):
        Run = self.env["retail.nightly.run"]
        run_a = Run._retail_run(self.store_a, self.today)
        run_b = Run._retail_run(self.store_b, self.today)
        fields_read = ["store_id", "state", "summary"]
        own = self.rpc("retail_manager_a", "retail.nightly.run", "search_read", [], fields_read)
        self.assertEqual({row["store_id"][0] for row in own}, {self.store_a.id})
        steps = self.rpc("retail_manager_a", "retail.nightly.run.step", "search_read", [], ["run_id"])
        self.assertEqual({row["run_id"][0] for row in steps}, {run_a.id})
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.nightly.run", "read", [run_b.id], fields_read)
        self.assertRpcDenied("AccessError", "retail_cashier_a", "retail.nightly.run", "search_read", [], fields_read)
        # only HQ runs a store again, whatever the context says
        before = run_a.step_ids.ids
        for login in ("retail_manager_a", "retail_cashier_a"):
            self.assertRpcDenied("AccessError", login, "retail.nightly.run", "action_run_again", [run_a.id],
                                 context={"su": True, "active_test": False})
            self.assertRpcDenied("AccessError", login, "stock.warehouse", "action_retail_nightly_run",
                                 [self.store_a.id])
        for field in ("state", "error", "date"):
            self.assertRpcDenied("AccessError", "retail_hq", "retail.nightly.run", "write", [run_a.id],
                                 {field: "failed" if field == "state" else "2020-01-01" if field == "date" else "x"})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.nightly.run", "create",
                             {"store_id": self.store_a.id, "date": str(self.today)})
        run_a.invalidate_recordset()
        self.assertEqual(run_a.step_ids.ids, before, "nothing was run")
        self.assertTrue(self.rpc("retail_hq", "retail.nightly.run", "action_run_again", [run_a.id]))
        run_a.invalidate_recordset()
        self.assertEqual(run_a.state, "done")
        self.assertTrue(run_a.step_ids)
        self.assertFalse(set(run_a.step_ids.ids) & set(before), "run again: its steps are new")
        action = self.rpc("retail_hq", "stock.warehouse", "action_retail_nightly_run", [self.store_b.id])
        self.assertEqual(action["domain"], [["id", "in", [run_b.id]]])

    def test_hq_runs_a_failed_store_again_from_the_web_client(self):
        approved = self.env["retail.replenishment"].create(
            {"store_ids": [(6, 0, self.store_b.ids)], "lead_days": 20.0, "review_days": 10.0})
        approved.sudo().write({"state": "approved"})
        with self.assertLogs("odoo.addons.retail_inventory.models.retail_nightly_run", "ERROR"):
            self.trigger()
        self.assertEqual(self.runs(self.store_b).state, "failed")
        approved.sudo().write({"review_days": 7.0})
        self.start_tour("/odoo/action-retail_inventory.retail_nightly_run_action", "retail_inventory_nightly_run_again",
                        login="retail_hq")
        run_b = self.runs(self.store_b)
        run_b.invalidate_recordset()
        self.assertEqual(run_b.state, "done")
        self.assertFalse(run_b.error)
        self.assertEqual(run_b.step_ids.mapped("code")[:3], STEPS)
