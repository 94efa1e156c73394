import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class RetailPlatformLog(models.Model):
    """Every call of a platform to us and every request we make to it, with its outcome. Access
    tokens, refresh tokens and secrets are never kept: they are masked as ``***``.

    Written through a cursor of its own, so the line stays when the business transaction it
    describes is rolled back."""

    _name = "retail.platform.log"
    _description = "Platform call log"
    _order = "id desc"

    direction = fields.Selection([("in", "Inbound"), ("out", "Outbound")], required=True)
    kind = fields.Selection(
        [("webhook", "Webhook"), ("callback", "Status Callback"), ("stock", "Stock Feed"),
         ("token", "Access Token")], required=True)
    shop_id = fields.Many2one("retail.platform.shop", index=True, ondelete="set null")
    platform = fields.Char()
    order_ref = fields.Char("Platform Order")
    url = fields.Char("URL")
    http_status = fields.Integer("HTTP Status")
    outcome = fields.Selection(
        [("ok", "Accepted"), ("duplicate", "Duplicate"), ("refused", "Refused"), ("unreachable", "Unreachable")],
        required=True)
    error_code = fields.Char()
    request_body = fields.Text("Request")
    response_body = fields.Text("Response")
    duration_ms = fields.Integer("Duration (ms)")

    @api.model
    def _write_separately(self, values):
        """Create the log line in its own transaction, committed at once."""
        try:
            with self.env.registry.cursor() as cr:
                self.env(cr=cr, su=True)[self._name].create(values)
        except Exception:
            # a log that cannot be written must not turn an answered call into a failed one
            _logger.exception("platform call log could not be written: %s", values.get("url"))
