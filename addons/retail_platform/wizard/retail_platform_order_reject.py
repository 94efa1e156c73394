from odoo import fields, models

from ..models.retail_platform_callback import REJECT_REASONS
from ..tools.outbound import DEFAULT_REJECT_REASON


class RetailPlatformOrderReject(models.TransientModel):
    """The store's reason of a rejection, chosen before the order is rejected."""

    _name = "retail.platform.order.reject"
    _description = "Reject a platform order"

    order_id = fields.Many2one("retail.platform.order", required=True, ondelete="cascade")
    reason = fields.Selection(REJECT_REASONS, required=True, default=DEFAULT_REJECT_REASON)

    def action_reject(self):
        self.ensure_one()
        self.order_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
