"""Orderpoints from the forecast: computed, previewed against today's, approved by headquarters
only, written in batches; the levels are those of the forecasting core on the same history."""

from datetime import timedelta

import numpy as np

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.retail_replenishment import HISTORY_DAYS, HORIZON
from ..tools import forecast, replenishment
from .test_forecast_accuracy import ForecastAccuracyCommon


@tagged("post_install", "-at_install")
class TestReplenishment(RetailHttpCase, ForecastAccuracyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Orderpoint = cls.env["stock.warehouse.orderpoint"]
        cls.milk_orderpoint = Orderpoint.create({
            "warehouse_id": cls.store_a.id, "location_id": cls.store_a.lot_stock_id.id,
            "product_id": cls.milk.id, "product_min_qty": 5, "product_max_qty": 20, "trigger": "manual"})

    def _expected(self):
        """The levels of milk and crisps computed here by the forecasting core."""
        sold, censored = self.sold[:, -HISTORY_DAYS:], self.stockout[:, -HISTORY_DAYS:]
        first_day = (fields.Datetime.now() - timedelta(days=HISTORY_DAYS - 1)).date()
        result = forecast.forecast(sold, censored, horizon=HORIZON, first_weekday=first_day.weekday(),
                                   groups=np.array([self.fresh_milk.id, self.snacks.id]))
        return replenishment.levels(result.mean, result.sigma, 2.0, 7.0, 0.95)

    def _replenishment(self, **values):
        return self.env["retail.replenishment"].create({"store_ids": [(6, 0, self.store_a.ids)], **values})

    def test_levels_are_the_forecasting_cores_and_compared_with_todays(self):
        proposal = self._replenishment()
        proposal.action_compute()
        lines = {line.product_id: line for line in proposal.line_ids}
        # the common fixture's yoghurts sold today at store A too
        self.assertEqual(set(lines), {self.milk, self.crisps, self.yoghurt})
        reorder, up_to, _safety = self._expected()
        milk, crisps = lines[self.milk], lines[self.crisps]
        self.assertEqual((milk.min_qty, milk.max_qty), (reorder[0], up_to[0]))
        self.assertEqual((crisps.min_qty, crisps.max_qty), (reorder[1], up_to[1]))
        self.assertEqual((milk.orderpoint_id, milk.current_min_qty, milk.current_max_qty),
                         (self.milk_orderpoint, 5.0, 20.0))
        self.assertTrue(milk.changed and crisps.changed)
        # crisps sold 3 a day and none when the shelf was empty: the empty days do not pull the
        # forecast down
        self.assertAlmostEqual(crisps.forecast_daily, 3.0, places=6)
        self.assertEqual(proposal.changed_count, 3)

    def test_approve_writes_the_orderpoints(self):
        proposal = self._replenishment()
        proposal.action_compute()
        # crisps already has the right levels: left alone
        crisps_line = proposal.line_ids.filtered(lambda line: line.product_id == self.crisps)
        crisps_orderpoint = self.env["stock.warehouse.orderpoint"].create({
            "warehouse_id": self.store_a.id, "location_id": self.store_a.lot_stock_id.id,
            "product_id": self.crisps.id, "product_min_qty": crisps_line.min_qty,
            "product_max_qty": crisps_line.max_qty})
        proposal.action_compute()
        self.assertEqual(proposal.changed_count, 2)
        crisps_written = crisps_orderpoint.write_date
        proposal.action_approve()
        milk = proposal.line_ids.filtered(lambda line: line.product_id == self.milk)
        self.assertEqual(
            (self.milk_orderpoint.product_min_qty, self.milk_orderpoint.product_max_qty,
             self.milk_orderpoint.trigger), (milk.min_qty, milk.max_qty, "auto"))
        yoghurt = proposal.line_ids.filtered(lambda line: line.product_id == self.yoghurt)
        created = self.env["stock.warehouse.orderpoint"].search([
            ("product_id", "=", self.yoghurt.id), ("location_id", "=", self.store_a.lot_stock_id.id)])
        self.assertEqual((created.product_min_qty, created.product_max_qty, created.trigger),
                         (yoghurt.min_qty, yoghurt.max_qty, "auto"))
        self.assertEqual(crisps_orderpoint.write_date, crisps_written)
        self.assertEqual((proposal.state, proposal.approved_by_id), ("approved", self.env.user))
        with self.assertRaisesRegex(UserError, "Only a draft"):
            proposal.action_approve()

    def test_bad_settings_are_refused(self):
        with self.assertRaisesRegex(UserError, "cannot exceed the 28 days"):
            self._replenishment(lead_days=7, review_days=30).action_compute()
        for values in ({"service_level": 1.0}, {"service_level": 0.0}, {"review_days": 0}, {"lead_days": -1}):
            with self.assertRaisesRegex(ValidationError, "service level is a share"):
                self._replenishment(**values)

    def test_only_headquarters_compute_and_approve_over_http(self):
        proposal = self._replenishment()
        for login in ("retail_manager_a", "retail_cashier_a"):
            self.assertRpcDenied("AccessError", login, "retail.replenishment", "create",
                                 {"store_ids": [(6, 0, self.store_a.ids)]})
            self.assertRpcDenied("AccessError", login, "retail.replenishment", "action_compute", proposal.ids)
            self.assertRpcDenied("AccessError", login, "retail.replenishment.line", "search_read", [], ["min_qty"])
        self.assertFalse(proposal.line_ids)
        count = self.env["retail.replenishment"].search_count([])
        self.assertRpcDenied("ValidationError", "retail_hq", "retail.replenishment", "create",
                             {"store_ids": [(6, 0, self.store_a.ids)], "service_level": 1.5})
        self.assertEqual(self.env["retail.replenishment"].search_count([]), count)
        created = self.rpc("retail_hq", "retail.replenishment", "create", {"store_ids": [(6, 0, self.store_a.ids)]})
        self.rpc("retail_hq", "retail.replenishment", "action_compute", [created])
        hq_proposal = self.env["retail.replenishment"].browse(created)
        self.assertEqual(len(hq_proposal.line_ids), 3)
        # what only the actions write, and the levels, are not the caller's to set
        self.assertRpcDenied("AccessError", "retail_hq", "retail.replenishment", "write", [created],
                             {"state": "approved"})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.replenishment.line", "write",
                             hq_proposal.line_ids.ids, {"min_qty": 1, "max_qty": 100000})
        self.assertRpcDenied("AccessError", "retail_hq", "retail.replenishment.line", "create",
                             {"replenishment_id": created, "store_id": self.store_a.id,
                              "product_id": self.biscuit.id, "min_qty": 1, "max_qty": 99999})
        self.assertRpcDenied("AccessError", "retail_manager_a", "retail.replenishment", "action_approve", [created])
        self.assertEqual(self.milk_orderpoint.product_max_qty, 20.0)
        self.rpc("retail_hq", "retail.replenishment", "action_approve", [created])
        self.milk_orderpoint.invalidate_recordset()
        self.assertNotEqual(self.milk_orderpoint.product_max_qty, 20.0)
        self.assertEqual(hq_proposal.state, "approved")
