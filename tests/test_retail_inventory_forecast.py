"""Demand forecasts on series whose right answer is known: constant, trend, weekly pattern,
intermittent, censored by stockouts; and the accuracy measures against hand computations."""

import numpy as np
import pytest
from conftest import load_tool

forecast = load_tool("retail_inventory", "forecast")

DAYS = 84


def constant(value, days=DAYS):
    return np.full((1, days), float(value))


def weekly(pattern, weeks=12):
    return np.tile(np.asarray(pattern, dtype=float), weeks)[None, :]


@pytest.mark.parametrize("method", forecast.METHODS)
def test_a_constant_series_is_forecast_exactly_by_every_method(method):
    predicted = forecast.METHOD_FUNCTIONS[method](constant(5), 28)
    assert predicted.shape == (1, 28)
    np.testing.assert_allclose(predicted, 5.0, atol=1e-9)


def test_forecast_of_a_constant_series_and_its_interval():
    result = forecast.forecast(constant(5), horizon=28)
    np.testing.assert_allclose(result.mean, 5.0, atol=1e-9)
    assert (result.lower <= 5.0).all() and (result.upper >= 5.0).all()
    assert (result.lower >= 0.0).all()
    # no error in the backtest: the interval is the Poisson floor, sqrt(5) x 1.645 on day one
    assert result.upper[0, 0] - 5.0 == pytest.approx(1.6449 * np.sqrt(5.0), rel=1e-3)


def test_nothing_sold_forecasts_nothing():
    result = forecast.forecast(np.zeros((1, DAYS)), horizon=7)
    np.testing.assert_allclose(result.mean, 0.0)
    np.testing.assert_allclose(result.upper, 0.0)


def test_smoothing_follows_a_trend():
    # 10 + 0.5 a day: tomorrow is 10 + 0.5 x 84 = 52
    series = (10.0 + 0.5 * np.arange(DAYS))[None, :]
    predicted = forecast.seasonal_smoothing(series, 7)
    assert predicted[0, 0] == pytest.approx(52.0, abs=1.5)
    # the damped trend keeps rising, more slowly each day
    steps = np.diff(predicted[0])
    assert (steps > 0).all() and (np.diff(steps) < 0).all()
    assert predicted[0, 6] > predicted[0, 0] + 0.5


def test_a_weekly_pattern_is_forecast_on_the_right_weekdays():
    # weeks start on Monday: five quiet days at 2, the weekend at 10
    pattern = [2, 2, 2, 2, 2, 10, 10]
    series = weekly(pattern)
    for method in ("seasonal_naive", "seasonal_smoothing"):
        predicted = forecast.METHOD_FUNCTIONS[method](series, 14, first_weekday=0)
        np.testing.assert_allclose(predicted[0], pattern * 2, atol=1e-6, err_msg=method)


def test_the_first_weekday_moves_the_pattern():
    pattern = [2, 2, 2, 2, 2, 10, 10]
    # the same days, but the history starts on a Wednesday: its first day is weekday 2, and
    # the day after the history (12 weeks later) is a Wednesday again
    series = np.roll(weekly(pattern), -2, axis=1)
    predicted = forecast.seasonal_smoothing(series, 7, first_weekday=2)
    np.testing.assert_allclose(predicted[0], [2, 2, 2, 10, 10, 2, 2], atol=1e-6)


