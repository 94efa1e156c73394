"""Demo members: when they joined, and tier thresholds fitted to a short sales history."""

import numpy as np


def join_days_ago(rng, count, span_days, first_order_days_ago):
    """Days since each member joined: uniform over ``span_days``, never after their first order.

    :param first_order_days_ago: int array (count,): days since the member's first order, -1 for none.
    """
    days = rng.integers(0, span_days + 1, size=count)
    first = np.asarray(first_order_days_ago, dtype=np.int64)
    return np.where(first >= 0, np.maximum(days, first), days)


def round_threshold(value):
    """A threshold people read easily: to the ten below 1,000, to the hundred above."""
    step = 10 if value < 1000 else 100
    return float(round(value / step) * step)
