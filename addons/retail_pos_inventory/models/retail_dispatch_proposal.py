
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class RetailDispatchProposal(models.Model):
    _inherit = "retail.dispatch.proposal"
    _retail_guarded_fields = (
        "state", "approved_by_id", "planned_at", "picking_ids",
        "retail_requested_by_id", "retail_request_session_id", "retail_request_note")

    def _retail_promotion_days(self, store, product, first_day, days):
        """The days an approved markdown of one of the pair's lots ran in the store, for part of
        the day at least: what sold then was the markdown's demand."""
        promotion = super()._retail_promotion_days(store, product, first_day, days)
        if not len(store):
            return promotion
        self.env["retail.lot.markdown.step"].flush_model()
        self.env.cr.execute(SQL("""
            SELECT step.store_id, step.product_id,
                   GREATEST(step.date_from::date, %(first_day)s) - %(first_day)s,
                   LEAST((step.date_to - INTERVAL '1 second')::date, %(today)s) - %(first_day)s
              FROM retail_lot_markdown_step step
             WHERE step.state = 'approved' AND step.store_id = ANY(%(stores)s)
               AND step.date_to > %(first_day)s AND step.date_from <= %(now)s
        """, first_day=first_day, today=fields.Datetime.now().date(), now=fields.Datetime.now(),
            stores=sorted({int(value) for value in store})))
        rows = self.env.cr.fetchall()
        if not rows:
            return promotion
        position = {(int(s), int(p)): index for index, (s, p) in enumerate(zip(store, product, strict=True))}
        for store_id, product_id, start, end in rows:
            index = position.get((store_id, product_id))
            if index is not None and end >= start:
                promotion[index, max(start, 0):min(end, days - 1) + 1] = True
        return promotion

    # ------------------------------------------------------------------ requests from the tills

    retail_requested_by_id = fields.Many2one(
        "res.users", string="Requested By", readonly=True, copy=False,
        help="The cashier who asked for this stock at a till, for a customer.")
    retail_request_session_id = fields.Many2one(
        "pos.session", string="Requested at Session", readonly=True, copy=False)
    retail_request_note = fields.Char(string="Request Note", readonly=True, copy=False)

    def _retail_is_till_request_of_source(self):
        """Whether the user decides this till request as the manager of every store it takes
        stock from (headquarters decides every proposal through the normal rights)."""
        self.ensure_one()
        user = self.env.user
        return bool(
            not self.env.su and self.retail_requested_by_id and self.line_ids
            and not user.has_group("retail_base.group_retail_hq")
            and all(user._retail_is_manager_of(line.source_id) for line in self.line_ids)
        )

    def action_plan(self):
        if any(proposal.retail_requested_by_id for proposal in self):
            raise UserError(self.env._(
                "A stock request from a till is approved or cancelled as it was asked, not planned."))
        return super().action_plan()

    def action_approve(self):
        self.ensure_one()
        if self._retail_is_till_request_of_source():
            self.check_access("read")
            return super(RetailDispatchProposal, self.sudo()).action_approve()
        return super().action_approve()

    def action_cancel(self):
        if len(self) == 1 and self._retail_is_till_request_of_source():
            self.check_access("read")
            return super(RetailDispatchProposal, self.sudo()).action_cancel()
        return super().action_cancel()