def test_tsb_forecasts_the_rate_of_intermittent_demand():
    # 4 units every fourth day: 1 a day on average
    series = np.tile([4.0, 0.0, 0.0, 0.0], DAYS // 4)[None, :]
    predicted = forecast.tsb(series, 10)
    np.testing.assert_allclose(predicted, 1.0, atol=0.15)
    # flat: nothing tells which future day will sell
    assert np.ptp(predicted) == 0.0


def test_stockout_days_are_not_zero_demand():
    # 6 a day, then the shelf is empty for the last 10 days: nothing sold
    series = constant(6)
    series[0, -10:] = 0.0
    censored = np.zeros(series.shape, dtype=bool)
    censored[0, -10:] = True
    for method in forecast.METHODS:
        predicted = forecast.METHOD_FUNCTIONS[method](series, 7, censored)
        np.testing.assert_allclose(predicted, 6.0, atol=1e-6, err_msg=method)
    np.testing.assert_allclose(forecast.forecast(series, censored, horizon=7).mean, 6.0, atol=1e-6)
    # counted as zero demand, the same days pull every smoothing forecast down
    assert forecast.seasonal_smoothing(series, 7)[0, 0] < 5.0
    np.testing.assert_allclose(forecast.seasonal_naive(series, 7), 0.0)


def test_imputation_reads_the_weekday_of_the_censored_day():
    pattern = [2, 2, 2, 2, 2, 10, 10]
    series = weekly(pattern)
    censored = np.zeros(series.shape, dtype=bool)
    censored[0, -2:] = True  # the last weekend
    series[0, -2:] = 0.0
    filled = forecast.impute(series, censored)
    np.testing.assert_allclose(filled[0, -2:], [10.0, 10.0], atol=1e-6)


def test_the_backtest_picks_seasonal_naive_when_the_weekly_pattern_just_changed():
    # nine weeks busy on Mondays, then three weeks busy on Sundays: last week's same day is
    # right, a twelve-week weekday profile is not yet
    old = [9, 1, 1, 1, 1, 1, 1] * 9
    new = [1, 1, 1, 1, 1, 1, 9] * 3
    series = np.asarray(old + new, dtype=float)[None, :]
    result = forecast.forecast(series, horizon=7)
    assert forecast.METHODS[result.method[0]] == "seasonal_naive"
    np.testing.assert_allclose(result.mean[0], [1, 1, 1, 1, 1, 1, 9])
    # and the evidence: its backtest error is the lowest, clearly below the combination's
    errors = result.backtest_mse[0]
    assert errors.argmin() == forecast.METHODS.index("seasonal_naive")
    assert errors.min() < forecast.SINGLE_METHOD_MARGIN * errors[forecast.METHODS.index("combined")]


def test_many_series_at_once_equal_one_at_a_time_and_chunks_do_not_matter():
    rng = np.random.default_rng(3)
    series = rng.poisson(rng.uniform(0.2, 8.0, (30, 1)), (30, DAYS)).astype(float)
    censored = rng.random(series.shape) < 0.05
    together = forecast.forecast(series, censored, horizon=14)
    chunked = forecast.forecast(series, censored, horizon=14, chunk=7)
    np.testing.assert_allclose(together.mean, chunked.mean)
    np.testing.assert_array_equal(together.method, chunked.method)
    alone = forecast.forecast(series[4:5], censored[4:5], horizon=14)
    # the weekday profile of a series that sells little leans on all series together, so a
    # series alone is compared with one that sells plenty
    if series[4, -56:].sum() > 200:
        np.testing.assert_allclose(alone.mean, together.mean[4:5], rtol=0.05)


def test_interval_coverage_on_poisson_demand():
    rng = np.random.default_rng(11)
    rate = rng.uniform(0.5, 20.0, (400, 1))
    history = rng.poisson(rate, (400, DAYS + 28)).astype(float)
    result = forecast.forecast(history[:, :DAYS], horizon=28, level=0.9)
    inside = (history[:, DAYS:] >= result.lower) & (history[:, DAYS:] <= result.upper)
    assert 0.85 <= inside.mean() <= 0.97


def test_wape_by_hand():
    # |10-8| + |0-1| + |5-5| = 3 over 15 sold
    assert forecast.wape([[10, 0, 5]], [[8, 1, 5]])[0] == pytest.approx(0.2)
    assert np.isnan(forecast.wape([[0, 0]], [[1, 1]])[0])


def test_mase_by_hand():
    # history 1..14: each day minus the same weekday last week is 7 → in-sample MAE 7
    history = np.arange(1.0, 15.0)[None, :]
    # forecast errors 7 and 14: MAE 10.5 → MASE 1.5
    assert forecast.mase([[20, 30]], [[13, 16]], history)[0] == pytest.approx(1.5)


def test_rmsse_by_hand_and_censored_days_left_out_of_the_scale():
    history = np.array([[0.0, 2.0, 4.0, 2.0, 4.0]])
    # the scale starts at the first sale: differences 2, -2, 2 → mean square 4
    # errors 2 and 4: mean square 10 → RMSSE sqrt(10 / 4)
    assert forecast.rmsse([[5, 5]], [[3, 1]], history)[0] == pytest.approx(np.sqrt(2.5))
    censored = np.array([[False, False, False, True, False]])
    # the day 3 is left out with both differences that touch it: only 2 → mean square 4
    assert forecast.rmsse([[5, 5]], [[3, 1]], history, censored)[0] == pytest.approx(np.sqrt(2.5))
    history = np.array([[1.0, 5.0, 2.0, 2.0]])
    censored = np.array([[False, False, True, False]])
    # only 1 → 5 counts: mean square 16; errors 2 and 4: 10 / 16
    assert forecast.rmsse([[5, 5]], [[3, 1]], history, censored)[0] == pytest.approx(np.sqrt(10 / 16))


def test_days_left_out_of_the_scoring_count_for_nothing():
    # a stockout on the second scored day: its error (5) is left out of every measure
    history = np.array([[0.0, 2.0, 4.0, 2.0, 4.0]])
    counted = np.array([[True, False]])
    assert forecast.wape([[5, 0]], [[3, 5]], counted)[0] == pytest.approx(2 / 5)
    # one day scored: error 2 -> mean square 4 over the scale 4
    assert forecast.rmsse([[5, 0]], [[3, 5]], history, counted=counted)[0] == pytest.approx(1.0)
    history = np.arange(1.0, 15.0)[None, :]
    assert forecast.mase([[20, 0]], [[13, 5]], history, counted=counted)[0] == pytest.approx(1.0)
    # nothing scored: no figure rather than a perfect one
    assert np.isnan(forecast.rmsse([[5, 0]], [[3, 5]], history, counted=[[False, False]])[0])


def test_every_methods_forecast_can_be_kept_and_is_the_one_chosen_from():
    rng = np.random.default_rng(8)
    series = rng.poisson(rng.uniform(0.5, 6.0, (12, 1)), (12, DAYS)).astype(float)
    result = forecast.forecast(series, horizon=14, keep_methods=True, chunk=5)
    assert result.by_method.shape == (len(forecast.METHODS), 12, 14)
    np.testing.assert_allclose(result.by_method[result.method, np.arange(12)], result.mean)
    assert forecast.forecast(series, horizon=14).by_method is None
