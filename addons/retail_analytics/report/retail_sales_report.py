from odoo import fields, models, tools
from odoo.tools import SQL

from .sales_sql import LINE_MEASURES, paid_lines


class RetailSalesReport(models.Model):
    """Sales per store, day and product, for pivot and graph views."""

    _name = "retail.sales.report"
    _description = "Retail Sales per Store, Day and Product"
    _auto = False
    _order = "date desc"
    _rec_name = "product_id"

    date = fields.Date(readonly=True)
    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    sales_amount = fields.Float(string="Sales", readonly=True, help="Sales without tax, refunds deducted.")
    units = fields.Float(string="Units", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True,
                                  help="Paid orders that contain the product.")
    cost_amount = fields.Float(string="Cost", readonly=True)
    margin_amount = fields.Float(string="Gross Margin", readonly=True)
    discount_amount = fields.Float(string="Discounts", readonly=True)
    refund_amount = fields.Float(string="Refunds", readonly=True)
    refund_units = fields.Float(string="Refunded Units", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT
                    MIN(line.line_id) AS id,
                    line.day AS date,
                    line.retail_store_id,
                    line.product_id,
                    line.product_tmpl_id,
                    line.categ_id,
                    line.company_id,
                    %s,
                    SUM(CASE WHEN line.qty < 0 THEN -line.qty ELSE 0 END) AS refund_units
                FROM (%s) line
                GROUP BY line.day, line.retail_store_id, line.product_id, line.product_tmpl_id,
                         line.categ_id, line.company_id
            )
        """, SQL.identifier(self._table), LINE_MEASURES, paid_lines()))
