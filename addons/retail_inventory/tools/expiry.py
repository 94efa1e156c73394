"""Expiry arithmetic: which units of which lots will expire before they sell, and how much to
mark them down."""

import numpy as np


def units_at_risk(pair, quantity, days_left, pair_velocity):
    """Units of each lot that will still be on the shelf when the lot expires.

    A store sells its earliest-expiring lot first (FEFO), at its own velocity: by the day a lot
    expires, the store has sold at most ``velocity * days_left`` units of it and the lots before
    it together, and an earlier lot that expired half-sold leaves its unsold units behind.

    :param pair: int array (lots,) index of the store-product pair of each lot
    :param quantity: float array (lots,) units of each lot
    :param days_left: float array (lots,) days until expiry (``inf`` for none)
    :param pair_velocity: float array (pairs,) units sold per day
    :return: float array (lots,) units that will expire unsold, in the input order
    """
    pair = np.asarray(pair, dtype=np.int64)
    quantity = np.asarray(quantity, dtype=float)
    days_left = np.asarray(days_left, dtype=float)
    if not len(pair):
        return np.zeros(0)
    order = np.lexsort((days_left, pair))
    sold_through, sold_before, _demand = _sold_through(pair[order], quantity[order], days_left[order], pair_velocity)
    risk = np.empty(len(pair))
    risk[order] = np.maximum(quantity[order] - (sold_through - sold_before), 0.0)
    return risk


def rank_within(group):
    """Position of each row within its run of equal ``group`` values (``group`` sorted)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    first = np.r_[True, group[1:] != group[:-1]]
    starts = np.flatnonzero(first)
    return np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))


def _sold_through(pair, quantity, days_left, pair_velocity):
    """Units a store has sold by the time each of its lots expires, lots sorted by pair and days.

    Sales until a lot expires are at most ``velocity * days`` (infinite for a lot that never
    expires) and at most what the lots up to it hold: S_i = min(speed * days_i, S_(i-1) + qty_i),
    computed one lot rank at a time over all pairs.

    :return: (units sold through each lot, units sold through the lot before it, sales possible
        until each lot expires)
    """
    speed = np.asarray(pair_velocity, dtype=float)[pair]
    demand = np.where(np.isinf(days_left), np.inf, speed * np.maximum(np.nan_to_num(days_left, posinf=0.0), 0.0))
    rank = rank_within(pair)
    sold_through = np.zeros(len(pair))
    sold_before = np.zeros(len(pair))
    for step in range(1, int(rank.max(initial=-1)) + 1):
        index = np.flatnonzero(rank == step)
        sold_before[index] = np.minimum(demand[index - 1], sold_before[index - 1] + quantity[index - 1])
    sold_through = np.minimum(demand, sold_before + quantity)
    return sold_through, sold_before, demand


def fefo_profile(pair, quantity, days_left, pair_velocity):
    """Of lots sorted by pair and days left: units sold through each lot and its slack.

    The slack of a lot is how many more units the store could sell before it expires: what
    :func:`fefo_capacity` needs of a store's own lots.
    """
    pair = np.asarray(pair, dtype=np.int64)
    quantity = np.asarray(quantity, dtype=float)
    sold_through, sold_before, demand = _sold_through(
        pair, quantity, np.asarray(days_left, dtype=float), pair_velocity)
    return sold_through, demand - sold_before - quantity


def fefo_capacity(days, own_days, own_sold, own_slack, speed):
    """Units expiring in ``days`` that a store sells in time without its own lots expiring.

    The store sells first expiring first at ``speed`` a day. Its own lots (last axis, sorted by
    days left) are described by ``own_days``, ``own_sold`` (units sold through the end of each
    lot) and ``own_slack`` (:func:`fefo_profile`); padding has ``own_days = inf``,
    ``own_sold = 0`` and ``own_slack = inf``. Arrays broadcast.
    """
    days = np.asarray(days, dtype=float)[..., None]
    before = own_days <= days
    sold_before = np.where(before, own_sold, 0.0).max(axis=-1, initial=0.0)
    later_slack = np.where(before, np.inf, own_slack).min(axis=-1, initial=np.inf)
    sellable = speed * days[..., 0] - sold_before
    return np.maximum(np.minimum(sellable, later_slack), 0.0)


# (days left up to, reduction): the closer the expiry, the deeper the markdown
DEFAULT_MARKDOWN_STEPS = ((1, 0.5), (3, 0.3), (7, 0.15))


def markdown_rate(days_left, days_to_sell, steps=DEFAULT_MARKDOWN_STEPS):
    """Suggested price reduction (0..1) for stock that will not sell before it expires.

    Stock that sells in time (``days_to_sell <= days_left``) keeps its price. Otherwise the
    reduction is the one of the first step whose day limit is at or above ``days_left``.
    """
    days_left = np.asarray(days_left, dtype=float)
    days_to_sell = np.asarray(days_to_sell, dtype=float)
    rate = np.zeros(np.broadcast(days_left, days_to_sell).shape)
    for limit, reduction in sorted(steps, reverse=True):
        rate = np.where(days_left <= limit, reduction, rate)
    # An expired lot is not sold at any price: it is taken off sale (and scrapped), not marked down.
    return np.where((days_to_sell > days_left) & (days_left > 0), rate, 0.0)
