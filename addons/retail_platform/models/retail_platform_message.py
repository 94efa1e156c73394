import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class RetailPlatformMessage(models.Model):
    """A webhook as it was accepted: recorded and answered at once, worked after the commit by
    the cron ``Platforms: process messages`` (triggered by every webhook).

    Unique per shop and message id, so a platform's retry records nothing twice."""

    _name = "retail.platform.message"
    _description = "Platform webhook message"
    _order = "id"

    shop_id = fields.Many2one("retail.platform.shop", required=True, index=True, ondelete="cascade", readonly=True)
    warehouse_id = fields.Many2one(related="shop_id.warehouse_id", store=True, string="Store")
    message_ref = fields.Char("Message ID", required=True, readonly=True)
    order_ref = fields.Char("Platform Order", required=True, readonly=True, index=True)
    event = fields.Selection(
        [("create", "Order Placed"), ("cancel", "Cancelled"), ("delivered", "Delivered"), ("refund", "Refund")],
        required=True, readonly=True)
    payload = fields.Text("Event Received", readonly=True,
                          help="The event as read from the body, in the addon's own shape.")
    state = fields.Selection(
        [("pending", "To Process"), ("waiting", "Waiting for its Order"), ("done", "Done"),
         ("ignored", "Nothing to Do"), ("error", "Error")],
        default="pending", required=True, index=True, readonly=True)
    note = fields.Char(readonly=True)
    processed_at = fields.Datetime(readonly=True)

    _message_uniq = models.Constraint(
        "UNIQUE(shop_id, message_ref)", "A platform message is recorded once per shop.")
    _state_index = models.Index("(state, id) WHERE state = 'pending'")

    @api.model
    def _record(self, shop, event):
        """The message of ``event`` for ``shop``: ``(message, is_new)``; the work is left to the cron."""
        existing = self.search([("shop_id", "=", shop.id), ("message_ref", "=", event["message_id"])], limit=1)
        if existing:
            return existing, False
        message = self.create({
            "shop_id": shop.id, "message_ref": event["message_id"], "order_ref": event["order_id"],
            "event": event["event"], "payload": json.dumps(event, sort_keys=True),
        })
        self.env.ref("retail_platform.ir_cron_process_messages")._trigger()
        return message, True

    @api.model
    def _cron_process(self, limit=500):
        """The cron: each message in its own transaction, committed as it is done."""
        messages = self.search([("state", "=", "pending")], limit=limit)
        self.env["ir.cron"]._commit_progress(remaining=len(messages))
        for message in messages:
            message._process()
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _process_pending(self):
        """What the cron does, in the current transaction."""
        self.search([("state", "=", "pending")])._process()

    def _process(self):
        """Apply each message to its order, in a savepoint: a message that fails changes nothing
        but its own state and an entry in the error queue."""
        Order = self.env["retail.platform.order"]
        for message in self.sorted("id"):
            if message.state != "pending":
                continue
            try:
                # the work is done in the shop's company, whoever runs the cron
                company = message.shop_id.company_id
                with self.env.cr.savepoint():
                    state, note = Order.with_company(company)._apply_event(
                        message.shop_id.with_company(company), json.loads(message.payload))
            except (UserError, ValidationError) as error:
                kind = getattr(error, "kind", "processing")
                message.write({"state": "error", "note": str(error)[:250], "processed_at": fields.Datetime.now()})
                message._report_error(kind, str(error))
                continue
            message.write({"state": state, "note": note, "processed_at": fields.Datetime.now()})
            if state == "done":
                self.env["retail.platform.error"].search(
                    [("message_id", "=", message.id), ("state", "=", "new")]).state = "resolved"
            if state == "done" and message.event in ("create", "cancel"):
                # statuses that came before their order can be applied now
                waiting = self.search([("shop_id", "=", message.shop_id.id), ("order_ref", "=", message.order_ref),
                                       ("state", "=", "waiting")])
                waiting.state = "pending"
                waiting._process()

    def _report_error(self, kind, description):
        """One open error per message: a retry that fails again updates it."""
        self.ensure_one()
        Error = self.env["retail.platform.error"]
        existing = Error.search([("message_id", "=", self.id), ("state", "=", "new")], limit=1)
        if existing:
            existing.write({"kind": kind, "description": description})
            return existing
        return Error.create({
            "kind": kind, "shop_id": self.shop_id.id, "platform": self.shop_id.platform, "message_id": self.id,
            "order_ref": self.order_ref, "description": description, "payload": self.payload,
        })
