from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    retail_markdown_margin_floor = fields.Float(
        string="Markdown Margin Floor (%)", default=0.0, digits=(16, 1),
        help="How far above cost a markdown may go down: 0 never sells below cost, 10 keeps at least "
             "10 % above cost.")

    def _retail_markdown_floor(self, product):
        """The lowest price a markdown of ``product`` may reach in this store."""
        self.ensure_one()
        cost = product.with_company(self.company_id).standard_price
        return cost * (1.0 + max(self.retail_markdown_margin_floor, 0.0) / 100.0)
