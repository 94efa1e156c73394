"""Stepwise markdown schedules of a lot: plain Python, no ORM."""

from datetime import timedelta

from odoo.addons.retail_inventory.tools.expiry import DEFAULT_MARKDOWN_STEPS


def deepest_rate(list_price, floor_price):
    """The deepest reduction (0..1) that keeps the price at or above ``floor_price``."""
    if list_price <= 0:
        return 0.0
    return max(0.0, min(1.0, 1.0 - floor_price / list_price))


def schedule(now, expiration, list_price, floor_price, round_price, steps=DEFAULT_MARKDOWN_STEPS):
    """The steps of a lot's markdown from ``now`` until ``expiration``.

    A step of ``steps`` (``(days left up to, reduction)``) starts that many days before the lot
    expires and lasts until the next, deeper one starts; the last ends when the lot expires. A
    step that would end before ``now`` is left out, one already under way starts ``now``. No
    step goes below ``floor_price``: a step capped at the floor merges with the one before it
    when their prices are equal, and a lot that cannot be reduced at all gets no step.

    :param round_price: rounds a price to the currency, upwards (the floor is never crossed)
    :return: list of dicts ``date_from``, ``date_to``, ``rate`` and ``price``, earliest first
    """
    result = []
    if not expiration or expiration <= now:
        return result
    cap = deepest_rate(list_price, floor_price)
    ordered = sorted(steps, reverse=True)
    for index, (limit, rate) in enumerate(ordered):
        start = max(expiration - timedelta(days=limit), now)
        end = expiration - timedelta(days=ordered[index + 1][0]) if index + 1 < len(ordered) else expiration
        if end <= start:
            continue
        price = max(round_price(list_price * (1.0 - min(rate, cap))), round_price(floor_price))
        if price >= list_price:
            continue
        effective = 1.0 - price / list_price
        if result and abs(result[-1]["price"] - price) < 1e-9:
            result[-1]["date_to"] = end
            continue
        result.append({"date_from": start, "date_to": end, "rate": effective, "price": price})
    return result
