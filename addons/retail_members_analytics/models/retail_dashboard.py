from odoo import api, models
from odoo.addons.retail_analytics.models.retail_dashboard import PERIODS
from odoo.addons.retail_analytics.tools import day_ranges
from odoo.tools import SQL

from ..report.member_sales_sql import member_lines


class RetailDashboard(models.AbstractModel):
    """The members' share of the sales, for the period and each of its days, read as the
    sales are: from the close packs, and from the orders for the store-days without one."""

    _inherit = "retail.dashboard"

    @api.model
    def _query_kpis(self, store_ids, ranges):
        result = super()._query_kpis(store_ids, ranges)
        for period in PERIODS:
            bucket = result[period]
            member_days = bucket.pop("member_days", {})
            bucket.setdefault("member_sales", 0.0)
            bucket["member_share"] = 100.0 * bucket["member_sales"] / bucket["sales"] if bucket["sales"] else 0.0
            bucket["member_series"] = [{
                "offset": point["offset"],
                "day": point["day"],
                "member_sales": member_days.get(point["offset"], 0.0),
                "member_share": 100.0 * member_days.get(point["offset"], 0.0) / point["sales"]
                if point["sales"] else 0.0,
            } for point in bucket["series"]]
        return result

    @api.model
    def _query_packed_days(self, store_ids, days):
        packed, daily = super()._query_packed_days(store_ids, days)
        self.env.cr.execute(SQL("""
            SELECT date, SUM(member_sales_amount)
              FROM retail_close_pack
             WHERE is_chain IS NOT TRUE AND retail_store_id = ANY(%s) AND date = ANY(%s)
          GROUP BY date
        """, store_ids, days))
        member_sales = dict(self.env.cr.fetchall())
        for day, values in daily.items():
            values["member_sales"] = float(member_sales.get(day) or 0.0)
        return packed, daily

    @api.model
    def _query_live_days(self, store_ids, days, packed):
        live = super()._query_live_days(store_ids, days, packed)
        for values in live.values():
            values["member_sales"] = 0.0
        packed_pairs = [(store_id, day) for day in set(days) for store_id in packed.get(day, ())]
        not_packed = SQL("TRUE")
        if packed_pairs:
            not_packed = SQL("(live.retail_store_id, live.day) NOT IN (SELECT * FROM unnest(%s::int[], %s::date[]))",
                             [pair[0] for pair in packed_pairs], [pair[1] for pair in packed_pairs])
        self.env.cr.execute(SQL("""
            SELECT day, SUM(amount)
              FROM (%s) live
             WHERE %s
          GROUP BY day
        """, member_lines(day_ranges.contiguous_ranges(days), store_ids, exact=False), not_packed))
        for day, amount in self.env.cr.fetchall():
            # a member line is a paid line: its day is among the live days already
            if day in live:
                live[day]["member_sales"] = float(amount)
        return live

    @api.model
    def _add_day(self, bucket, offset, day, member_sales=0.0, **figures):
        result = super()._add_day(bucket, offset, day, **figures)
        bucket["member_sales"] = bucket.get("member_sales", 0.0) + member_sales
        member_days = bucket.setdefault("member_days", {})
        member_days[offset] = member_days.get(offset, 0.0) + member_sales
        return result
