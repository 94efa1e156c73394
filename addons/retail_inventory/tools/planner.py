"""Store-to-store dispatch planner: move surplus and near-expiry stock to the stores that need it.

Plain NumPy over plain arrays, one row per store-product pair, so the same code serves the
Odoo models, the benchmark and the chain simulation.

Definitions, per store-product pair (``v`` = velocity in units/day):

* position = on hand - reserved + incoming; cover = position / v days
* units at risk = units of lots that will expire before the store sells them at ``v`` (FEFO)
* surplus = max(position - target_days * v, units at risk)
* giveable = min(surplus, on hand - reserved, position - min_days * v): a source never goes
  below its own minimum cover
* deficit: cover below min_days; such a store needs target_days * v - position units
* expiry capacity of a destination for a lot that expires in ``d`` days: the units it sells
  before ``d`` once its own earlier-expiring lots are sold (first expiring, first sold), and no
  more than its own later lots can wait without expiring themselves; expiring units the plan
  already sends there count as sold there first

A unit moved into a deficit saves one unit of stockout; a unit at risk moved to a store that
sells it before it expires saves one unit of expiry. Near-expiry units may go to any store
that sells the product in time, also one above its target: holding fresh stock a little longer
costs nothing when it still sells before its own expiry. The planner repeatedly takes, per
product, the source → destination move that saves the most units (ties: the destination with
the least cover, then the cheapest route), rounds it down to the pack size, drops it under the
minimum transfer quantity or over the route limit, and takes the earliest-expiring lots first.

All products are planned together: each round makes the best move of every product still
able to move, on arrays padded to the largest product of a chunk of similar products, and only
the row of the source and the column of the destination that moved are computed again.
"""

from collections import namedtuple

import numpy as np

from .expiry import fefo_capacity, fefo_profile, rank_within, units_at_risk

Move = namedtuple(
    "Move",
    ["source", "destination", "product", "lot", "quantity", "reason", "benefit", "stockout_saved", "expiry_saved"],
)

NO_LOT = -1
EPSILON = 1e-9
# products planned together: bounded so that padding to the largest one stays cheap
CHUNK = 512


