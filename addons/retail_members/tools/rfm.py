"""RFM segmentation over arrays of members."""

import numpy as np

SEGMENTS = ("champions", "loyal", "potential", "at_risk", "hibernating", "new")


def quintile_scores(values, higher_is_better=True):
    """Score 1..5 by quintile of ``values`` (ties share a score)."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    edges = np.quantile(values, [0.2, 0.4, 0.6, 0.8])
    scores = np.searchsorted(edges, values, side="right") + 1
    return scores if higher_is_better else 6 - scores


def segments(recency_days, frequency, monetary):
    """Segment name per member from recency (days since last visit), frequency and money."""
    recency = quintile_scores(recency_days, higher_is_better=False)
    freq = quintile_scores(frequency)
    money = quintile_scores(monetary)
    fm = (freq + money) / 2.0
    frequency = np.asarray(frequency)
    result = np.full(recency.shape, "hibernating", dtype=object)
    result[(recency >= 2) & (fm >= 2.5)] = "potential"
    result[(recency <= 2) & (fm >= 3)] = "at_risk"
    result[(recency >= 3) & (fm >= 3)] = "loyal"
    result[(recency >= 4) & (fm >= 4)] = "champions"
    result[(frequency <= 1) & (recency >= 4)] = "new"
    return result


def at_risk(days_since_last, usual_interval_days, factor=3.0):
    """Members whose absence is ``factor`` times their usual interval between visits."""
    days = np.asarray(days_since_last, dtype=np.float64)
    usual = np.asarray(usual_interval_days, dtype=np.float64)
    return (usual > 0) & (days > factor * usual)
