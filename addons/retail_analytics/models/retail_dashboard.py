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
        """Daily figures from the close packs where they exist (one small query), from the order
        lines for the store-days without a pack (today, a year ago before the addon ran...)."""
        cr = self.env.cr
        result = {p: {"series": {}, "sales": 0.0, "margin": 0.0, "tickets": 0, "units": 0.0, "cost": 0.0}
                  for p in PERIODS}
        stockouts = sold_products = 0
        for period, (start, stop) in ranges.items():
            cr.execute("""
                SELECT date, COUNT(*), SUM(sales_amount), SUM(margin_amount), SUM(ticket_count), SUM(units),
                       SUM(cost_amount), SUM(stockout_count), SUM(sold_product_count)
                  FROM retail_close_pack
                 WHERE is_chain IS NOT TRUE AND retail_store_id = ANY(%s) AND date BETWEEN %s AND %s
              GROUP BY date
            """, [store_ids, start, stop])
            complete = set()
            for day, count, sales, margin, tickets, units, cost, stockout, sold in cr.fetchall():
                self._add_day(result[period], (day - start).days, day, sales, margin, tickets, units, cost)
                if count >= len(store_ids):
                    complete.add(day)
                if period == "current":
                    stockouts += stockout or 0
                    sold_products += sold or 0
            missing = [start + datetime.timedelta(days=i) for i in range((stop - start).days + 1)]
            missing = [day for day in missing if day not in complete]
            if missing and store_ids:
                self._add_live_days(result[period], store_ids, start, min(missing), max(missing))
        result["current"]["stockout_rate"] = 100.0 * stockouts / sold_products if sold_products else 0.0
        for period in PERIODS:
            bucket = result[period]
            bucket["series"] = sorted(bucket["series"].values(), key=lambda point: point["offset"])
            bucket["basket"] = bucket["sales"] / bucket["tickets"] if bucket["tickets"] else 0.0
            bucket["margin_rate"] = 100 * bucket["margin"] / bucket["sales"] if bucket["sales"] else 0.0
        self._add_stock_kpis(result["current"], store_ids, ranges["current"])
        return result

    @api.model
    def _add_day(self, bucket, offset, day, sales, margin, tickets, units, cost):
        point = bucket["series"].setdefault(offset, {
            "offset": offset, "day": fields.Date.to_string(day), "sales": 0.0, "margin": 0.0})
        point["sales"] += float(sales or 0.0)
        point["margin"] += float(margin or 0.0)
        bucket["sales"] += float(sales or 0.0)
        bucket["margin"] += float(margin or 0.0)
        bucket["tickets"] += int(tickets or 0)
        bucket["units"] += float(units or 0.0)
        bucket["cost"] += float(cost or 0.0)

    @api.model
    def _add_live_days(self, bucket, store_ids, period_start, first, last):
        """Add the order lines of the store-days between ``first`` and ``last`` without a pack."""
        self.env.cr.execute(f"""
            SELECT day, SUM(amount), SUM(amount - cost), COUNT(DISTINCT order_id), SUM(qty), SUM(cost)
              FROM ({local_lines_sql("first", "last")}) line
             WHERE retail_store_id = ANY(%(store_ids)s)
               AND NOT EXISTS (SELECT 1 FROM retail_close_pack pack
                                WHERE pack.retail_store_id = line.retail_store_id AND pack.date = line.day)
          GROUP BY day
        """, {"store_ids": store_ids, "first": first, "last": last})
        for day, sales, margin, tickets, units, cost in self.env.cr.fetchall():
            self._add_day(bucket, (day - period_start).days, day, sales, margin, tickets, units, cost)

    @api.model
    def _add_stock_kpis(self, current, store_ids, current_range):
        """Sell-through, stock turnover and shrinkage of the current period, from today's stock."""
        cr = self.env.cr
        cr.execute("""
            SELECT COALESCE(SUM(GREATEST(q.quantity, 0)), 0),
                   COALESCE(SUM(GREATEST(q.quantity, 0)
                                * COALESCE((p.standard_price ->> q.company_id::text)::numeric, 0)), 0)
              FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
              JOIN product_product p ON p.id = q.product_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%s)
        """, [store_ids])
        on_hand_units, on_hand_value = (float(value) for value in cr.fetchone())
        cr.execute("""
            SELECT COALESCE(SUM(CASE WHEN dst.usage = 'internal' THEN -m.quantity ELSE m.quantity END
                                * COALESCE((p.standard_price ->> m.company_id::text)::numeric, 0)), 0)
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dst ON dst.id = m.location_dest_id
              JOIN product_product p ON p.id = m.product_id
             WHERE m.is_inventory AND m.state = 'done'
               AND COALESCE(dst.warehouse_id, src.warehouse_id) = ANY(%s)
               AND m.date >= %s AND m.date < %s::date + 1
        """, [store_ids, current_range[0], current_range[1]])
        shrinkage_value = float(cr.fetchone()[0])
        days = (current_range[1] - current_range[0]).days + 1
        units_sold = current["units"]
        current["sell_through"] = (100 * units_sold / (units_sold + on_hand_units)
                                   if units_sold + on_hand_units > 0 else 0.0)
        current["stock_turnover"] = current["cost"] * 365.0 / days / on_hand_value if on_hand_value else 0.0
        current["shrinkage"] = shrinkage_value
        current["shrinkage_rate"] = 100 * shrinkage_value / current["sales"] if current["sales"] else 0.0
