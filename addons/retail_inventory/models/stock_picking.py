from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    retail_dispatch_proposal_id = fields.Many2one(
        "retail.dispatch.proposal", string="Dispatch Proposal", index="btree_not_null", readonly=True, copy=False,
    )

    def _action_done(self):
        result = super()._action_done()
        proposals = self.retail_dispatch_proposal_id.filtered(lambda p: p.state == "approved")
        for proposal in proposals:
            if all(picking.state in ("done", "cancel") for picking in proposal.picking_ids):
                proposal.sudo().state = "done"
        return result
