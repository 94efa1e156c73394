from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import credential as credential_tools
from ..tools import policy as policy_tools


class PosSession(models.Model):
    _inherit = "pos.session"

    retail_store_id = fields.Many2one(
        related="config_id.warehouse_id", store=True, string="Store", index=True
    )
    retail_blind_closing = fields.Boolean(related="config_id.retail_blind_closing", string="Blind Closing")

    def _get_sale_vals(self, key, sale_vals):
        vals = super()._get_sale_vals(key, sale_vals)
        analytic_account = self.config_id.warehouse_id.retail_analytic_account_id
        if analytic_account:
            vals["analytic_distribution"] = {str(analytic_account.id): 100}
        return vals

    def _retail_cash_out_reference(self):
        self.ensure_one()
        return f"session-{self.id}"

    def try_cash_in_out(self, _type, amount, reason, partner_id, extras):
        if _type == "out":
            self._retail_check_cash_out(amount, extras or {})
        return super().try_cash_in_out(_type, amount, reason, partner_id, extras)

    def _retail_check_cash_out(self, amount, extras):
        """A cash-out above the store limit needs a genuine approval of a store manager."""
        approvals = []
        for session in self:
            limit = session.config_id.retail_cash_out_limit
            if not limit or abs(amount) <= limit + policy_tools.PRICE_TOLERANCE:
                continue
            approval = extras.get("retail_approval") or {}
            employee = self.env["hr.employee"].sudo().browse(approval.get("employee_id") or []).exists()
            new_value = str(approval.get("new_value") or "")
            nonce = str(approval.get("line_uuid") or "")
            genuine = bool(employee) and nonce and credential_tools.credential_matches(
                [employee.pin, employee.barcode], approval.get("credential"),
                session._retail_cash_out_reference(), policy_tools.ACTION_CASH_OUT, nonce, new_value,
                employee.id,
            )
            if not genuine:
                raise UserError(self.env._(
                    "A cash-out of %(amount)s is above the limit of %(limit)s of %(till)s and needs a "
                    "store manager's approval.",
                    amount=amount, limit=limit, till=session.config_id.display_name,
                ))
            if not employee.user_id or not employee.user_id._retail_is_manager_of(session.config_id.warehouse_id):
                raise UserError(self.env._(
                    "%(employee)s is not a manager of the store %(store)s and cannot approve this cash-out.",
                    employee=employee.name, store=session.config_id.warehouse_id.display_name,
                ))
            try:
                approved = float(new_value)
            except ValueError:
                approved = 0.0
            if approved < abs(amount) - policy_tools.PRICE_TOLERANCE:
                raise UserError(self.env._(
                    "The approval covers a cash-out of %(approved)s, not %(amount)s.",
                    approved=new_value, amount=amount,
                ))
            approvals.append({
                "session_id": session.id,
                "retail_store_id": session.config_id.warehouse_id.id,
                "action": policy_tools.ACTION_CASH_OUT,
                "approver_employee_id": employee.id,
                "cashier_user_id": self.env.user.id,
                "line_uuid": nonce,
                "new_value": new_value,
                "original_value": str(limit),
                "credential": approval["credential"],
            })
        if approvals:
            self.env.cr.execute(
                "SELECT 1 FROM retail_pos_approval WHERE credential = ANY(%s)",
                [[vals["credential"] for vals in approvals]],
            )
            if self.env.cr.fetchone():
                raise UserError(self.env._("This cash-out approval has already been used."))
            self.env["retail.pos.approval"].sudo().create(approvals)
