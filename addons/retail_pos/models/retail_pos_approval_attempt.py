from datetime import timedelta

from odoo import api, fields, models

# Five wrong PINs in a quarter of an hour lock the manager's approvals, ten lock the till's.
LOCK_WINDOW = timedelta(minutes=15)
EMPLOYEE_LOCK_AFTER = 5
TILL_LOCK_AFTER = 10


class RetailPosApprovalAttempt(models.Model):
    """One attempt at a till to approve with a manager's approval PIN, kept to stop guessing."""

    _name = "retail.pos.approval.attempt"
    _inherit = ["retail.store.mixin"]
    _description = "Approval attempt at the till"
    _order = "create_date desc, id desc"

    session_id = fields.Many2one("pos.session", required=True, index=True, ondelete="cascade")
    config_id = fields.Many2one("pos.config", string="Till", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Asked By", required=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", string="Manager", index=True, ondelete="cascade")
    action = fields.Char()
    success = fields.Boolean(string="Accepted")

    _config_date_index = models.Index("(config_id, create_date)")
    _employee_date_index = models.Index("(employee_id, create_date)")

    @api.model
    def _retail_lock(self, config, employee):
        """``"employee"`` or ``"till"`` when too many wrong PINs were tried lately, else ``False``."""
        since = fields.Datetime.now() - LOCK_WINDOW
        self.env.cr.execute(
            """
            SELECT COUNT(*) FILTER (WHERE employee_id = %s), COUNT(*) FILTER (WHERE config_id = %s)
              FROM retail_pos_approval_attempt
             WHERE NOT success AND create_date >= %s AND (config_id = %s OR employee_id = %s)
            """,
            [employee.id or 0, config.id, since, config.id, employee.id or 0],
        )
        by_employee, by_till = self.env.cr.fetchone()
        if employee and by_employee >= EMPLOYEE_LOCK_AFTER:
            return "employee"
        if by_till >= TILL_LOCK_AFTER:
            return "till"
        return False
