import io
import logging
from collections import defaultdict
from datetime import timedelta

import numpy as np
import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_datetime

from ..tools import planner, velocity
from ..tools.quantities import format_quantity

_logger = logging.getLogger(__name__)

PAIR_KEY = 1 << 32
# days left of a lot without expiration date, before it becomes infinity
NEVER = 1e9
# how every PostgreSQL binary COPY starts
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def _copy_rows(cr, query, types):
    """Rows of ``query`` as NumPy columns, through one binary ``COPY``.

    Every column must be NOT NULL and of a fixed-width type (``"i4"`` for integer, ``"f8"`` for
    float8), so that every row has the same size and NumPy reads the whole answer at once,
    without a Python object per value.

    :param query: an :class:`odoo.tools.SQL` ``SELECT``
    :return: list of arrays, one per column
    """
    statement = cr.mogrify(SQL("COPY (%s) TO STDOUT WITH (FORMAT binary)", query)).decode()
    buffer = io.BytesIO()
    # as Odoo does around COPY FROM: an asynchronous wait callback does not support COPY
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(statement, buffer)
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    # counted like the queries that go through ``execute``, so that query budgets stay true
    cr.sql_log_count += 1
    data = buffer.getbuffer()
    if bytes(data[:11]) != COPY_SIGNATURE:
        raise ValueError("not a PostgreSQL binary COPY")
    # signature, flags, header extension, then the rows and a field count of -1
    start = 19 + int.from_bytes(data[15:19], "big")
    row = np.dtype([("fields", ">i2")] + [
        (f"c{index}", [("length", ">i4"), ("value", ">" + kind)]) for index, kind in enumerate(types)])
    count, rest = divmod(len(data) - start - 2, row.itemsize)
    rows = np.frombuffer(data, dtype=row, count=count, offset=start)
    if rest or (rows["fields"] != len(types)).any():
        raise ValueError("unexpected row layout in a binary COPY")
    return [rows[f"c{index}"]["value"].astype(np.int64 if kind == "i4" else float)
            for index, kind in enumerate(types)]


def _pg_array(values):
    """A PostgreSQL array literal of numbers or plain words, to pass as one string parameter:
    PostgreSQL reads it much faster than an ``ARRAY[...]`` of tens of thousands of values."""
    return "{" + ",".join(map(str, np.asarray(values).tolist())) + "}"


