from odoo import models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    def unlink(self):
        # The database would cascade to the drops too, but without the ORM the session's
        # stored drop total would keep the deleted drop.
        drops = self.env["retail.pos.cash.drop"].sudo().search([("statement_line_id", "in", self.ids)])
        drops.unlink()
        return super().unlink()
