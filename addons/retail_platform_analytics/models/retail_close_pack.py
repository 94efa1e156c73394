from odoo import api, fields, models
from odoo.tools import SQL

from ..report.platform_sales_sql import platform_day

PLATFORM_FIGURES = [
    "platform_order_count", "platform_sales_amount", "platform_refund_amount", "platform_commission_amount",
]


class RetailClosePack(models.Model):
    """The delivery platforms' part of the store's day: their orders, sales and refunds as
    booked to the platforms, beside the tills' sales, and the commission of their payouts."""

    _inherit = "retail.close.pack"

    platform_order_count = fields.Integer(
        string="Platform Orders", readonly=True,
        help="Delivery-platform orders accepted and invoiced to their platform that day.")
    platform_sales_amount = fields.Monetary(
        string="Platform Sales", readonly=True,
        help="Delivery-platform sales without tax booked that day, refunds and cancellations deducted. "
        "They are not part of the sales, which are the tills'.")
    platform_refund_amount = fields.Monetary(
        string="Platform Refunds", readonly=True,
        help="Credit notes without tax of delivery-platform orders booked that day: refunds, and "
        "cancellations after acceptance.")
    platform_sales_share = fields.Float(
        string="Platform Share %", compute="_compute_platform_sales_share", digits=(16, 1),
        help="Platform sales divided by the sales of the tills and the platforms together.")
    platform_commission_amount = fields.Monetary(
        string="Platform Commission", readonly=True,
        help="Commission of the platforms' payout statements of the store's shops reconciled with "
        "that day's date.")

    @api.depends("platform_sales_amount", "sales_amount")
    def _compute_platform_sales_share(self):
        for pack in self:
            total = pack.sales_amount + pack.platform_sales_amount
            pack.platform_sales_share = 100.0 * pack.platform_sales_amount / total if total else 0.0

    # ------------------------------------------------------------------ building

    @api.model
    def _get_figure_names(self):
        return super()._get_figure_names() + PLATFORM_FIGURES

    @api.model
    def _query_pack_figures(self, date, store_ids, cashier_rows):
        figures = super()._query_pack_figures(date, store_ids, cashier_rows)
        for store_id, values in self._query_platform_figures(date, store_ids).items():
            figures[store_id].update(values)
        return figures

    @api.model
    def _platform_day(self, date, store_ids):
        return platform_day(date, store_ids, self.env["retail.platform.order"]._fields["credit_note_ids"])

    @api.model
    def _query_platform_figures(self, date, store_ids):
        """``{store_id: platform figures}`` of every store of ``store_ids`` on ``date``, in one
        query whatever the number of stores."""
        self.env.cr.execute(SQL("SELECT * FROM (%s) platform_day", self._platform_day(date, store_ids)))
        return {row.pop("retail_store_id"): row for row in self.env.cr.dictfetchall()}

    @api.model
    def _fill_platform_figures(self):
        """Write the platform figures of the packs built so far: one statement per day for its
        store packs, one for every chain roll-up."""
        self._fill_figures(PLATFORM_FIGURES, self._platform_day)

    # ------------------------------------------------------------------ delivery

    def _xlsx_sheets(self):
        sheets = super()._xlsx_sheets()
        summary = sheets[0]
        summary.rows.extend([self._fields[name]._description_string(self.env), self[name]] for name in (
            "platform_order_count", "platform_sales_amount", "platform_sales_share", "platform_refund_amount",
            "platform_commission_amount"))
        return sheets