class RetailDispatchProposal(models.Model):
    _name = "retail.dispatch.proposal"
    _description = "Dispatch proposal between stores"
    _inherit = ["mail.thread", "retail.guarded.mixin"]
    _order = "id desc"
    _retail_guarded_fields = ("state", "approved_by_id", "planned_at", "picking_ids")

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, copy=False, tracking=True,
    )
    dispatcher_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    store_ids = fields.Many2many(
        "stock.warehouse", string="Stores",
        domain="[('retail_store_type', '!=', False)]",
        help="Stores and distribution centres to plan between. Leave empty to plan the whole chain.",
    )
    velocity_days = fields.Integer(
        string="Sales History (days)", default=28,
        help="Sales velocity is the average of this many past days, leaving out the days a "
        "store had the product out of stock.",
    )
    demand_basis = fields.Selection(
        [("forecast", "Nightly forecast"), ("average", "Average of stocked days")],
        string="Plan On", default="forecast", required=True,
        help="Nightly forecast: each store's forecast demand of the coming week, made last night "
        "(a product without one is planned on its average). Average: the sales history's average "
        "over the days the product was in stock.",
    )
    max_route_cost = fields.Float(
        string="Route Limit",
        help="Routes costing more than this are not used. 0 means no limit.",
    )
    planned_at = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_ids = fields.One2many("retail.dispatch.proposal.line", "proposal_id", string="Transfers", copy=True)
    picking_ids = fields.One2many("stock.picking", "retail_dispatch_proposal_id", string="Pickings")
    line_count = fields.Integer(compute="_compute_totals")
    total_quantity = fields.Float(compute="_compute_totals", digits="Product Unit")
    total_benefit = fields.Float(compute="_compute_totals", string="Units Saved", digits="Product Unit")
    picking_count = fields.Integer(compute="_compute_picking_count")

    @api.depends("line_ids.quantity", "line_ids.expected_benefit")
    def _compute_totals(self):
        for proposal in self:
            proposal.line_count = len(proposal.line_ids)
            proposal.total_quantity = sum(proposal.line_ids.mapped("quantity"))
            proposal.total_benefit = sum(proposal.line_ids.mapped("expected_benefit"))

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for proposal in self:
            proposal.picking_count = len(proposal.picking_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("retail.dispatch.proposal") or "/"
        return super().create(vals_list)

    def _retail_write_state(self, vals):
        """Private: the actions write the state, approval and planning time with full rights once
        they have checked that the user may change the proposal."""
        self.sudo().write(vals)

    def _check_draft(self):
        if any(proposal.state != "draft" for proposal in self):
            raise UserError(self.env._("Only a draft proposal can be changed."))

    # ------------------------------------------------------------------ actions

    def action_plan(self):
        """Read the chain's stock, plan the transfers and replace the draft lines."""
        self.ensure_one()
        self.check_access("write")
        self._check_draft()
        stores = self._get_planned_stores()
        if len(stores) < 2:
            raise UserError(self.env._("A dispatch plan needs at least two stores."))
        chain = self._retail_read_chain(stores, self.velocity_days, self.demand_basis)
        moves = self._retail_run_planner(chain)
        self._retail_replace_lines(chain, moves)
        self._retail_write_state({"planned_at": fields.Datetime.now()})
        return True

    def action_approve(self):
        """Create the ship (store → transit) and receipt (transit → store) transfers."""
        self.ensure_one()
        self.check_access("write")
        self._check_draft()
        lines = self.line_ids
        if not lines:
            raise UserError(self.env._("There is nothing to approve: the proposal has no transfer."))
        self._retail_check_lots_not_removed(lines)
        self._retail_lock_and_check_availability(lines)
        self._retail_create_transfers(lines)
        self._retail_write_state({"state": "approved", "approved_by_id": self.env.uid})
        return True

    def action_cancel(self):
        self.check_access("write")
        for proposal in self:
            open_pickings = proposal.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            if proposal.picking_ids.filtered(lambda p: p.state == "done"):
                raise UserError(self.env._("%(name)s: some transfers are already done; it cannot be cancelled.",
                                           name=proposal.name))
            open_pickings.action_cancel()
        self._retail_write_state({"state": "cancel"})
        return True

    def action_reset_draft(self):
        self.check_access("write")
        if any(proposal.state != "cancel" for proposal in self):
            raise UserError(self.env._("Only a cancelled proposal can go back to draft."))
        self._retail_write_state({"state": "draft"})
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("retail_dispatch_proposal_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ reading the chain

    def _get_planned_stores(self):
        if self.store_ids:
            return self.store_ids
        return self.env["stock.warehouse"].search([
            ("retail_store_type", "!=", False), ("company_id", "=", self.company_id.id),
        ])

    @api.model
    def _retail_read_chain(self, stores, velocity_days=28, demand_basis="average"):
        """Everything the planner needs, read with three queries straight into NumPy arrays
        (a fourth for the nightly forecast when ``demand_basis`` is ``"forecast"``).

        :return: dict of arrays, one row per store-product pair that holds, expects or moved stock
        """
        cr = self.env.cr
        self._retail_flush_stock()
        store_ids = np.array(sorted(stores.ids), dtype=np.int64)
        store_index = {int(store_id): index for index, store_id in enumerate(store_ids)}
        now = fields.Datetime.now()
        days = max(int(velocity_days or 1), 1)
        first_day = (now - timedelta(days=days - 1)).date()
        stores_list = store_ids.tolist()
        # joins over hundreds of thousands of quants and moves: let PostgreSQL hash them in
        # memory, for this transaction only
        cr.execute("SET LOCAL work_mem = '64MB'")
        # one row per quant: summed per store, product and lot below. A lot's days run to its
        # removal date, when it leaves the shelf (its expiry date when it has none); a lot past
        # it is neither sold nor sent, so it covers no demand and is not planned
        quant_store, quant_product, quant_lot, quant_qty, quant_reserved, quant_days = _copy_rows(cr, SQL("""
            SELECT loc.warehouse_id, quant.product_id, COALESCE(quant.lot_id, 0),
                   quant.quantity::float8, quant.reserved_quantity::float8,
                   COALESCE(EXTRACT(EPOCH FROM COALESCE(lot.removal_date, lot.expiration_date) - %(now)s)
                            / 86400.0, %(never)s)::float8
              FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
         LEFT JOIN stock_lot lot ON lot.id = quant.lot_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s)
               AND (lot.id IS NULL OR COALESCE(lot.removal_date, lot.expiration_date) IS NULL
                    OR COALESCE(lot.removal_date, lot.expiration_date) > %(now)s)
        """, now=now, never=NEVER, stores=stores_list), ("i4", "i4", "i4", "f8", "f8", "f8"))
        # goods count as incoming when they are due within the store's target days of cover: a
        # later delivery does not save the store from running out before it arrives
        incoming_store, incoming_product, incoming_qty = _copy_rows(cr, SQL("""
            SELECT dest.warehouse_id, move.product_id, SUM(move.product_qty)::float8
              FROM stock_move move
              JOIN stock_location dest ON dest.id = move.location_dest_id
              JOIN stock_location src ON src.id = move.location_id
              JOIN stock_warehouse store ON store.id = dest.warehouse_id
             WHERE move.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
               AND dest.usage = 'internal' AND dest.warehouse_id = ANY(%(stores)s)
               AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
               AND move.date <= %(now)s + COALESCE(store.retail_target_days, 0) * INTERVAL '1 day'
          GROUP BY dest.warehouse_id, move.product_id
        """, stores=stores_list, now=now), ("i4", "i4", "f8"))
        flow_store, flow_product, flow_day, flow_net, flow_sold = self._retail_read_store_flows(
            store_ids, first_day)

        def keys(warehouse, product):
            # store_ids is sorted: a store's index is its rank
            return np.searchsorted(store_ids, warehouse) * PAIR_KEY + product

        quant_keys = keys(quant_store, quant_product)
        incoming_keys = keys(incoming_store, incoming_product)
        flow_keys = keys(flow_store, flow_product)
        pair_keys = np.unique(np.concatenate([quant_keys, incoming_keys, flow_keys]))
        size = len(pair_keys)
        quant_pair = np.searchsorted(pair_keys, quant_keys)
        on_hand = np.bincount(quant_pair, weights=quant_qty, minlength=size)
        reserved = np.bincount(quant_pair, weights=quant_reserved, minlength=size)
        # the quants of one lot in several locations of a store are one lot of the pair
        with_lot = quant_lot > 0
        lot_keys, lot_row = np.unique(quant_pair[with_lot] * PAIR_KEY + quant_lot[with_lot], return_inverse=True)
        lot_days = np.full(len(lot_keys), np.inf)
        lot_days[lot_row] = np.where(quant_days[with_lot] >= NEVER, np.inf, quant_days[with_lot])
        lots = {
            "lot_pair": lot_keys // PAIR_KEY,
            "lot_id": lot_keys % PAIR_KEY,
            "lot_qty": np.bincount(lot_row, weights=np.maximum(quant_qty - quant_reserved, 0.0)[with_lot],
                                   minlength=len(lot_keys)),
            "lot_days_left": lot_days,
        }
        incoming = np.bincount(np.searchsorted(pair_keys, incoming_keys), weights=incoming_qty, minlength=size)
        # flows per pair and day; a pair that moved nothing has no sales, so no velocity either way
        cell = np.searchsorted(pair_keys, flow_keys) * days + np.clip(flow_day, 0, days - 1)
        net = np.bincount(cell, weights=flow_net, minlength=size * days).reshape(size, days)
        sold = np.bincount(cell, weights=flow_sold, minlength=size * days).reshape(size, days)
        speed = velocity.velocity(sold, velocity.stockout_mask(on_hand, net, sold))
        if demand_basis == "forecast":
            forecast_store, forecast_product, forecast_daily = _copy_rows(cr, SQL("""
                SELECT store_id, product_id, daily::float8
                  FROM retail_demand_forecast
                 WHERE store_id = ANY(%(stores)s) AND date >= %(since)s
            """, stores=stores_list, since=now.date() - timedelta(days=2)), ("i4", "i4", "f8"))
            forecast_keys = keys(forecast_store, forecast_product)
            position = np.searchsorted(pair_keys, forecast_keys)
            known = position < size
            known[known] = pair_keys[position[known]] == forecast_keys[known]
            # a forecast older than two nights is not trusted: the pair keeps its average
            speed[position[known]] = forecast_daily[known]

        settings = stores.browse(stores_list).read(
            ["retail_target_days", "retail_min_days", "retail_pack_size", "retail_min_transfer_qty"])
        route_cost = np.zeros((len(store_ids), len(store_ids)))
        routes = self.env["retail.dispatch.route"].with_context(active_test=False).search_read(
            [("source_id", "in", stores_list), ("destination_id", "in", stores_list)],
            ["source_id", "destination_id", "cost", "active"],
        )
        for route in routes:
            route_cost[store_index[route["source_id"][0]], store_index[route["destination_id"][0]]] = (
                route["cost"] if route["active"] else np.inf)
        return {
            "store_ids": store_ids,
            "store": pair_keys // PAIR_KEY,
            "product": pair_keys % PAIR_KEY,
            "on_hand": on_hand,
            "reserved": reserved,
            "incoming": incoming,
            "velocity": speed,
            "target_days": np.array([row["retail_target_days"] for row in settings]),
            "min_days": np.array([row["retail_min_days"] for row in settings]),
            "store_pack_size": np.array([row["retail_pack_size"] or 1.0 for row in settings]),
            "min_transfer_qty": np.array([row["retail_min_transfer_qty"] for row in settings]),
            "route_cost": route_cost,
            **lots,
        }

    def _retail_read_store_flows(self, store_ids, first_day):
        """Done moves into or out of the stores since ``first_day``, as flows per store and product.

        The one reading of the stores' daily history: the planner's velocity and the demand
        forecasts both come from it. Returns arrays (store, product, day index from
        ``first_day``, net units in, units sold to customers), one row per move and side.
        """
        store_ids = np.asarray(store_ids, dtype=np.int64)
        move_source, move_destination, move_product, move_day, move_qty, move_sold = _copy_rows(self.env.cr, SQL("""
            SELECT COALESCE(src.warehouse_id, 0), COALESCE(dest.warehouse_id, 0), move.product_id,
                   move.date::date - %(first_day)s, move.product_qty::float8, (dest.usage = 'customer')::int4
              FROM stock_move move
              JOIN stock_location dest ON dest.id = move.location_dest_id
              JOIN stock_location src ON src.id = move.location_id
             WHERE move.state = 'done' AND move.date >= %(first_day)s
               AND (src.warehouse_id = ANY(%(stores)s) OR dest.warehouse_id = ANY(%(stores)s))
               AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
        """, first_day=first_day, stores=store_ids.tolist()), ("i4", "i4", "i4", "i4", "f8", "i4"))
        going_out = np.isin(move_source, store_ids)
        coming_in = np.isin(move_destination, store_ids)
        return (
            np.r_[move_source[going_out], move_destination[coming_in]],
            np.r_[move_product[going_out], move_product[coming_in]],
            np.r_[move_day[going_out], move_day[coming_in]],
            np.r_[-move_qty[going_out], move_qty[coming_in]],
            np.r_[(move_qty * move_sold)[going_out], np.zeros(np.count_nonzero(coming_in))],
        )

    @api.model
    def _retail_sales_history(self, stores, days):
        """Units sold per store, product and day over the last ``days`` days, and the days the
        shelf was empty (started with no stock and sold nothing), which say nothing of demand.

        Pairs are the store-products that hold stock or moved any in the window. Days are
        calendar days ending today.

        Promotion days (:meth:`_retail_promotion_days`) are marked too: what sold on them is
        not ordinary demand either. ``censored`` joins both, for the forecast.

        :return: dict with ``store`` and ``product`` (pairs,), ``sold``, ``stockout``,
            ``promotion`` and ``censored`` (pairs x days), and ``first_day``
        """
        cr = self.env.cr
        self._retail_flush_stock()
        store_ids = np.array(sorted(stores.ids), dtype=np.int64)
        days = max(int(days), 1)
        first_day = (fields.Datetime.now() - timedelta(days=days - 1)).date()
        quant_store, quant_product, quant_qty = _copy_rows(cr, SQL("""
            SELECT loc.warehouse_id, quant.product_id, SUM(quant.quantity)::float8
              FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s)
          GROUP BY loc.warehouse_id, quant.product_id
        """, stores=store_ids.tolist()), ("i4", "i4", "f8"))
        flow_store, flow_product, flow_day, flow_net, flow_sold = self._retail_read_store_flows(store_ids, first_day)
        quant_keys = quant_store * PAIR_KEY + quant_product
        flow_keys = flow_store * PAIR_KEY + flow_product
        pair_keys = np.unique(np.concatenate([quant_keys, flow_keys]))
        size = len(pair_keys)
        on_hand = np.bincount(np.searchsorted(pair_keys, quant_keys), weights=quant_qty, minlength=size)
        cell = np.searchsorted(pair_keys, flow_keys) * days + np.clip(flow_day, 0, days - 1)
        net = np.bincount(cell, weights=flow_net, minlength=size * days).reshape(size, days)
        sold = np.bincount(cell, weights=flow_sold, minlength=size * days).reshape(size, days)
        store, product = pair_keys // PAIR_KEY, pair_keys % PAIR_KEY
        stockout = velocity.stockout_mask(on_hand, net, sold)
        promotion = self._retail_promotion_days(store, product, first_day, days)
        return {
            "store": store,
            "product": product,
            "sold": sold,
            "stockout": stockout,
            "promotion": promotion,
            "censored": stockout | promotion,
            "first_day": first_day,
        }

    def _retail_promotion_days(self, store, product, first_day, days):
        """Days each store-product pair sold on promotion, (pairs x days) booleans.

        None here; an addon that runs promotions marks their days, so the forecast reads what
        sold on them as a promotion's, not as the product's ordinary demand.
        """
        return np.zeros((len(store), days), dtype=bool)

    def _retail_flush_stock(self):
        for model in ("stock.quant", "stock.move", "stock.lot", "stock.location", "stock.warehouse",
                      "retail.dispatch.route", "retail.dispatch.proposal.line"):
            self.env[model].flush_model()

    def _retail_run_planner(self, chain):
        """Plan the chain read by :meth:`_retail_read_chain`: one array per field of a move."""
        store = chain["store"]
        return planner.plan_columns(
            store, chain["product"], chain["on_hand"], chain["reserved"], chain["incoming"], chain["velocity"],
            target_days=chain["target_days"],
            min_days=chain["min_days"],
            pack_size=chain["store_pack_size"][store] if len(store) else 1.0,
            min_transfer_qty=chain["min_transfer_qty"],
            lot_pair=chain.get("lot_pair"),
            lot_id=chain.get("lot_id"),
            lot_qty=chain.get("lot_qty"),
            lot_days_left=chain.get("lot_days_left"),
            route_cost=chain["route_cost"],
            max_route_cost=self.max_route_cost if self.max_route_cost > 0 else np.inf,
        )

    def _retail_replace_lines(self, chain, moves):
        """Replace the draft lines with the planned ``moves`` (columns) in one statement each.

        A chain-wide plan has tens of thousands of lines; the planner only produces positive
        quantities between two different stores, which is all the line constraints check. The
        proposal records who planned it, so planned lines carry no creator of their own: that
        saves two foreign-key checks per line.
        """
        store_ids = chain["store_ids"]
        cr = self.env.cr
        self.env["retail.dispatch.proposal.line"].flush_model()
        cr.execute("DELETE FROM retail_dispatch_proposal_line WHERE proposal_id = %s", [self.id])
        if len(moves["quantity"]):
            cr.execute(SQL(
                """
                INSERT INTO retail_dispatch_proposal_line (
                    proposal_id, source_id, destination_id, product_id, lot_id, quantity, reason,
                    expected_benefit, stockout_saved, expiry_saved, create_date, write_date)
                SELECT %(proposal)s, source, destination, product, NULLIF(lot, %(no_lot)s), quantity, reason,
                       benefit, stockout, expiry, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(source)s::int[], %(destination)s::int[], %(product)s::int[], %(lot)s::int[],
                              %(quantity)s::float8[], %(reason)s::varchar[], %(benefit)s::float8[],
                              %(stockout)s::float8[], %(expiry)s::float8[])
                       AS moves(source, destination, product, lot, quantity, reason, benefit, stockout, expiry)
                """,
                proposal=self.id, no_lot=planner.NO_LOT,
                source=_pg_array(store_ids[moves["source"]]),
                destination=_pg_array(store_ids[moves["destination"]]),
                product=_pg_array(moves["product"]),
                lot=_pg_array(moves["lot"]),
                quantity=_pg_array(moves["quantity"]),
                reason=_pg_array(moves["reason"]),
                benefit=_pg_array(moves["benefit"]),
                stockout=_pg_array(moves["stockout_saved"]),
                expiry=_pg_array(moves["expiry_saved"]),
            ))
        self.env["retail.dispatch.proposal.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    # ------------------------------------------------------------------ approval

    def _retail_check_lots_not_removed(self, lines):
        """Refuse lines whose lot reached its removal date after planning.

        Odoo no longer reserves such a lot, so the shipment would silently take another lot than
        the one the dispatcher approved.
        """
        now = fields.Datetime.now()
        removed = lines.filtered(lambda line: line.lot_id.removal_date and line.lot_id.removal_date < now)
        if removed:
            raise UserError(self.env._(
                "The proposal cannot be approved: these lots reached their removal date after it was "
                "planned. Plan again, or delete their lines.\n%s",
                "\n".join(self.env._(
                    "%(store)s: %(product)s lot %(lot)s, removal date %(date)s",
                    store=line.source_id.name, product=line.product_id.display_name, lot=line.lot_id.name,
                    date=format_datetime(self.env, line.lot_id.removal_date)) for line in removed)))

    def _retail_lock_and_check_availability(self, lines):
        """Lock the source quants, then check every line can still be taken from them.

        Two approvals taking the same last units queue on the lock; the second one then sees
        the first one's reservations and stops here, before writing anything.
        """
        cr = self.env.cr
        self._retail_flush_stock()
        sources = lines.source_id
        products = lines.product_id
        cr.execute("""
            SELECT quant.id FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%s) AND quant.product_id = ANY(%s)
               FOR UPDATE OF quant
        """, [sources.ids, products.ids])
        self.env["stock.quant"].invalidate_model(["quantity", "reserved_quantity"])
        cr.execute("""
            SELECT loc.warehouse_id, quant.product_id, quant.lot_id,
                   SUM(quant.quantity - quant.reserved_quantity)
              FROM stock_quant quant
              JOIN stock_location loc ON loc.id = quant.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%s) AND quant.product_id = ANY(%s)
          GROUP BY loc.warehouse_id, quant.product_id, quant.lot_id
        """, [sources.ids, products.ids])
        by_lot = defaultdict(float)
        by_product = defaultdict(float)
        for warehouse_id, product_id, lot_id, free in cr.fetchall():
            by_lot[warehouse_id, product_id, lot_id] += free
            by_product[warehouse_id, product_id] += free
        need_lot = defaultdict(float)
        need_product = defaultdict(float)
        for line in lines:
            need_product[line.source_id.id, line.product_id.id] += line.quantity
            if line.lot_id:
                need_lot[line.source_id.id, line.product_id.id, line.lot_id.id] += line.quantity
        problems = []
        rounding = 1e-6
        for (warehouse_id, product_id, lot_id), need in need_lot.items():
            free = by_lot[warehouse_id, product_id, lot_id]
            if need > free + rounding:
                problems.append(self.env._(
                    "%(store)s has %(free)s of %(product)s lot %(lot)s available, %(need)s are planned.",
                    store=self.env["stock.warehouse"].browse(warehouse_id).name,
                    product=self.env["product.product"].browse(product_id).display_name,
                    lot=self.env["stock.lot"].browse(lot_id).name, free=format_quantity(max(free, 0.0)),
                    need=format_quantity(need)))
        for (warehouse_id, product_id), need in need_product.items():
            free = by_product[warehouse_id, product_id]
            if need > free + rounding:
                problems.append(self.env._(
                    "%(store)s has %(free)s of %(product)s available, %(need)s are planned.",
                    store=self.env["stock.warehouse"].browse(warehouse_id).name,
                    product=self.env["product.product"].browse(product_id).display_name,
                    free=format_quantity(max(free, 0.0)), need=format_quantity(need)))
        if problems:
            raise UserError(self.env._(
                "The proposal cannot be approved: stock has changed since it was planned "
                "(another approval or sales took it).\n%s", "\n".join(problems)))

    def _retail_transit_location(self):
        transit = self.company_id.internal_transit_location_id
        if not transit:
            raise UserError(self.env._("The company %s has no inter-warehouse transit location.",
                                       self.company_id.name))
        if not transit.active:
            transit.sudo().active = True
        return transit

    def _retail_create_transfers(self, lines):
        transit = self._retail_transit_location()
        routes = defaultdict(lambda: self.env["retail.dispatch.proposal.line"])
        for line in lines:
            routes[line.source_id, line.destination_id] |= line
        ordered = list(routes.items())
        ship_vals = []
        for (source, destination), route_lines in ordered:
            ship_vals.append(self._prepare_picking_vals(
                source.out_type_id, source.lot_stock_id, transit, route_lines, destination))
        Picking = self.env["stock.picking"]
        ships = Picking.create(ship_vals)
        receipt_vals = []
        for ship, ((source, destination), route_lines) in zip(ships, ordered, strict=True):
            vals = self._prepare_picking_vals(
                destination.in_type_id, transit, destination.lot_stock_id, route_lines, source)
            for command, move in zip(vals["move_ids"], ship.move_ids.sorted("id"), strict=True):
                command[2]["move_orig_ids"] = [Command.set(move.ids)]
            receipt_vals.append(vals)
        receipts = Picking.create(receipt_vals)
        # the link to the proposal is what closes it when its transfers are done: set with full
        # rights here, after the approval's checks, and by nothing else
        (ships | receipts).sudo().write({"retail_dispatch_proposal_id": self.id})
        # one move per line, even for two lots of one product, so each move takes its own lot
        ships.move_ids._action_confirm(merge=False)
        # confirming may already reserve by FEFO: reserve the planned lots first, the rest after
        ships.move_ids.filtered(lambda m: m.move_line_ids)._do_unreserve()
        for ship, (_route, route_lines) in zip(ships, ordered, strict=True):
            for move, line in zip(ship.move_ids.sorted("id"), route_lines, strict=True):
                if line.lot_id:
                    move._update_reserved_quantity(line.quantity, move.location_id, lot_id=line.lot_id, strict=False)
        ships.move_ids.filtered(lambda m: m.state in ("confirmed", "partially_available"))._action_assign()
        ships.move_ids._recompute_state()
        receipts.action_confirm()
        return ships | receipts

    def _prepare_picking_vals(self, picking_type, location, destination, lines, other_store):
        return {
            "picking_type_id": picking_type.id,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "origin": f"{self.name} ({other_store.name})",
            "move_ids": [
                Command.create({
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.quantity,
                    "product_uom": line.product_id.uom_id.id,
                    "location_id": location.id,
                    "location_dest_id": destination.id,
                    "picking_type_id": picking_type.id,
                    "origin": self.name,
                })
                for line in lines
            ],
        }
