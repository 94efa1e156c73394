"""Demand forecasts per store x product: many series at once, one NumPy array each.

Every function takes a history of shape (series x days), oldest day first, and an optional
``censored`` mask of the same shape: True on a day that says nothing about ordinary demand (the
shelf was empty, or the product was on promotion). Censored days are never counted as zero
demand: the smoothing methods skip them, and seasonal naive reads an imputed value instead.

Methods, each vectorised across the series (one Python loop over the days, none over series):

- ``seasonal_naive``: the same weekday last week; the baseline every accuracy figure is
  measured against.
- ``seasonal_smoothing``: exponential smoothing with weekly seasonality — day-of-week factors
  from the last twelve weeks (shrunk towards the factors of the series's group when a series
  sells little), then damped-trend exponential smoothing (ETS A,Ad,N) of the deseasonalised
  series, its two smoothing weights picked per series from a grid by in-sample error.
- ``tsb``: Teunter-Syntetos-Babai, Croston's method for intermittent demand with a demand
  probability that decays when nothing sells; weights picked per series from a grid.
- ``combined``: the mean of the two above.

``forecast`` picks the method per series by a rolling backtest (two origins, 14 days each) on
the squared error (the error RMSSE scores), and gives prediction intervals from the backtest's
errors. Two fortnights are a noisy judge: a single method displaces the combination only when
its backtest error is clearly lower (SINGLE_METHOD_MARGIN). On the seeded chain of
``bench/retail_inventory_forecast.py`` (RMSSE / seasonal naive): plain lowest error 0.746, with
the margin 0.740, the combination everywhere 0.737 — the margin keeps the choice where a series
clearly needs another method (a strong weekly pattern, say) at almost no cost.
Accuracy measures (WAPE, MASE, RMSSE) are plain functions of the same arrays.
"""

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

METHODS = ("seasonal_naive", "seasonal_smoothing", "tsb", "combined")
SEASON = 7
FACTOR_WEEKS = 12
# units over the factor window at which a series' own weekday profile counts as much as the
# profile of all series together
FACTOR_SHRINK_UNITS = 100.0
DAMPING = 0.95
SMOOTHING_GRID = tuple((alpha, beta) for alpha in (0.03, 0.08, 0.15, 0.3, 0.5)
                       for beta in (0.0, 0.03))
TSB_GRID = tuple((alpha, beta) for alpha in (0.1, 0.3) for beta in (0.02, 0.06, 0.15))
WARM_UP = 14
BACKTEST_ORIGINS = 2
BACKTEST_HORIZON = 14
SINGLE_METHOD_MARGIN = 0.9
CHUNK = 20000


@dataclass
class Forecast:
    """Forecasts of a set of series.

    ``mean``, ``lower``, ``upper``: (series x horizon) arrays; ``method``: index into METHODS per
    series; ``backtest_mse``: (series x methods) mean squared error of each method in the
    backtest, the evidence for the choice; ``by_method``: (methods x series x horizon) every
    method's forecast, kept only when asked for (``keep_methods``).
    """

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    method: np.ndarray
    backtest_mse: np.ndarray
    by_method: np.ndarray | None = None

    @property
    def method_names(self):
        return np.asarray(METHODS)[self.method]

    @property
    def sigma(self):
        """The chosen method's error per day in the backtest (its RMSE), per series."""
        return np.sqrt(self.backtest_mse[np.arange(len(self.method)), self.method])


def _as_arrays(history, censored):
    history = np.asarray(history, dtype=float)
    if history.ndim == 1:
        history = history[None, :]
    if censored is None:
        censored = np.zeros(history.shape, dtype=bool)
    else:
        censored = np.asarray(censored, dtype=bool).reshape(history.shape)
    return history, censored | ~np.isfinite(history)


