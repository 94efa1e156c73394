import datetime

from odoo import fields, models


class RetailClosePackBuildWizard(models.TransientModel):
    _name = "retail.close.pack.build.wizard"
    _description = "Build Close Packs"

    date = fields.Date(required=True, default=lambda self: fields.Date.context_today(self) - datetime.timedelta(days=1))
    scan_anomalies = fields.Boolean(default=True, help="Run the anomaly rules over the day first, so "
                                    "that the packs list the day's anomalies.")
    send = fields.Boolean(string="Send to Managers", help="Mail every pack to its store's managers and "
                          "the chain roll-up to HQ once built.")

    def action_build(self):
        self.ensure_one()
        packs = self.env["retail.close.pack"]._build_for_wizard(self.date, scan=self.scan_anomalies, send=self.send)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Packs of %s", self.date),
            "res_model": "retail.close.pack",
            "view_mode": "list,form",
            "domain": [("id", "in", packs.ids)],
        }
