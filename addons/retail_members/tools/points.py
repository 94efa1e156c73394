"""Points arithmetic: earning and first-in first-out consumption."""

import math

import numpy as np


def points_earned(amount, base_rate, multiplier):
    """Whole points earned for ``amount`` (never negative)."""
    if amount <= 0:
        return 0
    return math.floor(round(amount * base_rate * multiplier, 6))


def fifo_consume(remaining, quantity):
    """Take ``quantity`` points out of ``remaining`` (oldest first).

    :param remaining: sequence of remaining points per earning, oldest first.
    :return: (taken per earning, quantity left untaken).
    """
    remaining = np.asarray(remaining, dtype=np.float64)
    cumulative = np.cumsum(remaining)
    before = cumulative - remaining
    taken = np.clip(quantity - before, 0, remaining)
    left = max(quantity - float(remaining.sum()), 0.0)
    return taken, left


def refunded_share(refunded_amount, original_amount):
    """Share (0..1) of an order that a refund of ``refunded_amount`` gives back.

    Refund amounts arrive negative from the till; a share never exceeds the whole order.
    """
    if not original_amount:
        return 0.0
    return min(max(abs(refunded_amount) / abs(original_amount), 0.0), 1.0)


def points_returned(redeemed, redeemed_value, refunded_value, already_returned):
    """Points a refund gives back for the points line it refunds.

    :param redeemed: points the order redeemed; ``redeemed_value`` what they were worth then.
    :param refunded_value: value of the points line the refund takes back (positive).
    :param already_returned: points earlier refunds of the order gave back.
    :return: whole points, never more than the order redeemed in all.
    """
    if redeemed <= 0 or redeemed_value <= 0 or refunded_value <= 0:
        return 0
    points = round(refunded_value * redeemed / redeemed_value)
    return int(max(min(points, redeemed - already_returned), 0))
