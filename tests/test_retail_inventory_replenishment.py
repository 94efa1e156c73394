"""Reorder points and order-up-to levels against hand computations."""

import numpy as np
import pytest
from conftest import load_tool

replenishment = load_tool("retail_inventory", "replenishment")
forecast = load_tool("retail_inventory", "forecast")

Z95 = 1.6448536269514722


def test_service_factor_is_the_normal_quantile():
    assert replenishment.service_factor(0.95) == pytest.approx(Z95)
    assert replenishment.service_factor(0.5) == pytest.approx(0.0)
    np.testing.assert_allclose(replenishment.service_factor([0.9, 0.99]), [1.2815516, 2.3263479], rtol=1e-6)


def test_levels_by_hand():
    # 10 a day, error 3 a day, 2 days' lead time, weekly review, 95 %:
    # s = 20 + 1.645 x 3 x sqrt(2) = 26.98 -> 27; S = 90 + 1.645 x 3 x 3 = 104.80 -> 105
    reorder, up_to, safety = replenishment.levels(np.full((1, 28), 10.0), [3.0], [2], [7], 0.95)
    assert reorder[0] == 27.0
    assert up_to[0] == 105.0
    assert safety[0] == pytest.approx(Z95 * 9.0)


def test_levels_are_whole_packs():
    # the same in packs of 12: 26.98 -> 3 packs, 104.80 -> 9 packs
    reorder, up_to, _safety = replenishment.levels(np.full((1, 28), 10.0), [3.0], [2], [7], 0.95, pack_size=12)
    assert (reorder[0], up_to[0]) == (36.0, 108.0)


def test_no_error_orders_exactly_the_forecast():
    # 0.1 a day over 30 days is 3.0000000000000004 in floating point: still 3, not 4
    reorder, up_to, safety = replenishment.levels(np.full((1, 40), 0.1), [0.0], [10], [20], 0.95)
    assert (reorder[0], up_to[0], safety[0]) == (1.0, 3.0, 0.0)


def test_the_forecast_shape_is_read_day_by_day():
    # quiet weekdays and a busy weekend: a lead time of 1.5 days is day 1 and half of day 2
    daily = np.array([[4.0, 8.0, 2.0, 2.0, 2.0, 20.0, 20.0] * 4])
    assert replenishment.demand_over(daily, 1.5)[0] == pytest.approx(8.0)
    reorder, up_to, _safety = replenishment.levels(daily, [0.0], [2], [5], 0.95)
    # s = 4 + 8; S = 4 + 8 + 2 + 2 + 2 + 20 + 20
    assert (reorder[0], up_to[0]) == (12.0, 58.0)


def test_many_series_at_once_with_their_own_settings():
    daily = np.array([np.full(28, 10.0), np.full(28, 2.0)])
    reorder, up_to, _safety = replenishment.levels(daily, [3.0, 1.0], [2, 1], [7, 1], [0.95, 0.5])
    # second: 50 % service needs no safety stock: s = 2, S = 4
    assert reorder.tolist() == [27.0, 2.0]
    assert up_to.tolist() == [105.0, 4.0]


def test_a_higher_service_level_holds_more():
    daily = np.full((3, 28), 5.0)
    reorder, up_to, _safety = replenishment.levels(daily, [2.0] * 3, [3] * 3, [7] * 3, [0.8, 0.95, 0.99])
    assert (np.diff(reorder) > 0).all() and (np.diff(up_to) > 0).all()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"service_level": 1.0}, "service level"),
    ({"service_level": 0.0}, "service level"),
    ({"lead_days": [30]}, "between 0 and 28 days"),
    ({"review_days": [0]}, "review period"),
    ({"daily_sigma": [-1.0]}, "cannot be negative"),
    ({"pack_size": [0]}, "pack"),
])
def test_bad_settings_are_refused_with_a_clear_message(kwargs, message):
    arguments = {"daily_forecast": np.full((1, 28), 1.0), "daily_sigma": [1.0], "lead_days": [2],
                 "review_days": [7], "service_level": 0.95}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        replenishment.levels(**arguments)


def test_levels_from_a_forecast_of_poisson_demand_hold_their_service_level():
    # simulate the policy's first cycle: stock at S, demand over lead time + review; a cycle
    # runs out when that demand exceeds S (the ordering case) - about 5 % at 95 %
    rng = np.random.default_rng(5)
    rate = rng.uniform(2.0, 30.0, (2000, 1))
    history = rng.poisson(rate, (2000, 140)).astype(float)
    result = forecast.forecast(history, horizon=28)
    _reorder, up_to, _safety = replenishment.levels(result.mean, result.sigma, 3, 7, 0.95)
    demand = rng.poisson(rate, (2000, 10)).sum(axis=1)
    stockouts = (demand > up_to).mean()
    assert 0.01 <= stockouts <= 0.09