def _weekday_sums(history, censored, first_weekday, weeks):
    """Per weekday, units sold and the centred 7-day average around each of those days.

    Their ratio is the weekday's factor with any trend taken out (classical decomposition):
    a rising series does not make its last weekdays look like busy ones. Only days whose whole
    centred week is uncensored count (a week with a censored day would be averaged wrong).
    Returns (sold, average, units), the first two (series x 7), units the series' units over
    the window.
    """
    series, days = history.shape
    counted = ~censored
    values = np.where(counted, history, 0.0)
    half = SEASON // 2
    # centred window sums through cumulative sums: day t covers t-3 .. t+3
    padded_values = np.concatenate([np.zeros((series, 1)), np.cumsum(values, axis=1)], axis=1)
    padded_counts = np.concatenate([np.zeros((series, 1)), np.cumsum(counted, axis=1)], axis=1)
    first = max(half, days - weeks * SEASON - half)
    last = days - half  # exclusive: the last day with a full centred week
    sold = np.zeros((series, SEASON))
    average = np.zeros((series, SEASON))
    if last <= first:
        return sold, average, np.zeros(series)
    positions = np.arange(first, last)
    window_values = padded_values[:, positions + half + 1] - padded_values[:, positions - half]
    window_counts = padded_counts[:, positions + half + 1] - padded_counts[:, positions - half]
    usable = counted[:, positions] & (window_counts == SEASON)
    centred = np.divide(window_values, window_counts, out=np.zeros_like(window_values), where=window_counts > 0)
    weekday = (first_weekday + positions) % SEASON
    for day in range(SEASON):
        columns = weekday == day
        sold[:, day] = np.where(usable[:, columns], history[:, positions[columns]], 0.0).sum(axis=1)
        average[:, day] = np.where(usable[:, columns], centred[:, columns], 0.0).sum(axis=1)
    return sold, average, sold.sum(axis=1)


def pooled_weekday_profile(history, censored=None, first_weekday=0, weeks=FACTOR_WEEKS, groups=None):
    """The weekday factors of series taken together, mean 1: what a quiet series leans on.

    Without ``groups``, one profile (7,) of all series. With ``groups`` (series,) of group
    numbers (a product category, say), each series gets its group's profile: (series x 7).
    """
    history, censored = _as_arrays(history, censored)
    sold, average, _units = _weekday_sums(history, censored, first_weekday, weeks)
    if groups is None:
        sold, average = sold.sum(axis=0, keepdims=True), average.sum(axis=0, keepdims=True)
        index = None
    else:
        names, index = np.unique(np.asarray(groups), return_inverse=True)
        group_sold = np.zeros((len(names), SEASON))
        group_average = np.zeros((len(names), SEASON))
        np.add.at(group_sold, index, sold)
        np.add.at(group_average, index, average)
        sold, average = group_sold, group_average
    profile = np.divide(sold, average, out=np.ones_like(sold), where=average > 0)
    empty = (average <= 0).any(axis=1) | (sold.sum(axis=1) <= 0)
    profile[empty] = 1.0
    profile /= profile.mean(axis=1, keepdims=True)
    return profile[0] if index is None else profile[index]


def weekday_factors(history, censored=None, first_weekday=0, weeks=FACTOR_WEEKS, pooled=None):
    """Day-of-week factors (series x 7, mean 1) from the last ``weeks`` weeks, uncensored days only.

    Column ``d`` is the factor of weekday ``d`` (0 = Monday) given that the first day of the
    history is weekday ``first_weekday``. A series that sold little over the window leans on
    ``pooled`` ((7,) or (series x 7); by default the profile of the series given together), one
    that sold nothing gets it whole.
    """
    history, censored = _as_arrays(history, censored)
    if pooled is None:
        pooled = pooled_weekday_profile(history, censored, first_weekday, weeks)
    sold, average, units = _weekday_sums(history, censored, first_weekday, weeks)
    own = np.divide(sold, average, out=np.ones_like(sold), where=average > 0)
    own_mean = own.mean(axis=1, keepdims=True)
    own = np.divide(own, own_mean, out=np.ones_like(own), where=own_mean > 0)
    units = units[:, None]
    pooled = np.broadcast_to(np.asarray(pooled, dtype=float), own.shape)
    factors = (units * own + FACTOR_SHRINK_UNITS * pooled) / (units + FACTOR_SHRINK_UNITS)
    factors = np.maximum(factors, 0.05)
    return factors / factors.mean(axis=1, keepdims=True)


