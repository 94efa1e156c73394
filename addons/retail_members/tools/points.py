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
