"""Statistics of the anomaly rules, as plain functions over NumPy arrays.

Every rule reduces its data to one *value* per candidate (a store x product pair, a cashier,
a till session, ...) and fires when that value reaches the rule's threshold and the
candidate has enough volume to be meaningful. "Reaches" means ``value >= threshold`` with a
relative tolerance of one part in a billion, so that a value equal to the threshold fires
whatever rounding the division produced, and a value just below it does not.
"""

from collections import namedtuple

import numpy as np

RELATIVE_TOLERANCE = 1e-9

Hits = namedtuple("Hits", ["index", "value", "baseline"])
"""Positions (a tuple of index arrays, as from ``np.nonzero``) with their values and baselines."""


def _reaches(value, threshold):
    threshold = float(threshold)
    return value >= threshold - abs(threshold) * RELATIVE_TOLERANCE


def _hits(mask, value, baseline):
    index = np.nonzero(mask)
    return Hits(index, value[index], baseline[index])


def daily_matrix(row_index, day_index, quantity, rows, days):
    """Dense ``rows x days`` matrix from sparse (row, day, quantity) triples; repeats add up."""
    matrix = np.zeros((rows, days), dtype=np.float64)
    if len(quantity):
        np.add.at(matrix, (np.asarray(row_index), np.asarray(day_index)), np.asarray(quantity, dtype=np.float64))
    return matrix


def trailing_baseline(matrix, observed=None):
    """Mean of every day but the last along the last axis: the baseline of the last day.

    ``observed`` (booleans, the matrix's shape) leaves out the days that say nothing of demand,
    such as a day the shelf was empty: the mean is over the observed days only, and 0 where no
    day before the last was observed.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.shape[-1] < 2:
        raise ValueError("a baseline needs at least one day before the scanned day")
    if observed is None:
        return matrix[..., :-1].mean(axis=-1)
    observed = np.asarray(observed, dtype=bool)[..., :-1]
    days = observed.sum(axis=-1)
    total = np.where(observed, matrix[..., :-1], 0.0).sum(axis=-1)
    return np.divide(total, days, out=np.zeros_like(total), where=days > 0)


def _scanned_day_observed(matrix, observed):
    return np.ones(matrix.shape[:-1], dtype=bool) if observed is None else np.asarray(observed, dtype=bool)[..., -1]


def sales_spike(matrix, threshold=10.0, min_volume=0.0, observed=None):
    """Last day ≥ ``threshold`` x the mean of the days before it.

    ``matrix``: any shape whose last axis is days (e.g. store x product x day), last day scanned.
    A candidate without sales in the baseline window never fires (a new product is not a spike);
    ``min_volume`` is the least quantity sold on the scanned day. ``observed``: see
    :func:`trailing_baseline`; a scanned day not observed (a promotion day) never fires.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    current = matrix[..., -1]
    baseline = trailing_baseline(matrix, observed)
    value = np.divide(current, baseline, out=np.zeros_like(current), where=baseline > 0)
    mask = (baseline > 0) & (current >= min_volume) & _reaches(value, threshold)
    mask &= _scanned_day_observed(matrix, observed)
    return _hits(mask, value, baseline)


def sales_drop(matrix, threshold=0.9, min_volume=0.0, observed=None):
    """Last day fell by at least ``threshold`` (a fraction) below the mean of the days before.

    ``value`` is ``1 - current / baseline``; ``min_volume`` is the least baseline (mean daily
    quantity) for the candidate to count, so slow sellers do not fire on every quiet day.
    ``observed``: see :func:`trailing_baseline`; a scanned day not observed (the shelf was
    empty) never fires: nothing sold because nothing was there, which is not a drop in sales.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    current = matrix[..., -1]
    baseline = trailing_baseline(matrix, observed)
    value = np.divide(baseline - current, baseline, out=np.zeros_like(current), where=baseline > 0)
    mask = (baseline > 0) & (baseline >= min_volume) & _reaches(value, threshold)
    mask &= _scanned_day_observed(matrix, observed)
    return _hits(mask, value, baseline)


def rate_above(numerator, denominator, threshold, min_volume=0.0, volume=None):
    """``numerator / denominator`` ≥ ``threshold`` where ``volume`` (default: the denominator)
    is at least ``min_volume``: discount rate, refund and void rate of a cashier."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    volume = denominator if volume is None else np.asarray(volume, dtype=np.float64)
    value = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    mask = (denominator > 0) & (volume >= min_volume) & _reaches(value, threshold)
    return _hits(mask, value, denominator)


def price_below_cost(price, cost, threshold=0.0, min_volume=0.0, volume=None):
    """Unit price below unit cost by at least ``threshold`` (a fraction of the cost).

    ``value`` is ``(cost - price) / cost``; a price at or above cost never fires, whatever
    the threshold.
    """
    price = np.asarray(price, dtype=np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    volume = np.ones_like(price) if volume is None else np.asarray(volume, dtype=np.float64)
    value = np.divide(cost - price, cost, out=np.zeros_like(price), where=cost > 0)
    mask = (cost > 0) & (price < cost) & (volume >= min_volume) & _reaches(value, threshold)
    return _hits(mask, value, cost)


def magnitude_above(values, threshold, min_volume=0.0, volume=None, baseline=None):
    """``|values|`` ≥ ``threshold``: stock variance after a stocktake (in money), cash variance."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    volume = np.full_like(values, np.inf) if volume is None else np.asarray(volume, dtype=np.float64)
    baseline = np.zeros_like(values) if baseline is None else np.asarray(baseline, dtype=np.float64)
    mask = (values > 0) & (volume >= min_volume) & _reaches(values, threshold)
    return _hits(mask, values, baseline)


def negative_stock(quantities, threshold=0.0):
    """On-hand quantity below zero by at least ``threshold`` units; ``value`` is the shortfall."""
    quantities = np.asarray(quantities, dtype=np.float64)
    shortfall = np.where(quantities < 0, -quantities, 0.0)
    mask = (quantities < 0) & _reaches(shortfall, threshold)
    return _hits(mask, shortfall, np.zeros_like(shortfall))


def suggest_threshold(false_positive_values, current_threshold=None, factor=1.1):
    """A threshold above every value a reviewer called a false positive.

    Returns ``max(values) x factor``, or ``None`` when there is nothing to learn from or when
    the current threshold already lies above that.
    """
    values = np.asarray([v for v in false_positive_values if v is not None], dtype=np.float64)
    if not values.size:
        return None
    suggestion = float(values.max() * factor)
    if current_threshold is not None and suggestion <= current_threshold:
        return None
    return suggestion
