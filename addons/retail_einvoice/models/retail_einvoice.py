import re
import uuid
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import soap_client
from ..tools.retry import MAX_ATTEMPTS, next_retry_delay
from ..tools.tax_id import normalize_tax_id, tax_id_problem

# Server-side writes carry this object in their context. A remote caller sends JSON and cannot
# make it, so no context key of a request can reach the paths it opens.
_SERVER = object()

# What a client may choose when it creates a request: the document and the buyer. Everything
# else (amounts, lines, store, key, state, the provider's answer) is the server's.
CLIENT_CREATE_FIELDS = {"pos_order_id", "move_id", "buyer_kind", "buyer_title", "buyer_tax_id", "buyer_email"}
# What finance may still correct while a request is not issued: the buyer.
CLIENT_WRITE_FIELDS = {"buyer_kind", "buyer_title", "buyer_tax_id", "buyer_email"}
SENDABLE_STATES = ("draft", "failed")
_BINARY_ELEMENTS = re.compile(r"(<(?:\w+:)?(Pdf|Xml)>)([^<]*)(</(?:\w+:)?\2>)")
# requests one run of the retry job sends before it commits its progress and lets the next run go on
RETRY_BATCH = 50


class RetailEinvoice(models.Model):
    _name = "retail.einvoice"
    _description = "E-invoice request"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False, default="/")
    kind = fields.Selection(
        [("blue", "Invoice"), ("red", "Red-letter (credit)"), ("void", "Void")],
        required=True, default="blue", readonly=True, tracking=True)
    state = fields.Selection(
        [("draft", "Requested"), ("sent", "Sent"), ("issued", "Issued"), ("failed", "Failed"),
         ("voided", "Voided")],
        required=True, default="draft", readonly=True, copy=False, tracking=True, index=True)
    channel = fields.Selection(
        [("staff", "Store staff"), ("finance", "Finance"), ("portal", "Customer's page")],
        readonly=True, default="staff")
    pos_order_id = fields.Many2one("pos.order", "Till Order", readonly=True, index="btree_not_null")
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, index="btree_not_null",
                              domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]")
    origin_id = fields.Many2one("retail.einvoice", "Original Invoice", readonly=True, index="btree_not_null",
                                help="The invoice a red-letter credit or a void refers to.")
    follow_up_ids = fields.One2many("retail.einvoice", "origin_id", "Credits and Voids")
    is_reversed = fields.Boolean("Credited", readonly=True, copy=False,
                                 help="A red-letter invoice reverses this invoice.")
    retail_store_id = fields.Many2one("stock.warehouse", "Store", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", readonly=True)
    buyer_kind = fields.Selection([("personal", "Personal"), ("company", "Company")], "Buyer",
                                  required=True, default="personal")
    buyer_title = fields.Char("Invoice Title", required=True, help="抬头: the buyer's name or the company's name.")
    buyer_tax_id = fields.Char("Buyer Tax ID", help="税号: required for a company.")
    buyer_email = fields.Char("Buyer E-mail")
    amount_untaxed = fields.Monetary(readonly=True)
    amount_tax = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    line_ids = fields.One2many("retail.einvoice.line", "einvoice_id", "Lines", readonly=True)
    idempotency_key = fields.Char(
        readonly=True, copy=False, index=True,
        help="Sent with every call for this request: a provider answers a repeated key with its earlier result, "
             "so a retry after a lost answer never issues twice.")
    provider_id = fields.Many2one("retail.einvoice.provider", readonly=True)
    invoice_number = fields.Char(readonly=True, copy=False, tracking=True)
    invoice_code = fields.Char(readonly=True, copy=False)
    issued_at = fields.Datetime(readonly=True, copy=False)
    pdf_attachment_id = fields.Many2one("ir.attachment", "PDF", readonly=True, copy=False)
    xml_attachment_id = fields.Many2one("ir.attachment", "XML", readonly=True, copy=False)
    error_kind = fields.Selection(
        [("fault", "Refused by the provider"), ("timeout", "No answer in time"),
         ("connection", "Provider unreachable")], readonly=True, copy=False)
    error_message = fields.Text(readonly=True, copy=False)
    attempt_count = fields.Integer("Attempts", readonly=True, copy=False)
    retry_at = fields.Datetime(
        "Next Automatic Retry", readonly=True, copy=False, index="btree_not_null",
        help="A call that got no answer (a timeout, the provider unreachable) is sent again by itself, with the "
             "same key, after 1, 5, 15 and 60 minutes; after five calls the request waits for finance.")
    log_ids = fields.Many2many("retail.einvoice.log", string="Calls", compute="_compute_log_ids",
                               groups="retail_einvoice.group_einvoice_manager")

    _idempotency_key_unique = models.Constraint(
        "UNIQUE(idempotency_key)", "An idempotency key belongs to one request.")
    _one_invoice_per_order = models.UniqueIndex(
        "(pos_order_id) WHERE kind = 'blue' AND state != 'voided' AND is_reversed IS NOT TRUE",
        "This order already has an e-invoice request.")
    _one_invoice_per_move = models.UniqueIndex(
        "(move_id) WHERE kind = 'blue' AND state != 'voided' AND is_reversed IS NOT TRUE",
        "This invoice already has an e-invoice request.")

    def _compute_log_ids(self):
        keys = [key for key in self.mapped("idempotency_key") if key]
        logs = self.env["retail.einvoice.log"].search([("request_id", "in", keys)])
        by_key = {}
        for log in logs:
            by_key.setdefault(log.request_id, []).append(log.id)
        for request in self:
            request.log_ids = [fields.Command.set(by_key.get(request.idempotency_key, []))]

    @api.constrains("buyer_kind", "buyer_tax_id", "buyer_title")
    def _check_buyer(self):
        for request in self:
            self._check_buyer_values(request.buyer_kind, request.buyer_title, request.buyer_tax_id)

    @api.model
    def _check_buyer_values(self, kind, title, tax_id):
        """The buyer as the provider needs it; checked before anything is written."""
        if not (title or "").strip():
            raise ValidationError(self.env._("Enter the invoice title (抬头)."))
        if kind == "company" and not tax_id:
            raise ValidationError(self.env._("A company's invoice needs its tax ID (税号)."))
        problem = tax_id and self._tax_id_problem_message(tax_id)
        if problem:
            raise ValidationError(self.env._("The tax ID %(tax_id)s is not valid: %(problem)s.",
                                             tax_id=tax_id, problem=problem))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _is_server(self):
        return self.env.context.get("retail_einvoice_server") is _SERVER

    def _as_server(self):
        return self.with_context(retail_einvoice_server=_SERVER)

    @api.model_create_multi
    def create(self, vals_list):
        if self._is_server():
            return super().create(vals_list)
        prepared, lines = [], []
        for vals in vals_list:
            refused = set(vals) - CLIENT_CREATE_FIELDS
            if refused:
                raise UserError(self.env._("These fields are set by the server and cannot be sent: %s",
                                           ", ".join(sorted(refused))))
            vals = self._normalize_buyer(vals)
            self._check_buyer_values(vals.get("buyer_kind") or "personal", vals.get("buyer_title"),
                                     vals.get("buyer_tax_id"))
            source_vals, source_lines = self._prepare_from_source(vals)
            prepared.append({**vals, **source_vals})
            lines.append(source_lines)
        requests = super().create(prepared)
        # The store wall of the record rules applies to what was just created; the lines follow
        # from the source document the server read, so they are written with the server's rights.
        requests.check_access("create")
        for request, request_lines in zip(requests, lines, strict=True):
            request.sudo()._write_lines(request_lines)
        return requests

    def write(self, vals):
        if not self._is_server():
            refused = set(vals) - CLIENT_WRITE_FIELDS
            if refused:
                raise UserError(self.env._("These fields are set by the server and cannot be written: %s",
                                           ", ".join(sorted(refused))))
            if any(request.state not in SENDABLE_STATES for request in self):
                raise UserError(self.env._("An e-invoice that was sent or issued cannot be changed; "
                                           "credit it with a red-letter invoice instead."))
            vals = self._normalize_buyer(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("E-invoice requests are kept for the tax records and cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions (finance)
    # ------------------------------------------------------------------

    def action_issue(self):
        """Send the requests to the provider (or again, with their own keys, after a failure)."""
        self._check_finance()
        unsendable = self.filtered(lambda request: request.state not in SENDABLE_STATES)
        if unsendable:
            raise UserError(self.env._("Only requested or failed e-invoices can be sent: %s",
                                       ", ".join(unsendable.mapped("name"))))
        if len(self.try_lock_for_update(allow_referencing=True)) != len(self):
            raise UserError(self.env._("Some of these e-invoices are being sent right now, by the retry job or "
                                       "by someone else; look again in a moment."))
        for request in self:
            request._send()
        return True

    def action_retry(self):
        return self.action_issue()

    def action_red_letter(self):
        """Credit an issued invoice with a red-letter invoice of the same amounts, reversed."""
        self.ensure_one()
        self._check_finance()
        self._check_follow_up_allowed()
        red = self._create_follow_up("red")
        red._send()
        return red._open_action()

    def action_void(self):
        """Void an issued invoice at the provider."""
        self.ensure_one()
        self._check_finance()
        self._check_follow_up_allowed()
        void = self._create_follow_up("void")
        void._send()
        return void._open_action()

    def action_open_source(self):
        self.ensure_one()
        record = self.pos_order_id or self.move_id
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "target": "current"}

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _tax_id_problem_message(self, value):
        problem = tax_id_problem(value)
        return {
            None: "",
            "length": self.env._("a tax ID has 15, 18 or 20 characters"),
            "alphabet": self.env._("a unified social credit code uses digits and capital letters other than "
                                   "I, O, S, V and Z"),
            "check": self.env._("the check character of the unified social credit code is wrong"),
            "characters": self.env._("a tax ID uses digits and capital letters only"),
        }[problem]

    @api.model
    def _normalize_buyer(self, vals):
        vals = dict(vals)
        if vals.get("buyer_tax_id"):
            vals["buyer_tax_id"] = normalize_tax_id(vals["buyer_tax_id"])
        if isinstance(vals.get("buyer_title"), str):
            vals["buyer_title"] = vals["buyer_title"].strip()
        return vals

    def _check_finance(self):
        if not self.env.user.has_group("retail_einvoice.group_einvoice_manager"):
            raise AccessError(self.env._("Only finance (E-Invoicing) issues, voids and red-letters e-invoices."))

    def _check_follow_up_allowed(self):
        if self.kind != "blue" or self.state != "issued" or self.is_reversed:
            raise UserError(self.env._("Only an issued invoice that was not credited can be credited or voided."))
        if self.follow_up_ids.filtered(lambda follow_up: follow_up.state in ("draft", "sent", "failed")):
            raise UserError(self.env._("A credit or void of this invoice is already under way; retry it from the "
                                       "queue of failed e-invoices."))

    @api.model
    def _prepare_from_source(self, vals):
        """The store, company, amounts and lines of the request, read from its document.

        The caller names the document; whether they may is decided here (store wall, finance
        only for invoices) before anything of it is read with the server's rights.
        """
        if bool(vals.get("pos_order_id")) == bool(vals.get("move_id")):
            raise UserError(self.env._("An e-invoice request is for one till order or one invoice."))
        user = self.env.user
        finance = user.has_group("retail_einvoice.group_einvoice_manager")
        hq = user.has_group("retail_base.group_retail_hq")
        if vals.get("pos_order_id"):
            order = self.env["pos.order"].sudo().browse(vals["pos_order_id"]).exists()
            store = order.config_id.warehouse_id
            if not order or not (finance or hq or (store and store in user.retail_store_ids)):
                raise AccessError(self.env._("You can request e-invoices only for orders of your own stores."))
            if order.company_id not in user.company_ids:
                raise AccessError(self.env._("This order belongs to another company."))
            if order.state not in ("paid", "done", "invoiced"):
                raise UserError(self.env._("Only a paid order can be invoiced."))
            values, lines = self._snapshot_pos_order(order)
            values["retail_store_id"] = store.id
        else:
            if not finance:
                raise AccessError(self.env._("Only finance requests e-invoices for customer invoices."))
            move = self.env["account.move"].browse(vals["move_id"]).exists()
            move.check_access("read")
            if move.move_type != "out_invoice" or move.state != "posted":
                raise UserError(self.env._("Only a posted customer invoice can be e-invoiced."))
            values, lines = self._snapshot_move(move)
            values["retail_store_id"] = move.sudo().pos_order_ids[:1].config_id.warehouse_id.id
        if values["amount_total"] <= 0:
            raise UserError(self.env._("There is nothing to invoice: the total is not positive."))
        if self.sudo().search_count(self._live_blue_domain(vals), limit=1):
            raise UserError(self.env._("This document already has an e-invoice request."))
        values.update({
            "name": self.env["ir.sequence"].sudo().next_by_code("retail.einvoice") or "/",
            "idempotency_key": str(uuid.uuid4()),
            "channel": "finance" if finance else "staff",
        })
        return values, lines

    @api.model
    def _live_blue_domain(self, vals):
        source = ("pos_order_id", "=", vals["pos_order_id"]) if vals.get("pos_order_id") \
            else ("move_id", "=", vals["move_id"])
        return Domain([source, ("kind", "=", "blue"), ("state", "!=", "voided"), ("is_reversed", "=", False)])

    @api.model
    def _snapshot_pos_order(self, order):
        currency = order.currency_id
        lines = []
        for line in order.lines:
            taxes = line.tax_ids_after_fiscal_position
            lines.append({
                "name": line.full_product_name or line.product_id.display_name,
                "quantity": line.qty,
                "amount": currency.round(line.price_subtotal),
                "tax_rate": sum(taxes.filtered(lambda tax: tax.amount_type == "percent").mapped("amount")) / 100,
                "tax_amount": currency.round(line.price_subtotal_incl - line.price_subtotal),
            })
        return self._totals(order.company_id, currency, lines), lines

    @api.model
    def _snapshot_move(self, move):
        currency = move.currency_id
        lines = []
        for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            lines.append({
                "name": line.name or line.product_id.display_name,
                "quantity": line.quantity,
                "amount": currency.round(line.price_subtotal),
                "tax_rate": sum(line.tax_ids.filtered(lambda tax: tax.amount_type == "percent").mapped("amount")) / 100,
                "tax_amount": currency.round(line.price_total - line.price_subtotal),
            })
        return self._totals(move.company_id, currency, lines), lines

    @api.model
    def _totals(self, company, currency, lines):
        untaxed = currency.round(sum(line["amount"] for line in lines))
        tax = currency.round(sum(line["tax_amount"] for line in lines))
        return {
            "company_id": company.id, "currency_id": currency.id,
            "amount_untaxed": untaxed, "amount_tax": tax, "amount_total": currency.round(untaxed + tax),
        }

    def _write_lines(self, lines):
        self.ensure_one()
        self.env["retail.einvoice.line"].create([{**line, "einvoice_id": self.id} for line in lines])

    def _create_follow_up(self, kind):
        """A red-letter or void request for this invoice, with a key of its own."""
        values = {
            "kind": kind, "origin_id": self.id, "channel": "finance",
            "name": self.env["ir.sequence"].sudo().next_by_code("retail.einvoice") or "/",
            "idempotency_key": str(uuid.uuid4()),
            "pos_order_id": self.pos_order_id.id, "move_id": self.move_id.id,
            "retail_store_id": self.retail_store_id.id, "company_id": self.company_id.id,
            "currency_id": self.currency_id.id, "provider_id": self.provider_id.id,
            "buyer_kind": self.buyer_kind, "buyer_title": self.buyer_title, "buyer_tax_id": self.buyer_tax_id,
            "buyer_email": self.buyer_email,
        }
        if kind == "red":
            values.update({
                "amount_untaxed": -self.amount_untaxed, "amount_tax": -self.amount_tax,
                "amount_total": -self.amount_total,
            })
        follow_up = self._as_server().create(values)
        if kind == "red":
            follow_up.sudo()._write_lines([{
                "name": line.name, "quantity": -line.quantity, "amount": -line.amount,
                "tax_rate": line.tax_rate, "tax_amount": -line.tax_amount,
            } for line in self.line_ids])
        return follow_up

    def _get_provider(self):
        self.ensure_one()
        provider = self.provider_id or self.env["retail.einvoice.provider"].sudo().search(
            [("company_id", "=", self.company_id.id)], limit=1)
        if not provider:
            raise UserError(self.env._("No e-invoice provider is configured for %s: add one under Accounting ▸ "
                                       "Configuration ▸ E-Invoice Providers.", self.company_id.name))
        return provider

    def _payload(self, provider):
        """What the provider is sent for this request, from the amounts the server recorded."""
        money = soap_client.money
        lines = {"Line": [{
            "Name": line.name, "Quantity": money(line.quantity), "Amount": money(line.amount),
            "TaxRate": money(line.tax_rate), "TaxAmount": money(line.tax_amount),
        } for line in self.line_ids]}
        if self.kind == "blue":
            return "IssueInvoice", {
                "SellerTaxId": provider.seller_tax_id, "BuyerTitle": self.buyer_title,
                "BuyerTaxId": self.buyer_tax_id or "", "TotalAmount": money(self.amount_total),
                "TotalTax": money(self.amount_tax), "Lines": lines,
            }
        reason = self.env._("Credited") if self.kind == "red" else self.env._("Voided")
        if self.kind == "red":
            return "RedInvoice", {
                "SellerTaxId": provider.seller_tax_id, "OriginalNumber": self.origin_id.invoice_number,
                "OriginalCode": self.origin_id.invoice_code, "Reason": reason,
                "TotalAmount": money(self.amount_total), "TotalTax": money(self.amount_tax), "Lines": lines,
            }
        return "VoidInvoice", {
            "SellerTaxId": provider.seller_tax_id, "InvoiceNumber": self.origin_id.invoice_number,
            "InvoiceCode": self.origin_id.invoice_code, "Reason": reason,
        }

    def _send(self):
        """One call to the provider for this request, recorded with its outcome."""
        self.ensure_one()
        server = self._as_server()
        provider = self._get_provider()
        operation, payload = self._payload(provider)
        attempts = self.attempt_count + 1
        server.write({"state": "sent", "provider_id": provider.id, "attempt_count": attempts, "retry_at": False})
        exchange = provider._call(operation, self.idempotency_key, **payload)
        self._log_exchange(exchange)
        if exchange.outcome == soap_client.OUTCOME_OK:
            server._apply_result(exchange.result)
        else:
            delay = next_retry_delay(exchange.outcome, attempts)
            message = self._error_text(exchange)
            if delay is not None:
                message = "\n".join([message, self.env._(
                    "It is sent again by itself in %(minutes)s min (call %(next)s of %(max)s).",
                    minutes=delay, next=attempts + 1, max=MAX_ATTEMPTS)])
            elif exchange.outcome != soap_client.OUTCOME_FAULT:
                message = "\n".join([message, self.env._(
                    "No answer after %(attempts)s calls: it is not sent again by itself. Check that the provider "
                    "answers (Test Connection), then retry.", attempts=attempts)])
            server.write({
                "state": "failed", "error_kind": exchange.outcome, "error_message": message,
                "retry_at": delay is not None and fields.Datetime.now() + timedelta(minutes=delay),
            })
            self.message_post(body=message)
        return exchange

    def _log_exchange(self, exchange):
        """Record the call on a cursor of its own, committed at once: the call reached (or tried to
        reach) the provider whatever becomes of this transaction, and its log must stay even when
        this transaction rolls back. The log holds nothing of this transaction's records but the
        key, so it can be written before they are committed."""
        values = {
            "operation": exchange.operation, "request_id": exchange.request_id, "outcome": exchange.outcome,
            "fault_code": exchange.fault_code, "message": exchange.message, "request_xml": exchange.request_xml,
            "response_xml": _BINARY_ELEMENTS.sub(
                lambda match: f"{match[1]}[{len(match[3])} base64 characters]{match[4]}", exchange.response_xml),
            "duration_ms": exchange.duration_ms,
        }
        with self.env.registry.cursor() as cr:
            self.env(cr=cr, su=True)["retail.einvoice.log"].create(values)
        self.sudo().invalidate_recordset(["log_ids"])

    def _error_text(self, exchange):
        if exchange.outcome == soap_client.OUTCOME_FAULT:
            return self.env._("The provider refused the request (%(code)s): %(message)s",
                              code=exchange.fault_code, message=exchange.message)
        if exchange.outcome == soap_client.OUTCOME_TIMEOUT:
            return self.env._("The provider did not answer within %(seconds)s seconds. Retry: the request is sent "
                              "again with the same key, and the provider answers the earlier result if it had "
                              "issued it.", seconds=self.provider_id.timeout)
        return self.env._("The provider could not be reached: %s", exchange.message)

    def _apply_result(self, result):
        vals = {"state": "issued", "error_kind": False, "error_message": False}
        if self.kind == "void":
            vals["state"] = "voided"
            self.origin_id.write({"state": "voided"})
        else:
            vals.update({
                "invoice_number": result.get("InvoiceNumber"), "invoice_code": result.get("InvoiceCode"),
                "issued_at": self._parse_time(result.get("IssuedAt")),
            })
            vals.update(self._store_documents(result))
            if self.kind == "red":
                self.origin_id.write({"is_reversed": True})
        self.write(vals)

    @api.model
    def _parse_time(self, value):
        try:
            return datetime.strptime(value or "", "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return fields.Datetime.now()

    def _document_targets(self):
        """The records the PDF and XML are attached to besides the request: the invoice, or the
        till order's invoice, or the till order itself."""
        # finance may have no rights on the till's orders; this reads only the invoice of the order
        # the request was made for
        order = self.sudo().pos_order_id
        return self.move_id or order.account_move or order

    def _store_documents(self, result):
        Attachment = self.env["ir.attachment"].sudo()
        vals = {}
        for key, field, mimetype, extension in (("Pdf", "pdf_attachment_id", "application/pdf", "pdf"),
                                                 ("Xml", "xml_attachment_id", "application/xml", "xml")):
            content = result.get(key)
            if not content:
                continue
            filename = f"{self.invoice_code or result.get('InvoiceCode')}_{result.get('InvoiceNumber')}.{extension}"
            vals[field] = Attachment.create({
                "name": filename, "raw": content, "mimetype": mimetype,
                "res_model": self._name, "res_id": self.id,
            }).id
            target = self._document_targets()
            if target:
                Attachment.create({
                    "name": filename, "raw": content, "mimetype": mimetype,
                    "res_model": target._name, "res_id": target.id,
                })
        return vals

    def _open_action(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "current"}

    # ------------------------------------------------------------------
    # The customer's page and the job that issues its requests
    # ------------------------------------------------------------------

    @api.model
    def _create_from_portal(self, order, vals):
        """A request of the customer holding the order's token (checked by the controller)."""
        order.ensure_one()
        vals = self._normalize_buyer({key: vals.get(key) for key in CLIENT_WRITE_FIELDS})
        self._check_buyer_values(vals.get("buyer_kind") or "personal", vals.get("buyer_title"),
                                 vals.get("buyer_tax_id"))
        if order.state not in ("paid", "done", "invoiced"):
            raise UserError(self.env._("Only a paid order can be invoiced."))
        if self.sudo().search_count(self._live_blue_domain({"pos_order_id": order.id}), limit=1):
            raise UserError(self.env._("An e-invoice was already requested for this receipt."))
        values, lines = self._snapshot_pos_order(order.sudo())
        if values["amount_total"] <= 0:
            raise UserError(self.env._("There is nothing to invoice: the total is not positive."))
        values.update(vals)
        values.update({
            "name": self.env["ir.sequence"].sudo().next_by_code("retail.einvoice") or "/",
            "idempotency_key": str(uuid.uuid4()), "channel": "portal", "pos_order_id": order.id,
            "retail_store_id": order.sudo().config_id.warehouse_id.id,
        })
        request = self.sudo()._as_server().create(values)
        request._write_lines(lines)
        return request

    @api.model
    def _cron_issue_requested(self):
        requests = self.search([("channel", "=", "portal"), ("state", "=", "draft")], limit=100)
        self.env["ir.cron"]._commit_progress(remaining=len(requests))
        for request in requests:
            request._send()
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _cron_retry_unanswered(self):
        """Send again, with their own keys, the failed requests whose last call got no answer and
        whose pause is over; the earliest due first, a batch per run, its progress committed
        request by request (a call made is a call logged, and its outcome kept)."""
        domain = Domain("state", "=", "failed") & Domain("retry_at", "<=", fields.Datetime.now())
        Cron = self.env["ir.cron"]
        Cron._commit_progress(remaining=self.search_count(domain))
        for request in self.search(domain, order="retry_at, id", limit=RETRY_BATCH):
            # finance may be retrying this one by hand right now: leave it to them
            if request.try_lock_for_update(allow_referencing=True):
                request.invalidate_recordset(["state", "retry_at"])
                if request.state == "failed" and request.retry_at:
                    request._send()
            if Cron._commit_progress(1) <= 0:
                break
