from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import credential as credential_tools
from ..tools import policy as policy_tools


class PosSession(models.Model):
    _inherit = "pos.session"

    retail_store_id = fields.Many2one(
        related="config_id.warehouse_id", store=True, string="Store", index=True
    )
    retail_blind_closing = fields.Boolean(related="config_id.retail_blind_closing", string="Blind Closing")
    retail_cash_drop_ids = fields.One2many("retail.pos.cash.drop", "session_id", string="Cash Drops")
    retail_cash_drop_amount = fields.Monetary(
        string="Cash Drops",
        compute="_compute_retail_cash_drops",
        store=True,
        help="Cash moved from the drawer to the safe during the session. The expected cash "
        "already deducts it, so the variance compares the count with what should be left in "
        "the drawer.",
    )
    retail_cash_drop_count = fields.Integer(
        string="Cash Drop Count", compute="_compute_retail_cash_drops", store=True,
    )

    @api.depends("retail_cash_drop_ids.amount")
    def _compute_retail_cash_drops(self):
        for session in self:
            session.retail_cash_drop_amount = sum(session.retail_cash_drop_ids.mapped("amount"))
            session.retail_cash_drop_count = len(session.retail_cash_drop_ids)

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
        extras = extras or {}
        if _type == "out" and extras.get("retail_cash_drop"):
            drops = self._retail_prepare_cash_drops(amount, reason, extras)
            known_lines = self.env["account.bank.statement.line"].sudo().search([("pos_session_id", "in", self.ids)])
            result = super().try_cash_in_out(_type, amount, reason, partner_id, extras)
            self._retail_record_cash_drops(drops, known_lines)
            return result
        if _type == "out":
            self._retail_check_cash_out(amount, extras)
        return super().try_cash_in_out(_type, amount, reason, partner_id, extras)

    def _retail_verify_session_approval(self, action, amount, approval, refused_message):
        """The store manager who genuinely approved ``action`` for ``amount`` on this session.

        ``approval`` is what the till sent; raises ``refused_message`` when it does not verify.
        """
        self.ensure_one()
        employee = self.env["hr.employee"].sudo().browse(approval.get("employee_id") or []).exists()
        new_value = str(approval.get("new_value") or "")
        nonce = str(approval.get("line_uuid") or "")
        genuine = bool(employee) and nonce and credential_tools.credential_matches(
            [employee.pin, employee.barcode], approval.get("credential"),
            self._retail_cash_out_reference(), action, nonce, new_value, employee.id,
        )
        if not genuine:
            raise UserError(refused_message)
        store = self.config_id.warehouse_id
        if not employee.user_id or not employee.user_id._retail_is_manager_of(store):
            raise UserError(self.env._(
                "%(employee)s is not a manager of the store %(store)s and cannot approve this cash move.",
                employee=employee.name, store=store.display_name,
            ))
        try:
            approved = float(new_value)
        except ValueError:
            approved = 0.0
        if approved < abs(amount) - policy_tools.PRICE_TOLERANCE:
            raise UserError(self.env._(
                "The approval covers a cash move of %(approved)s, not %(amount)s.",
                approved=new_value, amount=amount,
            ))
        return employee, {
            "session_id": self.id,
            "retail_store_id": store.id,
            "action": action,
            "approver_employee_id": employee.id,
            "cashier_user_id": self.env.user.id,
            "line_uuid": nonce,
            "new_value": new_value,
            "credential": approval["credential"],
        }

    def _retail_create_session_approvals(self, vals_list):
        """Record the approvals of cash moves; a credential counts only once."""
        if not vals_list:
            return self.env["retail.pos.approval"]
        self.env.cr.execute(
            "SELECT 1 FROM retail_pos_approval WHERE credential = ANY(%s)",
            [[vals["credential"] for vals in vals_list]],
        )
        if self.env.cr.fetchone():
            raise UserError(self.env._("This cash move approval has already been used."))
        return self.env["retail.pos.approval"].sudo().create(vals_list)

    def _retail_check_cash_out(self, amount, extras):
        """A cash-out above the store limit needs a genuine approval of a store manager."""
        approvals = []
        for session in self:
            limit = session.config_id.retail_cash_out_limit
            if not limit or abs(amount) <= limit + policy_tools.PRICE_TOLERANCE:
                continue
            _employee, vals = session._retail_verify_session_approval(
                policy_tools.ACTION_CASH_OUT, amount, extras.get("retail_approval") or {},
                self.env._(
                    "A cash-out of %(amount)s is above the limit of %(limit)s of %(till)s and needs a "
                    "store manager's approval.",
                    amount=amount, limit=limit, till=session.config_id.display_name,
                ),
            )
            approvals.append({**vals, "original_value": str(limit)})
        self._retail_create_session_approvals(approvals)

    def _retail_cash_drop_cashier(self, extras):
        """The employee making the drop, when employees log in at the till (pos_hr)."""
        self.ensure_one()
        employee_id = extras.get("employee_id")
        if not self.config_id.module_pos_hr or not employee_id:
            return self.env["hr.employee"]
        domain = Domain(self.config_id._employee_domain(self.env.uid)) & Domain("id", "=", employee_id)
        employee = self.env["hr.employee"].sudo().search(domain, limit=1)
        if not employee:
            raise UserError(self.env._(
                "The cashier of this cash drop does not work on the till %(till)s.",
                till=self.config_id.display_name,
            ))
        return employee

    def _retail_prepare_cash_drops(self, amount, reason, extras):
        """Check a cash drop before anything is written; returns the drops to record.

        A drop is not held to the cash-out limit: the money stays in the company's custody. A
        till may require a store manager to witness each drop (PIN or badge); the manager may
        not be the cashier.
        """
        try:
            amount = float(amount)
        except (TypeError, ValueError):
            amount = 0.0
        if amount <= 0:
            raise UserError(self.env._("A cash drop must be a positive amount."))
        drops = []
        approvals = []
        for session in self.filtered("cash_journal_id"):
            cashier = session._retail_cash_drop_cashier(extras)
            vals = {
                "session_id": session.id,
                "retail_store_id": session.config_id.warehouse_id.id,
                "cashier_user_id": self.env.user.id,
                "cashier_employee_id": cashier.id,
                "amount": amount,
                "reason": (reason or "").strip(),
            }
            if session.config_id.retail_cash_drop_witness:
                witness, approval = session._retail_verify_session_approval(
                    policy_tools.ACTION_CASH_DROP, amount, extras.get("retail_approval") or {},
                    self.env._(
                        "A cash drop on %(till)s must be witnessed by a store manager (PIN or badge).",
                        till=session.config_id.display_name,
                    ),
                )
                if witness == cashier or (not cashier and witness.user_id == self.env.user):
                    raise UserError(self.env._(
                        "%(employee)s cannot witness their own cash drop; another manager must.",
                        employee=witness.name,
                    ))
                approvals.append({**approval, "cashier_employee_id": cashier.id, "original_value": ""})
                vals["approval_index"] = len(approvals) - 1
            drops.append(vals)
        created = self._retail_create_session_approvals(approvals)
        for vals in drops:
            index = vals.pop("approval_index", None)
            if index is not None:
                vals["approval_id"] = created[index].id
        return drops

    def _retail_record_cash_drops(self, drops, known_lines):
        """Record the drops, each linked to the cash move core has just written for it."""
        new_lines = self.env["account.bank.statement.line"].sudo().search(
            [("pos_session_id", "in", self.ids), ("id", "not in", known_lines.ids)], order="id desc",
        )
        line_by_session = {}
        for line in new_lines:
            line_by_session.setdefault(line.pos_session_id.id, line.id)
        for vals in drops:
            vals["statement_line_id"] = line_by_session.get(vals["session_id"], False)
        self.env["retail.pos.cash.drop"].sudo().create(drops)
