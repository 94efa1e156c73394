from odoo import fields, models


class RetailClosePackLine(models.Model):
    """A row of a close pack section: a cashier, a top or bottom product, a stockout, an
    expiring lot, or a store of the chain roll-up."""

    _name = "retail.close.pack.line"
    _description = "Close Pack Line"
    _order = "pack_id, kind, sequence, id"

    pack_id = fields.Many2one("retail.close.pack", required=True, ondelete="cascade", index=True)
    retail_store_id = fields.Many2one(related="pack_id.retail_store_id", store=True, string="Store")
    currency_id = fields.Many2one(related="pack_id.currency_id")
    kind = fields.Selection(
        [
            ("cashier", "Cashier"),
            ("top", "Top Product"),
            ("bottom", "Bottom Product"),
            ("stockout", "Stockout"),
            ("expiry", "Near Expiry"),
            ("store", "Store"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one("res.users", string="Cashier")
    product_id = fields.Many2one("product.product")
    lot_id = fields.Many2one("stock.lot")
    store_id = fields.Many2one("stock.warehouse", string="Chain Store")
    expiration_date = fields.Datetime()
    quantity = fields.Float(digits="Product Unit")
    amount = fields.Monetary(string="Sales")
    margin_amount = fields.Monetary(string="Gross Margin")
    ticket_count = fields.Integer(string="Tickets")
    discount_amount = fields.Monetary(string="Discounts")
    refund_amount = fields.Monetary(string="Refunds")
    refund_count = fields.Integer(string="Refund Tickets")
    void_count = fields.Integer(string="Voids", help="Orders cancelled at the till.")
    cash_variance = fields.Monetary()
