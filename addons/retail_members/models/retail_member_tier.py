import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import tiers as tier_rules


class RetailMemberTier(models.Model):
    _name = "retail.member.tier"
    _description = "Member tier"
    _order = "company_id, sequence, threshold, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Position on the ladder: lower comes first.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    basis = fields.Selection(
        [("spend", "Spend"), ("points", "Points earned")], required=True, default="spend",
        help="What a member must reach over the window to hold this tier.",
    )
    threshold = fields.Float(
        required=True, default=0.0,
        help="Spend (in the company currency) or points earned over the window needed for this "
        "tier. The first tier of the ladder is the entry tier and should be 0.",
    )
    window_months = fields.Integer(
        string="Window (months)", default=12, required=True,
        help="Rolling window over which spend or points are counted.",
    )
    grace_days = fields.Integer(
        string="Downgrade Grace (days)", default=30,
        help="Days a member may stay below this tier's threshold before being moved down.",
    )
    discount = fields.Float(
        string="Discount (%)", help="Discount on every product at the till for members of this tier.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist", string="Pricelist", copy=False,
        help="Pricelist applied at the till to members of this tier. Left empty with a discount, "
        "a pricelist with that discount is created for the tier.",
    )
    points_multiplier = fields.Float(
        default=1.0, help="Points earned = amount x points per currency unit x this multiplier.",
    )
    birthday_bonus = fields.Integer(string="Birthday Bonus (points)", help="Points given on the member's birthday.")
    member_count = fields.Integer(compute="_compute_member_count")
    color = fields.Integer()

    _threshold_positive = models.Constraint("CHECK(threshold >= 0)", "A tier threshold cannot be negative.")
    _window_positive = models.Constraint("CHECK(window_months > 0)", "A tier window must be at least one month.")
    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "A tier discount is a percentage between 0 and 100.")

    @api.constrains("points_multiplier", "grace_days")
    def _check_values(self):
        for tier in self:
            if tier.points_multiplier < 0 or tier.grace_days < 0:
                raise ValidationError(self.env._(
                    "Tier %(name)s: the points multiplier and the grace days cannot be negative.", name=tier.name))

    def _compute_member_count(self):
        counts = dict(self.env["res.partner"].sudo()._read_group(
            [("retail_tier_id", "in", self.ids)], ["retail_tier_id"], ["__count"]))
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers._retail_sync_pricelists()
        return tiers

    def write(self, vals):
        result = super().write(vals)
        if "discount" in vals or "name" in vals:
            self._retail_sync_pricelists()
        if "pricelist_id" in vals:
            self._retail_apply_pricelist_to_members()
        return result

    def _retail_sync_pricelists(self):
        """A tier with a discount gets (or updates) its own pricelist with that global discount."""
        Pricelist = self.env["product.pricelist"].sudo()
        for tier in self.sudo():
            if not tier.discount:
                continue
            item = {"applied_on": "3_global", "compute_price": "percentage", "percent_price": tier.discount}
            if tier.pricelist_id:
                if tier.pricelist_id.item_ids[:1].compute_price == "percentage":
                    tier.pricelist_id.item_ids[:1].percent_price = tier.discount
                continue
            pricelist = Pricelist.create({
                "name": self.env._("Members %s", tier.name),
                "company_id": tier.company_id.id,
                "currency_id": tier.company_id.currency_id.id,
                "item_ids": [fields.Command.create(item)],
            })
            models.Model.write(tier, {"pricelist_id": pricelist.id})
            tier._retail_apply_pricelist_to_members()

    def _retail_apply_pricelist_to_members(self):
        for tier in self.sudo():
            members = self.env["res.partner"].sudo().search([("retail_tier_id", "=", tier.id)])
            if members and tier.pricelist_id:
                members.property_product_pricelist = tier.pricelist_id

    @api.model
    def _retail_ladder(self, company):
        return self.sudo().search([("company_id", "=", company.id)], order="sequence, threshold, id")

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _retail_member_metrics(self, company, ladder, partner_ids=None, today=None):
        """Members of ``company`` and their measure for each tier of ``ladder``.

        One aggregate query per distinct (basis, window) of the ladder.
        :return: (partner ids array, current tier index array, below-since days array,
                  metrics matrix members x tiers, rolling spend array)
        """
        today = today or fields.Date.context_today(self)
        self.env["res.partner"].flush_model()
        self.env["retail.points.move"].flush_model()
        self.env["pos.order"].flush_model(["partner_id", "amount_total", "date_order", "state"])
        member_filter = SQL(
            "p.retail_is_member AND COALESCE(p.company_id, %s) = %s AND p.active", company.id, company.id)
        if partner_ids is not None:
            member_filter = SQL("%s AND p.id = ANY(%s)", member_filter, list(partner_ids))
        rows = self.env.execute_query(SQL(
            "SELECT p.id, p.retail_tier_id, p.retail_tier_below_since FROM res_partner p WHERE %s ORDER BY p.id",
            member_filter))
        ids = np.array([row[0] for row in rows], dtype=np.int64)
        position = {tier.id: index for index, tier in enumerate(ladder)}
        current = np.array([position.get(row[1], -1) for row in rows], dtype=np.int64)
        below = np.array([(today - row[2]).days if row[2] else -1 for row in rows], dtype=np.int64)
        metrics = np.zeros((len(ids), len(ladder)), dtype=np.float64)
        cache = {}
        spend_window = max(ladder.mapped("window_months") or [12])
        for index, tier in enumerate(ladder):
            key = (tier.basis, tier.window_months)
            if key not in cache:
                cache[key] = self._retail_aggregate(key[0], today - relativedelta(months=key[1]), member_filter, ids)
            metrics[:, index] = cache[key]
        if ("spend", spend_window) not in cache:
            cache[("spend", spend_window)] = self._retail_aggregate(
                "spend", today - relativedelta(months=spend_window), member_filter, ids)
        return ids, current, below, metrics, cache[("spend", spend_window)]

    @api.model
    def _retail_aggregate(self, basis, since, member_filter, ids):
        if basis == "spend":
            query = SQL("""
                SELECT o.partner_id, SUM(o.amount_total)
                  FROM pos_order o JOIN res_partner p ON p.id = o.partner_id
                 WHERE %s AND o.state IN ('paid', 'done') AND o.date_order >= %s
                 GROUP BY o.partner_id
            """, member_filter, since)
        else:
            query = SQL("""
                SELECT m.partner_id, SUM(m.points)
                  FROM retail_points_move m JOIN res_partner p ON p.id = m.partner_id
                 WHERE %s AND m.move_type IN ('earn', 'refund') AND m.date >= %s
                 GROUP BY m.partner_id
            """, member_filter, since)
        rows = self.env.execute_query(query)
        values = np.zeros(len(ids), dtype=np.float64)
        if rows:
            keys = np.array([row[0] for row in rows], dtype=np.int64)
            amounts = np.array([row[1] or 0.0 for row in rows], dtype=np.float64)
            values[np.searchsorted(ids, keys)] = amounts
        return values

    @api.model
    def _retail_evaluate(self, company=None, partner_ids=None, allow_downgrade=True, today=None):
        """Evaluate the tiers of the company's members (all, or ``partner_ids``).

        Upgrades apply at once; downgrades once the member has been below the tier for its grace
        days. Writes in batches, one history row per change.
        :return: number of tier changes
        """
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        ladder = self._retail_ladder(company)
        if not ladder:
            return 0
        ids, current, below, metrics, rolling = self._retail_member_metrics(company, ladder, partner_ids, today)
        if not len(ids):
            return 0
        new, next_below = tier_rules.evaluate(
            current, metrics, ladder.mapped("threshold"), below, ladder.mapped("grace_days"), allow_downgrade)
        ladder_ids = np.array(ladder.ids, dtype=np.int64)
        changed = new != current
        # below-since date: keep the old date while waiting, start today, clear when above
        below_dates = [
            False if days < 0 else fields.Date.to_string(today - relativedelta(days=int(days)))
            for days in next_below
        ]
        self.env.cr.execute(SQL("""
            UPDATE res_partner p
               SET retail_tier_id = v.tier_id, retail_tier_below_since = v.below_since::date,
                   retail_rolling_spend = v.rolling
              FROM unnest(%s::int[], %s::int[], %s::text[], %s::numeric[]) AS v(id, tier_id, below_since, rolling)
             WHERE p.id = v.id AND p.id = ANY(%s)
               AND (p.retail_tier_id IS DISTINCT FROM v.tier_id
                    OR p.retail_tier_below_since IS DISTINCT FROM v.below_since::date
                    OR p.retail_rolling_spend IS DISTINCT FROM v.rolling)
        """, ids.tolist(), ladder_ids[new].tolist(), [d or None for d in below_dates],
            np.round(rolling, 2).tolist(), ids.tolist()))
        self.env["res.partner"].invalidate_model(
            ["retail_tier_id", "retail_tier_below_since", "retail_rolling_spend", "retail_tier_name",
             "retail_points_multiplier"])
        if not changed.any():
            return 0
        old_tiers = np.where(current[changed] >= 0, ladder_ids[np.clip(current[changed], 0, None)], 0)
        reasons = np.where(new[changed] > current[changed], "upgrade", "downgrade")
        self.env["retail.member.tier.history"].flush_model()
        self.env.cr.execute(SQL("""
            INSERT INTO retail_member_tier_history (partner_id, date, old_tier_id, new_tier_id, reason,
                                                    rolling_spend, notified, create_uid, create_date,
                                                    write_uid, write_date)
            SELECT v.partner_id, %(now)s, NULLIF(v.old_tier, 0), v.new_tier, v.reason, v.spend, false,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(partners)s::int[], %(old)s::int[], %(new)s::int[], %(reasons)s::text[],
                          %(spend)s::numeric[]) AS v(partner_id, old_tier, new_tier, reason, spend)
        """, now=fields.Datetime.now(), uid=self.env.uid, partners=ids[changed].tolist(),
            old=old_tiers.tolist(), new=ladder_ids[new[changed]].tolist(), reasons=reasons.tolist(),
            spend=np.round(rolling[changed], 2).tolist()))
        self.env["retail.member.tier.history"].invalidate_model()
        self._retail_assign_pricelists(ids[changed], ladder_ids[new[changed]], ladder)
        return int(changed.sum())

    @api.model
    def _retail_assign_pricelists(self, partner_ids, tier_ids, ladder):
        """Members get their tier's pricelist (the company's default for tiers without one), in one
        statement per tier."""
        company = ladder[:1].company_id
        default = self.env["product.pricelist"].sudo().search(
            [("company_id", "in", [company.id, False])], limit=1)
        self.env["res.partner"].flush_model(["specific_property_product_pricelist"])
        for tier in ladder:
            members = partner_ids[tier_ids == tier.id].tolist()
            pricelist = tier.pricelist_id or default
            if not members or not pricelist:
                continue
            self.env.cr.execute(SQL("""
                UPDATE res_partner
                   SET specific_property_product_pricelist =
                       COALESCE(specific_property_product_pricelist, '{}'::jsonb) || jsonb_build_object(%s, %s)
                 WHERE id = ANY(%s)
            """, str(company.id), pricelist.id, members))
        self.env["res.partner"].invalidate_model(["specific_property_product_pricelist", "property_product_pricelist"])

    @api.model
    def _cron_retail_evaluate_tiers(self):
        for company in self.env["res.company"].sudo().search([]):
            self.sudo()._retail_evaluate(company=company)
        self.env["retail.member.tier.history"].sudo()._retail_notify_pending()
