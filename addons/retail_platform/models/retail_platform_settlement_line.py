from odoo import fields, models


class RetailPlatformSettlementLine(models.Model):
    _name = "retail.platform.settlement.line"
    _description = "Platform payout line"
    _order = "row"

    settlement_id = fields.Many2one("retail.platform.settlement", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    row = fields.Integer()
    order_id = fields.Many2one("retail.platform.order", required=True)
    gross = fields.Monetary()
    commission = fields.Monetary()
    net = fields.Monetary()
