from odoo import api, models


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        """Run the default anomaly rules over the chain's last day and build its close packs,
        so that a demo opens with a review queue and yesterday's packs."""
        result = super()._retail_generate_extra(chain)
        day = chain.get("end_date")
        if not day:
            return result
        items = self.env["retail.anomaly.rule"].sudo()._scan(day)
        packs = self.env["retail.close.pack"].sudo()._build_packs(day, stores=chain["stores"])
        chain["summary"]["review_items"] = len(items)
        chain["summary"]["close_packs"] = len(packs)
        return result
