from odoo import models
from odoo.exceptions import AccessError, UserError


class RetailExpiryReport(models.Model):
    _inherit = "retail.expiry.report"

    def action_retail_propose_markdown(self):
        """Propose markdowns for the selected lots, at each store's forecast demand."""
        user = self.env.user
        stores = self.retail_store_id
        for store in stores:
            if not user._retail_is_manager_of(store):
                raise AccessError(self.env._(
                    "Only a manager of %(store)s may propose its markdowns.", store=store.display_name))
        if all(row.expired for row in self):
            raise UserError(self.env._("These lots have expired: scrap them; an expired lot is not marked down."))
        Markdown = self.env["retail.lot.markdown"]
        created = Markdown.sudo()._retail_propose(stores.sudo(), origin="watch", lots=self.lot_id.sudo())
        if not created:
            raise UserError(self.env._(
                "No markdown to propose: at the store's forecast demand these lots sell before they "
                "expire, they already have an open markdown, they expire in more than a week, or their "
                "price is already at the margin floor."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Proposed Markdowns"),
            "res_model": "retail.lot.markdown",
            "view_mode": "list,form",
            "domain": [("id", "in", created.ids)],
        }
