from odoo import api, fields, models


class RetailPosCashDrop(models.Model):
    """Cash a cashier moved from the drawer to the store's safe during a session.

    A drop leaves the drawer like a cash-out (core records it as a cash move of the session, so
    the expected cash of the closing already deducts it), but the money stays in the company's
    custody: it is not held to the cash-out limit and is listed apart, per session and cashier,
    so the safe can be reconciled with the drops.
    """

    _name = "retail.pos.cash.drop"
    _inherit = ["retail.store.mixin"]
    _description = "Cash drop to the safe"
    _order = "dropped_at desc, id desc"

    session_id = fields.Many2one("pos.session", required=True, index=True, ondelete="cascade")
    config_id = fields.Many2one(related="session_id.config_id", store=True, string="Till")
    company_id = fields.Many2one(related="session_id.company_id", store=True, string="Company")
    currency_id = fields.Many2one(related="session_id.currency_id", string="Currency")
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Cash Move", index="btree_not_null", ondelete="cascade",
        help="The session's cash move that took the money out of the drawer.",
    )
    cashier_user_id = fields.Many2one("res.users", string="Cashier", required=True)
    cashier_employee_id = fields.Many2one("hr.employee", index="btree_not_null")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    reason = fields.Char()
    dropped_at = fields.Datetime(string="Dropped On", required=True, default=fields.Datetime.now)
    approval_id = fields.Many2one("retail.pos.approval", string="Witness Approval", ondelete="set null")
    approver_employee_id = fields.Many2one(
        related="approval_id.approver_employee_id", store=True, string="Witnessed By",
    )

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A cash drop must be a positive amount.")

    @api.depends("session_id", "amount")
    def _compute_display_name(self):
        for drop in self:
            drop.display_name = f"{drop.session_id.name or ''} · {drop.amount:.2f}"
