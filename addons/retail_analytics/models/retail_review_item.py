import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools.sparkline import sparkline_svg

TRANSITIONS = {
    "investigating": ("new",),
    "confirmed": ("new", "investigating"),
    "false_positive": ("new", "investigating"),
    "closed": ("confirmed", "false_positive"),
}


class RetailReviewItem(models.Model):
    """Something an anomaly rule found, waiting for a person to look at it."""

    _name = "retail.review.item"
    _inherit = ["retail.store.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Review Item"
    _order = "date desc, id desc"

    # read in the reader's language: the rule's name is translated, a stored copy would keep the
    # language of the scan that found the item
    name = fields.Char(compute="_compute_name", search="_search_name")
    rule_id = fields.Many2one("retail.anomaly.rule", required=True, readonly=True, index=True,
                              ondelete="restrict")
    rule_type = fields.Selection(related="rule_id.rule_type", store=True, string="Type")
    retail_store_id = fields.Many2one(readonly=True, required=True)
    company_id = fields.Many2one(related="retail_store_id.company_id", store=True)
    date = fields.Date(required=True, readonly=True, index=True)
    product_id = fields.Many2one("product.product", readonly=True)
    cashier_id = fields.Many2one("res.users", readonly=True)
    session_id = fields.Many2one("pos.session", readonly=True)
    value = fields.Float(readonly=True, digits=(16, 4), help="What the rule measured on that day.")
    baseline = fields.Float(readonly=True, digits=(16, 4),
                            help="What the value was compared with: the mean day of the baseline "
                            "window, the unit cost, the gross sales or tickets of the cashier.")
    threshold = fields.Float(readonly=True, digits=(16, 4), help="The rule's threshold when it fired.")
    history = fields.Text(readonly=True, help="Daily values ending with the scanned day.")
    chart_html = fields.Html(compute="_compute_chart_html", sanitize=False, string="Chart")
    state = fields.Selection(
        [("new", "New"), ("investigating", "Investigating"), ("confirmed", "Confirmed"),
         ("false_positive", "False Positive"), ("closed", "Closed")],
        default="new", required=True, readonly=True, tracking=True, index=True)
    resolution = fields.Selection([("confirmed", "Confirmed"), ("false_positive", "False Positive")],
                                  readonly=True)
    assigned_user_id = fields.Many2one("res.users", string="Assigned To", tracking=True)
    note = fields.Text(help="What the reviewer found.")

    _hit_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (rule_id, date, retail_store_id, product_id, cashier_id, session_id)",
        "A rule reports the same hit once.",
    )

    @api.depends_context("lang")
    @api.depends("rule_id.name", "retail_store_id.name", "product_id", "cashier_id", "session_id", "date")
    def _compute_name(self):
        for item in self:
            subject = item.product_id.display_name or item.cashier_id.name or item.session_id.name or ""
            item.name = " / ".join(filter(None, [item.rule_id.name, item.retail_store_id.name, subject]))

    def _search_name(self, operator, value):
        if operator in Domain.NEGATIVE_OPERATORS:
            return NotImplemented
        return Domain.OR(Domain(path, operator, value) for path in (
            "rule_id.name", "retail_store_id.name", "product_id", "cashier_id.name", "session_id.name"))

    @api.depends("history")
    def _compute_chart_html(self):
        for item in self:
            try:
                values = json.loads(item.history or "[]")
            except ValueError:
                values = []
            item.chart_html = Markup(sparkline_svg(values, label=item.name or ""))

    @api.constrains("assigned_user_id", "retail_store_id")
    def _check_assigned_user_id(self):
        for item in self:
            if item.assigned_user_id and not item.assigned_user_id._retail_is_manager_of(item.retail_store_id):
                raise ValidationError(self.env._(
                    "%(user)s does not manage %(store)s and cannot review its items.",
                    user=item.assigned_user_id.name, store=item.retail_store_id.name))

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        # what the rule found stays as found, and the state moves through the review actions only
        forged = set(vals) - self._retail_writable_fields()
        if forged and not self.env.su:
            raise AccessError(self.env._(
                "These fields of a review item change only through its review actions: %s.",
                ", ".join(sorted(forged))))
        return super().write(vals)

    @api.model
    def _retail_writable_fields(self):
        """Fields a reviewer may write: the note, the assignee and those of the chatter."""
        return {"note", "assigned_user_id"} | set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields)

    # ------------------------------------------------------------------ workflow

    def _set_state(self, state, **extra):
        for item in self:
            if item.state not in TRANSITIONS[state]:
                raise UserError(self.env._(
                    "Review item %(item)s is %(state)s and cannot move to %(target)s.",
                    item=item.name, state=dict(self._fields["state"].selection)[item.state],
                    target=dict(self._fields["state"].selection)[state]))
            if not self.env.user._retail_is_manager_of(item.retail_store_id):
                raise AccessError(self.env._("Only the manager of %s may review this item.",
                                             item.retail_store_id.name))
        self.check_access("write")
        self._retail_sudo_for_checked_caller().write(dict(extra, state=state))

    def action_investigate(self):
        self._set_state("investigating")
        return True

    def action_confirm(self):
        self._set_state("confirmed", resolution="confirmed")
        return True

    def action_mark_false_positive(self):
        self._set_state("false_positive", resolution="false_positive")
        return True

    def action_close(self):
        self._set_state("closed")
        self._retail_sudo_for_checked_caller().activity_ids.action_feedback(feedback=self.env._("Review closed."))
        return True

    # ------------------------------------------------------------------ creation

    @api.model
    def _create_from_hits(self, values):
        """Create the items of new hits (already reported ones are skipped) and give each an
        activity for the store manager; returns the new items."""
        if not values:
            return self.browse()
        key = ("rule_id", "date", "retail_store_id", "product_id", "cashier_id", "session_id")
        existing = self.search_read(
            [("rule_id", "in", list({v["rule_id"] for v in values})),
             ("date", "in", list({v["date"] for v in values}))],
            ["rule_id", "date", "retail_store_id", "product_id", "cashier_id", "session_id"], load=None)
        seen = {tuple(record[k] or False for k in key) for record in existing}
        fresh = []
        for vals in values:
            identity = tuple(vals.get(k) or False for k in key)
            if identity not in seen:
                seen.add(identity)
                fresh.append(vals)
        managers = self._managers_by_store({vals["retail_store_id"] for vals in fresh})
        for vals in fresh:
            vals.setdefault("assigned_user_id", managers.get(vals["retail_store_id"], False))
        items = self.with_context(mail_create_nolog=True, tracking_disable=True).create(fresh)
        items._schedule_review_activities()
        return items

    @api.model
    def _managers_by_store(self, store_ids):
        """The first store manager (HQ excluded) of every store, in one search."""
        users = self.env["res.users"].sudo().search([
            ("retail_store_ids", "in", list(store_ids)),
            ("all_group_ids", "in", self.env.ref("retail_base.group_retail_manager").id),
            ("share", "=", False),
        ], order="id")
        hq = self.env.ref("retail_base.group_retail_hq")
        managers = {}
        for user in users.sorted(lambda u: (hq in u.all_group_ids, u.id)):
            for store in user.retail_store_ids:
                managers.setdefault(store.id, user.id)
        return managers

    def _schedule_review_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create([{
            "res_model_id": model,
            "res_id": item.id,
            "activity_type_id": todo.id,
            "user_id": item.assigned_user_id.id,
            "summary": self.env._("Review: %s", item.name),
            "date_deadline": fields.Date.context_today(self),
        } for item in self if item.assigned_user_id])
