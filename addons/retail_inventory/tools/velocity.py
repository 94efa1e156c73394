"""Sales velocity per store-product pair, ignoring the days the shelf was empty."""

import numpy as np


def velocity(daily_sales, stockout_mask=None):
    """Average units sold per day over the days the product was in stock.

    :param daily_sales: array (pairs x days) of units sold each day
    :param stockout_mask: boolean array of the same shape, True on the days the pair was out
        of stock; those days say nothing about demand and are left out of the average
    :return: float array (pairs,) — 0.0 for a pair that was never in stock
    """
    sales = np.asarray(daily_sales, dtype=float)
    if sales.ndim == 1:
        sales = sales[None, :]
    if stockout_mask is None:
        in_stock = np.ones(sales.shape, dtype=bool)
    else:
        in_stock = ~np.asarray(stockout_mask, dtype=bool).reshape(sales.shape)
    days = in_stock.sum(axis=1)
    total = np.where(in_stock, sales, 0.0).sum(axis=1)
    return np.divide(total, days, out=np.zeros(len(sales)), where=days > 0)


def velocity_from_totals(units_sold, days_in_stock):
    """Same average from totals already summed in the database."""
    units = np.asarray(units_sold, dtype=float)
    days = np.asarray(days_in_stock, dtype=float)
    return np.divide(units, days, out=np.zeros(units.shape), where=days > 0)


def stockout_mask(on_hand_now, net_flow, sales):
    """Days a pair was out of stock, rebuilt backwards from today's stock and the daily flows.

    :param on_hand_now: float array (pairs,) stock at the end of the last day
    :param net_flow: float array (pairs x days) units in minus units out on each day
    :param sales: float array (pairs x days) units sold on each day
    :return: boolean array (pairs x days), True on a day that started with no stock and sold
        nothing — the shelf was empty, so the day says nothing about demand
    """
    net_flow = np.asarray(net_flow, dtype=float)
    on_hand_now = np.asarray(on_hand_now, dtype=float)
    # stock at the start of day d = today's stock minus everything that moved from day d on,
    # = (today's stock - all the flows) + the flows before day d
    start_of_day = np.cumsum(net_flow, axis=1)
    start_of_day -= net_flow
    start_of_day += (on_hand_now - net_flow.sum(axis=1))[:, None]
    return (start_of_day <= 0) & (np.asarray(sales, dtype=float) <= 0)
