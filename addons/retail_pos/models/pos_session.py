import logging
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from ..tools import policy as policy_tools

_logger = logging.getLogger(__name__)

MAX_APPROVAL_ITEMS = 100
CASH_ACTIONS = (policy_tools.ACTION_CASH_OUT, policy_tools.ACTION_CASH_DROP)


class PosSession(models.Model):
    _inherit = "pos.session"

    retail_store_id = fields.Many2one(
        related="config_id.warehouse_id", store=True, string="Store", index=True
    )
    retail_blind_closing = fields.Boolean(related="config_id.retail_blind_closing", string="Blind Closing")
    retail_cash_drop_ids = fields.One2many("retail.pos.cash.drop", "session_id", string="Cash Drops")
    retail_cash_drop_amount = fields.Monetary(
        string="Cash Dropped",
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

    def retail_request_approval(self, action, reference, items, employee_id, pin):
        """Check a store manager's approval PIN at this session's till and sign the approval.

        ``action``: one of the approval actions; ``reference``: the order's uuid (ignored for
        cash moves, which are bound to this session); ``items``: the lines approved, each
        ``{"line_uuid", "new_value", "original_value"}``; ``employee_id``: the manager chosen
        at the till; ``pin``: what they typed or scanned. Returns ``{"ok": True, "approvals":
        [...]}`` for the till to keep on the order, or ``{"ok": False, "message", "locked"}``.
        A refusal is returned, not raised, so that the failed attempt is kept: wrong PINs
        lock the manager and the till for a while, and the store's managers are told.
        """
        self.ensure_one()
        user = self.env.user
        if not user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only point of sale users may ask for an approval."))
        # Store staff reach only the sessions of their own stores (record rules).
        self.check_access("read")
        if self.state not in ("opening_control", "opened"):
            raise UserError(self.env._("This session is closed: approvals are given on an open session."))
        items = self._retail_approval_items(action, reference, items)
        config = self.config_id
        store = config.warehouse_id
        employee = self.env["hr.employee"].sudo().browse(
            employee_id if isinstance(employee_id, int) else []
        ).exists()
        Attempt = self.env["retail.pos.approval.attempt"].sudo()
        lock = Attempt._retail_lock(config, employee)
        if lock:
            return {"ok": False, "locked": True, "message": self._retail_lock_message(lock, employee)}
        if employee and employee.user_id == user:
            return {"ok": False, "locked": False, "message": self.env._(
                "You cannot approve your own action: another manager must.")}
        genuine = bool(
            employee
            and employee.company_id == config.company_id
            and employee.user_id
            and employee.user_id._retail_is_manager_of(store)
            and employee._retail_check_approval_pin(pin)
        )
        Attempt.create({
            "session_id": self.id, "config_id": config.id, "retail_store_id": store.id,
            "user_id": user.id, "employee_id": employee.id or False, "action": action, "success": genuine,
        })
        if not genuine:
            _logger.warning("Refused approval PIN at till %s (user %s, employee %s)", config.id, user.id, employee.id)
            lock = Attempt._retail_lock(config, employee)
            if lock:
                self._retail_notify_lock(lock, employee)
            return {"ok": False, "locked": bool(lock), "message": self._retail_lock_message(lock, employee) if lock
                    else self.env._("This PIN does not approve for a manager of this store.")}
        reference = self._retail_cash_out_reference() if action in CASH_ACTIONS else reference
        approvals = self.env["retail.pos.approval"]._retail_sign(config, reference, action, employee, items)
        return {"ok": True, "approvals": approvals}

    def _retail_approval_items(self, action, reference, items):
        if action not in policy_tools.ACTIONS:
            raise UserError(self.env._("Unknown approval action."))
        if action not in CASH_ACTIONS and not (isinstance(reference, str) and 0 < len(reference) <= 64):
            raise UserError(self.env._("An approval must name the order it approves."))
        if not isinstance(items, list) or not items or len(items) > MAX_APPROVAL_ITEMS:
            raise UserError(self.env._("An approval must name what it approves."))
        result = []
        for item in items:
            if not isinstance(item, dict):
                raise UserError(self.env._("An approval must name what it approves."))
            values = {}
            for key in ("line_uuid", "new_value", "original_value"):
                value = item.get(key)
                value = "" if value is None else str(value)
                if len(value) > 64:
                    raise UserError(self.env._("An approval must name what it approves."))
                values[key] = value
            if action in CASH_ACTIONS:
                # Bound to one cash move: the server picks the nonce, so no two moves share it.
                values["line_uuid"] = secrets.token_hex(8)
            result.append(values)
        return result

    def _retail_lock_message(self, lock, employee):
        if lock == "employee":
            return self.env._(
                "Too many wrong PINs for %(employee)s: their approvals are locked for 15 minutes.",
                employee=employee.name,
            )
        return self.env._("Too many wrong PINs at this till: approvals are locked for 15 minutes.")

    def _retail_notify_lock(self, lock, employee):
        store = self.config_id.warehouse_id
        managers = store.sudo().retail_user_ids.filtered(lambda user: user._retail_is_manager_of(store))
        body = self._retail_lock_message(lock, employee) + " " + self.env._(
            "Till %(till)s, asked by %(user)s.", till=self.config_id.display_name, user=self.env.user.name,
        )
        self.sudo().message_post(
            body=body, partner_ids=managers.partner_id.ids, subtype_xmlid="mail.mt_note",
        )

    def _retail_verify_session_approval(self, action, amount, approval, refused_message):
        """The store manager who approved ``action`` for ``amount`` on this session.

        ``approval`` is what the till sent: a signed approval of this server for this session;
        raises ``refused_message`` when it is not one.
        """
        self.ensure_one()
        Approval = self.env["retail.pos.approval"]
        approval = approval if isinstance(approval, dict) else {}
        if not approval.get("token") or approval.get("action") != action:
            raise UserError(refused_message)
        verified, _unverified = Approval._retail_sort_approvals(
            Approval._retail_token_secret(), self.config_id, self._retail_cash_out_reference(), [approval],
            None, {}, order_name=self.name,
        )
        if not verified:
            raise UserError(self.env._("This approval has expired: ask the manager again."))
        approved = verified[0]
        employee = self.env["hr.employee"].sudo().browse(approved["employee_id"])
        try:
            approved_amount = float(approved["new_value"])
        except ValueError:
            approved_amount = 0.0
        if approved_amount < abs(amount) - policy_tools.PRICE_TOLERANCE:
            raise UserError(self.env._(
                "The approval covers a cash move of %(approved)s, not %(amount)s.",
                approved=approved["new_value"], amount=amount,
            ))
        store = self.config_id.warehouse_id
        return employee, {
            "session_id": self.id,
            "retail_store_id": store.id,
            "action": action,
            "approver_employee_id": employee.id,
            "cashier_user_id": self.env.user.id,
            "line_uuid": approved["line_uuid"],
            "new_value": approved["new_value"],
            "credential": approved["credential"],
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
