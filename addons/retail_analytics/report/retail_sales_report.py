from odoo import fields, models
from odoo.tools import SQL


class RetailSalesReport(models.Model):
    """Sales per store, day and product, for pivot and graph views."""

    _name = "retail.sales.report"
    _inherit = ["retail.sales.report.mixin"]
    _description = "Retail Sales per Store, Day and Product"
    _auto = False
    _order = "date desc"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    ticket_count = fields.Integer(help="Paid orders that contain the product.")
    refund_units = fields.Float(string="Refunded Units", readonly=True)

    def init(self):
        self._create_sales_view(
            [(SQL("line.day"), "date"), (SQL("line.retail_store_id"), "retail_store_id"),
             (SQL("line.product_id"), "product_id"), (SQL("line.product_tmpl_id"), "product_tmpl_id"),
             (SQL("line.categ_id"), "categ_id"), (SQL("line.company_id"), "company_id")],
            SQL("SUM(CASE WHEN line.qty < 0 THEN -line.qty ELSE 0 END) AS refund_units"),
        )
