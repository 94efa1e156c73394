from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import soap_client
from ..tools.tax_id import normalize_tax_id


class RetailEinvoiceProvider(models.Model):
    _name = "retail.einvoice.provider"
    _description = "E-invoice provider"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    wsdl_url = fields.Char("WSDL URL", required=True, help="Address of the provider's service description (WSDL).")
    app_id = fields.Char("App ID", groups="base.group_system", required=True)
    app_secret = fields.Char(groups="base.group_system", required=True)
    seller_tax_id = fields.Char(
        "Seller Tax ID", required=True,
        help="The company's unified social credit code, as registered with the provider.")
    timeout = fields.Integer(
        "Timeout (seconds)", default=30, required=True,
        help="How long to wait for the provider's answer. A request whose answer is lost can be retried: "
             "it is sent again with the same idempotency key and cannot issue twice.")

    _timeout_positive = models.Constraint("CHECK(timeout > 0)", "The timeout must be at least one second.")

    @api.constrains("seller_tax_id")
    def _check_seller_tax_id(self):
        for provider in self:
            problem = self.env["retail.einvoice"]._tax_id_problem_message(provider.seller_tax_id)
            if problem:
                raise ValidationError(self.env._("The seller tax ID %(tax_id)s is not valid: %(problem)s.",
                                                 tax_id=provider.seller_tax_id, problem=problem))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("seller_tax_id"):
                vals["seller_tax_id"] = normalize_tax_id(vals["seller_tax_id"])
        return super().create(vals_list)

    def action_test_connection(self):
        """Ask the provider about a request it cannot know: credentials and address are good when
        it answers at all."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators test the connection to an e-invoice provider."))
        exchange = self._call("QueryInvoice", f"connection-test-{fields.Datetime.now().isoformat()}")
        if exchange.outcome != soap_client.OUTCOME_OK:
            raise UserError(self.env._("The provider could not be reached or refused the credentials: %s",
                                       exchange.message))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Connected to %(provider)s in %(ms)s ms.",
                                      provider=self.name, ms=exchange.duration_ms),
            },
        }

    def _call(self, operation, request_id, **payload):
        """One call to the provider; the credentials are read here, and only here."""
        self.ensure_one()
        credentials = self.sudo()
        return soap_client.call(
            self.wsdl_url, self.timeout, operation, credentials.app_id, credentials.app_secret, request_id,
            **payload,
        )
