from odoo import api, fields, models

from ..tools.capitals import amount_in_capitals


class AccountMove(models.Model):
    _inherit = "account.move"

    retail_amount_in_capitals = fields.Char(
        string="Amount in Chinese Capitals",
        compute="_compute_retail_amount_in_capitals",
        help="Total in RMB capitals, printed on invoices in Chinese yuan.",
    )

    @api.depends("amount_total", "currency_id")
    def _compute_retail_amount_in_capitals(self):
        for move in self:
            move.retail_amount_in_capitals = (
                amount_in_capitals(move.amount_total) if move.currency_id.name == "CNY" else False
            )
