import cn2an

from odoo import api, fields, models


def amount_in_capitals(amount):
    """123.45 -> '壹佰贰拾叁元肆角伍分' (RMB capitals, as written on Chinese vouchers)."""
    rounded = round(abs(amount or 0.0), 2)
    text = cn2an.an2cn(f"{rounded:.2f}", "rmb")
    return f"负{text}" if amount and amount < 0 and rounded else text


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
