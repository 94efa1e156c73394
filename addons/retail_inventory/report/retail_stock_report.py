import base64
import io

import openpyxl

from odoo import fields, models, tools
from odoo.exceptions import UserError

EXPORT_COLUMNS = [
    "retail_store_id", "region_id", "product_id", "categ_id", "on_hand", "reserved", "available", "incoming",
    "sold_28_days", "velocity", "days_of_cover", "near_expiry_qty",
]


class RetailStockReport(models.Model):
    _name = "retail.stock.report"
    _description = "Chain stock by store and product"
    _auto = False
    _order = "days_of_cover, retail_store_id, product_id"

    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    region_id = fields.Many2one("retail.region", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    on_hand = fields.Float(readonly=True, digits="Product Unit")
    reserved = fields.Float(readonly=True, digits="Product Unit")
    available = fields.Float(readonly=True, digits="Product Unit")
    incoming = fields.Float(readonly=True, digits="Product Unit")
    sold_28_days = fields.Float(string="Sold (28 days)", readonly=True, digits="Product Unit")
    velocity = fields.Float(
        string="Sales / Day", readonly=True, digits=(16, 2), aggregator="sum",
        help="The nightly forecast of the coming week, units per day, as the dispatch planner "
        "reads it; without a forecast, units sold per day over the last 28 days, counting only "
        "the days the store had the product in stock or sold it.",
    )
    from_forecast = fields.Boolean(
        string="Forecast", readonly=True,
        help="Sales per day come from the nightly forecast, not from the last 28 days' average.")
    days_of_cover = fields.Float(
        readonly=True, digits=(16, 1), aggregator="avg",
        help="(available + incoming) / sales per day. Empty when the product does not sell.",
    )
    near_expiry_qty = fields.Float(
        string="Near Expiry", readonly=True, digits="Product Unit",
        help="Units of lots that expire within the store's target days of cover.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS
            WITH stock AS (
                SELECT loc.warehouse_id, quant.product_id,
                       SUM(quant.quantity) AS on_hand,
                       SUM(quant.reserved_quantity) AS reserved,
                       SUM(CASE WHEN lot.expiration_date IS NOT NULL
                                 AND lot.expiration_date < NOW() + make_interval(
                                     days => COALESCE(wh.retail_target_days, 7)::int)
                                THEN quant.quantity ELSE 0 END) AS near_expiry_qty,
                       COUNT(*) FILTER (WHERE quant.quantity > 0) AS stocked
                  FROM stock_quant quant
                  JOIN stock_location loc ON loc.id = quant.location_id
                  JOIN stock_warehouse wh ON wh.id = loc.warehouse_id
             LEFT JOIN stock_lot lot ON lot.id = quant.lot_id
                 WHERE loc.usage = 'internal' AND wh.retail_store_type IS NOT NULL
              GROUP BY loc.warehouse_id, quant.product_id
            ),
            incoming AS (
                SELECT dest.warehouse_id, move.product_id, SUM(move.product_qty) AS incoming
                  FROM stock_move move
                  JOIN stock_location dest ON dest.id = move.location_dest_id
                  JOIN stock_location src ON src.id = move.location_id
                 WHERE move.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
                   AND dest.usage = 'internal' AND dest.warehouse_id IS NOT NULL
                   AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
              GROUP BY dest.warehouse_id, move.product_id
            ),
            sales AS (
                SELECT src.warehouse_id, move.product_id, SUM(move.product_qty) AS sold,
                       COUNT(DISTINCT move.date::date) AS sale_days
                  FROM stock_move move
                  JOIN stock_location dest ON dest.id = move.location_dest_id
                  JOIN stock_location src ON src.id = move.location_id
                 WHERE move.state = 'done' AND dest.usage = 'customer' AND src.warehouse_id IS NOT NULL
                   AND move.date >= NOW() - INTERVAL '28 days'
              GROUP BY src.warehouse_id, move.product_id
            ),
            forecast AS (
                SELECT store_id AS warehouse_id, product_id, daily
                  FROM retail_demand_forecast
                 WHERE date >= (NOW() AT TIME ZONE 'UTC')::date - 2
            ),
            pairs AS (
                SELECT warehouse_id, product_id FROM stock
                UNION SELECT warehouse_id, product_id FROM incoming
                UNION SELECT warehouse_id, product_id FROM sales
            ),
            measured AS (
                SELECT pairs.warehouse_id, pairs.product_id,
                       COALESCE(stock.on_hand, 0) AS on_hand,
                       COALESCE(stock.reserved, 0) AS reserved,
                       COALESCE(incoming.incoming, 0) AS incoming,
                       COALESCE(stock.near_expiry_qty, 0) AS near_expiry_qty,
                       COALESCE(sales.sold, 0) AS sold,
                       -- a product out of stock today sold only on its sale days: those are the
                       -- days it was on the shelf; otherwise it was there the whole window
                       -- the nightly forecast first, as the planner reads it (empty-shelf
                       -- and promotion days left out); else the window's average
                       forecast.daily IS NOT NULL AS from_forecast,
                       COALESCE(forecast.daily,
                           CASE WHEN COALESCE(sales.sold, 0) = 0 THEN 0
                                WHEN COALESCE(stock.on_hand, 0) > 0 THEN sales.sold / 28.0
                                ELSE sales.sold / GREATEST(sales.sale_days, 1) END) AS velocity
                  FROM pairs
             LEFT JOIN stock ON stock.warehouse_id = pairs.warehouse_id AND stock.product_id = pairs.product_id
             LEFT JOIN incoming ON incoming.warehouse_id = pairs.warehouse_id
                                AND incoming.product_id = pairs.product_id
             LEFT JOIN sales ON sales.warehouse_id = pairs.warehouse_id AND sales.product_id = pairs.product_id
             LEFT JOIN forecast ON forecast.warehouse_id = pairs.warehouse_id
                                AND forecast.product_id = pairs.product_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY measured.warehouse_id, measured.product_id) AS id,
                   measured.warehouse_id AS retail_store_id,
                   wh.retail_region_id AS region_id,
                   measured.product_id,
                   tmpl.categ_id,
                   measured.on_hand,
                   measured.reserved,
                   measured.on_hand - measured.reserved AS available,
                   measured.incoming,
                   measured.sold AS sold_28_days,
                   measured.velocity,
                   measured.from_forecast,
                   CASE WHEN measured.velocity > 0
                        THEN (measured.on_hand - measured.reserved + measured.incoming) / measured.velocity
                   END AS days_of_cover,
                   measured.near_expiry_qty
              FROM measured
              JOIN stock_warehouse wh ON wh.id = measured.warehouse_id
              JOIN product_product product ON product.id = measured.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
             WHERE wh.retail_store_type IS NOT NULL
        """)

    def action_retail_export_xlsx(self):
        """The selected rows as an Excel file.

        Odoo's own export is for users granted the export right; this one gives anyone the
        rows of the chain stock they may read, and nothing else.
        """
        if not self:
            raise UserError(self.env._("Select the rows to export."))
        labels = self.fields_get(EXPORT_COLUMNS, ["string"])
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = self.env._("Chain Stock")
        sheet.append([labels[name]["string"] for name in EXPORT_COLUMNS])
        for row in self.read(EXPORT_COLUMNS):
            sheet.append([
                value[1] if isinstance(value, tuple) else (None if value is False else value)
                for value in (row[name] for name in EXPORT_COLUMNS)
            ])
        buffer = io.BytesIO()
        book.save(buffer)
        filename = f"chain_stock_{fields.Date.context_today(self)}.xlsx"
        export = self.env["retail.stock.report.export"].create({
            "file": base64.b64encode(buffer.getvalue()), "filename": filename,
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/retail.stock.report.export/{export.id}/file/{filename}?download=true",
            "target": "download",
        }
