import datetime

import numpy as np

from odoo import fields, models
from odoo.addons.retail_inventory.models.retail_dispatch_proposal import PAIR_KEY


class RetailAnomalyRule(models.Model):
    _inherit = "retail.anomaly.rule"

    def _sales_observed(self, pairs, date, matrix):
        """The days of the demand history that tell a product's demand: not the days its shelf
        was empty, nor its promotion days (a markdown's), the same history as the dispatch
        planner and the forecasts read. A day something sold is always observed.

        The history is read for the rule's stores from the window's first day to today.
        """
        observed = super()._sales_observed(pairs, date, matrix)
        days = matrix.shape[1]
        first = date - datetime.timedelta(days=days - 1)
        today = fields.Datetime.now().date()
        if first > today:
            return observed
        stores = self.env["stock.warehouse"].browse(np.unique(pairs[:, 0]).tolist())
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(stores, (today - first).days + 1)
        # the history's day 0 is ``first``: its first ``days`` columns are the matrix's
        censored = history["censored"][:, :days]
        if censored.shape[1] < days:
            censored = np.pad(censored, ((0, 0), (0, days - censored.shape[1])))
        history_keys = history["store"] * PAIR_KEY + history["product"]
        keys = pairs[:, 0] * PAIR_KEY + pairs[:, 1]
        position = np.clip(np.searchsorted(history_keys, keys), 0, max(len(history_keys) - 1, 0))
        found = (history_keys[position] == keys) if len(history_keys) else np.zeros(len(keys), dtype=bool)
        known = np.ones(matrix.shape, dtype=bool)
        known[found] = ~censored[position[found]]
        known |= matrix > 0
        return known if observed is None else observed & known
