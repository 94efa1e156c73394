"""Tier rules over arrays of members.

Amounts are compared in integer cents so that "one cent below the threshold" never rounds up.
"""

import numpy as np


def to_cents(amounts):
    return np.rint(np.asarray(amounts, dtype=np.float64) * 100).astype(np.int64)


def qualifying_tier(metrics, thresholds):
    """Highest tier each member qualifies for.

    :param metrics: array (members x tiers): each member's measure for each tier's basis
        (spend or points over that tier's window), in currency units or points.
    :param thresholds: array (tiers,) sorted by ladder order; tier 0 is the entry tier.
    :return: int array (members,) of tier indexes (0 when no threshold is reached).
    """
    metrics = to_cents(metrics)
    if metrics.ndim == 1:
        metrics = metrics[:, None]
    thresholds = to_cents(thresholds)
    reached = metrics >= thresholds[None, :]
    reached[:, 0] = True
    # index of the last True per row
    return reached.shape[1] - 1 - np.argmax(reached[:, ::-1], axis=1)


def evaluate(current, metrics, thresholds, below_since_days, grace_days, allow_downgrade=True):
    """Apply upgrade-at-once and downgrade-after-grace.

    :param current: int array (members,) of current tier indexes (-1 for none yet).
    :param below_since_days: int array (members,): days the member has been below their
        current tier's threshold (-1 when not below).
    :param grace_days: int array (tiers,): grace period of each tier before a downgrade.
    :return: (new_tier, below_since_days) arrays. ``below_since_days`` is 0 for members who just
        fell below their tier (the clock starts), -1 for members at or above it.
    """
    current = np.asarray(current, dtype=np.int64)
    below = np.asarray(below_since_days, dtype=np.int64).copy()
    grace_days = np.asarray(grace_days, dtype=np.int64)
    target = qualifying_tier(metrics, thresholds)
    new = current.copy()
    unset = current < 0
    new[unset] = target[unset]
    up = target > current
    new[up] = target[up]
    down = (target < current) & ~unset
    # grace of the tier the member is about to lose
    grace = grace_days[np.clip(current, 0, len(grace_days) - 1)]
    clock_started = below >= 0
    expired = down & clock_started & (below >= grace)
    if allow_downgrade:
        new[expired] = target[expired]
    next_below = np.full(current.shape, -1, dtype=np.int64)
    waiting = down & ~expired if allow_downgrade else down
    next_below[waiting] = np.where(clock_started[waiting], below[waiting], 0)
    return new, next_below


def ladder_positions(tier_ids, ladder_ids):
    """Position on the ladder of each member's tier.

    :param tier_ids: int array (members,) of tier ids (0 for none).
    :param ladder_ids: int array (tiers,) of the ladder's tier ids, in ladder order.
    :return: int array (members,) of ladder indexes, -1 for no tier or a tier off the ladder.
    """
    tier_ids = np.asarray(tier_ids, dtype=np.int64)
    ladder_ids = np.asarray(ladder_ids, dtype=np.int64)
    if not len(ladder_ids):
        return np.full(tier_ids.shape, -1, dtype=np.int64)
    order = np.argsort(ladder_ids)
    slot = np.clip(np.searchsorted(ladder_ids[order], tier_ids), 0, len(ladder_ids) - 1)
    return np.where(ladder_ids[order][slot] == tier_ids, order[slot], -1)
