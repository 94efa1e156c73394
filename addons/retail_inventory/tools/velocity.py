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
