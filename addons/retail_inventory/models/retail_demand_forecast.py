from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import forecast

HISTORY_DAYS = 180
# the planner and the markdowns look a week ahead
HORIZON = 7


class RetailDemandForecast(models.Model):
    """Each store's forecast demand of each product for the coming week, made every night.

    The dispatch planner reads it instead of the plain average of past sales: a product whose
    weekend is busy, or that sells one day in five, is planned on what the forecast expects.
    One row per store and product, replaced each night; written by the job only.
    """

    _name = "retail.demand.forecast"
    _description = "Demand forecast per store and product"
    _order = "store_id, daily desc"

    date = fields.Date(required=True, readonly=True, index=True, help="The night the forecast was made.")
    store_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True, readonly=True, index=True, ondelete="cascade")
    daily = fields.Float(string="Forecast / Day", readonly=True, digits=(16, 2), aggregator="sum",
                         help="Units a day the store is expected to sell over the coming week.")
    sigma = fields.Float(string="Error / Day", readonly=True, digits=(16, 2),
                         help="The spread of the forecast's daily error in its backtest.")
    method = fields.Selection([
        ("seasonal_naive", "Seasonal naive"),
        ("seasonal_smoothing", "Exponential smoothing (weekly)"),
        ("tsb", "Intermittent demand (TSB)"),
        ("combined", "Smoothing and TSB combined"),
    ], readonly=True, help="The method the product's own backtest chose.")

    _store_product_uniq = models.Constraint(
        "UNIQUE(store_id, product_id)", "A store has one forecast per product: the night's.")

    @api.model
    def _retail_forecast(self, stores, today=None):
        """Forecast every product the ``stores`` sold in the history and replace their rows: one
        history read, one forecast over all series, one statement to write them."""
        today = today or self.env.company._retail_today()
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(stores, HISTORY_DAYS)
        selling = history["sold"].sum(axis=1) > 0
        store_ids, product_ids = history["store"][selling], history["product"][selling]
        self.env.cr.execute(SQL("DELETE FROM retail_demand_forecast WHERE store_id = ANY(%s)", stores.ids))
        if not len(store_ids):
            return 0
        result = forecast.forecast(history["sold"][selling], history["censored"][selling], horizon=HORIZON,
                                   first_weekday=history["first_day"].weekday())
        daily = result.mean.mean(axis=1)
        sigma = result.sigma
        methods = [forecast.METHODS[index] for index in result.method.tolist()]
        uid = self.env.uid
        self.env.cr.execute(SQL("""
            INSERT INTO retail_demand_forecast
                   (store_id, product_id, date, daily, sigma, method, create_uid, write_uid, create_date, write_date)
            SELECT s, p, %(today)s, d, e, m, %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(stores)s::int[], %(products)s::int[], %(daily)s::float8[], %(sigma)s::float8[],
                          %(methods)s::varchar[]) AS f(s, p, d, e, m)
        """, today=today, uid=uid, stores=store_ids.tolist(), products=product_ids.tolist(),
            daily=daily.tolist(), sigma=sigma.tolist(), methods=methods))
        self.invalidate_model()
        return len(store_ids)
