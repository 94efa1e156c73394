from odoo import api, fields, models
from odoo.fields import Domain


class RetailEinvoiceLog(models.Model):
    """Every call to the provider: what was sent (the secret masked), what came back, how long
    it took. Written by the server only, on a cursor of its own that commits at once: the call
    happened whatever becomes of the transaction that made it, so the log keeps it even when that
    transaction rolls back. Finance reads it.

    A call belongs to its request through the idempotency key the call carried, not through a
    foreign key: the request may be created in the very transaction that rolls back (a
    red-letter credit is created and sent together), and its log must outlive it."""

    _name = "retail.einvoice.log"
    _description = "E-invoice provider call"
    _order = "id desc"

    request_id = fields.Char("Idempotency Key", required=True, index=True)
    einvoice_id = fields.Many2one("retail.einvoice", "Request", compute="_compute_einvoice_id",
                                  search="_search_einvoice_id")
    operation = fields.Char(required=True)
    outcome = fields.Selection(
        [("ok", "Answered"), ("fault", "Fault"), ("timeout", "Timeout"), ("connection", "Unreachable")],
        required=True)
    fault_code = fields.Char()
    message = fields.Text()
    request_xml = fields.Text("Request")
    response_xml = fields.Text("Response")
    duration_ms = fields.Integer("Duration (ms)")

    @api.depends("request_id")
    def _compute_einvoice_id(self):
        requests = self.env["retail.einvoice"].search([("idempotency_key", "in", list(set(self.mapped("request_id"))))])
        by_key = {request.idempotency_key: request for request in requests}
        for log in self:
            log.einvoice_id = by_key.get(log.request_id, False)

    def _search_einvoice_id(self, operator, value):
        if operator in Domain.NEGATIVE_OPERATORS:
            return NotImplemented
        Einvoice = self.env["retail.einvoice"]
        if isinstance(value, str):
            requests = Einvoice.search(Domain("display_name", operator, value))
        elif isinstance(value, Domain):
            requests = Einvoice.search(value)
        else:
            requests = Einvoice.search(Domain("id", operator, value))
        return Domain("request_id", "in", [key for key in requests.mapped("idempotency_key") if key])
