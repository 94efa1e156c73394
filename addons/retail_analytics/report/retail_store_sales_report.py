from odoo import fields, models
from odoo.tools import SQL


class RetailStoreSalesReport(models.Model):
    """Sales per store and day: tickets, basket and refunds counted per order."""

    _name = "retail.store.sales.report"
    _inherit = ["retail.sales.report.mixin"]
    _description = "Retail Sales per Store and Day"
    _auto = False
    _order = "date desc"
    _rec_name = "retail_store_id"

    region_id = fields.Many2one("retail.region", readonly=True)
    refund_count = fields.Integer(string="Refund Tickets", readonly=True)

    def init(self):
        self._create_sales_view(
            [(SQL("line.day"), "date"), (SQL("line.retail_store_id"), "retail_store_id"),
             (SQL("w.retail_region_id"), "region_id"), (SQL("w.company_id"), "company_id")],
            SQL("COUNT(DISTINCT line.order_id) FILTER (WHERE line.qty < 0) AS refund_count"),
            joins=SQL("JOIN stock_warehouse w ON w.id = line.retail_store_id"),
        )
