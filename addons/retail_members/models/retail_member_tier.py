import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
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
        "product.pricelist", copy=False,
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
        self.env.registry.clear_cache()  # _retail_member_pricelist_ids
        return tiers

    def write(self, vals):
        result = super().write(vals)
        if {"pricelist_id", "active"} & vals.keys():
            self.env.registry.clear_cache()  # _retail_member_pricelist_ids
        if "discount" in vals or "name" in vals:
            self._retail_sync_pricelists()
        if "pricelist_id" in vals:
            self._retail_apply_pricelist_to_members()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _retail_member_pricelist_ids
        return result

    @api.model
    @tools.ormcache()
    def _retail_member_pricelist_ids(self):
        """The price lists of the active tiers of every company: read by each order the tills send,
        kept until a tier's price list changes or a tier is archived."""
        tiers = self.sudo().with_context(active_test=True).search([("pricelist_id", "!=", False)])
        return frozenset(tiers.mapped("pricelist_id").ids)

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
            self.env.registry.clear_cache()  # _retail_member_pricelist_ids
            tier._retail_apply_pricelist_to_members()

    def _retail_apply_pricelist_to_members(self):
        for tier in self.sudo():
            members = self.env["res.partner"].sudo().search([("retail_tier_id", "=", tier.id)])
            if members and tier.pricelist_id:
                members.property_product_pricelist = tier.pricelist_id

    def action_retail_offer_on_tills(self):
        """Offer the tiers' price lists on every till of the company's stores.

        The till gives a member the tier's prices only if the till offers that price list (and
        the server refuses an order in a price list its till does not offer). A price list made
        before the company's currency was set is moved to the company's currency.
        """
        user = self.env.user
        if not (user.has_group("point_of_sale.group_pos_manager") or user.has_group("retail_base.group_retail_hq")):
            raise AccessError(self.env._("Only headquarters or a point of sale administrator may change the tills."))
        tiers = self.sudo().filtered("pricelist_id")
        configs = self.env["pos.config"]
        for company in tiers.company_id:
            pricelists = tiers.filtered(lambda tier, c=company: tier.company_id == c).pricelist_id
            pricelists.filtered(lambda p, c=company: p.currency_id != c.currency_id).write(
                {"currency_id": company.currency_id.id})
            company_configs = self.env["pos.config"].sudo().search([
                ("company_id", "=", company.id), ("warehouse_id.retail_store_type", "=", "store"),
            ])
            for config in company_configs:
                offered = config.available_pricelist_ids | config.pricelist_id | pricelists
                config.write({"use_pricelist": True, "available_pricelist_ids": [fields.Command.set(offered.ids)]})
            configs |= company_configs
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The tier price lists are offered on %(count)s tills.", count=len(configs)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _retail_ladder(self, company):
        return self.sudo().search([("company_id", "=", company.id)], order="sequence, threshold, id")

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _retail_spend_states(self):
        """Order states that count as spend."""
        return ("paid", "done")

    @api.model
    def _retail_member_metrics(self, company, ladder, partner_ids=None, today=None):
        """Members of ``company`` and their measure for each tier of ``ladder``, in one query.

        Every spend window is summed in one scan of the orders (one ``FILTER`` per window), every
        points window in one scan of the ledger.
        :return: arrays (partner ids, current tier id (0 for none), days below the tier (-1 when
                 not below), metrics members x tiers, spend over the longest window)
        """
        today = today or fields.Date.context_today(self)
        self.env["res.partner"].flush_model(
            ["retail_is_member", "company_id", "active", "retail_tier_id", "retail_tier_below_since"])
        self.env["retail.points.move"].flush_model(["partner_id", "move_type", "date", "points"])
        self.env["pos.order"].flush_model(["partner_id", "amount_total", "date_order", "state"])
        spend_window = max(ladder.mapped("window_months") or [12])
        keys = sorted({(tier.basis, tier.window_months) for tier in ladder} | {("spend", spend_window)})
        since = {months: today - relativedelta(months=months) for _basis, months in keys}

        # spelt out rather than COALESCE(company_id, ..) so that the planner estimates it well
        members = SQL("p.retail_is_member AND p.active AND (p.company_id = %s OR p.company_id IS NULL)", company.id)
        if partner_ids is not None:
            members = SQL("%s AND p.id = ANY(%s)", members, list(partner_ids))
        spend_filter = SQL("o.state IN %s", self._retail_spend_states())
        points_filter = SQL("mv.move_type IN ('earn', 'refund')")
        if partner_ids is not None:
            # lets the planner reach the orders through their partner index
            spend_filter = SQL("%s AND o.partner_id = ANY(%s)", spend_filter, list(partner_ids))
            points_filter = SQL("%s AND mv.partner_id = ANY(%s)", points_filter, list(partner_ids))
        joins, outputs = [], []
        for basis, table, alias, amount, date, where in (
            ("spend", "pos_order", "o", "o.amount_total", "o.date_order", spend_filter),
            ("points", "retail_points_move", "mv", "mv.points", "mv.date", points_filter),
        ):
            windows = [months for key_basis, months in keys if key_basis == basis]
            if not windows:
                continue
            columns = [
                SQL("SUM(%s) FILTER (WHERE %s >= %s)::float8 AS %s", SQL(amount), SQL(date), since[months],
                    SQL.identifier(f"w{months}"))
                for months in windows
            ]
            # the outer join keeps the members: the few orders of other customers are summed and dropped
            # rather than joined to the partners first
            joins.append(SQL("""
                LEFT JOIN (
                    SELECT %(alias)s.partner_id, %(columns)s
                      FROM %(table)s %(alias)s
                     WHERE %(alias)s.partner_id IS NOT NULL AND %(where)s AND %(date)s >= %(since)s
                     GROUP BY %(alias)s.partner_id
                ) %(name)s ON %(name)s.partner_id = p.id""", name=SQL.identifier(basis), alias=SQL.identifier(alias),
                columns=SQL(", ").join(columns), table=SQL.identifier(table), where=where, date=SQL(date),
                since=min(since[m] for m in windows)))
            outputs += [SQL("COALESCE(%s, 0)", SQL.identifier(basis, f"w{months}")) for months in windows]
        rows = self.env.execute_query(SQL("""
            SELECT p.id, COALESCE(p.retail_tier_id, 0), COALESCE(%(today)s::date - p.retail_tier_below_since, -1),
                   %(outputs)s
              FROM res_partner p %(joins)s
             WHERE %(members)s
        """, today=today, outputs=SQL(", ").join(outputs), joins=SQL(" ").join(joins), members=members))
        data = np.array(rows, dtype=np.float64).reshape(len(rows), 3 + len(keys))
        column = {key: 3 + index for index, key in enumerate(keys)}
        metrics = data[:, [column[(tier.basis, tier.window_months)] for tier in ladder]]
        return (data[:, 0].astype(np.int64), data[:, 1].astype(np.int64), data[:, 2].astype(np.int64), metrics,
                data[:, column[("spend", spend_window)]])

    @api.model
    def _retail_rolling_spend(self, partners):
        """Spend of ``partners`` over the longest tier window of their company, up to now.

        :return: dict partner id -> spend
        """
        today = fields.Date.context_today(self)
        spend = {}
        for company, members in partners.grouped(lambda partner: partner.company_id or self.env.company).items():
            windows = self._retail_ladder(company).mapped("window_months") or [12]
            groups = self.env["pos.order"].sudo()._read_group([
                ("partner_id", "in", members.ids), ("state", "in", self._retail_spend_states()),
                ("date_order", ">=", today - relativedelta(months=max(windows))),
            ], ["partner_id"], ["amount_total:sum"])
            spend.update((partner.id, amount) for partner, amount in groups)
        return spend

    @api.model
    def _retail_evaluate(self, company=None, partner_ids=None, allow_downgrade=True, today=None):
        """Evaluate the tiers of the company's members (all, or ``partner_ids``).

        Upgrades apply at once; downgrades once the member has been below the tier for its grace
        days. Only the members whose tier or grace clock changes are written, in one statement,
        with one history row per tier change.
        :return: number of tier changes
        """
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        ladder = self._retail_ladder(company)
        if not ladder:
            return 0
        ids, tier_ids, below, metrics, rolling = self._retail_member_metrics(company, ladder, partner_ids, today)
        if not len(ids):
            return 0
        ladder_ids = np.array(ladder.ids, dtype=np.int64)
        current = tier_rules.ladder_positions(tier_ids, ladder_ids)
        new, next_below = tier_rules.evaluate(
            current, metrics, ladder.mapped("threshold"), below, ladder.mapped("grace_days"), allow_downgrade)
        changed = new != current
        touched = changed | (next_below != below)
        if not touched.any():
            return 0
        pricelists = self._retail_tier_pricelists(ladder)
        self.env["res.partner"].flush_model(
            ["retail_tier_id", "retail_tier_below_since", "specific_property_product_pricelist"])
        # members changing tier also get the tier's pricelist (0: keep the member's pricelist)
        self.env.cr.execute(SQL("""
            UPDATE res_partner p
               SET retail_tier_id = v.tier_id,
                   retail_tier_below_since = CASE WHEN v.below < 0 THEN NULL ELSE %(today)s::date - v.below END,
                   specific_property_product_pricelist = CASE WHEN v.pricelist = 0
                       THEN p.specific_property_product_pricelist
                       ELSE COALESCE(p.specific_property_product_pricelist, '{}'::jsonb)
                            || jsonb_build_object(%(company)s, v.pricelist) END
              FROM unnest(%(ids)s::int[], %(tiers)s::int[], %(below)s::int[], %(pricelists)s::int[])
                   AS v(id, tier_id, below, pricelist)
             WHERE p.id = v.id
        """, today=today, company=str(company.id), ids=ids[touched].tolist(),
            tiers=ladder_ids[new[touched]].tolist(), below=next_below[touched].tolist(),
            pricelists=np.where(changed, pricelists[new], 0)[touched].tolist()))
        self.env["res.partner"].invalidate_model([
            "retail_tier_id", "retail_tier_below_since", "retail_tier_name", "retail_points_multiplier",
            "retail_tier_pricelist_id", "specific_property_product_pricelist", "property_product_pricelist",
        ])
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
        return int(changed.sum())

    @api.model
    def _retail_tier_pricelists(self, ladder):
        """Pricelist id of each tier of ``ladder`` (the company's default for tiers without one)."""
        default = self.env["product.pricelist"].sudo().search(
            [("company_id", "in", [ladder[:1].company_id.id, False])], limit=1)
        return np.array([(tier.pricelist_id or default).id or 0 for tier in ladder], dtype=np.int64)

    @api.model
    def _cron_retail_evaluate_tiers(self):
        # every company, a few per database
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            self.sudo()._retail_evaluate(company=company)
        self.env["retail.member.tier.history"].sudo()._retail_notify_pending()
