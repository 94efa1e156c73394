from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    retail_target_days = fields.Float(
        string="Target Days of Cover",
        default=7.0,
        help="The dispatch planner fills a store up to this many days of its own sales, and "
        "stock above it is surplus that may go to other stores.",
    )
    retail_min_days = fields.Float(
        string="Minimum Days of Cover",
        default=2.0,
        help="Below this many days of sales the store is short and receives stock first. "
        "The planner never takes a store below it.",
    )
    retail_pack_size = fields.Float(
        string="Dispatch Pack Size",
        default=1.0,
        help="Quantities sent from this store are rounded down to a multiple of this pack size.",
    )
    retail_min_transfer_qty = fields.Float(
        string="Minimum Transfer Quantity",
        default=0.0,
        help="Transfers smaller than this quantity are not worth sending from this store.",
    )
    retail_scanner_symbology = fields.Boolean(
        string="Scanners Send a Symbology Identifier",
        help="The scanners of this store are set to put the symbology identifier of a GS1 barcode (]C1, ]d2, "
        "]Q3, ]e0 or ]J1) before what they read. Receiving then takes a GS1 label without one as typed by "
        "hand: its count of units is a typed quantity, which only a store manager may give.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the new warehouse's locations now belong to it: see stock.location
        warehouses = super().create(vals_list)
        self.env["stock.location"]._retail_locations_changed()
        return warehouses

    def action_retail_nightly_run(self):
        """Run the nightly planning of these stores now (headquarters only) and show the runs."""
        stores = self.filtered(lambda warehouse: warehouse.retail_store_type == "store")
        if not self.env.user.has_group("retail_base.group_retail_hq"):
            raise AccessError(self.env._("Only headquarters runs a store's nightly planning again."))
        if not stores:
            raise UserError(self.env._("The nightly planning is made for stores only."))
        self.check_access("read")
        Run = self.env["retail.nightly.run"]
        runs = Run.browse()
        for store in stores:
            runs |= Run._retail_run(store, store.company_id._retail_today())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Nightly Planning"),
            "res_model": "retail.nightly.run",
            "view_mode": "list,form",
            "domain": [("id", "in", runs.ids)],
        }
