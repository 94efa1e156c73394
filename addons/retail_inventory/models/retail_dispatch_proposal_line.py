from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RetailDispatchProposalLine(models.Model):
    _name = "retail.dispatch.proposal.line"
    _description = "Proposed transfer between two stores"
    _order = "proposal_id, expected_benefit desc, id"

    proposal_id = fields.Many2one("retail.dispatch.proposal", required=True, ondelete="cascade", index=True)
    state = fields.Selection(related="proposal_id.state")
    source_id = fields.Many2one("stock.warehouse", string="From", required=True)
    destination_id = fields.Many2one("stock.warehouse", string="To", required=True)
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot", domain="[('product_id', '=', product_id)]")
    expiration_date = fields.Datetime(related="lot_id.expiration_date", string="Expires")
    quantity = fields.Float(digits="Product Unit", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    reason = fields.Selection(
        [("deficit", "Stockout risk"), ("expiry", "Expiry risk"), ("manual", "Added by hand")],
        required=True, default="manual",
    )
    expected_benefit = fields.Float(
        digits="Product Unit",
        help="Units this transfer is expected to save: units that would have run out at the "
        "destination plus units that would have expired at the source.",
    )
    stockout_saved = fields.Float(string="Stockout Units Saved", digits="Product Unit")
    expiry_saved = fields.Float(string="Expiry Units Saved", digits="Product Unit")

    @api.constrains("quantity", "source_id", "destination_id")
    def _check_line(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._("The quantity of %(product)s must be positive.",
                                                 product=line.product_id.display_name))
            if line.source_id == line.destination_id:
                raise ValidationError(self.env._("%(product)s: a transfer needs two different stores.",
                                                 product=line.product_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.proposal_id._check_draft()
        return lines

    def write(self, vals):
        self.proposal_id._check_draft()
        return super().write(vals)

    def unlink(self):
        self.proposal_id._check_draft()
        return super().unlink()
