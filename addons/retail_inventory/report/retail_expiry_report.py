import numpy as np

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..tools import expiry


class RetailExpiryReport(models.Model):
    _name = "retail.expiry.report"
    _description = "Near-expiry lots by store"
    _auto = False
    _order = "days_left, retail_store_id"

    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    region_id = fields.Many2one("retail.region", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", readonly=True)
    expiration_date = fields.Datetime(readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit")
    days_left = fields.Float(readonly=True, digits=(16, 1))
    velocity = fields.Float(string="Sales / Day", readonly=True, digits=(16, 2))
    days_to_sell = fields.Float(
        readonly=True, digits=(16, 1),
        help="Days the store needs to sell this lot and the lots that expire before it, at its "
        "own sales per day (first expiring, first sold).",
    )
    at_risk_qty = fields.Float(
        string="At Risk", readonly=True, digits="Product Unit",
        help="Units of this lot the store will not sell before it expires at its own pace.",
    )
    suggested_markdown = fields.Float(
        compute="_compute_suggested_markdown", digits=(16, 2),
        help="Suggested price reduction for the units at risk, deeper as the expiry comes closer.",
    )

    expired = fields.Boolean(
        compute="_compute_suggested_markdown",
        help="Past its expiration date: remove it from sale and scrap it; no markdown applies.",
    )

    @api.depends("days_left", "days_to_sell")
    def _compute_suggested_markdown(self):
        rates = expiry.markdown_rate(
            np.array(self.mapped("days_left"), dtype=float),
            np.array(self.mapped("days_to_sell"), dtype=float),
        ) if self else []
        for record, rate in zip(self, rates, strict=True):
            record.suggested_markdown = float(rate)
            record.expired = record.days_left <= 0

    def action_retail_scrap(self):
        """Scrap the expired lots of these rows from their store's stock, one scrap per location.

        For a manager of the store (or headquarters): scrapping moves stock out of the books.
        """
        user = self.env.user
        if any(not row.expired for row in self):
            raise UserError(self.env._("Only expired lots are scrapped from here; mark down the others."))
        for store in self.retail_store_id:
            if not user._retail_is_manager_of(store):
                raise AccessError(self.env._(
                    "Only a manager of %(store)s may scrap its stock.", store=store.display_name))
        quants = self.env["stock.quant"].sudo().search([
            ("lot_id", "in", self.lot_id.ids), ("location_id.usage", "=", "internal"),
            ("location_id.warehouse_id", "in", self.retail_store_id.ids), ("quantity", ">", 0),
        ])
        wanted = {(row.retail_store_id.id, row.lot_id.id) for row in self}
        quants = quants.filtered(lambda quant: (quant.location_id.warehouse_id.id, quant.lot_id.id) in wanted)
        if not quants:
            raise UserError(self.env._("These lots have no stock left to scrap."))
        scraps = self.env["stock.scrap"].sudo().create([{
            "product_id": quant.product_id.id,
            "lot_id": quant.lot_id.id,
            "location_id": quant.location_id.id,
            "scrap_qty": quant.quantity,
            "product_uom_id": quant.product_id.uom_id.id,
            "company_id": quant.company_id.id,
            "origin": self.env._("Expired lot %s", quant.lot_id.name),
        } for quant in quants])
        for scrap in scraps:
            scrap.action_validate()
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s expired lots scrapped.", count=len(scraps)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS
            WITH lots AS (
                SELECT loc.warehouse_id, quant.product_id, quant.lot_id, lot.expiration_date,
                       SUM(quant.quantity) AS quantity
                  FROM stock_quant quant
                  JOIN stock_location loc ON loc.id = quant.location_id
                  JOIN stock_lot lot ON lot.id = quant.lot_id
                  JOIN stock_warehouse wh ON wh.id = loc.warehouse_id
                 WHERE loc.usage = 'internal' AND lot.expiration_date IS NOT NULL
                   AND wh.retail_store_type IS NOT NULL
              GROUP BY loc.warehouse_id, quant.product_id, quant.lot_id, lot.expiration_date
                HAVING SUM(quant.quantity) > 0
            ),
            sales AS (
                SELECT src.warehouse_id, move.product_id, SUM(move.product_qty) / 28.0 AS velocity
                  FROM stock_move move
                  JOIN stock_location dest ON dest.id = move.location_dest_id
                  JOIN stock_location src ON src.id = move.location_id
                 WHERE move.state = 'done' AND dest.usage = 'customer' AND src.warehouse_id IS NOT NULL
                   AND move.date >= NOW() - INTERVAL '28 days'
              GROUP BY src.warehouse_id, move.product_id
            ),
            fefo AS (
                SELECT lots.*, COALESCE(sales.velocity, 0) AS velocity,
                       EXTRACT(EPOCH FROM (lots.expiration_date - NOW())) / 86400.0 AS days_left,
                       SUM(lots.quantity) OVER (
                           PARTITION BY lots.warehouse_id, lots.product_id
                           ORDER BY lots.expiration_date, lots.lot_id) AS cumulative
                  FROM lots
             LEFT JOIN sales ON sales.warehouse_id = lots.warehouse_id AND sales.product_id = lots.product_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY fefo.warehouse_id, fefo.lot_id) AS id,
                   fefo.warehouse_id AS retail_store_id,
                   wh.retail_region_id AS region_id,
                   fefo.product_id, tmpl.categ_id, fefo.lot_id, fefo.expiration_date, fefo.quantity,
                   fefo.days_left, fefo.velocity,
                   CASE WHEN fefo.velocity > 0 THEN fefo.cumulative / fefo.velocity ELSE 9999 END AS days_to_sell,
                   LEAST(fefo.quantity, GREATEST(
                       fefo.cumulative - fefo.velocity * GREATEST(fefo.days_left, 0), 0)) AS at_risk_qty
              FROM fefo
              JOIN stock_warehouse wh ON wh.id = fefo.warehouse_id
              JOIN product_product product ON product.id = fefo.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
        """)
