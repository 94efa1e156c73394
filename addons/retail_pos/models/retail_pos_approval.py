import secrets
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import approval_token, policy

# An approval is used when the order is paid or the cash moved, minutes later; a shift at most.
TOKEN_LIFETIME = 4 * 3600
TOKEN_SECRET_PARAMETER = "retail_pos.approval_token_secret"


class RetailPosApproval(models.Model):
    """A store manager's approval of one cashier action at the till.

    The till asks the server (``pos.session.retail_request_approval``), which checks the
    manager's approval PIN and signs the approval; ``sync_from_ui`` and the cash moves accept
    an action that needs approval only with such a signed approval. A till that could not
    reach the server records the approval as *unverified*: the sale is kept, and it counts as
    approved only once a store manager confirms it here.
    """

    _name = "retail.pos.approval"
    _inherit = ["retail.store.mixin"]
    _description = "Manager approval at the till"
    _order = "approved_at desc, id desc"
    _rec_name = "action"

    order_id = fields.Many2one("pos.order", index=True, ondelete="cascade")
    order_line_id = fields.Many2one("pos.order.line", ondelete="set null")
    line_uuid = fields.Char(string="Line Reference")
    session_id = fields.Many2one("pos.session", index=True, ondelete="cascade")
    config_id = fields.Many2one(related="session_id.config_id", store=True, string="Till")
    cashier_user_id = fields.Many2one("res.users", string="Cashier")
    cashier_employee_id = fields.Many2one("hr.employee")
    action = fields.Selection(
        [
            (policy.ACTION_PRICE, "Price Override"),
            (policy.ACTION_DISCOUNT, "Line Discount Above Limit"),
            (policy.ACTION_ORDER_DISCOUNT, "Order Discount Above Limit"),
            (policy.ACTION_RETURN, "Return Without Receipt"),
            (policy.ACTION_EXPIRED_LOT, "Expired Lot Sold"),
            (policy.ACTION_MANUAL_ENTRY, "Barcoded Product Keyed In"),
            (policy.ACTION_DELETE_LINE, "Line Deleted After Payment Started"),
            (policy.ACTION_CASH_OUT, "Cash Out Above Limit"),
            (policy.ACTION_CASH_DROP, "Cash Drop Witnessed"),
        ],
        required=True,
        index=True,
    )
    approver_employee_id = fields.Many2one("hr.employee", string="Approved By", index=True)
    approver_user_id = fields.Many2one(
        related="approver_employee_id.user_id", store=True, string="Approving User"
    )
    product_id = fields.Many2one(related="order_line_id.product_id", store=True, string="Product")
    original_value = fields.Char()
    new_value = fields.Char(string="Approved Value")
    approved_at = fields.Datetime(string="Approved On", required=True, default=fields.Datetime.now)
    credential = fields.Char(required=True, copy=False, groups="base.group_system")
    state = fields.Selection(
        [
            ("verified", "Verified"),
            ("unverified", "To Confirm"),
            ("confirmed", "Confirmed"),
            ("rejected", "Rejected"),
        ],
        string="Status",
        required=True,
        default="verified",
        index=True,
        help="Verified: the server checked the manager's approval PIN when it was given. To "
        "confirm: the till was offline (or the approval had expired), so nobody has checked it "
        "yet; a store manager confirms or rejects it.",
    )
    unverified_reason = fields.Selection(
        [("offline", "Till Offline"), ("expired", "Approval Expired")], string="Why Unverified",
    )
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    reviewed_at = fields.Datetime(string="Reviewed On", readonly=True)

    _credential_unique = models.Constraint(
        "UNIQUE(credential)",
        "This approval has already been used.",
    )

    @api.depends("action", "order_id")
    def _compute_display_name(self):
        labels = dict(self._fields["action"]._description_selection(self.env))
        for approval in self:
            reference = approval.order_id.name or approval.session_id.name or ""
            approval.display_name = f"{reference} · {labels.get(approval.action, '')}"

    # ------------------------------------------------------------------
    # Review of unverified approvals
    # ------------------------------------------------------------------

    def action_retail_confirm(self):
        self._retail_review("confirmed")

    def action_retail_reject(self):
        self._retail_review("rejected")

    def _retail_review(self, state):
        user = self.env.user
        for approval in self:
            if approval.state != "unverified":
                raise UserError(self.env._("Only approvals that are still to confirm can be reviewed."))
            if not user._retail_is_manager_of(approval.retail_store_id):
                raise AccessError(self.env._(
                    "Only a manager of the store %(store)s may review its approvals.",
                    store=approval.retail_store_id.display_name,
                ))
            if approval.cashier_user_id == user:
                raise AccessError(self.env._("You cannot review an approval of your own sale."))
        # Store roles only read approvals: the review is written once the checks above passed.
        self.sudo().write({"state": state, "reviewed_by_id": user.id, "reviewed_at": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Signing and verifying
    # ------------------------------------------------------------------

    @api.model
    def _retail_token_secret(self):
        parameters = self.env["ir.config_parameter"].sudo()
        secret = parameters.get_param(TOKEN_SECRET_PARAMETER)
        if not secret:
            secret = secrets.token_hex(32)
            parameters.set_param(TOKEN_SECRET_PARAMETER, secret)
        return secret

    @api.model
    def _retail_sign(self, config, reference, action, employee, items):
        """Signed approvals of ``action`` on ``items`` (``line_uuid``, ``new_value``,
        ``original_value``), by ``employee`` at ``config``, for the till to send back."""
        secret = self._retail_token_secret()
        expires_at = int(time.time()) + TOKEN_LIFETIME
        result = []
        for item in items:
            claims = {
                "reference": reference, "line_uuid": item["line_uuid"], "action": action,
                "new_value": item["new_value"], "employee_id": employee.id, "config_id": config.id,
                "expires_at": expires_at,
            }
            result.append({
                "action": action,
                "line_uuid": item["line_uuid"],
                "new_value": item["new_value"],
                "original_value": item.get("original_value") or "",
                "employee_id": employee.id,
                "approver_name": employee.name,
                "expires_at": expires_at,
                "token": approval_token.sign(secret, claims),
            })
        return result

    @api.model
    def _retail_offline_approvers(self, to_check):
        """Employees named by the unverified approvals of ``to_check``: one query for all."""
        employee_ids = {
            approval.get("employee_id") for _order, approvals in to_check for approval in approvals
            if not approval.get("token") and isinstance(approval.get("employee_id"), int)
        }
        if not employee_ids:
            return {}
        employees = self.env["hr.employee"].sudo().browse(employee_ids).exists()
        return {employee.id: employee for employee in employees}

    @api.model
    def _retail_sort_approvals(self, secret, config, reference, approvals, cashier_employee_id,
                               offline_employees, order_name=""):
        """Split what a till sent into verified and unverified approvals.

        Signed by this server for this till, reference, line, action and value: verified while
        unexpired, unverified once expired. Marked offline: unverified. Anything else — a bad
        signature, another till's or order's approval, an unknown action — refuses the whole
        order. A manager never approves their own sale.
        """
        now = int(time.time())
        verified, unverified = [], []
        for approval in approvals:
            action = approval.get("action")
            line_uuid = str(approval.get("line_uuid") or "")
            new_value = approval.get("new_value")
            new_value = "" if new_value is None else str(new_value)
            employee_id = approval.get("employee_id") if isinstance(approval.get("employee_id"), int) else 0
            token = approval.get("token")
            if action not in policy.ACTIONS:
                status = approval_token.FORGED
            elif token:
                status = approval_token.check(secret, {
                    "reference": reference, "line_uuid": line_uuid, "action": action, "new_value": new_value,
                    "employee_id": employee_id, "config_id": config.id, "expires_at": approval.get("expires_at"),
                }, token, now)
            elif approval.get("offline") is True:
                status = "offline"
            else:
                status = approval_token.FORGED
            if status == approval_token.FORGED:
                raise UserError(self.env._(
                    "Order %(order)s carries an approval that this server did not give for this till, "
                    "order, line and value; the order was not saved.", order=order_name,
                ))
            if cashier_employee_id and employee_id and cashier_employee_id == employee_id:
                raise UserError(self.env._(
                    "Order %(order)s: a manager approved their own sale; another manager must approve it.",
                    order=order_name,
                ))
            record = {
                "action": action,
                "line_uuid": line_uuid,
                "new_value": new_value,
                "original_value": str(approval.get("original_value") or ""),
                "employee_id": employee_id,
                "approved_at": self._retail_approved_at(approval.get("approved_at")),
            }
            if status == approval_token.VALID:
                verified.append({**record, "credential": token, "state": "verified"})
                continue
            employee = offline_employees.get(employee_id)
            record["employee_id"] = employee.id if employee else 0
            unverified.append({
                **record,
                "credential": token or approval_token.offline_reference(reference, line_uuid, action, new_value),
                "state": "unverified",
                "unverified_reason": "expired" if status == approval_token.EXPIRED else "offline",
            })
        return verified, unverified

    @api.model
    def _retail_approved_at(self, value):
        if value:
            try:
                return fields.Datetime.to_datetime(str(value)[:19].replace("T", " "))
            except ValueError:  # pylint: disable=except-pass
                pass  # a time the till cannot give is the time the server records it
        return fields.Datetime.now()

    @api.model
    def _retail_known_credentials(self, credentials):
        if not credentials:
            return set()
        self.env.cr.execute(
            "SELECT credential FROM retail_pos_approval WHERE credential = ANY(%s)", [list(credentials)],
        )
        return {row[0] for row in self.env.cr.fetchall()}