def _per_pair(value, store, size):
    """A per-store setting (array of stores) or a scalar, broadcast to the pairs."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return np.full(size, float(array))
    return array[store]


def plan(*args, **kwargs):
    """:func:`plan_columns` as a list of :class:`Move`."""
    columns = plan_columns(*args, **kwargs)
    return [Move(*row) for row in zip(*(columns[field].tolist() for field in Move._fields), strict=True)]


def plan_columns(store, product, on_hand, reserved, incoming, velocity, *, target_days, min_days, pack_size=1.0,
                 min_transfer_qty=0.0, lot_pair=None, lot_id=None, lot_qty=None, lot_days_left=None,
                 route_cost=None, max_route_cost=np.inf):
    """Propose transfers between stores.

    :param store: int array (pairs,) store index 0..S-1 of each pair
    :param product: int array (pairs,) product id of each pair
    :param on_hand, reserved, incoming, velocity: float arrays (pairs,)
    :param target_days, min_days, min_transfer_qty: per store (array (S,)) or scalars
    :param pack_size: per pair (array (pairs,)) or scalar; quantities moved are multiples of it
    :param lot_pair, lot_id, lot_qty, lot_days_left: one row per lot held by a pair (available
        quantity, days until expiry, ``inf`` when the lot has no expiry date); stock of a pair
        not covered by its lots is moved as ``lot = -1``
    :param route_cost: float array (S, S) cost or distance of each route, ``inf`` for no route
    :param max_route_cost: routes costing more are not used
    :return: one array per field of :class:`Move`, one row per move; ``reason`` is
        ``'deficit'`` or ``'expiry'``
    """
    store = np.asarray(store, dtype=np.int64)
    product = np.asarray(product, dtype=np.int64)
    size = len(store)
    if not size:
        return _empty_columns()
    on_hand = np.asarray(on_hand, dtype=float)
    reserved = np.asarray(reserved, dtype=float)
    available = np.maximum(on_hand - reserved, 0.0)
    position = on_hand - reserved + np.asarray(incoming, dtype=float)
    velocity = np.maximum(np.asarray(velocity, dtype=float), 0.0)
    target = _per_pair(target_days, store, size) * velocity
    minimum = _per_pair(min_days, store, size) * velocity
    pack = np.maximum(np.broadcast_to(np.asarray(pack_size, dtype=float), (size,)), EPSILON)
    min_qty = _per_pair(min_transfer_qty, store, size)

    if lot_pair is not None and len(lot_pair):
        lots = {
            "pair": np.asarray(lot_pair, dtype=np.int64),
            "id": np.asarray(lot_id, dtype=np.int64),
            "qty": np.asarray(lot_qty, dtype=float),
            "days": np.asarray(lot_days_left, dtype=float),
        }
        order = np.lexsort((lots["days"], lots["pair"]))
        lots = {key: value[order] for key, value in lots.items()}
        lots["risk"] = units_at_risk(lots["pair"], lots["qty"], lots["days"], velocity)
        risk = np.bincount(lots["pair"], weights=lots["risk"], minlength=size)
    else:
        lots = {key: np.zeros(0, dtype=np.int64 if key in ("pair", "id") else float)
                for key in ("pair", "id", "qty", "days", "risk")}
        risk = np.zeros(size)

    surplus = np.maximum(position - target, risk)
    giveable = np.maximum(np.minimum(np.minimum(surplus, available), position - minimum), 0.0)
    giveable = np.floor(giveable / pack + EPSILON) * pack
    deficit = position < minimum
    room = np.maximum(target - position, 0.0)

    gives = giveable >= pack
    # a product with units at risk may send them to any store that sells it; otherwise only
    # stores short of stock are worth sending to
    risky_products = np.unique(product[gives & (risk > EPSILON)])
    takes = deficit | ((velocity > 0) & np.isin(product, risky_products))
    candidates = np.intersect1d(product[gives], product[takes])
    if not len(candidates):
        return _empty_columns()

    sources = np.flatnonzero(gives & np.isin(product, candidates))
    sources = sources[np.lexsort((store[sources], product[sources]))]
    destinations = np.flatnonzero(takes & np.isin(product, candidates))
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(velocity > 0, position / velocity, np.inf)
    # the least covered destination first when benefits tie
    destinations = destinations[np.lexsort((store[destinations], cover[destinations], product[destinations]))]

    source_group = np.searchsorted(candidates, product[sources])
    destination_group = np.searchsorted(candidates, product[destinations])
    source_count = np.bincount(source_group, minlength=len(candidates))
    destination_count = np.bincount(destination_group, minlength=len(candidates))

    route = None
    if route_cost is not None:
        cost = np.asarray(route_cost, dtype=float)
        allowed = cost <= max_route_cost
        if not allowed.all() or np.any(cost[allowed]):
            route = (allowed, np.where(allowed, cost, 0.0))

    pairs = {
        "store": store, "product": product, "giveable": giveable, "room": room, "deficit": deficit,
        "velocity": velocity, "pack": pack, "min_qty": min_qty, "available": available,
    }
    # chunks of products of similar size, so that padding costs little; products without units
    # at risk apart, they need no expiry arithmetic
    risky = np.isin(candidates, risky_products)
    results = []
    for with_expiry in (False, True):
        kind = np.flatnonzero(risky == with_expiry)
        kind = kind[np.argsort((source_count * destination_count)[kind], kind="stable")]
        for first in range(0, len(kind), CHUNK):
            groups = np.sort(kind[first:first + CHUNK])
            results.append(_plan_chunk(
                candidates[groups], sources[np.isin(source_group, groups)],
                destinations[np.isin(destination_group, groups)], pairs, lots, route, with_expiry,
            ))
    columns = {field: np.concatenate([result[field] for result in results]) for field in results[0]}
    # product by product, then in the order the moves were decided, earliest lots first
    order = np.lexsort((columns.pop("sequence"), columns.pop("step"), columns["product"]))
    columns = {field: value[order] for field, value in columns.items()}
    # a move into a store that is not short is made for the units at risk
    columns["reason"] = np.where((columns["expiry_saved"] > 0) | ~columns.pop("into_deficit"), "expiry", "deficit")
    columns["benefit"] = columns["stockout_saved"] + columns["expiry_saved"]
    return columns


def _empty_columns():
    columns = {field: np.zeros(0) for field in Move._fields}
    for field in ("source", "destination", "product", "lot"):
        columns[field] = np.zeros(0, dtype=np.int64)
    columns["reason"] = np.zeros(0, dtype="<U7")
    return columns


def _pad(rows, group_products, pairs, value):
    """The pairs ``rows`` (sorted by product) laid out one product per line.

    :return: ``pairs[value]`` of each row in a (products, widest product) array padded with 0,
        the pair of each cell (0 in the padding), which cells hold a pair, and the line and
        column of each row
    """
    local_group = np.searchsorted(group_products, pairs["product"][rows])
    column = rank_within(local_group)
    shape = (len(group_products), max(int(column.max(initial=-1)) + 1, 1))
    padded = np.zeros(shape)
    padded[local_group, column] = pairs[value][rows]
    pair = np.zeros(shape, dtype=np.int64)
    pair[local_group, column] = rows
    present = np.zeros(shape, dtype=bool)
    present[local_group, column] = True
    return padded, pair, present, local_group, column


def _lots_of(rows, lots):
    """The lots of the pairs ``rows`` (sorted): their index in ``lots`` and the row of their pair."""
    where = np.minimum(np.searchsorted(rows, lots["pair"]), len(rows) - 1)
    index = np.flatnonzero(rows[where] == lots["pair"])
    return index, where[index]


def _plan_chunk(group_products, sources, destinations, pairs, lots, route, with_expiry):
    """The greedy choice for the products ``group_products`` at once; returns the moves as columns.

    Without ``with_expiry`` no source has units at risk: the destinations' own lots are not read.
    """
    store, product = pairs["store"], pairs["product"]
    count = len(group_products)
    state = {
        **_source_arrays(group_products, sources, pairs, lots),
        **_destination_arrays(group_products, destinations, pairs, lots, with_expiry),
    }
    height = state["need"].shape[1]
    source_store, destination_store = store[state["source_pair"]], store[state["destination_pair"]]
    # --- routes and ties
    blocked = ~(state["has_source"][:, :, None] & state["has_destination"][:, None, :])
    blocked |= source_store[:, :, None] == destination_store[:, None, :]
    tie_break = EPSILON * np.arange(height, dtype=float)[None, None, :]
    if route is not None:
        allowed, route_cost = route
        stores = len(allowed)
        pair_of_stores = source_store[:, :, None] * stores + destination_store[:, None, :]
        blocked |= ~allowed.ravel()[pair_of_stores]
        tie_break = tie_break + EPSILON * np.where(blocked, 0.0, route_cost.ravel()[pair_of_stores])
    else:
        tie_break = np.broadcast_to(tie_break, blocked.shape)

    state["blocked"], state["tie_break"] = blocked, tie_break
    if with_expiry:
        state["received"] = np.zeros(state["need"].shape)
        state["capacity"] = fefo_capacity(
            state["first_risk_days"][:, :, None], state["own_days"][:, None], state["own_sold"][:, None],
            state["own_free"][:, None], state["speed"][:, None, :])
    every = slice(None)
    state["score"] = _evaluate(state, (every, every, None), (every, None, every), (every, every, every), with_expiry)[2]
    # best destination of each source: the greedy choice only has to look at these
    state["best"] = state["score"].argmax(axis=2)
    state["best_score"] = np.take_along_axis(state["score"], state["best"][:, :, None], axis=2)[:, :, 0]
    decided = []
    rows = np.arange(count)
    step = 0
    while len(rows):
        if len(rows) <= len(state["give"]) // 2:
            # most products are done: carry on with the others only
            state = {name: value[rows] for name, value in state.items()}
            rows = np.arange(len(rows))
        i = state["best_score"][rows].argmax(axis=1)
        moving = state["best_score"][rows, i] > 0
        rows, i = rows[moving], i[moving]
        if not len(rows):
            break
        j = state["best"][rows, i]
        decided.append(_make_moves(state, rows, i, j, step, store, product, with_expiry))
        # the destination's column and the source's row are computed again; in the column scores
        # only fall, so only the sources whose best destination it was look for another one
        state["score"][rows, :, j] = _evaluate(state, (rows,), (rows, j, None), (rows, every, j), with_expiry)[2]
        state["score"][rows, i] = _evaluate(state, (rows, i, None), (rows,), (rows, i), with_expiry)[2]
        stale = state["best"][rows] == j[:, None]
        stale[np.arange(len(rows)), i] = True
        line, source = np.nonzero(stale)
        line = rows[line]
        refreshed = state["score"][line, source]
        state["best"][line, source] = refreshed.argmax(axis=1)
        state["best_score"][line, source] = refreshed.max(axis=1)
        step += 1
    if not decided:
        empty = _empty_columns()
        del empty["reason"], empty["benefit"]
        return {**empty, "into_deficit": np.zeros(0, dtype=bool), "step": np.zeros(0), "sequence": np.zeros(0)}
    return {field: np.concatenate([moves[field] for moves in decided]) for field in decided[0]}


def _source_arrays(group_products, sources, pairs, lots):
    """Per product and source: what it gives, its pack, minimum transfer and lots (FEFO, untracked
    stock last); ``has_source`` tells the sources from the padding."""
    give, source_pair, has_source, line, column = _pad(sources, group_products, pairs, "giveable")
    arrays = {
        "give": give, "source_pair": source_pair, "has_source": has_source,
        "pack": np.where(has_source, pairs["pack"][source_pair], 1.0),
        "min_qty": np.where(has_source, pairs["min_qty"][source_pair], 0.0),
    }
    order = np.argsort(sources)
    lot_index, lot_row = _lots_of(sources[order], lots)
    lot_source = order[lot_row]
    untracked = pairs["available"][sources] - np.bincount(
        lot_source, weights=lots["qty"][lot_index], minlength=len(sources))
    extra = np.flatnonzero(untracked > EPSILON)
    owner = np.r_[lot_source, extra]
    values = {
        "lot_ids": np.r_[lots["id"][lot_index], np.full(len(extra), NO_LOT)],
        "lot_qty": np.r_[lots["qty"][lot_index], untracked[extra]],
        "lot_days": np.r_[lots["days"][lot_index], np.full(len(extra), np.inf)],
        "lot_risk": np.r_[lots["risk"][lot_index], np.zeros(len(extra))],
    }
    fills = {"lot_ids": NO_LOT, "lot_qty": 0.0, "lot_days": np.inf, "lot_risk": 0.0}
    order = np.argsort(owner, kind="stable")
    owner = owner[order]
    slot = rank_within(owner)
    shape = (*give.shape, max(int(slot.max(initial=-1)) + 1, 1))
    where = (line[owner], column[owner], slot)
    for name, value in values.items():
        arrays[name] = np.full(shape, fills[name], dtype=value.dtype)
        arrays[name][where] = value[order]
    arrays["risk"] = arrays["lot_risk"].sum(axis=2)
    arrays["first_risk_days"] = _first_risk_days(arrays["lot_risk"], arrays["lot_days"])
    return arrays


def _destination_arrays(group_products, destinations, pairs, lots, with_expiry):
    """Per product and destination: room, shortage, sales per day and, ``with_expiry``, its own
    lots; ``has_destination`` tells the destinations from the padding."""
    need, destination_pair, has_destination, line, column = _pad(destinations, group_products, pairs, "room")
    arrays = {
        "need": need, "destination_pair": destination_pair, "has_destination": has_destination,
        "is_deficit": has_destination & pairs["deficit"][destination_pair],
        "speed": np.where(has_destination, pairs["velocity"][destination_pair], 0.0),
    }
    if with_expiry:
        own = _own_lots(destinations, line, column, need.shape, lots, pairs["velocity"])
    else:
        own = (np.full((*need.shape, 1), fill) for fill in (np.inf, 0.0, np.inf))
    arrays["own_days"], arrays["own_sold"], arrays["own_free"] = own
    return arrays


def _own_lots(destinations, line_of, column_of, shape, lots, velocity):
    """Days left, units sold through and slack of the destinations' own lots, (products, destinations, lots)."""
    order = np.argsort(destinations)
    own_index, own_row = _lots_of(destinations[order], lots)
    own_destination = order[own_row]
    sold, slack = fefo_profile(lots["pair"][own_index], lots["qty"][own_index], lots["days"][own_index], velocity)
    own_order = np.argsort(own_destination, kind="stable")
    own_destination, own_index, sold, slack = (
        value[own_order] for value in (own_destination, own_index, sold, slack))
    slot = rank_within(own_destination)
    shape = (*shape, max(int(slot.max(initial=-1)) + 1, 1))
    own_days = np.full(shape, np.inf)
    own_sold = np.zeros(shape)
    own_free = np.full(shape, np.inf)
    where = (line_of[own_destination], column_of[own_destination], slot)
    own_days[where] = lots["days"][own_index]
    own_sold[where] = sold
    own_free[where] = slack
    return own_days, own_sold, own_free


