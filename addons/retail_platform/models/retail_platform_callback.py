from datetime import timedelta

from odoo import api, fields, models

from ..tools import outbound

REJECT_REASONS = [
    ("other", "The store cannot take the order"),
    ("busy", "The store is too busy"),
    ("sold_out", "Sold out"),
    ("closed", "The store is closed"),
    ("out_of_range", "Out of the delivery area"),
    ("customer_unreachable", "The customer cannot be reached"),
]

MAX_ATTEMPTS = 5


class RetailPlatformCallback(models.Model):
    """A status the platform must hear of (accepted, rejected, refund agreed), sent after the
    commit by the cron ``Platforms: send status callbacks`` and retried with a growing delay
    (1, 2, 4, 8 minutes) before it is given up and put in the error queue."""

    _name = "retail.platform.callback"
    _description = "Platform status callback"
    _order = "id"

    shop_id = fields.Many2one("retail.platform.shop", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one("retail.platform.order", required=True, index=True, ondelete="cascade")
    action = fields.Selection(
        [("accept", "Accept"), ("reject", "Reject"), ("refund", "Agree to Refund")], required=True)
    state = fields.Selection(
        [("pending", "To Send"), ("sent", "Sent"), ("failed", "Given Up")], default="pending", required=True,
        index=True)
    attempts = fields.Integer(default=0)
    next_attempt = fields.Datetime(default=fields.Datetime.now)
    refund_ref = fields.Char("Refund Reference")
    reject_reason = fields.Selection(
        REJECT_REASONS, help="The store's reason of a rejection, sent as the platform's own code of it.")
    last_error = fields.Char()

    @api.model
    def _queue(self, orders, action, extra=None):
        """A callback of ``action`` for each of ``orders``, each triggering the cron."""
        extra = extra or {}
        callbacks = self.create([{"shop_id": order.shop_id.id, "order_id": order.id, "action": action,
                                  "refund_ref": extra.get("refund_id") or False,
                                  "reject_reason": extra.get("reason") or False} for order in orders])
        self.env.ref("retail_platform.ir_cron_send_callbacks")._trigger([fields.Datetime.now()] * len(callbacks))
        return callbacks

    @api.model
    def _cron_send(self, limit=200):
        callbacks = self.search([("state", "=", "pending"), ("next_attempt", "<=", fields.Datetime.now())],
                                limit=limit)
        self.env["ir.cron"]._commit_progress(remaining=len(callbacks))
        for callback in callbacks:
            callback._send()
            self.env["ir.cron"]._commit_progress(1)
        self._trigger_next()

    @api.model
    def _send_due(self):
        """What the cron does, in the current transaction."""
        self.search([("state", "=", "pending"), ("next_attempt", "<=", fields.Datetime.now())])._send()
        self._trigger_next()

    @api.model
    def _trigger_next(self):
        later = self.search([("state", "=", "pending")], order="next_attempt", limit=1)
        if later:
            self.env.ref("retail_platform.ir_cron_send_callbacks")._trigger(later.next_attempt)

    def _send(self):
        for callback in self:
            shop = callback.shop_id
            if not shop.api_url:
                callback.write({"state": "failed", "last_error": "no platform API URL"})
                continue
            request = outbound.callback_request(shop.platform, shop.shop_code, callback.action,
                                                callback.order_id.platform_order_ref, callback.refund_ref or None,
                                                callback.reject_reason or None)
            ok, answer = shop._send("callback", request, order=callback.order_id.platform_order_ref)
            attempts = callback.attempts + 1
            if ok:
                callback.write({"state": "sent", "attempts": attempts, "last_error": False})
            elif attempts >= MAX_ATTEMPTS:
                callback.write({"state": "failed", "attempts": attempts, "last_error": answer[:250]})
                self.env["retail.platform.error"].create({
                    "kind": "processing", "shop_id": shop.id, "platform": shop.platform,
                    "order_ref": callback.order_id.platform_order_ref,
                    "description": self.env._("The platform did not take the %(action)s callback after %(n)s tries: "
                                              "%(answer)s", action=callback.action, n=attempts, answer=answer[:500]),
                })
            else:
                callback.write({
                    "attempts": attempts, "last_error": answer[:250],
                    "next_attempt": fields.Datetime.now() + timedelta(minutes=2 ** (attempts - 1)),
                })
