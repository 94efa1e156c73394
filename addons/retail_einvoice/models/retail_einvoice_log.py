from odoo import fields, models


class RetailEinvoiceLog(models.Model):
    """Every call to the provider: what was sent (the secret masked), what came back, how long
    it took. Written by the server only; finance reads it."""

    _name = "retail.einvoice.log"
    _description = "E-invoice provider call"
    _order = "id desc"

    einvoice_id = fields.Many2one("retail.einvoice", required=True, ondelete="cascade", index=True)
    operation = fields.Char(required=True)
    request_id = fields.Char("Idempotency Key")
    outcome = fields.Selection(
        [("ok", "Answered"), ("fault", "Fault"), ("timeout", "Timeout"), ("connection", "Unreachable")],
        required=True)
    fault_code = fields.Char()
    message = fields.Text()
    request_xml = fields.Text("Request")
    response_xml = fields.Text("Response")
    duration_ms = fields.Integer("Duration (ms)")
