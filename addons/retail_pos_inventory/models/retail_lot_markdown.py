from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.addons.retail_inventory.models.retail_guarded_mixin import check_guarded, check_guarded_create
from odoo.addons.retail_inventory.tools import expiry, forecast
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_round

from ..tools import markdown

# history the forecast learns from, as the replenishment levels do
HISTORY_DAYS = 180
# a lot is looked at this many days before it expires: the first markdown step
LOOK_AHEAD_DAYS = max(limit for limit, _rate in expiry.DEFAULT_MARKDOWN_STEPS)
OPEN_STATES = ("proposed", "approved")


class RetailLotMarkdown(models.Model):
    """A stepwise markdown of one lot in one store, from proposal to the till.

    Proposed for the lots that will not sell before they expire at the store's forecast demand
    (every night, or from the expiry watch), each step deeper as the expiry comes closer and
    never below the store's margin floor. Nothing reaches the till until a manager of the store
    or headquarters approves; the till then sells that lot at the step's price, and the server
    accepts that price for that lot, in that store, during that step only.
    """

    _name = "retail.lot.markdown"
    _description = "Lot markdown"
    _inherit = ["mail.thread", "retail.guarded.mixin"]
    _order = "expiration_date, id"
    _retail_guarded_fields = (
        "state", "approved_by_id", "approved_at", "list_price", "floor_price", "origin",
        "quantity", "qty_at_risk", "forecast_daily")

    store_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, ondelete="cascade",
        domain="[('retail_store_type', '=', 'store')]")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    lot_id = fields.Many2one("stock.lot", required=True, index=True, ondelete="cascade",
                             domain="[('expiration_date', '!=', False)]")
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    lot_name = fields.Char(related="lot_id.name", store=True, string="Lot Number")
    expiration_date = fields.Datetime(related="lot_id.expiration_date", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([
        ("proposed", "Proposed"),
        ("approved", "Approved"),
        ("refused", "Refused"),
        ("cancel", "Withdrawn"),
    ], default="proposed", required=True, readonly=True, copy=False, tracking=True, index=True)
    origin = fields.Selection([
        ("nightly", "Nightly proposal"),
        ("watch", "Expiry watch"),
        ("manual", "Entered by hand"),
    ], default="manual", required=True, readonly=True)
    list_price = fields.Monetary(
        readonly=True, help="The product's sales price when the markdown was proposed: the steps reduce it.")
    floor_price = fields.Monetary(
        string="Margin Floor", readonly=True,
        help="The lowest price a step may have: the product's cost plus the store's margin floor.")
    quantity = fields.Float(readonly=True, digits="Product Unit", help="Units of the lot in the store when proposed.")
    qty_at_risk = fields.Float(
        string="At Risk", readonly=True, digits="Product Unit",
        help="Units of the lot the store would not sell before it expires at its forecast demand.")
    forecast_daily = fields.Float(
        string="Forecast / Day", readonly=True, digits=(16, 2),
        help="The store's forecast demand for the product, units per day over the next week.")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    step_ids = fields.One2many("retail.lot.markdown.step", "markdown_id", string="Steps", copy=True)
    current_rate = fields.Float(
        string="Markdown Now", compute="_compute_current", digits=(16, 4),
        help="The reduction of the step under way, 0 before the first step and after the last.")
    current_price = fields.Monetary(string="Price Now", compute="_compute_current")

    _store_lot_open = models.UniqueIndex(
        "(store_id, lot_id) WHERE state IN ('proposed', 'approved')",
        "A lot has one open markdown per store: withdraw or refuse the other one first.",
    )

    @api.depends("lot_name", "store_id")
    def _compute_display_name(self):
        for markdown_ in self:
            markdown_.display_name = f"{markdown_.lot_name or ''} · {markdown_.store_id.name or ''}"

    @api.depends("step_ids.date_from", "step_ids.date_to", "step_ids.rate", "list_price")
    def _compute_current(self):
        now = fields.Datetime.now()
        for markdown_ in self:
            step = markdown_.step_ids.filtered(lambda s, now=now: s.date_from <= now < s.date_to)[:1]
            markdown_.current_rate = step.rate if step else 0.0
            markdown_.current_price = step.price if step else markdown_.list_price

    # ------------------------------------------------------------------ creation

    @api.model_create_multi
    def create(self, vals_list):
        # prices and the floor are read here, never taken from the caller
        if not self.env.su:
            check_guarded_create(self, vals_list)
            self.check_access("create")
            stores = self.env["stock.warehouse"].browse(
                {vals.get("store_id") for vals in vals_list if vals.get("store_id")})
            for store in stores:
                if not self.env.user._retail_is_manager_of(store):
                    raise AccessError(self.env._(
                        "Only a manager of %(store)s may propose its markdowns.", store=store.sudo().display_name))
        for vals in vals_list:
            lot = self.env["stock.lot"].sudo().browse(vals.get("lot_id"))
            store = self.env["stock.warehouse"].sudo().browse(vals.get("store_id"))
            if lot and store and not (self.env.su and "list_price" in vals):
                vals["list_price"] = lot.product_id.lst_price
                vals["floor_price"] = store._retail_markdown_floor(lot.product_id)
        return super(RetailLotMarkdown, self.sudo()).create(vals_list).with_env(self.env)

    @api.constrains("store_id", "lot_id")
    def _check_store_lot(self):
        for markdown_ in self:
            if markdown_.store_id.retail_store_type != "store":
                raise ValidationError(self.env._("Markdowns are for the lots of a store."))
            if not markdown_.lot_id.expiration_date:
                raise ValidationError(self.env._(
                    "Lot %(lot)s has no expiration date: only lots that expire are marked down.",
                    lot=markdown_.lot_id.name))

    def write(self, vals):
        check_guarded(self, vals)
        if not self.env.su and set(vals) - {"step_ids", "message_main_attachment_id"}:
            raise UserError(self.env._("A markdown's store and lot cannot change: withdraw it and propose another."))
        if "step_ids" in vals and not self.env.su:
            self._retail_check_editable()
        return super().write(vals)

    def _retail_check_editable(self):
        for markdown_ in self:
            if markdown_.state != "proposed":
                raise UserError(self.env._(
                    "The markdown of lot %(lot)s is %(state)s: only a proposed markdown can change.",
                    lot=markdown_.lot_name, state=dict(self._fields["state"]._description_selection(self.env))
                    [markdown_.state]))
            if not self.env.user._retail_is_manager_of(markdown_.store_id):
                raise AccessError(self.env._(
                    "Only a manager of %(store)s may change its markdowns.", store=markdown_.store_id.display_name))

    # ------------------------------------------------------------------ decisions

    def _retail_check_manager(self):
        for store in self.store_id:
            if not self.env.user._retail_is_manager_of(store):
                raise AccessError(self.env._(
                    "Only a manager of %(store)s or headquarters decides on its markdowns.",
                    store=store.sudo().display_name))

    def action_approve(self):
        """Send the markdowns to their stores' tills."""
        self.check_access("write")
        self._retail_check_manager()
        if any(markdown_.state != "proposed" for markdown_ in self):
            raise UserError(self.env._("Only proposed markdowns can be approved."))
        now = fields.Datetime.now()
        for markdown_ in self:
            if not markdown_.step_ids.filtered(lambda step, now=now: step.date_to > now):
                raise UserError(self.env._(
                    "The markdown of lot %(lot)s has no step left to run: refuse it instead.", lot=markdown_.lot_name))
        steps = self.sudo().step_ids
        # a step starts when it is approved at the earliest: no sale before it was approved gets its price
        steps.filtered(lambda step: step.date_to <= now).unlink()
        steps.exists().filtered(lambda step: step.date_from < now).write({"date_from": now})
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "approved_at": now})
        return True

    def action_refuse(self):
        self.check_access("write")
        self._retail_check_manager()
        if any(markdown_.state != "proposed" for markdown_ in self):
            raise UserError(self.env._("Only proposed markdowns can be refused."))
        self.sudo().write({"state": "refused"})
        return True

    def action_withdraw(self):
        """Take approved markdowns off the tills: the lot sells at its price again."""
        self.check_access("write")
        self._retail_check_manager()
        if any(markdown_.state not in OPEN_STATES for markdown_ in self):
            raise UserError(self.env._("Only an open markdown can be withdrawn."))
        self.sudo().write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------ proposals

    @api.model
    def _retail_propose(self, stores, origin="nightly", lots=None):
        """Propose markdowns for the lots of ``stores`` that will not sell before they expire.

        Reads the lots expiring in the next days with stock in the stores (``lots`` narrows
        them), forecasts each store's demand of their products, and at that demand sells the
        store's lots first expiring first: a lot with at least one unit left over when it expires
        gets a schedule, unless it has an open markdown already or its price is at the floor.
        One query for the lots, one forecast for all pairs, one create.

        :return: the markdowns created
        """
        now = fields.Datetime.now()
        rows = self._retail_expiring_lots(stores, now, lots)
        if not rows:
            return self.browse()
        pairs = sorted({(row[0], row[1]) for row in rows})
        pair_index = {pair: index for index, pair in enumerate(pairs)}
        speed = self._retail_forecast_speed(stores, pairs)
        lot_pair = np.array([pair_index[row[0], row[1]] for row in rows], dtype=np.int64)
        quantity = np.array([row[4] for row in rows], dtype=float)
        days_left = np.array([(row[3] - now).total_seconds() / 86400.0 for row in rows], dtype=float)
        at_risk = expiry.units_at_risk(lot_pair, quantity, days_left, speed)
        open_pairs = set(self.sudo().search([
            ("state", "in", OPEN_STATES), ("lot_id", "in", [row[2] for row in rows]),
        ]).mapped(lambda markdown_: (markdown_.store_id.id, markdown_.lot_id.id)))
        candidates = [(row, float(at_risk[index]), float(speed[lot_pair[index]]))
                      for index, row in enumerate(rows)
                      if at_risk[index] >= 1.0 and (row[0], row[2]) not in open_pairs]
        if not candidates:
            return self.browse()
        stores_by_id = {store.id: store for store in self.env["stock.warehouse"].sudo().browse(
            {row[0] for row, _r, _s in candidates})}
        products = self.env["product.product"].sudo().browse({row[1] for row, _r, _s in candidates})
        products.fetch(["lst_price", "standard_price"])
        values = []
        for row, risk, daily in candidates:
            store = stores_by_id[row[0]]
            product = products.browse(row[1])
            list_price = product.lst_price
            floor_price = store._retail_markdown_floor(product)
            currency = store.company_id.currency_id
            steps = markdown.schedule(
                now, row[3], list_price, floor_price,
                lambda price, currency=currency: float_round(
                    price, precision_rounding=currency.rounding, rounding_method="UP"))
            if not steps:
                continue
            values.append({
                "store_id": store.id, "lot_id": row[2], "origin": origin,
                "list_price": list_price, "floor_price": floor_price,
                "quantity": row[4], "qty_at_risk": min(risk, row[4]), "forecast_daily": daily,
                "step_ids": [fields.Command.create(step) for step in steps],
            })
        return self.sudo().create(values)

    @api.model
    def _retail_expiring_lots(self, stores, now, lots=None):
        """``(store, product, lot, expiration, quantity)`` of the lots with stock in ``stores``
        that expire in the next days, not expired yet."""
        self.env["stock.quant"].flush_model()
        self.env["stock.lot"].flush_model(["expiration_date"])
        self.env.cr.execute(SQL("""
            SELECT loc.warehouse_id, quant.product_id, quant.lot_id, lot.expiration_date,
                   SUM(quant.quantity)::float8
              FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
              JOIN stock_lot lot ON lot.id = quant.lot_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s)
               AND lot.expiration_date > %(now)s AND lot.expiration_date <= %(until)s
               AND (%(lots)s IS NULL OR quant.lot_id = ANY(%(lots)s))
          GROUP BY loc.warehouse_id, quant.product_id, quant.lot_id, lot.expiration_date
            HAVING SUM(quant.quantity) > 0
          ORDER BY loc.warehouse_id, quant.product_id, lot.expiration_date, quant.lot_id
        """, stores=stores.ids, now=now, until=now + timedelta(days=LOOK_AHEAD_DAYS),
            lots=list(lots.ids) if lots is not None else None))
        return self.env.cr.fetchall()

    @api.model
    def _retail_forecast_speed(self, stores, pairs):
        """Forecast units per day over the next week of each ``(store, product)`` of ``pairs``:
        the nightly forecast where it was made in the last two nights, otherwise made here from
        the same history and forecast."""
        speed = np.zeros(len(pairs))
        self.env["retail.demand.forecast"].flush_model()
        self.env.cr.execute(SQL("""
            SELECT store_id, product_id, daily FROM retail_demand_forecast
             WHERE store_id = ANY(%(stores)s) AND product_id = ANY(%(products)s) AND date >= %(since)s
        """, stores=sorted({store for store, _product in pairs}), products=sorted({product for _s, product in pairs}),
            since=fields.Date.context_today(self) - timedelta(days=2)))
        nightly = {(store, product): daily for store, product, daily in self.env.cr.fetchall()}
        missing = []
        for index, pair in enumerate(pairs):
            if pair in nightly:
                speed[index] = nightly[pair]
            else:
                missing.append(index)
        if not missing:
            return speed
        pairs_left = [pairs[index] for index in missing]
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(
            stores.browse({store for store, _product in pairs_left}), HISTORY_DAYS)
        position = {(int(store), int(product)): index
                    for index, (store, product) in enumerate(zip(history["store"], history["product"], strict=True))}
        found = [(missing[index], position[pair]) for index, pair in enumerate(pairs_left) if pair in position]
        if not found:
            return speed
        rows = np.array([row for _index, row in found], dtype=np.int64)
        result = forecast.forecast(history["sold"][rows], history["censored"][rows], horizon=7,
                                   first_weekday=history["first_day"].weekday())
        speed[[index for index, _row in found]] = result.mean.mean(axis=1)
        return speed
