from odoo import fields, models, tools
from odoo.tools import SQL

# One row per paid point of sale line, with the store, the store's local day and the cost.
# The day is the order's date in the time zone of the store's address (UTC when it has none),
# so "yesterday" means the store's yesterday. The cost is the line's own cost once the session
# has computed it, else the product's current cost.
POS_LINE_SQL = """
    SELECT
        l.id AS line_id,
        s.id AS order_id,
        s.user_id AS user_id,
        s.session_id AS session_id,
        s.company_id AS company_id,
        w.id AS retail_store_id,
        (s.date_order AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(NULLIF(wp.tz, ''), 'UTC'))::date AS day,
        l.product_id AS product_id,
        p.product_tmpl_id AS product_tmpl_id,
        pt.categ_id AS categ_id,
        l.qty AS qty,
        l.price_subtotal AS amount,
        l.qty * l.price_unit * COALESCE(l.discount, 0) / 100.0 AS discount_amount,
        l.qty * l.price_unit AS gross_amount,
        CASE WHEN l.is_total_cost_computed OR COALESCE(l.total_cost, 0) <> 0
             THEN COALESCE(l.total_cost, 0)
             ELSE l.qty * COALESCE((p.standard_price ->> s.company_id::text)::numeric, 0)
        END AS cost
    FROM pos_order_line l
    JOIN pos_order s ON s.id = l.order_id
    JOIN pos_session ps ON ps.id = s.session_id
    JOIN pos_config pc ON pc.id = ps.config_id
    JOIN stock_warehouse w ON w.id = pc.warehouse_id
    LEFT JOIN res_partner wp ON wp.id = w.partner_id
    JOIN product_product p ON p.id = l.product_id
    JOIN product_template pt ON pt.id = p.product_tmpl_id
    WHERE s.state IN ('paid', 'done')
"""


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
                    SUM(line.amount) AS sales_amount,
                    SUM(line.qty) AS units,
                    COUNT(DISTINCT line.order_id) AS ticket_count,
                    SUM(line.cost) AS cost_amount,
                    SUM(line.amount - line.cost) AS margin_amount,
                    SUM(line.discount_amount) AS discount_amount,
                    SUM(CASE WHEN line.qty < 0 THEN -line.amount ELSE 0 END) AS refund_amount,
                    SUM(CASE WHEN line.qty < 0 THEN -line.qty ELSE 0 END) AS refund_units
                FROM (%s) line
                GROUP BY line.day, line.retail_store_id, line.product_id, line.product_tmpl_id,
                         line.categ_id, line.company_id
            )
        """, SQL.identifier(self._table), SQL(POS_LINE_SQL)))
