import logging

import numpy as np

from odoo import api, fields, models

from ..tools import forecast

_logger = logging.getLogger(__name__)

# history the forecasts learn from, and the held-out weeks they are scored on
HISTORY_DAYS = 180
HELD_OUT_DAYS = 28
CHOSEN = "chosen"


class RetailForecastAccuracy(models.Model):
    """How well each forecasting method did on the last four weeks, per store and category.

    Every night each store's forecasts are made again as of four weeks ago, from the 180 days
    before, and compared with what sold since: so a planner sees, per store, category and method,
    where the forecast can be trusted. Rows are written by that job only.
    """

    _name = "retail.forecast.accuracy"
    _description = "Forecast accuracy per store, category and method"
    _order = "date desc, store_id, categ_id, method"

    date = fields.Date(required=True, readonly=True, index=True,
                       help="The night the accuracy was measured; the held-out weeks end the day before.")
    store_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True,
                               ondelete="cascade")
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True, ondelete="cascade")
    method = fields.Selection([
        (CHOSEN, "Chosen per product"),
        ("seasonal_naive", "Seasonal naive"),
        ("seasonal_smoothing", "Exponential smoothing (weekly)"),
        ("tsb", "Intermittent demand (TSB)"),
        ("combined", "Smoothing and TSB combined"),
    ], required=True, readonly=True,
        help="Chosen per product: what the forecast uses, each product's method picked by its own "
             "backtest. The others: one method for every product, for comparison.")
    product_count = fields.Integer(string="Products", readonly=True, aggregator="sum")
    units = fields.Float(string="Units Sold", readonly=True, digits="Product Unit", aggregator="sum",
                         help="Units sold over the held-out weeks, on the days the shelf was stocked.")
    absolute_error = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    wape = fields.Float(string="WAPE", readonly=True, digits=(16, 3), aggregator="avg",
                        help="Weighted absolute percentage error: absolute error ÷ units sold.")
    mase = fields.Float(string="MASE", readonly=True, digits=(16, 3), aggregator="avg",
                        help="Mean absolute scaled error: the error against the same weekday last week's "
                             "error in the history. Below 1: better than repeating last week.")
    rmsse = fields.Float(string="RMSSE", readonly=True, digits=(16, 3), aggregator="avg",
                         help="Root mean squared scaled error, the M5 competition's measure.")
    rmsse_naive = fields.Float(string="RMSSE of Seasonal Naive", readonly=True, digits=(16, 3), aggregator="avg")
    rmsse_ratio = fields.Float(
        string="RMSSE ÷ Seasonal Naive", readonly=True, digits=(16, 3), aggregator="avg",
        help="Below 1: the method beats repeating last week. 0.8 means 20 % less error.")

    _measure_uniq = models.Constraint(
        "UNIQUE(date, store_id, categ_id, method)",
        "A store's accuracy is measured once a night per category and method.",
    )

    @api.model
    def _retail_measure(self, stores, today=None):
        """Measure the stores again (their rows of ``today`` are replaced) and return the new rows.

        One read of the stores' history, the forecasts in NumPy, one create of the rows.
        """
        today = today or self.env.company._retail_today()
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(stores, HISTORY_DAYS + HELD_OUT_DAYS)
        sold, censored = history["sold"], history["censored"]
        past, past_censored = sold[:, :-HELD_OUT_DAYS], censored[:, :-HELD_OUT_DAYS]
        actual, counted = sold[:, -HELD_OUT_DAYS:], ~censored[:, -HELD_OUT_DAYS:]
        # a product that sold nothing in the history and since says nothing of any method
        measured = (past.sum(axis=1) > 0) | (actual.sum(axis=1) > 0)
        product_ids = history["product"][measured].tolist()
        category_of = {product.id: product.categ_id.id
                       for product in self.env["product.product"].browse(set(product_ids))}
        store_of = history["store"][measured]
        category = np.array([category_of[product] for product in product_ids], dtype=np.int64)
        past, past_censored = past[measured], past_censored[measured]
        actual, counted = actual[measured], counted[measured]
        first_weekday = history["first_day"].weekday()
        self.search([("date", "=", today), ("store_id", "in", stores.ids)]).unlink()
        if not len(past):
            return self.browse()
        # every method's forecast comes with the chosen one: each is made once
        chosen = forecast.forecast(past, past_censored, horizon=HELD_OUT_DAYS, first_weekday=first_weekday,
                                   groups=category, keep_methods=True)
        predictions = {CHOSEN: chosen.mean, **dict(zip(forecast.METHODS, chosen.by_method, strict=True))}
        naive = forecast.rmsse(actual, predictions["seasonal_naive"], past, past_censored, counted)
        keys, group = np.unique(store_of * (1 << 32) + category, return_inverse=True)

        def per_group(values, where=None):
            """Sum and count of ``values`` per store and category, NaN and left-out rows skipped."""
            usable = np.isfinite(values) if where is None else where & np.isfinite(values)
            total = np.bincount(group, weights=np.where(usable, values, 0.0), minlength=len(keys))
            return total, np.bincount(group, weights=usable.astype(float), minlength=len(keys))

        def mean(total, count):
            return np.divide(total, count, out=np.zeros(len(keys)), where=count > 0)

        product_count = np.bincount(group, minlength=len(keys))
        units, _count = per_group(np.where(counted, actual, 0.0).sum(axis=1))
        values = []
        for method, predicted in predictions.items():
            absolute, _count = per_group(np.where(counted, np.abs(actual - predicted), 0.0).sum(axis=1))
            mase = mean(*per_group(forecast.mase(actual, predicted, past, past_censored, counted=counted)))
            rmsse = forecast.rmsse(actual, predicted, past, past_censored, counted)
            # the two RMSSE over the same products: those both could score
            scored = np.isfinite(rmsse) & np.isfinite(naive)
            group_rmsse = mean(*per_group(rmsse, scored))
            group_naive = mean(*per_group(naive, scored))
            wape = np.divide(absolute, units, out=np.zeros(len(keys)), where=units > 0)
            ratio = np.divide(group_rmsse, group_naive, out=np.zeros(len(keys)), where=group_naive > 0)
            values += [{
                "date": today,
                "store_id": int(key >> 32),
                "categ_id": int(key & 0xFFFFFFFF) or False,
                "method": method,
                "product_count": int(product_count[index]),
                "units": float(units[index]),
                "absolute_error": float(absolute[index]),
                "wape": float(wape[index]),
                "mase": float(mase[index]),
                "rmsse": float(group_rmsse[index]),
                "rmsse_naive": float(group_naive[index]),
                "rmsse_ratio": float(ratio[index]),
            } for index, key in enumerate(keys.tolist())]
        _logger.info("forecast accuracy: %d products of %d stores measured", len(past), len(stores))
        return self.create(values)
