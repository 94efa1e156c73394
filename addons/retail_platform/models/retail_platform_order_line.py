from odoo import api, fields, models


class RetailPlatformOrderLine(models.Model):
    _name = "retail.platform.order.line"
    _description = "Delivery platform order line"

    order_id = fields.Many2one("retail.platform.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    platform_sku = fields.Char("Platform SKU", required=True)
    product_id = fields.Many2one("product.product", required=True, index=True)
    quantity = fields.Float(digits="Product Unit", required=True)
    price_unit = fields.Float("Unit Price (tax incl.)", digits="Product Price", required=True)
    price_subtotal = fields.Monetary("Amount", compute="_compute_price_subtotal", store=True)
    refunded_quantity = fields.Float(digits="Product Unit", default=0.0, readonly=True)

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(line.quantity * line.price_unit) if line.currency_id else 0.0

    def _prepare_invoice_line_vals(self, quantity, analytic):
        """The platform's price includes the product's taxes: a tax that does not include its
        price is removed from the unit price, so the booked total is what the customer paid."""
        taxes = self.product_id.taxes_id.filtered(lambda tax: tax.company_id == self.company_id or not tax.company_id)
        price = self.price_unit
        excluded = taxes.filtered(lambda tax: not tax.price_include and tax.amount_type == "percent")
        if excluded:
            price = price / (1 + sum(excluded.mapped("amount")) / 100.0)
        values = {
            "product_id": self.product_id.id, "quantity": quantity, "price_unit": price,
            "tax_ids": [(6, 0, taxes.ids)],
        }
        if analytic:
            values["analytic_distribution"] = {str(analytic.id): 100}
        return values
