from odoo import fields, models, tools
from odoo.tools import SQL

from .sales_sql import paid_lines


class RetailSalesReportMixin(models.AbstractModel):
    """What the sales views measure, and the view that sums the paid lines by the dimensions
    of each of them, so that both views count sales, tickets and refunds alike."""

    _name = "retail.sales.report.mixin"
    _description = "Retail Sales Measures"

    date = fields.Date(readonly=True)
    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sales_amount = fields.Float(string="Sales", readonly=True, help="Sales without tax, refunds deducted.")
    units = fields.Float(readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    cost_amount = fields.Float(string="Cost", readonly=True)
    margin_amount = fields.Float(string="Gross Margin", readonly=True)
    discount_amount = fields.Float(string="Discounts", readonly=True)
    refund_amount = fields.Float(string="Refunds", readonly=True)

    def _create_sales_view(self, dimensions, extra_measures, joins=None):
        """(Re)create the view: the paid lines (``line``) grouped by ``dimensions``, a list of
        ``(SQL expression, column)``, with the shared measures and ``extra_measures``."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                SELECT MIN(line.line_id) AS id,
                       %(dimensions)s,
                       SUM(line.amount) AS sales_amount,
                       SUM(line.qty) AS units,
                       COUNT(DISTINCT line.order_id) AS ticket_count,
                       SUM(line.cost) AS cost_amount,
                       SUM(line.amount - line.cost) AS margin_amount,
                       SUM(line.discount_amount) AS discount_amount,
                       SUM(CASE WHEN line.qty < 0 THEN -line.amount ELSE 0 END) AS refund_amount,
                       %(extra_measures)s
                  FROM (%(lines)s) line
                       %(joins)s
              GROUP BY %(group_by)s
            )
        """, view=SQL.identifier(self._table),
            dimensions=SQL(", ").join(SQL("%s AS %s", expression, SQL.identifier(column))
                                      for expression, column in dimensions),
            extra_measures=extra_measures, lines=paid_lines(), joins=joins or SQL(),
            group_by=SQL(", ").join(expression for expression, _column in dimensions)))