def impute(history, censored=None, first_weekday=0, factors=None):
    """The history with each censored day replaced by the series' usual demand for that weekday.

    The usual demand is the series' deseasonalised mean over its uncensored days times the
    weekday's factor, so a censored weekend is filled as a weekend.
    """
    history, censored = _as_arrays(history, censored)
    if not censored.any():
        return history.copy()
    if factors is None:
        factors = weekday_factors(history, censored, first_weekday)
    weekday = (first_weekday + np.arange(history.shape[1])) % SEASON
    seasonal = factors[:, weekday]
    counted = ~censored
    total = np.where(counted, history / seasonal, 0.0).sum(axis=1)
    count = counted.sum(axis=1)
    level = np.divide(total, count, out=np.zeros(len(history)), where=count > 0)
    return np.where(censored, level[:, None] * seasonal, history)


def seasonal_naive(history, horizon, censored=None, first_weekday=0, factors=None):
    """Each future day repeats the same weekday of the last week (censored days imputed)."""
    filled = impute(history, censored, first_weekday, factors)
    days = filled.shape[1]
    last_week = filled[:, days - SEASON:]
    return last_week[:, np.arange(horizon) % SEASON]


def _smooth(values, counted, grid, warm_up):
    """Damped-trend exponential smoothing of every series for every (alpha, beta) of ``grid``.

    Returns the final level and trend (grid x series) and the in-sample squared one-step error
    after the warm-up (grid x series).
    """
    series, days = values.shape
    alphas = np.array([alpha for alpha, _beta in grid])[:, None]
    betas = np.array([beta for _alpha, beta in grid])[:, None]
    first = counted[:, :warm_up]
    start_count = first.sum(axis=1)
    start_total = np.where(first, values[:, :warm_up], 0.0).sum(axis=1)
    level0 = np.divide(start_total, start_count, out=np.zeros(series), where=start_count > 0)
    level = np.repeat(level0[None, :], len(grid), axis=0)
    trend = np.zeros_like(level)
    squared = np.zeros_like(level)
    for day in range(days):
        predicted = level + DAMPING * trend
        error = np.where(counted[:, day], values[:, day] - predicted, 0.0)
        if day >= warm_up:
            squared += error * error
        level = predicted + alphas * error
        trend = DAMPING * trend + betas * error
        np.maximum(level, 0.0, out=level)
    return level, trend, squared


def _pick(grid_values, squared):
    best = np.argmin(squared, axis=0)
    columns = np.arange(squared.shape[1])
    return [values[best, columns] for values in grid_values]


def seasonal_smoothing(history, horizon, censored=None, first_weekday=0, factors=None):
    """Exponential smoothing with weekly seasonality, ``horizon`` days ahead.

    ``factors``: the weekday factors (series x 7) when already computed (weekday_factors).
    """
    history, censored = _as_arrays(history, censored)
    days = history.shape[1]
    if factors is None:
        factors = weekday_factors(history, censored, first_weekday)
    weekday = (first_weekday + np.arange(days)) % SEASON
    deseasonalised = np.where(censored, 0.0, history) / factors[:, weekday]
    level, trend, squared = _smooth(deseasonalised, ~censored, SMOOTHING_GRID, min(WARM_UP, days))
    level, trend = _pick((level, trend), squared)
    damped = np.cumsum(DAMPING ** np.arange(1, horizon + 1))
    future_weekday = (first_weekday + days + np.arange(horizon)) % SEASON
    mean = (level[:, None] + trend[:, None] * damped[None, :]) * factors[:, future_weekday]
    return np.maximum(mean, 0.0)


