from odoo import fields, models, tools
from odoo.tools import SQL

from .sales_sql import LINE_MEASURES, paid_lines


class RetailStoreSalesReport(models.Model):
    """Sales per store and day: tickets, basket and refunds counted per order."""

    _name = "retail.store.sales.report"
    _description = "Retail Sales per Store and Day"
    _auto = False
    _order = "date desc"
    _rec_name = "retail_store_id"

    date = fields.Date(readonly=True)
    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    region_id = fields.Many2one("retail.region", string="Region", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    sales_amount = fields.Float(string="Sales", readonly=True, help="Sales without tax, refunds deducted.")
    units = fields.Float(string="Units", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    cost_amount = fields.Float(string="Cost", readonly=True)
    margin_amount = fields.Float(string="Gross Margin", readonly=True)
    discount_amount = fields.Float(string="Discounts", readonly=True)
    refund_amount = fields.Float(string="Refunds", readonly=True)
    refund_count = fields.Integer(string="Refund Tickets", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT
                    MIN(line.line_id) AS id,
                    line.day AS date,
                    line.retail_store_id,
                    w.retail_region_id AS region_id,
                    w.company_id,
                    %s,
                    COUNT(DISTINCT line.order_id) FILTER (WHERE line.qty < 0) AS refund_count
                FROM (%s) line
                JOIN stock_warehouse w ON w.id = line.retail_store_id
                GROUP BY line.day, line.retail_store_id, w.retail_region_id, w.company_id
            )
        """, SQL.identifier(self._table), LINE_MEASURES, paid_lines()))
