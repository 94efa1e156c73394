"""Anomaly statistics: each rule fires exactly at its threshold and not just below."""

import numpy as np
import pytest
from conftest import load_tool

anomaly = load_tool("retail_analytics", "anomaly")
sparkline = load_tool("retail_analytics", "sparkline")


def history(baseline_day, days, current):
    return np.array([[baseline_day] * days + [current]], dtype=float)


@pytest.mark.parametrize("baseline_day", [1.0, 3.0, 0.3, 7.0])
def test_spike_fires_at_threshold_not_below(baseline_day):
    at = anomaly.sales_spike(history(baseline_day, 90, baseline_day * 10), threshold=10)
    below = anomaly.sales_spike(history(baseline_day, 90, baseline_day * 10 - 0.01), threshold=10)
    assert len(at.value) == 1 and at.value[0] == pytest.approx(10)
    assert at.baseline[0] == pytest.approx(baseline_day)
    assert len(below.value) == 0


def test_spike_on_store_product_day_cube_gives_positions():
    cube = np.ones((3, 4, 8))
    cube[2, 1, -1] = 10
    cube[0, 3, -1] = 9.99
    hits = anomaly.sales_spike(cube, threshold=10)
    assert [(int(s), int(p)) for s, p in zip(*hits.index, strict=True)] == [(2, 1)]


def test_spike_needs_minimum_volume_and_a_baseline():
    assert len(anomaly.sales_spike(history(0.1, 9, 1.0), threshold=10, min_volume=2).value) == 0
    assert len(anomaly.sales_spike(history(0.2, 9, 2.0), threshold=10, min_volume=2).value) == 1
    assert len(anomaly.sales_spike(history(0.0, 9, 50.0), threshold=10).value) == 0


def test_drop_fires_at_threshold_not_below():
    assert len(anomaly.sales_drop(history(10, 30, 1.0), threshold=0.9).value) == 1
    assert len(anomaly.sales_drop(history(10, 30, 1.01), threshold=0.9).value) == 0
    assert len(anomaly.sales_drop(history(10, 30, 0.0), threshold=0.9, min_volume=10).value) == 1
    assert len(anomaly.sales_drop(history(10, 30, 0.0), threshold=0.9, min_volume=10.01).value) == 0


def test_rate_fires_at_threshold_not_below():
    hits = anomaly.rate_above([15.0, 14.99, 50.0], [100.0, 100.0, 0.0], threshold=0.15)
    assert list(hits.index[0]) == [0]
    assert hits.value[0] == pytest.approx(0.15)


def test_rate_needs_minimum_volume():
    hits = anomaly.rate_above([3.0, 3.0], [10.0, 10.0], threshold=0.2, min_volume=5, volume=[5, 4])
    assert list(hits.index[0]) == [0]


def test_price_below_cost_fires_at_threshold_not_below():
    hits = anomaly.price_below_cost([9.0, 9.01, 10.0, 11.0], [10.0, 10.0, 10.0, 10.0], threshold=0.1)
    assert list(hits.index[0]) == [0]
    assert hits.value[0] == pytest.approx(0.1)
    # threshold 0: any price strictly below cost, never a price at cost
    assert list(anomaly.price_below_cost([9.99, 10.0], [10.0, 10.0], threshold=0).index[0]) == [0]


def test_magnitude_fires_at_threshold_not_below():
    hits = anomaly.magnitude_above([-100.0, 99.99, 100.0, 0.0], threshold=100)
    assert list(hits.index[0]) == [0, 2]
    assert list(hits.value) == [100.0, 100.0]


def test_negative_stock_fires_at_threshold_not_below():
    hits = anomaly.negative_stock([-2.0, -1.99, 0.0, 5.0], threshold=2)
    assert list(hits.index[0]) == [0]
    assert hits.value[0] == 2.0
    assert list(anomaly.negative_stock([-0.5, 0.0], threshold=0).index[0]) == [0]


def test_daily_matrix_adds_repeats():
    matrix = anomaly.daily_matrix([0, 0, 1], [2, 2, 0], [1.0, 2.0, 5.0], rows=2, days=3)
    assert matrix.tolist() == [[0, 0, 3], [5, 0, 0]]


def test_suggested_threshold_is_above_every_false_positive():
    assert anomaly.suggest_threshold([12.0, 15.0, 11.0]) == pytest.approx(16.5)
    assert anomaly.suggest_threshold([]) is None
    assert anomaly.suggest_threshold([8.0], current_threshold=10.0) is None


def test_baseline_needs_a_day_before():
    with pytest.raises(ValueError):
        anomaly.trailing_baseline(np.ones((2, 1)))


def test_sparkline_marks_the_last_point():
    svg = sparkline.sparkline_svg([1, 2, 3, 30], label="Milk")
    assert svg.startswith("<svg") and "<circle" in svg and "<title>Milk</title>" in svg
    assert sparkline.sparkline_svg([]) == ""
    assert "rect" in sparkline.bar_chart_svg(["A", "B"], [3, 1])


def test_baseline_leaves_out_the_days_not_observed():
    # ten a day, but the shelf was empty for half of the window: the usual day is still ten
    matrix = np.array([[10.0] * 14 + [0.0] * 14 + [1.0]])
    observed = np.ones_like(matrix, dtype=bool)
    observed[0, 14:28] = False
    assert anomaly.trailing_baseline(matrix)[0] == pytest.approx(5.0)
    assert anomaly.trailing_baseline(matrix, observed)[0] == pytest.approx(10.0)
    assert anomaly.trailing_baseline(matrix, np.zeros_like(observed))[0] == 0.0
    # one sold against a usual ten is a 90 % drop; against the diluted five it was 80 %
    assert len(anomaly.sales_drop(matrix, threshold=0.9).value) == 0
    hits = anomaly.sales_drop(matrix, threshold=0.9, observed=observed)
    assert hits.value[0] == pytest.approx(0.9) and hits.baseline[0] == pytest.approx(10.0)
    # a spike of 50 against the diluted five fires, against the usual ten it does not
    spiky = matrix.copy()
    spiky[0, -1] = 50.0
    assert len(anomaly.sales_spike(spiky, threshold=10).value) == 1
    assert len(anomaly.sales_spike(spiky, threshold=10, observed=observed).value) == 0


def test_a_scanned_day_not_observed_never_fires():
    empty_shelf = np.array([[10.0] * 28 + [0.0]])
    observed = np.ones_like(empty_shelf, dtype=bool)
    assert len(anomaly.sales_drop(empty_shelf, threshold=0.9, observed=observed).value) == 1
    observed[0, -1] = False
    assert len(anomaly.sales_drop(empty_shelf, threshold=0.9, observed=observed).value) == 0
    promotion = np.array([[1.0] * 28 + [30.0]])
    observed = np.ones_like(promotion, dtype=bool)
    assert len(anomaly.sales_spike(promotion, threshold=10, observed=observed).value) == 1
    observed[0, -1] = False
    assert len(anomaly.sales_spike(promotion, threshold=10, observed=observed).value) == 0
