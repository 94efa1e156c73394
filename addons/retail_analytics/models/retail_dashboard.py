import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..report.sales_sql import PAID_STATES, paid_lines, store_orders
from ..tools import day_ranges

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
        if store_id and (not isinstance(store_id, int) or isinstance(store_id, bool)):
            raise UserError(self.env._("The dashboard shows one store, given by its id."))
        visible = user._retail_visible_stores().filtered(
            lambda w: w.retail_store_type == "store" and w.company_id in self.env.companies)
        stores = visible.filtered(lambda w: w.id == store_id) if store_id else visible
        if store_id and not stores:
            raise AccessError(self.env._("You may not see this store."))
        ranges = self._period_ranges(days, date_to)
        date_from, date_to = ranges["current"]
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
                "digits": self.env.company.currency_id.decimal_places,
            },
            "periods": figures,
        }

    @api.model
    def _period_ranges(self, days, date_to):
        """The ``(first, last)`` days of each period from what the client sent: 1 to 366 days up
        to ``date_to`` (yesterday by default), the same days a week and a year (52 weeks) earlier."""
        try:
            days = max(1, min(int(days or 28), 366))
            date_to = fields.Date.to_date(date_to) if date_to else (
                fields.Date.context_today(self) - datetime.timedelta(days=1))
            date_from = date_to - datetime.timedelta(days=days - 1)
            return {
                "current": (date_from, date_to),
                "last_week": (date_from - datetime.timedelta(days=7), date_to - datetime.timedelta(days=7)),
                "last_year": (date_from - datetime.timedelta(days=364), date_to - datetime.timedelta(days=364)),
            }
        except (TypeError, ValueError, OverflowError) as error:
            raise UserError(self.env._("The period needs a number of days and a date such as 2026-03-10.")) from error

    @api.model
    def _query_kpis(self, store_ids, ranges):
        """Daily figures from the close packs where they exist (one small query), and from the
        orders for the store-days without a pack (today, days before the addon ran, ...): the
        days of the three periods are read once, days shared by two periods included."""
        result = {p: {"series": {}, "sales": 0.0, "margin": 0.0, "tickets": 0, "units": 0.0, "cost": 0.0}
                  for p in PERIODS}
        period_days = {period: day_ranges.days_between(*ranges[period]) for period in PERIODS}
        all_days = sorted(set().union(*period_days.values()))
        packed, daily = self._query_packed_days(store_ids, all_days)
        missing = [day for day in all_days if len(packed.get(day, ())) < len(store_ids)]
        if missing:
            for day, values in self._query_live_days(store_ids, missing, packed).items():
                totals = daily.setdefault(day, dict.fromkeys(values, 0))
                for name, value in values.items():
                    totals[name] += value
        for period in PERIODS:
            start = ranges[period][0]
            bucket = result[period]
            for day in period_days[period]:
                if day in daily:
                    self._add_day(bucket, (day - start).days, day, **daily[day])
            bucket["series"] = sorted(bucket["series"].values(), key=lambda point: point["offset"])
            bucket["basket"] = bucket["sales"] / bucket["tickets"] if bucket["tickets"] else 0.0
            bucket["margin_rate"] = 100 * bucket["margin"] / bucket["sales"] if bucket["sales"] else 0.0
        current = set(period_days["current"])
        stockouts = sum(daily[day]["stockouts"] for day in current if day in daily)
        sold_products = sum(daily[day]["sold_products"] for day in current if day in daily)
        result["current"]["stockout_rate"] = 100.0 * stockouts / sold_products if sold_products else 0.0
        self._add_stock_kpis(result["current"], store_ids, ranges["current"])
        return result

    @api.model
    def _query_packed_days(self, store_ids, days):
        """``({day: packed store ids}, {day: figures})`` of the store-days that have a close pack."""
        self.env.cr.execute(SQL("""
            SELECT date, ARRAY_AGG(retail_store_id), SUM(sales_amount), SUM(margin_amount), SUM(ticket_count),
                   SUM(units), SUM(cost_amount), SUM(stockout_count), SUM(sold_product_count)
              FROM retail_close_pack
             WHERE is_chain IS NOT TRUE AND retail_store_id = ANY(%s) AND date = ANY(%s)
          GROUP BY date
        """, store_ids, days))
        packed, daily = {}, {}
        for day, stores, sales, margin, tickets, units, cost, stockouts, sold in self.env.cr.fetchall():
            packed[day] = set(stores)
            daily[day] = {
                "sales": float(sales or 0.0), "margin": float(margin or 0.0), "tickets": int(tickets or 0),
                "units": float(units or 0.0), "cost": float(cost or 0.0),
                "stockouts": int(stockouts or 0), "sold_products": int(sold or 0),
            }
        return packed, daily

    @api.model
    def _query_live_days(self, store_ids, days, packed):
        """Figures of ``days`` from the paid orders of the stores without a pack that day: one
        pass over the order lines of those days, one over the orders."""
        ranges = day_ranges.contiguous_ranges(days)
        wanted = set(days)
        packed_pairs = [(store_id, day) for day in wanted for store_id in packed.get(day, ())]
        not_packed = SQL("TRUE")
        if packed_pairs:
            not_packed = SQL("(live.retail_store_id, live.day) NOT IN (SELECT * FROM unnest(%s::int[], %s::date[]))",
                             [pair[0] for pair in packed_pairs], [pair[1] for pair in packed_pairs])
        live = {}
        self.env.cr.execute(SQL("""
            SELECT day, SUM(amount), SUM(amount - cost), SUM(qty), SUM(cost)
              FROM (%s) live
             WHERE %s
          GROUP BY day
        """, paid_lines(ranges, store_ids, exact=False), not_packed))
        for day, sales, margin, units, cost in self.env.cr.fetchall():
            if day in wanted:
                live[day] = {"sales": float(sales), "margin": float(margin), "tickets": 0, "units": float(units),
                             "cost": float(cost), "stockouts": 0, "sold_products": 0}
        self.env.cr.execute(SQL("""
            SELECT day, COUNT(*)
              FROM (%s) live
             WHERE %s
          GROUP BY day
        """, store_orders(PAID_STATES, ranges, store_ids, exact=False), not_packed))
        for day, tickets in self.env.cr.fetchall():
            if day in wanted:
                live.setdefault(day, {"sales": 0.0, "margin": 0.0, "tickets": 0, "units": 0.0, "cost": 0.0,
                                      "stockouts": 0, "sold_products": 0})["tickets"] = tickets
        return live

    @api.model
    def _add_day(self, bucket, offset, day, sales, margin, tickets, units, cost, **_counters):
        point = bucket["series"].setdefault(offset, {
            "offset": offset, "day": fields.Date.to_string(day), "sales": 0.0, "margin": 0.0})
        point["sales"] += sales
        point["margin"] += margin
        bucket["sales"] += sales
        bucket["margin"] += margin
        bucket["tickets"] += tickets
        bucket["units"] += units
        bucket["cost"] += cost

    @api.model
    def _add_stock_kpis(self, current, store_ids, current_range):
        """Sell-through, stock turnover and shrinkage of the current period, from today's stock."""
        cr = self.env.cr
        # the cost is read once per product rather than once per quant
        cr.execute("""
            SELECT COALESCE(SUM(on_hand.units), 0),
                   COALESCE(SUM(on_hand.units
                                * COALESCE((p.standard_price ->> on_hand.company_id::text)::numeric, 0)), 0)
              FROM (SELECT q.product_id, q.company_id, SUM(GREATEST(q.quantity, 0)) AS units
                      FROM stock_quant q
                      JOIN stock_location loc ON loc.id = q.location_id
                     WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%s)
                  GROUP BY q.product_id, q.company_id) on_hand
              JOIN product_product p ON p.id = on_hand.product_id
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
