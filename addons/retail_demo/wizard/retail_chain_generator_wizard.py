from odoo import fields, models


class RetailChainGeneratorWizard(models.TransientModel):
    _name = "retail.chain.generator.wizard"
    _description = "Generate a demo retail chain"

    scale = fields.Selection(
        [("test", "Test (2 stores, a few products)"),
         ("demo", "Demo (5 stores, 300 products, 90 days)"),
         ("bench", "Benchmark (50 stores, 5,000 products, 180 days)")],
        required=True,
        default="demo",
    )
    seed = fields.Integer(default=42, required=True, help="The same seed always builds the same chain.")
    summary = fields.Text(readonly=True)

    def action_generate(self):
        self.ensure_one()
        summary = self.env["retail.chain.generator"].generate(scale=self.scale, seed=self.seed)
        self.summary = "\n".join(f"{key}: {value}" for key, value in summary.items())
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
