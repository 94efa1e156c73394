import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# messages the cron works in one set and commits together
CRON_BATCH = 20


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
        """The cron: the messages in sets of ``CRON_BATCH``, each set committed as it is done (a
        message that fails is still kept apart by its savepoint)."""
        messages = self.search([("state", "=", "pending")], limit=limit)
        self.env["ir.cron"]._commit_progress(remaining=len(messages))
        for start in range(0, len(messages), CRON_BATCH):
            chunk = messages[start:start + CRON_BATCH]
            chunk._process()
            self.env["ir.cron"]._commit_progress(len(chunk))

    @api.model
    def _process_pending(self):
        """What the cron does, in the current transaction."""
        self.search([("state", "=", "pending")])._process()

    def _process(self):
        """Apply each message to its order, in the order received, in a savepoint: a message that
        fails changes nothing but its own state and an entry in the error queue.

        New orders that nothing else of the set is about are worked together, in one savepoint:
        their orders, pickings and invoices created in one call each. Should one of them fail, the
        savepoint is rolled back and each is worked again on its own, as any other message."""
        messages = self.sorted("id")
        together = messages._together()
        run = self.browse()
        for message in messages:
            if message in together and (not run or run[0].shop_id.company_id == message.shop_id.company_id):
                run |= message
                continue
            run._process_together()
            run = self.browse()
            if message in together:
                run = message
            else:
                message._process_one()
        run._process_together()

    def _together(self):
        """The messages of ``self`` that may be worked together: new orders of known SKUs, not yet
        recorded, that no other message of ``self`` nor a message waiting for its order is about."""
        pending = self.filtered(lambda message: message.state == "pending")
        creates = pending.filtered(lambda message: message.event == "create")
        if len(creates) < 2:
            return self.browse()
        seen = {}
        for message in pending:
            key = (message.shop_id.id, message.order_ref)
            seen[key] = seen.get(key, 0) + 1
        creates = creates.filtered(lambda message: seen[(message.shop_id.id, message.order_ref)] == 1)
        refs = list({message.order_ref for message in creates})
        shops = creates.shop_id
        taken = {(order.shop_id.id, order.platform_order_ref) for order in self.env["retail.platform.order"].search(
            [("shop_id", "in", shops.ids), ("platform_order_ref", "in", refs)])}
        taken.update((message.shop_id.id, message.order_ref) for message in self.search(
            [("shop_id", "in", shops.ids), ("order_ref", "in", refs), ("state", "=", "waiting")]))
        events = {}
        skus = {}
        for message in creates:
            if (message.shop_id.id, message.order_ref) in taken:
                continue
            try:
                event = json.loads(message.payload)
                lines = event["lines"]
                sku_list = [line["sku"] for line in lines]
            except (ValueError, TypeError, KeyError):
                continue
            events[message] = (event, sku_list)
            skus.setdefault(message.shop_id.platform, set()).update(sku_list)
        Product = self.env["retail.platform.product"]
        known = {platform: set(Product._resolve(platform, list(platform_skus)))
                 for platform, platform_skus in skus.items()}
        return self.browse([message.id for message, (_event, sku_list) in events.items()
                            if sku_list and set(sku_list) <= known[message.shop_id.platform]])

    def _process_together(self):
        """Work new orders of one company together in one savepoint; each on its own if that fails."""
        self = self.filtered(lambda message: message.state == "pending")
        if len(self) < 2:
            for message in self:
                message._process_one()
            return
        company = self[0].shop_id.company_id
        Order = self.env["retail.platform.order"].with_company(company)
        try:
            with self.env.cr.savepoint():
                Order._create_together([(message.shop_id.with_company(company), json.loads(message.payload))
                                        for message in self])
        except (UserError, ValidationError):
            for message in self:
                message._process_one()
            return
        self.write({"state": "done", "note": "", "processed_at": fields.Datetime.now()})
        self.env["retail.platform.error"].search(
            [("message_id", "in", self.ids), ("state", "=", "new")]).state = "resolved"

    def _process_one(self):
        self.ensure_one()
        message = self
        if message.state != "pending":
            return
        Order = self.env["retail.platform.order"]
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
            return
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
