from odoo import fields, models
from odoo.exceptions import AccessError

ERROR_KINDS = [
    ("signature", "Bad Signature"),
    ("replay", "Outside the Time Window"),
    ("unknown_shop", "Unknown Shop"),
    ("wrong_shop", "Another Shop's Message"),
    ("unknown_sku", "Unknown SKU"),
    ("malformed", "Malformed Body"),
    ("processing", "Cannot Be Processed"),
]


class RetailPlatformError(models.Model):
    """A call or a message that could not go through, for a person to look at."""

    _name = "retail.platform.error"
    _description = "Platform error to fix"
    _order = "id desc"

    kind = fields.Selection(ERROR_KINDS, required=True, readonly=True)
    state = fields.Selection([("new", "New"), ("resolved", "Resolved")], default="new", required=True, index=True)
    shop_id = fields.Many2one("retail.platform.shop", readonly=True, index=True, ondelete="set null")
    warehouse_id = fields.Many2one(related="shop_id.warehouse_id", store=True, string="Store")
    platform = fields.Char(readonly=True)
    message_id = fields.Many2one("retail.platform.message", readonly=True, ondelete="set null", index="btree_not_null")
    order_ref = fields.Char("Platform Order", readonly=True)
    description = fields.Text(readonly=True)
    payload = fields.Text("Body Received", readonly=True)

    def _check_can_work(self):
        user = self.env.user
        for error in self:
            store = error.sudo().warehouse_id
            if not (user.has_group("retail_base.group_retail_hq") or (store and user._retail_is_manager_of(store))):
                raise AccessError(self.env._("Only a manager of the store or headquarters works this error."))

    def action_resolve(self):
        self._check_can_work()
        self.sudo().state = "resolved"

    def action_retry(self):
        """Process the message again (e.g. after a missing SKU was listed); resolved when it goes through."""
        self._check_can_work()
        messages = self.sudo().message_id.filtered(lambda message: message.state in ("error", "waiting"))
        messages.state = "pending"
        messages._process()
        for error in self.sudo():
            if not error.message_id or error.message_id.state in ("done", "ignored"):
                error.state = "resolved"
