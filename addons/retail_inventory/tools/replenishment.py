"""Reorder point and order-up-to level per store x product from its demand forecast.

A periodic review, order-up-to policy (R, s, S): every ``review_days`` the store looks at its
position (on hand + on order - reserved); when it is at or below the reorder point ``s`` it
orders up to ``S``. Goods arrive ``lead_days`` after the order. So

- ``s`` covers the forecast demand of the lead time plus safety stock for the forecast's
  error over the lead time: nothing ordered today arrives sooner;
- ``S`` covers the forecast demand of the lead time and one review period plus safety stock
  over that span: the next chance to order is a review period away.

The safety stock is ``z x sigma x sqrt(days)``, with ``z`` the normal quantile of the target
cycle service level (the share of replenishment cycles without a stockout) and ``sigma`` the
forecast's daily error, taken as independent from day to day. Both levels are rounded up to
whole packs. In Odoo's terms, ``s`` is an orderpoint's minimum and ``S`` its maximum.
"""

from statistics import NormalDist

import numpy as np


def service_factor(service_level):
    """The normal quantile z of a cycle service level (0.95 -> 1.645)."""
    level = np.asarray(service_level, dtype=float)
    if ((level <= 0) | (level >= 1)).any():
        raise ValueError("A service level is a share strictly between 0 and 1, such as 0.95.")
    quantile = np.vectorize(NormalDist().inv_cdf, otypes=[float])
    return quantile(level)


def demand_over(daily_forecast, days):
    """Forecast units over the first ``days`` days of each series (fractional days pro rata).

    :param daily_forecast: (series x horizon) units per day
    :param days: (series,) or a number of days, at most the horizon
    """
    daily = np.asarray(daily_forecast, dtype=float)
    if daily.ndim == 1:
        daily = daily[None, :]
    days = np.broadcast_to(np.asarray(days, dtype=float), (len(daily),))
    horizon = daily.shape[1]
    if (days < 0).any() or (days > horizon).any():
        raise ValueError(f"Lead time and review period together must be between 0 and {horizon} days.")
    cumulative = np.concatenate([np.zeros((len(daily), 1)), np.cumsum(daily, axis=1)], axis=1)
    whole = np.floor(days).astype(int)
    part = days - whole
    rows = np.arange(len(daily))
    next_day = np.minimum(whole, horizon - 1)
    return cumulative[rows, whole] + np.where(part > 0, part * daily[rows, next_day], 0.0)


def levels(daily_forecast, daily_sigma, lead_days, review_days, service_level=0.95, pack_size=1.0):
    """Reorder point and order-up-to level of each series.

    :param daily_forecast: (series x horizon) forecast units per day, from tomorrow
    :param daily_sigma: (series,) the forecast's error per day (its RMSE in the backtest)
    :param lead_days: (series,) days from order to arrival
    :param review_days: (series,) days between two looks at the stock (1: every day)
    :param service_level: (series,) target share of cycles without a stockout
    :param pack_size: (series,) units per pack the store orders in
    :return: (reorder_point, order_up_to, safety_stock), float arrays (series,)
    """
    daily = np.asarray(daily_forecast, dtype=float)
    if daily.ndim == 1:
        daily = daily[None, :]
    count = len(daily)
    sigma = np.broadcast_to(np.asarray(daily_sigma, dtype=float), (count,))
    lead = np.broadcast_to(np.asarray(lead_days, dtype=float), (count,))
    review = np.broadcast_to(np.asarray(review_days, dtype=float), (count,))
    pack = np.broadcast_to(np.asarray(pack_size, dtype=float), (count,))
    if (sigma < 0).any():
        raise ValueError("A forecast error cannot be negative.")
    if (review <= 0).any():
        raise ValueError("The review period must be at least part of a day.")
    if (pack <= 0).any():
        raise ValueError("A pack holds at least some of a unit.")
    z = np.broadcast_to(service_factor(service_level), (count,))
    safety_lead = z * sigma * np.sqrt(lead)
    safety_cycle = z * sigma * np.sqrt(lead + review)
    reorder_point = demand_over(daily, lead) + safety_lead
    order_up_to = demand_over(daily, lead + review) + safety_cycle
    reorder_point = np.ceil(np.round(reorder_point / pack, 9)) * pack
    order_up_to = np.maximum(np.ceil(np.round(order_up_to / pack, 9)) * pack, reorder_point)
    return reorder_point, order_up_to, safety_cycle
