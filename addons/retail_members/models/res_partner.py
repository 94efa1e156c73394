"""The member is the partner: membership, its mobile, enrolment, the till's lookup, insight and merge.

Over 600 lines on purpose: these parts guard the same fields (the mobile and its masking, the
card, the tier) in one ``create``/``write``; split over files they would be one class in
several files, each needing the others' checks.
"""

from collections import defaultdict

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every

from ..tools import phone, preferences, rfm

CARD_BARCODE_PREFIX = "042"

# Marks the enrolment's own writes on its members, which it checked for the whole batch: an
# object, so that no caller can send it (RPC carries only JSON values), unlike a flag.
ENROLLING_KEY = "retail_members_enrolling"
ENROLLING = object()
ENROL_BATCH_SIZE = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    retail_is_member = fields.Boolean(string="Member", index=True, copy=False)
    # looked up through their unique constraints' indexes
    retail_member_number = fields.Char(string="Member Number", readonly=True, copy=False)
    retail_card_barcode = fields.Char(
        string="Card Barcode", readonly=True, copy=False,
        help="EAN-13 printed on the member card; scanning it at the till identifies the member.",
    )
    retail_mobile = fields.Char(
        string="Member Mobile", copy=False, index=True,
        groups="retail_base.group_retail_manager,base.group_system",
        help="Mainland mobile number (11 digits). Spaces, dashes and +86 are removed. It must be "
        "unique among the members of a company.",
    )
    retail_mobile_masked = fields.Char(string="Mobile", compute="_compute_retail_mobile_masked")
    retail_join_date = fields.Date(string="Joined On", copy=False)
    retail_birthday = fields.Date(string="Birthday", copy=False)
    retail_home_store_id = fields.Many2one(
        "stock.warehouse", string="Home Store", index=True, copy=False,
        domain="[('retail_store_type', '=', 'store')]",
        default=lambda self: self._default_retail_home_store_id(),
    )
    retail_tier_id = fields.Many2one("retail.member.tier", string="Tier", index=True, copy=False, readonly=True)
    retail_tier_below_since = fields.Date(
        string="Below Tier Since", copy=False, readonly=True,
        help="Day the member fell below the threshold of the tier; the tier is lowered once the "
        "grace period of the tier has passed.",
    )
    retail_loyalty_card_id = fields.Many2one("loyalty.card", string="Member Card", copy=False, readonly=True)
    # the card holds the balance: expiry and redemption write the narrow card table, not the partner
    retail_points_balance = fields.Float(
        related="retail_loyalty_card_id.points", string="Points", digits=(16, 0), aggregator="sum")
    retail_rolling_spend = fields.Monetary(
        string="Rolling Spend", compute="_compute_retail_rolling_spend", currency_field="retail_currency_id",
        help="Spend over the tier window (12 months by default) up to today.",
    )
    # A float shown as money: Odoo sums a monetary field only with a stored currency column, and
    # the value-per-tier pivot sums it over members of one company, in the company's currency.
    retail_lifetime_spend = fields.Float(
        string="Lifetime Spend", copy=False, readonly=True, digits=(16, 2), aggregator="sum",
    )
    retail_currency_id = fields.Many2one("res.currency", compute="_compute_retail_currency_id")
    retail_rfm_segment = fields.Selection([
        ("champions", "Champions"),
        ("loyal", "Loyal"),
        ("potential", "Potential"),
        ("at_risk", "Need Attention"),
        ("hibernating", "Hibernating"),
        ("new", "New"),
    ], string="Segment", readonly=True, copy=False, index=True,
        help="Recency, frequency and money quintiles of the member's purchases at the last insight run.")
    retail_last_visit = fields.Datetime(string="Last Visit", readonly=True, copy=False)
    retail_visit_count = fields.Integer(string="Visits", readonly=True, copy=False)
    retail_usual_interval = fields.Float(
        string="Usual Days Between Visits", readonly=True, copy=False, digits=(16, 1))
    retail_at_risk = fields.Boolean(
        string="At Risk", readonly=True, copy=False, index=True,
        help="No visit for more than three times the member's usual interval between visits.")
    retail_top_categories = fields.Char(
        string="Top Categories", compute="_compute_retail_preferences",
        groups="retail_base.group_retail_manager",
        help="The three product categories the member spent most on over the last 12 months.")
    retail_top_attribute_values = fields.Char(
        string="Top Colours and Sizes", compute="_compute_retail_preferences",
        groups="retail_base.group_retail_manager",
        help="The attribute values (colours, sizes, ...) the member bought most of over the last 12 "
        "months, per attribute.")
    retail_tier_history_ids = fields.One2many("retail.member.tier.history", "partner_id", string="Tier History")
    retail_points_move_ids = fields.One2many("retail.points.move", "partner_id", string="Points Ledger")
    retail_pos_order_count = fields.Integer(compute="_compute_retail_counts", string="Member Orders")
    retail_points_move_count = fields.Integer(compute="_compute_retail_counts", string="Ledger Moves")
    retail_tier_history_count = fields.Integer(compute="_compute_retail_counts", string="Tier Changes")

    _retail_member_number_uniq = models.Constraint(
        "UNIQUE(retail_member_number)", "This member number is already used by another member.",
    )
    _retail_card_barcode_uniq = models.Constraint(
        "UNIQUE(retail_card_barcode)", "This card barcode is already used by another member.",
    )
    _retail_member_mobile_uniq = models.UniqueIndex(
        "(COALESCE(company_id, 0), retail_mobile) WHERE retail_is_member AND retail_mobile IS NOT NULL",
        "This mobile number is already used by another member of the company.",
    )

    @api.depends_context("uid")
    def _compute_retail_mobile_masked(self):
        mobiles = {partner.id: partner.retail_mobile for partner in self.sudo()}
        for partner in self:
            partner.retail_mobile_masked = phone.mask_mobile(mobiles.get(partner.id))

    @api.model
    def _default_retail_home_store_id(self):
        if self.env.context.get("default_retail_is_member"):
            return self.env.user.retail_default_store_id
        return False

    def _compute_retail_currency_id(self):
        for partner in self:
            partner.retail_currency_id = (partner.company_id or self.env.company).currency_id

    def _compute_retail_rolling_spend(self):
        spend = self.env["retail.member.tier"]._retail_rolling_spend(self.filtered("retail_is_member"))
        for partner in self:
            partner.retail_rolling_spend = spend.get(partner.id, 0.0)

    def _compute_retail_preferences(self):
        members = self.filtered("retail_is_member")
        Report = self.env["retail.member.preference.report"].sudo()
        since = (fields.Date.context_today(self) - relativedelta(months=12)).replace(day=1)
        domain = [("partner_id", "in", members.ids), ("date", ">=", since)]
        categories = Report._read_group(
            [*domain, ("attribute_id", "=", False)], ["partner_id", "categ_id"], ["amount:sum"]) if members else []
        values = Report._read_group(
            [*domain, ("attribute_id", "!=", False)], ["partner_id", "attribute_id", "attribute_value_id"],
            ["quantity:sum"]) if members else []
        top_categories = preferences.top_labels(
            (partner.id, category.display_name, amount) for partner, category, amount in categories)
        top_values = preferences.attribute_summary(
            (partner.id, attribute.name, value.name, quantity)
            for partner, attribute, value, quantity in values)
        for partner in self:
            partner.retail_top_categories = ", ".join(top_categories.get(partner.id, []))
            partner.retail_top_attribute_values = top_values.get(partner.id, "")

    def _compute_retail_counts(self):
        orders = dict(self.env["pos.order"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        moves = dict(self.env["retail.points.move"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        changes = dict(self.env["retail.member.tier.history"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.retail_pos_order_count = orders.get(partner, 0)
            partner.retail_points_move_count = moves.get(partner, 0)
            partner.retail_tier_history_count = changes.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        candidates = []
        # the default only decides whether the phone rule applies; it never relaxes a check
        default_member = bool(self.env.context.get("default_retail_is_member"))
        vals_list = [self._retail_fold_phone(vals) if vals.get("retail_is_member", default_member) else vals
                     for vals in vals_list]
        for vals in vals_list:
            if "retail_mobile" in vals:
                vals["retail_mobile"] = self._retail_normalise_mobile(vals["retail_mobile"])
            if vals.get("retail_is_member", default_member) and vals.get("retail_mobile"):
                company_id = vals.get("company_id") or False
                candidates.append((self.browse(), company_id, vals["retail_mobile"], vals.get("name") or ""))
        self._retail_check_unique_mobile(candidates)
        partners = super().create(vals_list)
        members = partners.filtered("retail_is_member")
        if members:
            members._retail_enrol()
        return partners

    def write(self, vals):
        if self.env.context.get(ENROLLING_KEY) is ENROLLING:
            return super().write(vals)
        if "retail_is_member" in vals:
            members = self if vals["retail_is_member"] else self.browse()
        else:
            members = self.filtered("retail_is_member")
        if "phone" in vals and members:
            if members != self:
                # one write for the contacts, which keep their phone, one for the members
                return (self - members).write(vals) and members.write(vals)
            vals = self._retail_fold_phone(vals)
        elif vals.get("retail_is_member") and not self._retail_may_set_mobile() \
                and any(self.filtered(lambda partner: not partner.retail_is_member).mapped("phone")):
            # enrolment moves the contact's phone into the member mobile
            raise AccessError(self._retail_mobile_access_message())
        if "retail_mobile" in vals:
            vals["retail_mobile"] = self._retail_normalise_mobile(vals["retail_mobile"])
        if "retail_mobile" in vals or vals.get("retail_is_member"):
            candidates = []
            for partner in self.sudo():
                mobile = vals.get("retail_mobile", partner.retail_mobile)
                is_member = vals.get("retail_is_member", partner.retail_is_member)
                if is_member and not mobile and not partner.retail_is_member and partner.phone:
                    # checked before anything is written; the enrolment moves it
                    mobile = self._retail_normalise_mobile(partner.phone)
                if is_member and mobile:
                    company_id = vals.get("company_id", partner.company_id.id) or False
                    candidates.append((partner, company_id, mobile, partner.name))
            self._retail_check_unique_mobile(candidates)
        newly = self.filtered(lambda p: not p.retail_is_member) if vals.get("retail_is_member") else self.browse()
        result = super().write(vals)
        if newly:
            newly._retail_enrol()
        return result

    def _message_track(self, fields_iter, initial_values_dict):
        # a member's number lives in the member mobile, which only managers read: the phone it
        # came from is not tracked into the chatter, which everyone who sees the member reads
        for member in self.filtered("retail_is_member"):
            initial_values_dict.get(member.id, {}).pop("phone", None)
        return super()._message_track(fields_iter, initial_values_dict)

    @api.model
    def _retail_fold_phone(self, vals):
        """Values of a member with their phone moved into the member mobile.

        A member's number is kept once, in ``retail_mobile``, which only managers read: core's
        ``phone`` (with its sanitized copy and phone search) is read by everyone who sees the
        contact, so it stays empty for members. A member mobile given beside the phone wins.
        """
        if "phone" not in vals:
            return vals
        number = vals["phone"]
        vals = {**vals, "phone": False}
        if number and not vals.get("retail_mobile"):
            if not self._retail_may_set_mobile():
                raise AccessError(self._retail_mobile_access_message())
            vals["retail_mobile"] = number
        return vals

    @api.model
    def _retail_may_set_mobile(self):
        return self._has_field_access(self._fields["retail_mobile"], "write")

    @api.model
    def _retail_mobile_access_message(self):
        return self.env._("Only store managers can set a member's mobile number, in the phone field too.")

    @api.model
    def _retail_normalise_mobile(self, value):
        if not value:
            return False
        mobile = phone.normalise_mobile(value)
        if not mobile:
            raise ValidationError(self.env._(
                "%(value)s is not a valid mainland mobile number: it needs 11 digits starting with "
                "13 to 19 (spaces, dashes and +86 are allowed).", value=value))
        return mobile

    @api.model
    def _retail_check_unique_mobile(self, candidates):
        """Refuse a mobile number already used by another member of the same company.

        :param candidates: list of (partner or empty recordset, company id, mobile, name)
        """
        if not candidates:
            return
        own_ids = [partner.id for partner, _company, _mobile, _name in candidates if partner]
        others = self.sudo().with_context(active_test=False).search_fetch([
            ("retail_is_member", "=", True),
            ("retail_mobile", "in", [mobile for _partner, _company, mobile, _name in candidates]),
            ("id", "not in", own_ids),
        ], ["name", "retail_mobile", "retail_member_number", "company_id"])
        # the other member is named only to a user who may read them: no store wall leaks through here
        visible = set(others.with_env(self.env)._filtered_access("read").ids)
        seen = {(other.company_id.id or False, other.retail_mobile):
                (other.name, other.retail_member_number) if other.id in visible else None
                for other in others}
        for _partner, company_id, mobile, name in candidates:
            key = (company_id or False, mobile)
            if key in seen:
                if seen[key] is None:
                    raise ValidationError(self.env._(
                        "The mobile number %(mobile)s of %(name)s is already used by another member of the "
                        "company.", mobile=phone.mask_mobile(mobile), name=name))
                other_name, other_number = seen[key]
                raise ValidationError(self.env._(
                    "The mobile number %(mobile)s of %(name)s is already used by member %(other)s "
                    "(%(number)s). Use the merge wizard if they are the same person.",
                    mobile=phone.mask_mobile(mobile), name=name, other=other_name, number=other_number or "-"))
            seen[key] = (name, "-")

    def _retail_enrol(self, join_dates=None, home_stores=None, lifetime_spend=None):
        """Give new members a number, a card barcode, a loyalty card, a join date and the entry tier.

        Set-based through the ORM, for one member or a whole chain, in batches of
        ``ENROL_BATCH_SIZE``: per batch one series of numbers per company, one ``create`` of the
        cards, the partners' values written by ``write`` into the cache (grouped by identical
        values) and sent by the ORM's flush, which puts the different values of many partners in
        one UPDATE, and one ``create`` of the tier history; core's barcode check once at the end.
        The queries of a batch do not grow with its size.
        :param join_dates, home_stores, lifetime_spend: dicts partner id -> value for members
            brought in with a history (the demo chain), written with the other values
        """
        join_dates, home_stores, lifetime_spend = join_dates or {}, home_stores or {}, lifetime_spend or {}
        with_barcode = defaultdict(list)
        # the cache and the prefetch stay the size of a batch, whatever the number of members
        for ids in split_every(ENROL_BATCH_SIZE, self.ids):
            for company, written in self.browse(ids)._retail_enrol_batch(
                    join_dates, home_stores, lifetime_spend).items():
                with_barcode[company] += written
        for company, ids in with_barcode.items():
            self.sudo().browse(ids).with_company(company)._retail_check_barcode_unicity()

    def _retail_enrol_batch(self, join_dates, home_stores, lifetime_spend):
        """Enrol one batch; :return: the ids given a barcode, by company."""
        partners = self.sudo()
        # contacts that become members bring their phone: it becomes their member mobile
        mobiles = {partner.id: self._retail_normalise_mobile(partner.phone)
                   for partner in partners if partner.phone and not partner.retail_mobile}
        self._retail_check_unique_mobile([
            (partner, partner.company_id.id, mobiles[partner.id], partner.name)
            for partner in partners if partner.id in mobiles])
        company_of = {partner.id: partner.company_id or self.env.company for partner in partners}
        companies = set(company_of.values())
        Tier = self.env["retail.member.tier"].sudo()
        entry_tiers = {company: Tier._retail_ladder(company)[:1] for company in companies}
        programs = {company: company._retail_member_program() for company in companies}
        numbers = {}
        for company in companies:
            unnumbered = [partner.id for partner in partners
                          if company_of[partner.id] == company and not partner.retail_member_number]
            numbers.update(zip(unnumbered, self._retail_member_numbers(company, len(unnumbered)), strict=True))
        barcodes = {
            partner_id: phone.card_barcode(CARD_BARCODE_PREFIX, int("".join(ch for ch in number if ch.isdigit()) or 0))
            for partner_id, number in numbers.items()
        }
        # the member's card barcode is the code of the loyalty card the till scans
        wanted = [(partner, programs[company_of[partner.id]], partner.retail_card_barcode or barcodes.get(partner.id))
                  for partner in partners if not partner.retail_loyalty_card_id]
        wanted = [(partner, program, code) for partner, program, code in wanted if program and code]
        # no mail of the programme and no creation message per card, as core's sale_loyalty creates
        # its cards: the member's own chatter tells of the enrolment
        cards = self.env["loyalty.card"].sudo().with_context(loyalty_no_mail=True, tracking_disable=True).create([
            {"program_id": program.id, "partner_id": partner.id, "code": code, "points": 0}
            for partner, program, code in wanted])
        card_of = {partner.id: card for (partner, _program, _code), card in zip(wanted, cards, strict=True)}
        today = fields.Date.context_today(self)
        groups = defaultdict(list)
        with_barcode = defaultdict(list)
        for partner in partners:
            company = company_of[partner.id]
            spend = lifetime_spend.get(partner.id)
            vals = {
                "retail_is_member": True,
                "retail_member_number": partner.retail_member_number or numbers.get(partner.id) or False,
                "retail_card_barcode": partner.retail_card_barcode or barcodes.get(partner.id) or False,
                "retail_join_date": join_dates.get(partner.id) or partner.retail_join_date or today,
                "retail_tier_id": (partner.retail_tier_id or entry_tiers[company]).id,
                "retail_loyalty_card_id": (partner.retail_loyalty_card_id or card_of.get(partner.id, cards[:0])).id,
                "retail_home_store_id": home_stores.get(partner.id) or partner.retail_home_store_id.id,
                "retail_lifetime_spend": partner.retail_lifetime_spend if spend is None else spend,
                "retail_mobile": partner.retail_mobile or mobiles.get(partner.id, False),
            }
            if partner.id in barcodes and not partner.with_company(company).barcode:
                vals["barcode"] = barcodes[partner.id]
                with_barcode[company].append(partner.id)
            groups[company, tuple(sorted(vals.items()))].append(partner.id)
        # The enrolment checked its batch above, the barcodes are checked by the caller. None of
        # these fields is tracked: preparing the tracking of every tracked field of each partner
        # would cost most of its write (a member's phone is never tracked, see _message_track).
        enrolling = partners.with_context(**{ENROLLING_KEY: ENROLLING}, tracking_disable=True)
        for (company, items), ids in groups.items():
            enrolling.browse(ids).with_prefetch(partners._prefetch_ids).with_company(company).write(dict(items))
        with_phone = enrolling.filtered("phone")
        if with_phone:
            with_phone.write({"phone": False})
        History = self.env["retail.member.tier.history"].sudo()
        recorded = {partner for [partner] in History._read_group([("partner_id", "in", partners.ids)], ["partner_id"])}
        now = fields.Datetime.now()
        History.create([{
            "partner_id": partner.id,
            "date": fields.Datetime.to_datetime(partner.retail_join_date) if partner.retail_join_date < today else now,
            "new_tier_id": partner.retail_tier_id.id,
            "reason": "enrol",
            "rolling_spend": 0,
        } for partner in partners if partner.retail_tier_id and partner not in recorded])
        return with_barcode

    @api.constrains("barcode")
    def _check_barcode_unicity(self):
        if self.env.context.get(ENROLLING_KEY) is ENROLLING:
            # the enrolment checks its whole batch at once (_retail_check_barcode_unicity)
            return
        super()._check_barcode_unicity()

    def _retail_check_barcode_unicity(self):
        """Core's check that no two partners share a barcode, for a batch: one query finds the
        barcodes of ``self`` another partner has too, core's own check then refuses them."""
        barcodes = {partner.barcode for partner in self if partner.barcode}
        if not barcodes:
            return
        shared = {barcode for [barcode] in self._read_group(
            [("barcode", "in", list(barcodes))], ["barcode"], having=[("__count", ">", 1)])}
        self.filtered(lambda partner: partner.barcode in shared)._check_barcode_unicity()

    @api.model
    def _retail_member_numbers(self, company, count):
        """``count`` new member numbers of ``company``, in one query for a plain sequence."""
        if not count:
            return []
        sequence = self.env["ir.sequence"].sudo().search(
            [("code", "=", "retail.member"), ("company_id", "in", [company.id, False])], order="company_id", limit=1)
        if not sequence:
            raise UserError(self.env._("The member number sequence is missing."))
        sequence = sequence.with_company(company)
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _index in range(count)]
        numbers = self.env.execute_query(SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{sequence.id:03d}", count))
        # formatted as get_next_char() does, with the prefix interpolated once
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for (number,) in numbers]

    def _retail_sync_points_balance(self):
        """Balance of the members' loyalty cards = sum of their ledger, in one statement."""
        if not self:
            return
        self.env["retail.points.move"].flush_model()
        self.flush_recordset(["retail_loyalty_card_id"])
        self.env.cr.execute(SQL("""
            UPDATE loyalty_card c SET points = COALESCE(s.balance, 0)
              FROM (SELECT p.retail_loyalty_card_id AS card_id, SUM(m.points) AS balance
                      FROM res_partner p LEFT JOIN retail_points_move m ON m.partner_id = p.id
                     WHERE p.id = ANY(%(ids)s) AND p.retail_loyalty_card_id IS NOT NULL
                     GROUP BY p.retail_loyalty_card_id) s
             WHERE c.id = s.card_id
        """, ids=self.ids))
        self.env["loyalty.card"].invalidate_model(["points", "points_display"])
        self.invalidate_recordset(["retail_points_balance"])

    @api.model
    def retail_pos_find_member(self, query, config_id):
        """Find a member at the till by the exact card barcode, member number or full mobile number.

        For point of sale users only, among the members of the current company, and counted: a user
        gets ``retail_members.member_lookup_limit`` lookups per
        ``retail_members.member_lookup_window_minutes``. Nothing partial is searched (no name, no
        prefix), so the lookup never lists members. A member of another store, hidden from the
        user by the store wall, can still be found: members shop in every store of the chain.

        :param query: what the cashier typed or scanned
        :param config_id: the till, whose fields of the partners are returned
        :return: ``status`` (``found``, ``not_found`` or ``limited``), ``message`` for the cashier,
            ``members`` (id, name, masked mobile, member number, tier, points) and ``records``, the
            till's records of the members found (``res.partner`` with the mobile masked, and their
            fiscal positions), ready to be loaded into the till
        """
        self._retail_check_pos_lookup_access()
        if not isinstance(query, str):
            raise UserError(self.env._("Look a member up by their card barcode, member number or mobile number."))
        config = self._retail_lookup_config(config_id)
        query = query.strip()
        if not query:
            return self._retail_lookup_answer("not_found", self._retail_lookup_not_found_message())
        attempt = self.env["retail.member.lookup"]._retail_take_attempt()
        if not attempt:
            limit, minutes = self.env["retail.member.lookup"]._retail_limits()
            return self._retail_lookup_answer("limited", self.env._(
                "Too many member lookups: %(limit)s in %(minutes)s minutes. Try again in a few minutes.",
                limit=limit, minutes=minutes))
        members = self.sudo().search(self._retail_lookup_domain(query), limit=2, order="id")
        if not members:
            return self._retail_lookup_answer("not_found", self._retail_lookup_not_found_message())
        attempt.partner_ids = members
        return self._retail_lookup_answer(
            "found", "", [member._retail_pos_member_info() for member in members],
            self._retail_pos_member_records(members.with_env(self.env), config))

    @api.model
    def _retail_check_pos_lookup_access(self):
        user = self.env.user
        if not (user._is_internal() and user.has_group("point_of_sale.group_pos_user")):
            raise AccessError(self.env._("Only point of sale users can look members up."))

    @api.model
    def _retail_lookup_config(self, config_id):
        config = self.env["pos.config"].browse(config_id if isinstance(config_id, int) else []).exists()
        if not config:
            raise UserError(self.env._("Look members up from a till."))
        config.check_access("read")
        if config.company_id != self.env.company:
            raise UserError(self.env._(
                "The till %(till)s belongs to another company than the current one.", till=config.name))
        return config

    @api.model
    def _retail_lookup_domain(self, query):
        """Exact keys only: the normalised mobile, or the card barcode or member number as typed."""
        mobile = phone.normalise_mobile(query)
        if mobile:
            key = [("retail_mobile", "=", mobile)]
        else:
            codes = list({query, query.upper()})
            key = ["|", ("retail_card_barcode", "in", codes), ("retail_member_number", "in", codes)]
        return [("retail_is_member", "=", True), ("active", "=", True),
                ("company_id", "in", [self.env.company.id, False]), *key]

    @api.model
    def _retail_lookup_not_found_message(self):
        return self.env._("No member has this card, member number or mobile number. Scan the card, or enter "
                          "the full mobile number or member number.")

    @api.model
    def _retail_lookup_answer(self, status, message, members=(), records=None):
        return {"status": status, "message": message, "members": list(members), "records": records or {}}

    @api.model
    def _retail_pos_member_records(self, members, config):
        """The till's records of ``members``: ``res.partner`` and their ``account.fiscal.position``.

        A member the user may read comes as the user reads them. A member of another store, whom the
        store wall hides from the user, comes read past it with their contact details left out: the
        till needs their name, tier, pricelist and points, never their address.
        """
        readable = members._filtered_access("read")
        hidden = (members - readable).sudo()
        records = self._load_pos_data_read(readable, config)
        if hidden:
            private = self._retail_pos_private_fields()
            for vals in self.sudo()._load_pos_data_read(hidden, config):
                vals.update({fname: False for fname in private if fname in vals})
                records.append(vals)
        positions = (readable.sudo() | hidden).fiscal_position_id
        return {
            "res.partner": records,
            "account.fiscal.position": self.env["account.fiscal.position"].sudo()._load_pos_data_read(
                positions, config),
        }

    @api.model
    def _retail_pos_private_fields(self):
        """Fields of the till's partners left out for a member of another store."""
        return ["street", "street2", "city", "zip", "state_id", "vat", "phone", "email", "barcode",
                "pos_contact_address", "invoice_emails"]

    @api.model
    def _load_pos_data_search_read(self, data, config):
        # the till's own draft orders keep their member after a reload, whichever their store
        records = super()._load_pos_data_search_read(data, config)
        wanted = {order["partner_id"] for order in data.get("pos.order", []) if order.get("partner_id")}
        missing = wanted - {record["id"] for record in records}
        if missing:
            members = self.sudo().browse(missing).exists().filtered("retail_is_member")
            records += self._retail_pos_member_records(members.with_env(self.env), config)["res.partner"]
        return records

    def _retail_pos_member_info(self):
        self.ensure_one()
        partner = self.sudo()
        return {
            "id": partner.id,
            "name": partner.name,
            "member_number": partner.retail_member_number,
            "mobile_masked": phone.mask_mobile(partner.retail_mobile),
            "tier": partner.retail_tier_id.name or "",
            "points": partner.retail_points_balance,
        }

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            *super()._load_pos_data_fields(config),
            "retail_is_member", "retail_member_number", "retail_mobile_masked", "retail_tier_name",
            "retail_points_balance", "retail_points_multiplier", "retail_tier_pricelist_id",
        ]

    retail_tier_name = fields.Char(related="retail_tier_id.name", string="Tier Name")
    retail_points_multiplier = fields.Float(related="retail_tier_id.points_multiplier", string="Points Multiplier")
    retail_tier_pricelist_id = fields.Many2one(related="retail_tier_id.pricelist_id", string="Tier Pricelist")

    def action_retail_open_pos_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %s", self.name),
            "res_model": "pos.order",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
        }

    def action_retail_open_preferences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "retail_members.retail_member_preference_report_action_category")
        action["display_name"] = self.env._("Preferences of %s", self.name)
        action["domain"] = [("partner_id", "=", self.id), ("attribute_id", "=", False)]
        action["context"] = {"pivot_row_groupby": ["categ_id"], "pivot_column_groupby": ["date:month"]}
        return action

    def action_retail_open_points_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("retail_members.retail_points_move_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_retail_open_tier_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("retail_members.retail_member_tier_history_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _cron_retail_member_insight(self, now=None):
        """RFM segment and at-risk flag of every member: one aggregate query, NumPy, one update."""
        now = now or fields.Datetime.now()
        self.env["pos.order"].flush_model(["partner_id", "date_order", "amount_total", "state"])
        rows = self.env.execute_query(SQL("""
            SELECT p.id, MAX(o.date_order), MIN(o.date_order), COUNT(o.id), COALESCE(SUM(o.amount_total), 0)
              FROM res_partner p
              LEFT JOIN pos_order o ON o.partner_id = p.id AND o.state IN ('paid', 'done', 'invoiced')
             WHERE p.retail_is_member AND p.active
             GROUP BY p.id ORDER BY p.id
        """))
        if not rows:
            return 0
        ids = [row[0] for row in rows]
        last = [row[1] for row in rows]
        recency = np.array([(now - d).days if d else 10_000 for d in last], dtype=np.float64)
        frequency = np.array([row[3] for row in rows], dtype=np.float64)
        money = np.array([float(row[4]) for row in rows], dtype=np.float64)
        span = np.array([(row[1] - row[2]).days if row[1] else 0 for row in rows], dtype=np.float64)
        usual = np.where(frequency > 1, span / np.maximum(frequency - 1, 1), 0.0)
        segments = rfm.segments(recency, frequency, money)
        segments[frequency == 0] = "hibernating"
        risky = rfm.at_risk(recency, usual)
        self.env.cr.execute(SQL("""
            UPDATE res_partner p
               SET retail_rfm_segment = v.segment, retail_last_visit = v.last_visit,
                   retail_visit_count = v.visits, retail_usual_interval = v.usual, retail_at_risk = v.risky
              FROM unnest(%s::int[], %s::text[], %s::timestamp[], %s::int[], %s::numeric[], %s::bool[])
                   AS v(id, segment, last_visit, visits, usual, risky)
             WHERE p.id = v.id
        """, ids, segments.tolist(), last, frequency.astype(int).tolist(), np.round(usual, 1).tolist(),
            risky.tolist()))
        self.invalidate_model(["retail_rfm_segment", "retail_last_visit", "retail_visit_count",
                               "retail_usual_interval", "retail_at_risk"])
        return len(ids)

    def _retail_merge(self, others):
        """Merge the members ``others`` into this one, once the member merge wizard checked who asks.

        Core's partner merge moves what points at them: orders, the points ledger and its lots,
        the tier history, lookups, their loyalty cards, messages and followers. Their cards stay
        on this member, archived with no points: their ledger is this member's now, whose card
        takes the ledger's balance. The merged-away members stay, archived and no longer members,
        without card or spend. The lifetime spend adds up and the tier is evaluated again,
        upgrades only.
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        # past the user's rights, and past whatever else the caller put in the context
        keep = self.with_env(self.env(context={key: self.env.context[key] for key in ("lang", "tz")
                                               if key in self.env.context}, su=True))
        others = others.with_env(keep.env)
        names = ", ".join(f"{other.name} ({other.retail_member_number})" for other in others)
        lifetime = sum(others.mapped("retail_lifetime_spend"))
        self.env["base.partner.merge.automatic.wizard"].with_env(keep.env)._retail_merge_members(others, keep)
        card = keep.retail_loyalty_card_id or self.env["loyalty.card"].with_env(keep.env).search(
            [("partner_id", "=", keep.id), ("program_id", "=", company._retail_member_program().id)], limit=1)
        if card:
            self.env["retail.points.move"].with_env(keep.env)._ledger().search(
                [("partner_id", "=", keep.id), ("card_id", "!=", card.id)]).write({"card_id": card.id})
        # their points are in the kept card's ledger now; the cards stay, archived, on the kept member
        (others.retail_loyalty_card_id - card).filtered("active").write({"points": 0, "active": False})
        others.write({"retail_is_member": False, "retail_mobile": False, "active": False,
                      "retail_loyalty_card_id": False, "retail_lifetime_spend": 0.0})
        keep.write({"retail_loyalty_card_id": card.id, "retail_lifetime_spend": keep.retail_lifetime_spend + lifetime})
        keep._retail_sync_points_balance()
        self.env["retail.member.tier"].with_env(keep.env)._retail_evaluate(
            company=company, partner_ids=keep.ids, allow_downgrade=False)
        keep.message_post(body=self.env._("Merged members: %(names)s.", names=names))
        return keep.with_env(self.env)
