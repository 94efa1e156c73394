from odoo import api, fields, models

from ..tools import policy


class RetailPosApproval(models.Model):
    """A store manager's approval of one cashier action at the till.

    Approvals travel with the order from the till and are verified on the server before
    the order is written (see ``pos.order._retail_check_orders``); only genuine ones are
    recorded here.
    """

    _name = "retail.pos.approval"
    _inherit = ["retail.store.mixin"]
    _description = "Manager approval at the till"
    _order = "approved_at desc, id desc"
    _rec_name = "action"

    order_id = fields.Many2one("pos.order", string="Order", index=True, ondelete="cascade")
    order_line_id = fields.Many2one("pos.order.line", string="Order Line", ondelete="set null")
    line_uuid = fields.Char(string="Line Reference")
    session_id = fields.Many2one("pos.session", string="Session", index=True, ondelete="cascade")
    config_id = fields.Many2one(related="session_id.config_id", store=True, string="Till")
    cashier_user_id = fields.Many2one("res.users", string="Cashier")
    cashier_employee_id = fields.Many2one("hr.employee", string="Cashier Employee")
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
    approver_employee_id = fields.Many2one("hr.employee", string="Approved By", required=True, index=True)
    approver_user_id = fields.Many2one(
        related="approver_employee_id.user_id", store=True, string="Approving User"
    )
    product_id = fields.Many2one(related="order_line_id.product_id", store=True, string="Product")
    original_value = fields.Char(string="Original Value")
    new_value = fields.Char(string="Approved Value")
    approved_at = fields.Datetime(string="Approved On", required=True, default=fields.Datetime.now)
    credential = fields.Char(required=True, copy=False, groups="base.group_system")

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
