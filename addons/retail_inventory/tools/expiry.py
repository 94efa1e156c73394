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
    p, q, d = pair[order], quantity[order], days_left[order]
    speed = np.asarray(pair_velocity, dtype=float)[p]
    # sales until a lot expires: speed * days, infinite when it never expires
    demand = np.where(np.isinf(d), np.inf, speed * np.maximum(np.nan_to_num(d, posinf=0.0), 0.0))
    first = np.r_[True, p[1:] != p[:-1]]
    rank = np.arange(len(p)) - np.maximum.accumulate(np.where(first, np.arange(len(p)), 0))
    # units sold through lot i: S_i = min(speed * days_i, S_(i-1) + qty_i), one step per lot rank
    sold_through = np.zeros(len(p))
    for step in range(int(rank.max()) + 1):
        index = np.flatnonzero(rank == step)
        previous = sold_through[index - 1] if step else 0.0
        sold_through[index] = np.minimum(demand[index], previous + q[index])
    sold = sold_through - np.where(first, 0.0, np.r_[0.0, sold_through[:-1]])
    risk = np.empty(len(p))
    risk[order] = np.maximum(q - sold, 0.0)
    return risk


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
    return np.where(days_to_sell > days_left, rate, 0.0)
