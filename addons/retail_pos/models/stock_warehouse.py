from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    # tills are the point of sale's: users without its rights read the stores without them
    retail_pos_config_ids = fields.One2many("pos.config", "warehouse_id", string="Tills",
                                            groups="point_of_sale.group_pos_user")
    retail_pos_config_count = fields.Integer(compute="_compute_retail_pos_config_count",
                                             groups="point_of_sale.group_pos_user")

    @api.depends("retail_pos_config_ids")
    def _compute_retail_pos_config_count(self):
        for warehouse in self:
            warehouse.retail_pos_config_count = len(warehouse.retail_pos_config_ids)

    def action_open_retail_pos_configs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tills of %s", self.name),
            "res_model": "pos.config",
            "view_mode": "list,form",
            "domain": [("warehouse_id", "=", self.id)],
            "context": {"default_warehouse_id": self.id},
        }