def tsb(history, horizon, censored=None, first_weekday=0, factors=None):
    """Teunter-Syntetos-Babai intermittent-demand forecast (flat over the horizon).

    ``first_weekday`` and ``factors`` are taken for one signature with the other methods: a
    product that sells now and then shows no weekday pattern worth following (on the seeded
    chain, weekday factors made TSB worse).
    """
    history, censored = _as_arrays(history, censored)
    series, days = history.shape
    grid = TSB_GRID
    alphas = np.array([alpha for alpha, _beta in grid])[:, None]
    betas = np.array([beta for _alpha, beta in grid])[:, None]
    counted = ~censored
    sold = counted & (history > 0)
    sizes = np.where(sold, history, 0.0)
    sold_count = sold.sum(axis=1)
    size0 = np.divide(sizes.sum(axis=1), sold_count, out=np.zeros(series), where=sold_count > 0)
    counted_days = np.maximum(counted.sum(axis=1), 1)
    probability0 = sold_count / counted_days
    probability = np.repeat(probability0[None, :], len(grid), axis=0)
    size = np.repeat(size0[None, :], len(grid), axis=0)
    squared = np.zeros_like(size)
    warm_up = min(WARM_UP, days)
    for day in range(days):
        predicted = probability * size
        error = np.where(counted[:, day], history[:, day] - predicted, 0.0)
        if day >= warm_up:
            squared += error * error
        occurred = sold[:, day].astype(float)
        probability = np.where(counted[:, day], probability + betas * (occurred - probability), probability)
        size = np.where(sold[:, day], size + alphas * (history[:, day] - size), size)
    probability, size = _pick((probability, size), squared)
    return np.repeat((probability * size)[:, None], horizon, axis=1)


def combined(history, horizon, censored=None, first_weekday=0, factors=None):
    """The mean of exponential smoothing with weekly seasonality and TSB."""
    return (seasonal_smoothing(history, horizon, censored, first_weekday, factors)
            + tsb(history, horizon, censored, first_weekday)) / 2.0


METHOD_FUNCTIONS = {"seasonal_naive": seasonal_naive, "seasonal_smoothing": seasonal_smoothing,
                    "tsb": tsb, "combined": combined}


def _all_methods(history, horizon, censored, first_weekday, pooled):
    factors = weekday_factors(history, censored, first_weekday, pooled=pooled)
    naive = seasonal_naive(history, horizon, censored, first_weekday, factors)
    smoothing = seasonal_smoothing(history, horizon, censored, first_weekday, factors)
    intermittent = tsb(history, horizon, censored, first_weekday)
    return np.stack([naive, smoothing, intermittent, (smoothing + intermittent) / 2.0])


def _forecast_chunk(history, censored, horizon, level, first_weekday, pooled, keep_methods=False):
    series, days = history.shape
    origins = [days - BACKTEST_HORIZON * (k + 1) for k in range(BACKTEST_ORIGINS)][::-1]
    origins = [origin for origin in origins if origin >= 3 * SEASON]
    squared = np.zeros((len(METHODS), series))
    counts = np.zeros(series)
    for origin in origins:
        predicted = _all_methods(history[:, :origin], BACKTEST_HORIZON, censored[:, :origin], first_weekday, pooled)
        actual = history[:, origin:origin + BACKTEST_HORIZON]
        counted = ~censored[:, origin:origin + BACKTEST_HORIZON]
        error = np.where(counted[None], actual[None] - predicted, 0.0)
        squared += (error * error).sum(axis=2)
        counts += counted.sum(axis=1)
    mse = squared / np.maximum(counts, 1)[None, :]
    score = mse.copy()
    single = [index for index, name in enumerate(METHODS) if name != "combined"]
    score[single] /= SINGLE_METHOD_MARGIN
    # no backtest possible (too short a history): the combination
    chosen = np.argmin(score, axis=0) if origins else np.full(series, METHODS.index("combined"))
    final = _all_methods(history, horizon, censored, first_weekday, pooled)
    columns = np.arange(series)
    mean = final[chosen, columns]
    # interval half-width from the chosen method's backtest errors, never narrower than
    # Poisson noise around the forecast
    spread = np.sqrt(mse[chosen, columns])
    z_score = NormalDist().inv_cdf(0.5 + level / 2)
    half_width = z_score * np.sqrt(np.maximum(spread[:, None] ** 2, mean))
    growth = np.sqrt(1.0 + np.arange(horizon) / (2.0 * BACKTEST_HORIZON))
    half_width = half_width * growth[None, :]
    return Forecast(mean=mean, lower=np.maximum(mean - half_width, 0.0), upper=mean + half_width,
                    method=chosen, backtest_mse=mse.T, by_method=final if keep_methods else None)


