from odoo import api, fields, models
from odoo.tools import SQL

from ..report.member_sales_sql import member_day

MEMBER_FIGURES = [
    "member_sales_amount", "member_ticket_count", "new_member_count", "points_issued", "points_redeemed",
    "points_expired", "points_outstanding", "points_liability",
]


class RetailClosePack(models.Model):
    """The members of the store's day: what they bought, who joined, and the points the store
    gave, took back and still owes at the end of the day."""

    _inherit = "retail.close.pack"

    member_sales_amount = fields.Monetary(
        string="Member Sales", readonly=True, help="Sales to members without tax, refunds deducted.")
    member_ticket_count = fields.Integer(
        string="Member Tickets", readonly=True, help="Paid orders of members, refunds included.")
    member_sales_share = fields.Float(
        string="Member Share %", compute="_compute_member_sales_share", digits=(16, 1),
        help="Member sales divided by the sales.")
    new_member_count = fields.Integer(
        string="New Members", readonly=True, help="Members who joined that day with the store as their home store.")
    points_issued = fields.Float(
        readonly=True, digits=(16, 0),
        help="Points earned, birthday bonuses and adjustments of the day, less the points refunds took back.")
    points_redeemed = fields.Float(
        readonly=True, digits=(16, 0), help="Points spent at the tills that day, less the points refunds gave back.")
    points_expired = fields.Float(readonly=True, digits=(16, 0), help="Points that expired that day.")
    points_outstanding = fields.Float(
        readonly=True, digits=(16, 0),
        help="Points not used yet at the end of the day: the store's points ledger up to then.")
    points_liability = fields.Monetary(
        readonly=True, help="The outstanding points at the end of the day, at the value they were booked at.")

    @api.depends("member_sales_amount", "sales_amount")
    def _compute_member_sales_share(self):
        for pack in self:
            pack.member_sales_share = (100.0 * pack.member_sales_amount / pack.sales_amount
                                       if pack.sales_amount else 0.0)

    # ------------------------------------------------------------------ building

    @api.model
    def _get_figure_names(self):
        return super()._get_figure_names() + MEMBER_FIGURES

    @api.model
    def _query_pack_figures(self, date, store_ids, cashier_rows):
        figures = super()._query_pack_figures(date, store_ids, cashier_rows)
        for store_id, values in self._query_member_figures(date, store_ids).items():
            figures[store_id].update(values)
        return figures

    @api.model
    def _query_member_figures(self, date, store_ids):
        """``{store_id: member figures}`` of every store of ``store_ids`` on ``date``, in one
        query whatever the number of stores."""
        self.env.cr.execute(SQL("SELECT * FROM (%s) member_day", member_day(date, store_ids)))
        return {row.pop("retail_store_id"): row for row in self.env.cr.dictfetchall()}

    @api.model
    def _fill_member_figures(self):
        """Write the member figures of the packs built so far: one statement per day for its
        store packs, one for every chain roll-up."""
        self._fill_figures(MEMBER_FIGURES, member_day)

    # ------------------------------------------------------------------ delivery

    def _xlsx_sheets(self):
        sheets = super()._xlsx_sheets()
        summary = sheets[0]
        summary.rows.extend([self._fields[name]._description_string(self.env), self[name]] for name in (
            "member_sales_amount", "member_sales_share", "member_ticket_count", "new_member_count",
            "points_issued", "points_redeemed", "points_expired", "points_outstanding", "points_liability"))
        return sheets
