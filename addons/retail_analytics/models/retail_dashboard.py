import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .retail_close_pack import local_lines_sql

PERIODS = ("current", "last_week", "last_year")


class RetailDashboard(models.AbstractModel):
    """Figures of the chain and store dashboard, computed in one read-only request."""

    _name = "retail.dashboard"
    _description = "Retail Dashboard"

    @api.model
    @api.readonly
    def get_kpis(self, store_id=False, date_to=False, days=28):
        """KPIs of ``days`` days up to ``date_to`` (default yesterday) for one store or every
        store the user may see, with the same period a week and a year (52 weeks) earlier."""
        user = self.env.user
        if not user.has_group("retail_base.group_retail_manager"):
            raise AccessError(self.env._("Only store managers and HQ see the retail dashboard."))
        visible = user._retail_visible_stores().filtered(lambda w: w.retail_store_type == "store")
        stores = visible.filtered(lambda w: w.id == store_id) if store_id else visible
        if store_id and not stores:
            raise AccessError(self.env._("You may not see this store."))
        days = max(1, min(int(days or 28), 366))
        date_to = fields.Date.to_date(date_to) if date_to else (
            fields.Date.context_today(self) - datetime.timedelta(days=1))
        date_from = date_to - datetime.timedelta(days=days - 1)
        ranges = {
            "current": (date_from, date_to),
            "last_week": (date_from - datetime.timedelta(days=7), date_to - datetime.timedelta(days=7)),
            "last_year": (date_from - datetime.timedelta(days=364), date_to - datetime.timedelta(days=364)),
        }
        self.env.flush_all()
        figures = self._query_kpis(stores.ids, ranges)
        return {
            "stores": [{"id": s.id, "name": s.name} for s in visible.sorted("name")],
            "store_id": store_id or False,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "currency": {
                "symbol": self.env.company.currency_id.symbol,
                "position": self.env.company.currency_id.position,
            },
            "periods": figures,
        }

    @api.model
    def _query_kpis(self, store_ids, ranges):
        cr = self.env.cr
        params = {"store_ids": store_ids}
        for period, (start, stop) in ranges.items():
            params[f"{period}_from"], params[f"{period}_to"] = start, stop
        first = min(start for start, _stop in ranges.values())
        params["first"], params["last"] = first, max(stop for _start, stop in ranges.values())
        period_case = " ".join(
            f"WHEN day BETWEEN %({p}_from)s AND %({p}_to)s THEN '{p}'" for p in PERIODS)
        # one pass over the lines of the three periods: daily sales series and totals
        cr.execute(f"""
            SELECT period, day, SUM(amount), SUM(amount - cost), COUNT(DISTINCT order_id), SUM(qty), SUM(cost)
              FROM (SELECT line.*, CASE {period_case} END AS period
                      FROM ({local_lines_sql("first", "last")}) line
                     WHERE retail_store_id = ANY(%(store_ids)s)) tagged
             WHERE period IS NOT NULL
          GROUP BY period, day
          ORDER BY day
        """, params)
        result = {p: {"series": [], "sales": 0.0, "margin": 0.0, "tickets": 0, "units": 0.0, "cost": 0.0}
                  for p in PERIODS}
        for period, day, sales, margin, tickets, units, cost in cr.fetchall():
            bucket = result[period]
            offset = (day - ranges[period][0]).days
            bucket["series"].append({"offset": offset, "day": fields.Date.to_string(day),
                                     "sales": float(sales), "margin": float(margin)})
            bucket["sales"] += float(sales)
            bucket["margin"] += float(margin)
            bucket["tickets"] += tickets
            bucket["units"] += float(units)
            bucket["cost"] += float(cost)
        # stock figures of today: on hand units and value, store-products sold but out of stock
        cr.execute(f"""
            WITH on_hand AS (
                SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) AS quantity,
                       SUM(q.quantity * COALESCE((p.standard_price ->> q.company_id::text)::numeric, 0)) AS value
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                  JOIN product_product p ON p.id = q.product_id
                 WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(store_ids)s)
              GROUP BY 1, 2
            ), sold AS (
                SELECT retail_store_id, product_id
                  FROM ({local_lines_sql("current_from", "current_to")}) line
                  JOIN product_template pt ON pt.id = line.product_tmpl_id AND pt.is_storable
                 WHERE retail_store_id = ANY(%(store_ids)s)
              GROUP BY 1, 2 HAVING SUM(qty) > 0
            )
            SELECT (SELECT COALESCE(SUM(GREATEST(quantity, 0)), 0) FROM on_hand),
                   (SELECT COALESCE(SUM(GREATEST(value, 0)), 0) FROM on_hand),
                   (SELECT COUNT(*) FROM sold),
                   (SELECT COUNT(*) FROM sold LEFT JOIN on_hand
                        ON on_hand.warehouse_id = sold.retail_store_id AND on_hand.product_id = sold.product_id
                     WHERE COALESCE(on_hand.quantity, 0) <= 0)
        """, params)
        on_hand_units, on_hand_value, sold_pairs, stockout_pairs = cr.fetchone()
        # shrinkage: stock lost in stocktakes (inventory adjustments out of the stores)
        cr.execute("""
            SELECT COALESCE(SUM(CASE WHEN dst.usage = 'internal' THEN -m.quantity ELSE m.quantity END
                                * COALESCE((p.standard_price ->> m.company_id::text)::numeric, 0)), 0)
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dst ON dst.id = m.location_dest_id
              JOIN product_product p ON p.id = m.product_id
             WHERE m.is_inventory AND m.state = 'done'
               AND COALESCE(dst.warehouse_id, src.warehouse_id) = ANY(%(store_ids)s)
               AND m.date >= %(current_from)s AND m.date < %(current_to)s::date + 1
        """, params)
        shrinkage_value = float(cr.fetchone()[0])
        days = (ranges["current"][1] - ranges["current"][0]).days + 1
        for period in PERIODS:
            bucket = result[period]
            bucket["basket"] = bucket["sales"] / bucket["tickets"] if bucket["tickets"] else 0.0
            bucket["margin_rate"] = 100 * bucket["margin"] / bucket["sales"] if bucket["sales"] else 0.0
        current = result["current"]
        units_sold = current["units"]
        current["sell_through"] = (100 * units_sold / (units_sold + float(on_hand_units))
                                   if units_sold + float(on_hand_units) > 0 else 0.0)
        current["stock_turnover"] = (current["cost"] * 365.0 / days / float(on_hand_value)
                                     if on_hand_value else 0.0)
        current["stockout_rate"] = 100.0 * stockout_pairs / sold_pairs if sold_pairs else 0.0
        current["shrinkage"] = shrinkage_value
        current["shrinkage_rate"] = 100 * shrinkage_value / current["sales"] if current["sales"] else 0.0
        return result