def _evaluate(state, per_source, per_destination, per_move, with_expiry=True):
    """Quantity, units saved from expiry and score of candidate moves.

    The three indexes select the moves to evaluate in the per-source (products, sources),
    per-destination (products, destinations) and per-move (products, sources, destinations)
    arrays of ``state``; their results broadcast together. Without ``with_expiry`` no source has
    units at risk, and only stockouts are saved.
    """
    give, pack, min_qty = (state[name][per_source] for name in ("give", "pack", "min_qty"))
    need, short = state["need"][per_destination], state["is_deficit"][per_destination]
    if with_expiry:
        expiry_capacity = np.minimum(
            state["risk"][per_source],
            np.maximum(state["capacity"][per_move] - state["received"][per_destination], 0.0))
        quantity = np.minimum(give, np.where(short, np.maximum(need, expiry_capacity), expiry_capacity))
    else:
        quantity = np.where(short, np.minimum(give, need), 0.0)
    quantity = np.floor(quantity / pack + EPSILON) * pack
    quantity[state["blocked"][per_move] | (quantity < min_qty)] = 0.0
    if with_expiry:
        saved = np.minimum(expiry_capacity, quantity)
        benefit = np.where(short, np.minimum(quantity, need), 0.0) + saved
    else:
        saved = np.zeros(quantity.shape)
        benefit = quantity
    score = np.where(benefit > 0, benefit - state["tie_break"][per_move], -1.0)
    return quantity, saved, score