def forecast(history, censored=None, horizon=28, level=0.9, first_weekday=0, groups=None, chunk=CHUNK,
             keep_methods=False):
    """Forecast every series ``horizon`` days ahead with the method its backtest prefers.

    :param history: (series x days) units sold per day, oldest first
    :param censored: (series x days) True on stockout or promotion days (not ordinary demand)
    :param level: coverage of the prediction interval (0.9: 5 % below, 5 % above)
    :param first_weekday: weekday of the history's first day, 0 = Monday
    :param groups: (series,) a group per series (the product's category): a series that sells
        little leans on its group's weekday profile rather than the whole chain's
    :param chunk: series per block, so memory stays flat however many series there are
    :param keep_methods: also return every method's forecast (``by_method``), to compare them
    :return: Forecast
    """
    history, censored = _as_arrays(history, censored)
    # one weekday profile of all series together, whatever the chunks (the backtests lean on
    # the same one: a week's profile of the whole chain barely moves in a fortnight)
    pooled = pooled_weekday_profile(history, censored, first_weekday, groups=groups)
    if pooled.ndim == 1:
        pooled = np.broadcast_to(pooled, (len(history), SEASON))
    parts = [_forecast_chunk(history[start:start + chunk], censored[start:start + chunk],
                             horizon, level, first_weekday, pooled[start:start + chunk], keep_methods)
             for start in range(0, len(history), chunk)]
    result = Forecast(*(np.concatenate([getattr(part, name) for part in parts])
                        for name in ("mean", "lower", "upper", "method", "backtest_mse")))
    if keep_methods:
        result.by_method = np.concatenate([part.by_method for part in parts], axis=1)
    return result


# -- accuracy -------------------------------------------------------------------------------------

def _errors(actual, predicted, counted):
    actual = np.asarray(actual, dtype=float)
    error = actual - np.asarray(predicted, dtype=float)
    if counted is None:
        counted = np.ones(error.shape, dtype=bool)
    counted = np.broadcast_to(np.asarray(counted, dtype=bool), error.shape)
    return np.where(counted, actual, 0.0), np.where(counted, error, 0.0), counted.sum(axis=-1)


def wape(actual, predicted, counted=None):
    """Weighted absolute percentage error of each series: sum |error| / sum actual (NaN if nothing sold).

    ``counted``: False on the days not to score (a stockout in the scored weeks), as everywhere below.
    """
    actual, error, _days = _errors(actual, predicted, counted)
    total = np.abs(actual).sum(axis=-1)
    absolute = np.abs(error).sum(axis=-1)
    return np.divide(absolute, total, out=np.full(total.shape, np.nan), where=total > 0)


def _scale(history, censored, lag, power):
    history, censored = _as_arrays(history, censored)
    difference = history[:, lag:] - history[:, :-lag]
    counted = ~(censored[:, lag:] | censored[:, :-lag])
    # from the first day the series sold, as M5 does: leading zeros of a new product say nothing
    started = np.cumsum(history > 0, axis=1)[:, :-lag] > 0
    counted &= started
    total = np.where(counted, np.abs(difference) ** power, 0.0).sum(axis=1)
    count = counted.sum(axis=1)
    return np.divide(total, count, out=np.full(len(history), np.nan), where=count > 0)


def _mean_over(values, days):
    return np.divide(values.sum(axis=-1), days, out=np.full(days.shape, np.nan), where=days > 0)


def mase(actual, predicted, history, censored=None, season=SEASON, counted=None):
    """Mean absolute scaled error: MAE / in-sample MAE of the seasonal naive forecast."""
    scale = _scale(history, censored, season, 1)
    _actual, error, days = _errors(actual, predicted, counted)
    mean = _mean_over(np.abs(error), days)
    return np.divide(mean, scale, out=np.full(scale.shape, np.nan), where=scale > 0)


def rmsse(actual, predicted, history, censored=None, counted=None):
    """Root mean squared scaled error (M5's measure): RMSE / in-sample RMSE of the naive forecast."""
    scale = _scale(history, censored, 1, 2)
    _actual, error, days = _errors(actual, predicted, counted)
    mean = _mean_over(error * error, days)
    return np.sqrt(np.divide(mean, scale, out=np.full(scale.shape, np.nan), where=scale > 0))
