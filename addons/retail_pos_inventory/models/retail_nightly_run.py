from odoo import api, models


class RetailNightlyRun(models.Model):
    _inherit = "retail.nightly.run"

    @api.model
    def _retail_steps(self):
        """The markdown proposals come last: they read the forecast the night just made."""
        return [*super()._retail_steps(), ("markdowns", self.env._("Markdown proposals"), self._retail_step_markdowns)]

    @api.model
    def _retail_step_markdowns(self, store, today):
        return len(self.env["retail.lot.markdown"].sudo()._retail_propose(store, origin="nightly"))
