from odoo import fields, models


class RetailDispatchProposalLine(models.Model):
    _inherit = "retail.dispatch.proposal.line"

    reason = fields.Selection(selection_add=[("request", "Requested at a till")], ondelete={"request": "set default"})
