import datetime
import json

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..report.sales_sql import cashier_day, closed_sessions, local_days_filter, paid_lines
from ..tools import anomaly

RULE_TYPES = [
    ("sales_spike", "Sales spike"),
    ("sales_drop", "Sales drop"),
    ("price_below_cost", "Price below cost"),
    ("discount_rate", "Discount rate by cashier"),
    ("refund_void_rate", "Refund and void rate by cashier"),
    ("stock_variance", "Stock variance after a stocktake"),
    ("negative_stock", "Negative stock"),
    ("cash_variance", "Unusual cash variance"),
]

DEFAULT_THRESHOLDS = {
    "sales_spike": 10.0,
    "sales_drop": 0.9,
    "price_below_cost": 0.0,
    "discount_rate": 0.2,
    "refund_void_rate": 0.1,
    "stock_variance": 100.0,
    "negative_stock": 1.0,
    "cash_variance": 50.0,
}

HISTORY_POINTS = 30


class RetailAnomalyRule(models.Model):
    """A rule that looks at one day of the chain and flags what a person should review.

    Rules only read: each hit becomes a review item, business data is never changed.
    """

    _name = "retail.anomaly.rule"
    _description = "Anomaly Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    rule_type = fields.Selection(RULE_TYPES, string="Type", required=True, default="sales_spike")
    threshold = fields.Float(
        required=True, default=10.0, digits=(16, 4),
        help="The rule fires when the measured value reaches this threshold. Sales spike: "
        "multiple of the baseline (10 = ten times the usual day). Sales drop: fraction lost "
        "(0.9 = down 90%). Price below cost: fraction under cost (0 = any price below cost). "
        "Discount, refund and void rates: fraction (0.2 = 20%). Stock and cash variance: "
        "amount in the company currency. Negative stock: units below zero.")
    baseline_days = fields.Integer(
        string="Baseline Window (days)", default=28,
        help="Days before the scanned day whose mean daily sales form the baseline of the "
        "sales spike and sales drop rules.")
    min_volume = fields.Float(
        string="Minimum Volume", default=0.0,
        help="Below this volume a candidate is ignored: units sold that day (spike, price "
        "below cost), mean daily units of the baseline (drop), tickets (cashier rates).")
    scope = fields.Selection(
        [("all", "Whole chain"), ("store", "Stores"), ("category", "Product categories"),
         ("product", "Products")], default="all", required=True)
    store_ids = fields.Many2many("stock.warehouse", string="Stores", domain=[("retail_store_type", "=", "store")])
    categ_ids = fields.Many2many("product.category", string="Categories")
    product_ids = fields.Many2many("product.product", string="Products")
    review_item_ids = fields.One2many("retail.review.item", "rule_id")
    item_count = fields.Integer(compute="_compute_feedback", string="Review Items")
    false_positive_count = fields.Integer(compute="_compute_feedback", string="False Positives")
    suggested_threshold = fields.Float(
        compute="_compute_feedback", digits=(16, 4),
        help="10% above the largest value that reviewers marked as a false positive; "
        "empty when the threshold already lies above.")

    _threshold_positive = models.Constraint("CHECK (threshold >= 0)", "The threshold cannot be negative.")
    _baseline_days_positive = models.Constraint("CHECK (baseline_days >= 1)",
                                                "The baseline window needs at least one day.")

    @api.depends("review_item_ids.resolution", "review_item_ids.value", "threshold")
    def _compute_feedback(self):
        # counted within the reader's stores: a store manager learns nothing of the others
        groups = self.env["retail.review.item"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id", "resolution"], ["__count", "value:max"])
        counts, maxima = {}, {}
        for rule, resolution, count, value_max in groups:
            counts[rule.id] = counts.get(rule.id, 0) + count
            if resolution == "false_positive":
                maxima[rule.id] = (count, value_max)
        for rule in self:
            rule.item_count = counts.get(rule.id, 0)
            fp_count, fp_max = maxima.get(rule.id, (0, None))
            rule.false_positive_count = fp_count
            rule.suggested_threshold = anomaly.suggest_threshold(
                [fp_max] if fp_count else [], current_threshold=rule.threshold) or 0.0

    @api.constrains("scope", "store_ids", "categ_ids", "product_ids")
    def _check_scope(self):
        for rule in self:
            missing = {"store": rule.store_ids, "category": rule.categ_ids, "product": rule.product_ids}
            if rule.scope in missing and not missing[rule.scope]:
                raise ValidationError(self.env._("Rule %(rule)s is scoped to %(scope)s but lists none.",
                                                 rule=rule.name, scope=rule.scope))

    @api.onchange("rule_type")
    def _onchange_rule_type(self):
        self.threshold = DEFAULT_THRESHOLDS.get(self.rule_type, self.threshold)

    def action_apply_suggested_threshold(self):
        self.ensure_one()
        if self.suggested_threshold:
            self.threshold = self.suggested_threshold
        return True

    def action_open_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review Items"),
            "res_model": "retail.review.item",
            "view_mode": "list,form",
            "domain": [("rule_id", "=", self.id)],
        }

    # ------------------------------------------------------------------ scanning

    @api.model
    def _cron_scan(self):
        # the stores' yesterday, not the cron user's (UTC)
        return self._scan(self.env.company._retail_today() - datetime.timedelta(days=1))

    @api.model
    def _scan(self, date, rules=None):
        """Run the active rules over ``date``; create and assign one review item per new hit."""
        date = fields.Date.to_date(date)
        self.env.flush_all()
        # every active rule: a handful per chain
        rules = (rules or self.search([])).sudo()  # pylint: disable=no-search-all
        values = []
        for rule in rules:
            values += [dict(hit, rule_id=rule.id, date=date, threshold=rule.threshold)
                       for hit in getattr(rule, f"_hits_{rule.rule_type}")(date)]
        return self.env["retail.review.item"].sudo()._create_from_hits(values)

    def _scope_store_ids(self):
        """The stores the rule looks at."""
        self.ensure_one()
        stores = self.store_ids if self.scope == "store" else self.env["stock.warehouse"].search(
            [("retail_store_type", "=", "store")])
        return stores.ids

    def _scope_products(self, product_column):
        """SQL condition restricting ``product_column`` to the rule's products or categories."""
        self.ensure_one()
        if self.scope == "product":
            product_ids = self.product_ids.ids
        elif self.scope == "category":
            product_ids = self.env["product.product"].with_context(active_test=False).search(
                [("categ_id", "child_of", self.categ_ids.ids)]).ids
        else:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", product_column, product_ids)

    def _fetch_matrix(self, query, columns):
        """The rows of ``query`` as a float matrix (``columns`` wide even when there is none)."""
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        return np.array(rows, dtype=np.float64) if rows else np.zeros((0, columns))

    def _history_days(self):
        return self.baseline_days

    def _sales_matrix(self, date):
        """Units per (store, product) and day over the baseline window and ``date`` (last column)."""
        first = date - datetime.timedelta(days=self.baseline_days)
        # the neighbouring days that the loose day filter lets in are dropped here
        data = self._fetch_matrix(SQL("""
            SELECT retail_store_id, product_id, day - %(first)s::date, SUM(qty)
              FROM (%(lines)s) line
             WHERE %(products)s
          GROUP BY 1, 2, 3
        """, first=first, lines=paid_lines([(first, date)], self._scope_store_ids(), exact=False),
            products=self._scope_products(SQL("product_id"))), columns=4)
        data = data[(data[:, 2] >= 0) & (data[:, 2] <= self.baseline_days)]
        if not len(data):
            return np.zeros((0, 2), dtype=np.int64), np.zeros((0, self.baseline_days + 1))
        pairs, row_index = np.unique(data[:, :2].astype(np.int64), axis=0, return_inverse=True)
        matrix = anomaly.daily_matrix(row_index.ravel(), data[:, 2].astype(np.int64), data[:, 3],
                                      rows=len(pairs), days=self.baseline_days + 1)
        return pairs, matrix

    def _sales_observed(self, pairs, date, matrix):
        """Which days of ``matrix`` (the rows of :meth:`_sales_matrix`) tell the product's
        demand, as booleans of its shape, or None for every day.

        Every day here: this addon does not know the stock. An addon that does leaves out the
        days the shelf was empty and the promotion days, so a baseline is the product's usual
        day and a day without stock is not a sales drop.
        """
        return None

    def _sales_hits(self, date, function):
        pairs, matrix = self._sales_matrix(date)
        observed = self._sales_observed(pairs, date, matrix) if len(pairs) else None
        hits = function(matrix, threshold=self.threshold, min_volume=self.min_volume, observed=observed)
        (rows,) = hits.index
        return [{
            "retail_store_id": int(pairs[row, 0]), "product_id": int(pairs[row, 1]),
            "value": float(value), "baseline": float(baseline),
            "history": json.dumps([round(v, 3) for v in matrix[row, -HISTORY_POINTS:].tolist()]),
        } for row, value, baseline in zip(rows, hits.value, hits.baseline, strict=True)]

    def _hits_sales_spike(self, date):
        return self._sales_hits(date, anomaly.sales_spike)

    def _hits_sales_drop(self, date):
        return self._sales_hits(date, anomaly.sales_drop)

    def _hits_price_below_cost(self, date):
        data = self._fetch_matrix(SQL("""
            SELECT retail_store_id, product_id, SUM(amount) / SUM(qty), SUM(cost) / SUM(qty), SUM(qty)
              FROM (%(lines)s) line
             WHERE qty > 0 AND %(products)s
          GROUP BY 1, 2
        """, lines=paid_lines([(date, date)], self._scope_store_ids()),
            products=self._scope_products(SQL("product_id"))), columns=5)
        hits = anomaly.price_below_cost(data[:, 2], data[:, 3], threshold=self.threshold,
                                        min_volume=self.min_volume, volume=data[:, 4])
        return [{
            "retail_store_id": int(data[i, 0]), "product_id": int(data[i, 1]),
            "value": float(value), "baseline": float(cost),
            "history": json.dumps([round(float(data[i, 3]), 4), round(float(data[i, 2]), 4)]),
        } for i, value, cost in zip(hits.index[0], hits.value, hits.baseline, strict=True)]

    def _cashier_rows(self, date):
        """Per store and cashier: gross sold, discount on it, tickets, refund tickets, voids."""
        return self._fetch_matrix(SQL("""
            SELECT retail_store_id, user_id, gross_sold, discount_sold, tickets, refunds, voids
              FROM (%s) cashier
        """, cashier_day(date, self._scope_store_ids())), columns=7)

    def _hits_discount_rate(self, date):
        data = self._cashier_rows(date)
        hits = anomaly.rate_above(data[:, 3], data[:, 2], threshold=self.threshold,
                                  min_volume=self.min_volume, volume=data[:, 4])
        return [{
            "retail_store_id": int(data[i, 0]), "cashier_id": int(data[i, 1]),
            "value": float(value), "baseline": float(gross),
        } for i, value, gross in zip(hits.index[0], hits.value, hits.baseline, strict=True)]

    def _hits_refund_void_rate(self, date):
        data = self._cashier_rows(date)
        attempts = data[:, 4] + data[:, 6]
        hits = anomaly.rate_above(data[:, 5] + data[:, 6], attempts, threshold=self.threshold,
                                  min_volume=self.min_volume)
        return [{
            "retail_store_id": int(data[i, 0]), "cashier_id": int(data[i, 1]),
            "value": float(value), "baseline": float(total),
        } for i, value, total in zip(hits.index[0], hits.value, hits.baseline, strict=True)]

    def _hits_stock_variance(self, date):
        data = self._fetch_matrix(SQL("""
            SELECT COALESCE(dst.warehouse_id, src.warehouse_id) AS store_id, m.product_id,
                   SUM(CASE WHEN dst.usage = 'internal' THEN m.quantity ELSE -m.quantity END
                       * COALESCE((p.standard_price ->> m.company_id::text)::numeric, 0)) AS value,
                   SUM(CASE WHEN dst.usage = 'internal' THEN m.quantity ELSE -m.quantity END) AS units
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dst ON dst.id = m.location_dest_id
              JOIN product_product p ON p.id = m.product_id
              JOIN stock_warehouse w ON w.id = COALESCE(dst.warehouse_id, src.warehouse_id)
         LEFT JOIN res_partner wp ON wp.id = w.partner_id
             WHERE m.is_inventory AND m.state = 'done' AND w.id = ANY(%(store_ids)s)
               AND %(products)s AND %(that_day)s
          GROUP BY 1, 2
        """, store_ids=self._scope_store_ids(), products=self._scope_products(SQL("m.product_id")),
            that_day=local_days_filter(SQL("m.date"), [(date, date)])), columns=4)
        hits = anomaly.magnitude_above(data[:, 2], threshold=self.threshold, baseline=data[:, 3])
        return [{
            "retail_store_id": int(data[i, 0]), "product_id": int(data[i, 1]),
            "value": float(value), "baseline": float(units),
        } for i, value, units in zip(hits.index[0], hits.value, hits.baseline, strict=True)]

    def _hits_negative_stock(self, date):
        data = self._fetch_matrix(SQL("""
            SELECT loc.warehouse_id, q.product_id, SUM(q.quantity)
              FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(store_ids)s) AND %(products)s
          GROUP BY 1, 2
            HAVING SUM(q.quantity) < 0
        """, store_ids=self._scope_store_ids(), products=self._scope_products(SQL("q.product_id"))), columns=3)
        hits = anomaly.negative_stock(data[:, 2], threshold=self.threshold)
        return [{
            "retail_store_id": int(data[i, 0]), "product_id": int(data[i, 1]),
            "value": float(value), "baseline": 0.0,
        } for i, value in zip(hits.index[0], hits.value, strict=True)]

    def _hits_cash_variance(self, date):
        data = self._fetch_matrix(SQL(
            "SELECT retail_store_id, session_id, difference FROM (%s) closed",
            closed_sessions(date, self._scope_store_ids())), columns=3)
        hits = anomaly.magnitude_above(data[:, 2], threshold=self.threshold)
        return [{
            "retail_store_id": int(data[i, 0]), "session_id": int(data[i, 1]),
            "value": float(value), "baseline": float(data[i, 2]),
        } for i, value in zip(hits.index[0], hits.value, strict=True)]
