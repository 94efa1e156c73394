from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import members_demo

JOIN_DAYS = 730


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _member_mobile_field(self):
        # where the till looks members up; core's phone stays empty for members
        return "retail_mobile"

    @api.model
    def _retail_generate_extra(self, chain):
        """Demo members: enrolled over the past two years, with cards, the points of their orders
        and a balance carried over, then one tier evaluation. Set-based at every scale."""
        result = super()._retail_generate_extra(chain)
        members = chain.get("members") or self.env["res.partner"]
        company = chain.get("company") or self.env.company
        if not members:
            return result
        self._retail_demo_enrol(chain, members)
        self._retail_demo_fit_ladder(chain, company)
        self._retail_demo_points(chain, members, company)
        Tier = self.env["retail.member.tier"].sudo()
        Tier._retail_ladder(company).action_retail_offer_on_tills()
        changes = Tier._retail_evaluate(company=company)
        # demo members were told of their tier long ago: no flood of messages on the first run
        self.env.cr.execute(SQL("""
            UPDATE retail_member_tier_history SET notified = true
             WHERE partner_id = ANY(%s) AND NOT notified AND reason IN ('upgrade', 'downgrade')
        """, members.ids))
        self.env["retail.member.tier.history"].invalidate_model(["notified"])
        chain.setdefault("summary", {})["retail_members"] = len(members)
        chain["summary"]["retail_member_tier_changes"] = changes
        return result

    @api.model
    def _retail_demo_enrol(self, chain, members):
        """Enrol the chain's members with their home store, join date and lifetime spend."""
        stores = chain.get("stores") or self.env["stock.warehouse"]
        store_ids = np.array(stores.ids or [0], dtype=np.int64)
        planned = (chain.get("data") or {}).get("members", {}).get("store")
        if planned is not None and len(planned) == len(members) and len(stores):
            home = store_ids[np.asarray(planned, dtype=np.int64)]
        else:
            home = store_ids[np.arange(len(members)) % len(store_ids)]
        today = fields.Date.context_today(self)
        history = {partner_id: (first, spend) for partner_id, first, spend in self.env.execute_query(SQL("""
            SELECT partner_id, MIN(date_order)::date, SUM(amount_total) FROM pos_order
             WHERE partner_id = ANY(%s) AND state IN ('paid', 'done') GROUP BY partner_id
        """, members.ids))}
        first_days = np.array([(today - history[member_id][0]).days if member_id in history else -1
                               for member_id in members.ids], dtype=np.int64)
        spend = [history[member_id][1] if member_id in history else 0.0 for member_id in members.ids]
        days = members_demo.join_days_ago(chain["rng"], len(members), JOIN_DAYS, first_days)
        members.sudo()._retail_enrol(
            join_dates={member_id: today - timedelta(days=int(ago))
                        for member_id, ago in zip(members.ids, days.tolist(), strict=True)},
            home_stores=dict(zip(members.ids, home.tolist(), strict=True)),
            lifetime_spend=dict(zip(members.ids, spend, strict=True)))

    @api.model
    def _retail_demo_fit_ladder(self, chain, company):
        """A tier window longer than the generated history would leave every member in the entry
        tier: the demo ladder measures over the history instead, with proportional thresholds."""
        history_days = chain.get("history_days")
        if not history_days:
            return
        months = max(1, round(history_days / 30))
        for tier in self.env["retail.member.tier"].sudo()._retail_ladder(company):
            if tier.window_months > months:
                tier.write({
                    "threshold": members_demo.round_threshold(tier.threshold * months / tier.window_months),
                    "window_months": months,
                })

    @api.model
    def _retail_demo_points(self, chain, members, company):
        """Each member order earns its points; each member brings a balance from before the history.

        One statement writes the ledger, the lots, the card history and the card balances.
        """
        Move = self.env["retail.points.move"]
        Move.flush_model()
        rng = chain["rng"]
        opening = rng.integers(20, 2000, size=len(members))
        start = chain.get("start_date") or fields.Date.context_today(self)
        months = company.retail_points_expiry_months or 12
        entry = self.env["retail.member.tier"].sudo()._retail_ladder(company)[:1]
        now = fields.Datetime.now()
        labels = dict(Move._fields["move_type"]._description_selection(self.env))
        self.env["loyalty.card"].flush_model(["points"])
        self.env.cr.execute(SQL("""
            WITH moves AS (
                INSERT INTO retail_points_move (partner_id, card_id, company_id, retail_store_id, move_type, date,
                                                points, value, expiry_date, order_id, note, create_uid, create_date,
                                                write_uid, write_date)
                SELECT o.partner_id, p.retail_loyalty_card_id, %(company)s, c.warehouse_id, 'earn', o.date_order,
                       e.points, ROUND(e.points * %(value)s, 2),
                       (o.date_order + %(months)s * interval '1 month')::date, o.id, NULL,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM pos_order o
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN pos_config c ON c.id = o.config_id
                 CROSS JOIN LATERAL (SELECT floor(o.amount_total * %(rate)s * %(multiplier)s + 1e-6) AS points) e
                 WHERE o.partner_id = ANY(%(ids)s) AND o.state IN ('paid', 'done') AND e.points > 0
                UNION ALL
                SELECT p.id, p.retail_loyalty_card_id, %(company)s, p.retail_home_store_id, 'adjust', %(start)s,
                       v.points, ROUND(v.points * %(value)s, 2), (%(start)s + %(months)s * interval '1 month')::date,
                       NULL, %(note)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(opening)s::int[]) AS v(id, points)
                  JOIN res_partner p ON p.id = v.id
             RETURNING id, partner_id, card_id, move_type, date, points, expiry_date, order_id
            ), lots AS (
                INSERT INTO retail_points_lot (move_id, partner_id, date, expiry_date, remaining)
                SELECT id, partner_id, date, expiry_date, points FROM moves WHERE expiry_date > %(today)s
            ), history AS (
                INSERT INTO loyalty_history (card_id, description, issued, used, order_model, order_id,
                                             create_uid, create_date, write_uid, write_date)
                SELECT card_id, CASE move_type WHEN 'earn' THEN %(earn)s ELSE %(adjust)s END, points, 0,
                       CASE WHEN order_id IS NULL THEN NULL ELSE 'pos.order' END, order_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM moves WHERE card_id IS NOT NULL
            )
            UPDATE loyalty_card c SET points = COALESCE(c.points, 0) + s.points
              FROM (SELECT card_id, SUM(points) AS points FROM moves WHERE card_id IS NOT NULL GROUP BY card_id) s
             WHERE c.id = s.card_id
        """, company=company.id, value=company.retail_points_value, months=months, uid=self.env.uid, now=now,
            rate=company.retail_points_per_currency, multiplier=entry.points_multiplier if entry else 1.0,
            ids=members.ids, start=fields.Datetime.to_datetime(start), opening=opening.tolist(),
            note=self.env._("Balance carried over"), today=fields.Date.context_today(self),
            earn=labels["earn"], adjust=labels["adjust"]))
        self.env.invalidate_all()
