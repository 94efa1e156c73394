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
* room: target_days * v - position, the units a store can take without exceeding its target

A unit moved into a deficit saves one unit of stockout; a unit at risk moved to a store that
sells it before it expires saves one unit of expiry. The planner repeatedly takes, per product,
the source → destination move that saves the most units (ties: the destination with the least
cover, then the cheapest route), rounds it down to the pack size, drops it under the minimum
transfer quantity or over the route limit, and takes the earliest-expiring lots first.
"""

from collections import namedtuple
from itertools import pairwise

import numpy as np

from .expiry import units_at_risk

Move = namedtuple(
    "Move",
    ["source", "destination", "product", "lot", "quantity", "reason", "benefit", "stockout_saved", "expiry_saved"],
)

NO_LOT = -1


def _per_pair(value, store, size):
    """A per-store setting (array of stores) or a scalar, broadcast to the pairs."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return np.full(size, float(array))
    return array[store]


def plan(
    store,
    product,
    on_hand,
    reserved,
    incoming,
    velocity,
    *,
    target_days,
    min_days,
    pack_size=1.0,
    min_transfer_qty=0.0,
    lot_pair=None,
    lot_id=None,
    lot_qty=None,
    lot_days_left=None,
    route_cost=None,
    max_route_cost=np.inf,
):
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
    :return: list of :class:`Move`, ``reason`` is ``'deficit'`` or ``'expiry'``
    """
    store = np.asarray(store, dtype=np.int64)
    product = np.asarray(product, dtype=np.int64)
    size = len(store)
    if not size:
        return []
    on_hand = np.asarray(on_hand, dtype=float)
    available = np.maximum(on_hand - np.asarray(reserved, dtype=float), 0.0)
    position = on_hand - np.asarray(reserved, dtype=float) + np.asarray(incoming, dtype=float)
    velocity = np.maximum(np.asarray(velocity, dtype=float), 0.0)
    target = _per_pair(target_days, store, size) * velocity
    minimum = _per_pair(min_days, store, size) * velocity
    pack = np.maximum(np.broadcast_to(np.asarray(pack_size, dtype=float), (size,)), 1e-9)
    min_qty_store = np.asarray(min_transfer_qty, dtype=float)

    # lots: units at risk per lot, then per pair
    if lot_pair is not None and len(lot_pair):
        lot_pair = np.asarray(lot_pair, dtype=np.int64)
        lot_id = np.asarray(lot_id, dtype=np.int64)
        lot_qty = np.asarray(lot_qty, dtype=float)
        lot_days_left = np.asarray(lot_days_left, dtype=float)
        lot_risk = units_at_risk(lot_pair, lot_qty, lot_days_left, velocity)
        risk = np.bincount(lot_pair, weights=lot_risk, minlength=size)
    else:
        lot_pair = np.zeros(0, dtype=np.int64)
        lot_id = lot_pair
        lot_qty = lot_days_left = lot_risk = np.zeros(0)
        risk = np.zeros(size)

    surplus = np.maximum(position - target, risk)
    giveable = np.maximum(np.minimum(np.minimum(surplus, available), position - minimum), 0.0)
    deficit = position < minimum
    room = np.maximum(target - position, 0.0)
    giveable = np.floor(giveable / pack + 1e-9) * pack

    # only products with something to give and somewhere to put it are planned
    gives = giveable >= pack
    takes = room > 0
    candidates = np.intersect1d(product[gives], product[takes])
    if not len(candidates):
        return []
    keep = np.isin(product, candidates)
    pairs = np.flatnonzero(keep)
    pairs = pairs[np.lexsort((store[pairs], product[pairs]))]
    boundaries = np.flatnonzero(np.r_[True, product[pairs][1:] != product[pairs][:-1], True])

    lots_by_pair = {}
    if len(lot_pair):
        wanted = np.isin(lot_pair, pairs[gives[pairs]])
        for index in np.flatnonzero(wanted)[np.lexsort((lot_days_left[wanted], lot_pair[wanted]))]:
            lots_by_pair.setdefault(int(lot_pair[index]), []).append(
                [int(lot_id[index]), float(lot_qty[index]), float(lot_days_left[index]), float(lot_risk[index])]
            )

    if route_cost is None:
        allowed_all = None
        cost_all = None
    else:
        cost_all = np.asarray(route_cost, dtype=float)
        allowed_all = cost_all <= max_route_cost

    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(velocity > 0, position / velocity, np.inf)
    moves = []
    # products where no unit is at risk only move stock into deficits: planned together below
    batched = []
    for start, stop in pairwise(boundaries):
        group = pairs[start:stop]
        sources = group[gives[group]]
        destinations = group[takes[group]]
        if not len(sources) or not len(destinations):
            continue
        # the least covered destination first when benefits tie
        destinations = destinations[np.argsort(cover[destinations], kind="stable")]
        if not risk[sources].any():
            rank = np.flatnonzero(deficit[destinations])
            if len(rank):
                batched.append((sources, destinations[rank], rank))
            continue
        moves.extend(_plan_product(
            sources, destinations, store, product, giveable, room, deficit, velocity, pack, min_qty_store,
            lots_by_pair, available, allowed_all, cost_all,
        ))
    moves.extend(_plan_deficits_batched(
        batched, store, product, giveable, room, pack, min_qty_store, lots_by_pair, available, allowed_all, cost_all,
    ))
    return moves


def _plan_deficits_batched(groups, store, product, giveable, room, pack, min_qty_store, lots_by_pair, available,
                           allowed_all, cost_all, chunk=512):
    """The greedy choice of :func:`_plan_product` for many products at once.

    Products are padded to the same number of sources and destinations (chunks of products of
    similar size), and each round makes the best move of every product still able to move.
    """
    if not groups:
        return []
    order = sorted(range(len(groups)), key=lambda index: len(groups[index][0]) * len(groups[index][1]))
    decided = []
    for first in range(0, len(order), chunk):
        members = [groups[index] for index in order[first:first + chunk]]
        count = len(members)
        width = max(len(sources) for sources, _d, _r in members)
        height = max(len(destinations) for _s, destinations, _r in members)
        source_pair = np.full((count, width), -1, dtype=np.int64)
        destination_pair = np.full((count, height), -1, dtype=np.int64)
        rank = np.zeros((count, height))
        for row, (sources, destinations, ranks) in enumerate(members):
            source_pair[row, :len(sources)] = sources
            destination_pair[row, :len(destinations)] = destinations
            rank[row, :len(destinations)] = ranks
        has_source = source_pair >= 0
        has_destination = destination_pair >= 0
        give = np.where(has_source, giveable[source_pair], 0.0)
        need = np.where(has_destination, room[destination_pair], 0.0)
        source_pack = np.where(has_source, pack[source_pair], 1.0)[:, :, None]
        source_store = store[np.maximum(source_pair, 0)]
        destination_store = store[np.maximum(destination_pair, 0)]
        if min_qty_store.ndim:
            min_qty = np.where(has_source, min_qty_store[source_store], 0.0)[:, :, None]
        else:
            min_qty = np.full((count, width, 1), float(min_qty_store))
        blocked = ~(has_source[:, :, None] & has_destination[:, None, :])
        blocked |= source_store[:, :, None] == destination_store[:, None, :]
        cost = np.zeros(blocked.shape)
        if allowed_all is not None:
            blocked |= ~allowed_all[source_store[:, :, None], destination_store[:, None, :]]
            cost = np.where(blocked, 0.0, cost_all[source_store[:, :, None], destination_store[:, None, :]])
        tie_break = 1e-9 * (rank[:, None, :] + cost)
        rows = np.arange(count)
        step = 0
        while len(rows):
            quantity = np.floor(np.minimum(give[:, :, None], need[:, None, :]) / source_pack + 1e-9) * source_pack
            quantity[blocked | (quantity < min_qty)] = 0.0
            score = np.where(quantity > 0, quantity - tie_break, -1.0).reshape(len(rows), -1)
            best = score.argmax(axis=1)
            moving = score[np.arange(len(rows)), best] > 0
            if not moving.any():
                break
            local = np.flatnonzero(moving)
            i, j = np.divmod(best[local], height)
            qty = quantity[local, i, j]
            give[local, i] -= qty
            need[local, j] -= qty
            chunk_rows = rows[local]
            decided.extend(zip(
                (order[first + row] for row in chunk_rows.tolist()), [step] * len(local),
                source_pair[local, i].tolist(), destination_pair[local, j].tolist(), qty.tolist(), strict=True,
            ))
            # products that could not move are done; keep the others
            rows = rows[local]
            give, need, source_pack, min_qty = give[local], need[local], source_pack[local], min_qty[local]
            blocked, tie_break = blocked[local], tie_break[local]
            source_pair, destination_pair = source_pair[local], destination_pair[local]
            step += 1
    decided.sort()
    moves = []
    source_lots = {}
    for _group, _step, source, destination, quantity in decided:
        if source not in source_lots:
            source_lots[source] = _source_lots(source, lots_by_pair, available)
        moves.extend(_split_into_lots(
            source_lots[source], quantity, 0.0, True, int(store[source]), int(store[destination]),
            int(product[source]),
        ))
    return moves


def _source_lots(pair, lots_by_pair, available):
    """FEFO list of [lot, qty, days_left, at_risk] of a source, untracked stock last."""
    lots = [list(lot) for lot in lots_by_pair.get(pair, [])]
    untracked = available[pair] - sum(lot[1] for lot in lots)
    if untracked > 1e-9:
        lots.append([NO_LOT, float(untracked), np.inf, 0.0])
    return lots


def _plan_product(sources, destinations, store, product, giveable, room, deficit, velocity, pack, min_qty_store,
                  lots_by_pair, available, allowed_all, cost_all):
    source_stores = store[sources]
    destination_stores = store[destinations]
    allowed = source_stores[:, None] != destination_stores[None, :]
    cost = np.zeros(allowed.shape)
    if allowed_all is not None:
        allowed &= allowed_all[np.ix_(source_stores, destination_stores)]
        cost = np.where(allowed, cost_all[np.ix_(source_stores, destination_stores)], 0.0)
    if not allowed.any():
        return []
    give = giveable[sources].copy()
    need = room[destinations].copy()
    is_deficit = deficit[destinations]
    speed = velocity[destinations]
    source_pack = pack[sources]
    min_qty = min_qty_store[source_stores] if min_qty_store.ndim else np.full(len(sources), float(min_qty_store))
    lots = [_source_lots(int(pair), lots_by_pair, available) for pair in sources]
    # expiring units already sent to each destination eat into what it can sell in time
    expiring_sent = np.zeros(len(destinations))
    tie_break = 1e-9 * (np.arange(len(destinations))[None, :] + cost)

    at_risk = np.array([_risk_of(source) for source in lots])
    first_risk_days = np.array([_first_risk_days(source) for source in lots])
    moves = []
    if not at_risk.any():
        return _plan_deficits_only(
            lots, give, need, is_deficit, allowed, tie_break, source_pack, min_qty,
            store[sources], store[destinations], int(product[sources[0]]),
        )
    while True:
        sellable = np.maximum(speed[None, :] * first_risk_days[:, None] - expiring_sent[None, :], 0.0)
        expiry_capacity = np.minimum(at_risk[:, None], sellable)
        quantity = np.where(
            is_deficit[None, :],
            np.minimum(give[:, None], need[None, :]),
            np.minimum(np.minimum(expiry_capacity, need[None, :]), give[:, None]),
        )
        quantity = np.floor(quantity / source_pack[:, None] + 1e-9) * source_pack[:, None]
        quantity[(quantity < min_qty[:, None]) | ~allowed | (quantity <= 0)] = 0.0
        expiry_saved = np.minimum(expiry_capacity, quantity)
        benefit = np.where(is_deficit[None, :], quantity, 0.0) + expiry_saved
        score = np.where(benefit > 0, benefit - tie_break, -1.0)
        best = int(np.argmax(score))
        i, j = divmod(best, len(destinations))
        if score[i, j] <= 0:
            break
        qty = float(quantity[i, j])
        saved_expiry = float(expiry_saved[i, j])
        give[i] -= qty
        need[j] -= qty
        expiring_sent[j] += saved_expiry
        moves.extend(_split_into_lots(
            lots[i], qty, saved_expiry, bool(is_deficit[j]),
            int(store[sources[i]]), int(store[destinations[j]]), int(product[sources[i]]),
        ))
        at_risk[i] = _risk_of(lots[i])
        first_risk_days[i] = _first_risk_days(lots[i])
    return moves


def _plan_deficits_only(lots, give, need, is_deficit, allowed, tie_break, source_pack, min_qty,
                        source_stores, destination_stores, product):
    """The same greedy choice when no unit is at risk: only stockouts can be saved."""
    keep = np.flatnonzero(is_deficit)
    if not len(keep):
        return []
    need = need[keep]
    allowed = allowed[:, keep]
    tie_break = tie_break[:, keep]
    destination_stores = destination_stores[keep]
    pack = source_pack[:, None]
    blocked = ~allowed
    moves = []
    while True:
        quantity = np.floor(np.minimum(give[:, None], need[None, :]) / pack + 1e-9) * pack
        quantity[blocked | (quantity < min_qty[:, None])] = 0.0
        score = np.where(quantity > 0, quantity - tie_break, -1.0)
        best = int(np.argmax(score))
        i, j = divmod(best, len(need))
        if score[i, j] <= 0:
            return moves
        qty = float(quantity[i, j])
        give[i] -= qty
        need[j] -= qty
        moves.extend(_split_into_lots(
            lots[i], qty, 0.0, True, int(source_stores[i]), int(destination_stores[j]), product))


def _risk_of(source_lots):
    return sum(lot[3] for lot in source_lots)


def _first_risk_days(source_lots):
    return next((lot[2] for lot in source_lots if lot[3] > 1e-9), 0.0)


def _split_into_lots(source_lots, quantity, expiry_saved, into_deficit, source, destination, product):
    """Take ``quantity`` from the earliest-expiring lots, one move per lot."""
    moves = []
    remaining = quantity
    for lot in source_lots:
        if remaining <= 1e-9:
            break
        take = min(lot[1], remaining)
        if take <= 1e-9:
            continue
        risk_taken = min(lot[3], take)
        saved = min(risk_taken, expiry_saved)
        expiry_saved -= saved
        lot[1] -= take
        lot[3] -= risk_taken
        remaining -= take
        stockout = take if into_deficit else 0.0
        moves.append(Move(
            source, destination, product, lot[0], take,
            "expiry" if saved > 0 else "deficit", stockout + saved, stockout, saved,
        ))
    return moves


def moves_to_arrays(moves):
    """Columns of a list of moves, for writing them in one batch."""
    if not moves:
        return {field: np.zeros(0) for field in Move._fields}
    columns = list(zip(*moves, strict=True))
    return {field: np.asarray(column) for field, column in zip(Move._fields, columns, strict=True)}
