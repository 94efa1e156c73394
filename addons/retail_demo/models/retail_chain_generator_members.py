from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.addons.retail_members.models.res_partner import CARD_BARCODE_PREFIX
from odoo.addons.retail_members.tools import phone
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
        self._retail_demo_bulk_enrol(
            members,
            join_dates={member_id: today - timedelta(days=int(ago))
                        for member_id, ago in zip(members.ids, days.tolist(), strict=True)},
            home_stores=dict(zip(members.ids, home.tolist(), strict=True)),
            lifetime_spend=dict(zip(members.ids, spend, strict=True)))

    @api.model
    def _retail_demo_bulk_enrol(self, members, join_dates, home_stores, lifetime_spend):
        """Enrol the generated members as ``res.partner._retail_enrol`` does, past the ORM.

        A bulk load, like the rest of the history: the bench chain enrols 300,000 members, which
        the ORM path does at about 1.35 ms each and this at about 0.25 ms. The members are new
        partners the generator itself created, with nothing to track and no barcode yet.

        Set-based, for one member or a whole chain: one batch of numbers per company, one insert
        of the cards, one update of the partners and one insert of the tier history.
        :param join_dates, home_stores, lifetime_spend: dicts partner id -> value for members
            brought in with a history (the demo chain), written in the same update
        """
        Partner = self.env["res.partner"]
        partners = members.sudo()
        if not partners:
            return
        partners.flush_recordset()
        rows = self.env.execute_query(SQL("""
            SELECT id, COALESCE(company_id, %s), retail_member_number, retail_card_barcode,
                   retail_loyalty_card_id IS NULL, company_id, name, phone, retail_mobile
              FROM res_partner WHERE id = ANY(%s) ORDER BY id
        """, self.env.company.id, partners.ids))
        # contacts that become members bring their phone: it becomes their member mobile
        mobiles = {row[0]: Partner._retail_normalise_mobile(row[7]) for row in rows if row[7] and not row[8]}
        Partner._retail_check_unique_mobile([
            (partners.browse(row[0]), row[5] or False, mobiles[row[0]], row[6]) for row in rows if row[0] in mobiles])
        Company = self.env["res.company"]
        companies = {row[1] for row in rows}
        entry_tiers = {company_id: self.env["retail.member.tier"].sudo()._retail_ladder(Company.browse(company_id))[:1]
                       for company_id in companies}
        programs = {company_id: Company.browse(company_id)._retail_member_program() for company_id in companies}
        numbers = {}
        for company_id in companies:
            unnumbered = [row[0] for row in rows if row[1] == company_id and not row[2]]
            numbers.update(zip(unnumbered, Partner._retail_member_numbers(Company.browse(company_id), len(unnumbered)),
                               strict=True))
        barcodes = {
            partner_id: phone.card_barcode(CARD_BARCODE_PREFIX, int("".join(ch for ch in number if ch.isdigit()) or 0))
            for partner_id, number in numbers.items()
        }
        # the member's card barcode is the code of the loyalty card the till scans
        wanted = [(row[0], programs[row[1]], row[3] or barcodes.get(row[0])) for row in rows if row[4]]
        wanted = [(partner_id, program, code) for partner_id, program, code in wanted if program and code]
        now = fields.Datetime.now()
        cards = dict(self.env.execute_query(SQL("""
            INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active,
                                      create_uid, create_date, write_uid, write_date)
            SELECT v.program_id, pr.company_id, v.partner_id, v.code, 0, true, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(partners)s::int[], %(programs)s::int[], %(codes)s::text[])
                   AS v(partner_id, program_id, code)
              JOIN loyalty_program pr ON pr.id = v.program_id
         RETURNING partner_id, id
        """, uid=self.env.uid, now=now, partners=[item[0] for item in wanted],
            programs=[item[1].id for item in wanted], codes=[item[2] for item in wanted]))) if wanted else {}
        ids = [row[0] for row in rows]
        today = fields.Date.context_today(self)
        self.env.cr.execute(SQL("""
            UPDATE res_partner p
               SET retail_member_number = COALESCE(p.retail_member_number, v.number),
                   retail_card_barcode = COALESCE(p.retail_card_barcode, v.barcode),
                   barcode = CASE
                       WHEN v.barcode IS NULL OR p.barcode->>%(company_key)s IS NOT NULL THEN p.barcode
                       ELSE COALESCE(p.barcode, '{}'::jsonb) || jsonb_build_object(%(company_key)s, v.barcode)
                   END,
                   retail_join_date = COALESCE(v.join_date, p.retail_join_date, %(today)s),
                   retail_tier_id = COALESCE(p.retail_tier_id, NULLIF(v.tier_id, 0)),
                   retail_loyalty_card_id = COALESCE(p.retail_loyalty_card_id, NULLIF(v.card_id, 0)),
                   retail_is_member = true,
                   retail_home_store_id = COALESCE(NULLIF(v.store_id, 0), p.retail_home_store_id),
                   retail_lifetime_spend = COALESCE(v.spend, p.retail_lifetime_spend),
                   retail_mobile = COALESCE(p.retail_mobile, v.mobile),
                   phone = NULL,
                   phone_sanitized = NULL
              FROM unnest(%(ids)s::int[], %(numbers)s::text[], %(barcodes)s::text[], %(tiers)s::int[],
                          %(cards)s::int[], %(join_dates)s::date[], %(stores)s::int[], %(spend)s::numeric[],
                          %(mobiles)s::text[])
                   AS v(id, number, barcode, tier_id, card_id, join_date, store_id, spend, mobile)
             WHERE p.id = v.id
        """, today=today, company_key=str(self.env.company.id), ids=ids,
            mobiles=[mobiles.get(partner_id) for partner_id in ids],
            join_dates=[join_dates.get(partner_id) for partner_id in ids],
            stores=[home_stores.get(partner_id, 0) for partner_id in ids],
            spend=[lifetime_spend.get(partner_id) for partner_id in ids],
            numbers=[numbers.get(partner_id) for partner_id in ids],
            barcodes=[barcodes.get(partner_id) for partner_id in ids],
            tiers=[entry_tiers[row[1]].id or 0 for row in rows],
            cards=[cards.get(partner_id, 0) for partner_id in ids]))
        self.env["retail.member.tier.history"].flush_model()
        self.env.cr.execute(SQL("""
            INSERT INTO retail_member_tier_history (partner_id, date, new_tier_id, reason, rolling_spend, notified,
                                                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, CASE WHEN p.retail_join_date < %(today)s THEN p.retail_join_date::timestamp ELSE %(now)s END,
                   p.retail_tier_id, 'enrol', 0, false, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM res_partner p
             WHERE p.id = ANY(%(ids)s) AND p.retail_tier_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM retail_member_tier_history h WHERE h.partner_id = p.id)
        """, now=now, today=today, uid=self.env.uid, ids=ids))
        self.env.invalidate_all()
        if cards:
            # the ORM's own check of card codes, once for the batch
            self.env["loyalty.card"].sudo().browse(list(cards.values()))._contrains_code()

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