def _make_moves(state, rows, i, j, step, store, product, with_expiry):
    """Apply the moves source ``i`` → destination ``j`` of ``rows``; return them, one per lot."""
    qty, expiry_saved, _score = _evaluate(state, (rows, i), (rows, j), (rows, i, j), with_expiry)
    short = state["is_deficit"][rows, j]
    need = state["need"][rows, j]
    # a need short of the quantity by rounding noise only is met in full
    stockout_saved = np.where(short, np.where(need > qty - 1e-6, qty, need), 0.0)
    # the earliest-expiring lots first
    held = state["lot_qty"][rows, i]
    before = np.cumsum(held, axis=1) - held
    take = np.clip(qty[:, None] - before, 0.0, held)
    risk_taken = np.minimum(state["lot_risk"][rows, i], take)
    move, depth = np.divmod(np.flatnonzero(take.ravel() > EPSILON), take.shape[1])
    source_pair = state["source_pair"][rows, i]
    moves = {
        "source": store[source_pair][move],
        "destination": store[state["destination_pair"][rows, j]][move],
        "product": product[source_pair][move],
        "lot": state["lot_ids"][rows, i][move, depth],
        "quantity": take[move, depth],
        "stockout_saved": _spread(stockout_saved, take)[move, depth],
        "expiry_saved": _spread(expiry_saved, risk_taken)[move, depth],
        "into_deficit": short[move],
        "step": np.full(len(move), step),
        "sequence": depth,
    }
    lot_days = state["lot_days"][rows, i]
    state["lot_qty"][rows, i] -= take
    state["lot_risk"][rows, i] -= risk_taken
    state["give"][rows, i] -= qty
    state["need"][rows, j] = np.maximum(need - qty, 0.0)
    if not with_expiry:
        return moves
    # expiring units sent to a store are sold there before what expires later
    state["received"][rows, j] += np.where(np.isfinite(lot_days), take, 0.0).sum(axis=1)
    state["risk"][rows, i] = state["lot_risk"][rows, i].sum(axis=1)
    first_risk_days = _first_risk_days(state["lot_risk"][rows, i], lot_days)
    state["first_risk_days"][rows, i] = first_risk_days
    state["capacity"][rows, i] = fefo_capacity(
        first_risk_days[:, None], state["own_days"][rows], state["own_sold"][rows], state["own_free"][rows],
        state["speed"][rows])
    return moves


def _spread(total, limit):
    """Share ``total`` (per row) over the columns in order, at most ``limit`` each."""
    before = np.cumsum(limit, axis=1) - limit
    return np.clip(total[:, None] - before, 0.0, limit)


def _first_risk_days(lot_risk, lot_days):
    """Days left of the first lot (last axis, FEFO) with units at risk; 0 when none is at risk."""
    at_risk = lot_risk > EPSILON
    first = at_risk.argmax(axis=-1)
    days = np.take_along_axis(lot_days, first[..., None], axis=-1)[..., 0]
    return np.where(at_risk.any(axis=-1), days, 0.0)
