"""Speed and accuracy of retail_inventory's demand forecasts on a seeded, M5-like chain.

Pure Python over the addon's ``tools/forecast.py`` (no database). Seeded: the same command
prints the same accuracy table.

    python3 bench/retail_inventory_forecast.py [--series 250000 --days 180 --seed 7]
                                               [--sample 300] [--no-statsforecast]

The chain (store x product x day, in the spirit of the M5 competition's Walmart data): product
demand levels from a log-normal law (most products sell less than one unit a day, a few sell
dozens), store effects, a weekly pattern per category with each product's own variation, slow
drift and occasional level shifts, over-dispersed (gamma-Poisson) daily noise, promotion
episodes with uplift, and stockout episodes in which nothing sells. Promotion and stockout days
are marked as censored, as the addon marks them from its records. The last 28 days are held out
(no promotion, no stockout) and every method forecasts them from the 180 days before.

Reports milliseconds per series for the whole forecast (backtest, method choice, final
forecast, intervals), RMSSE / seasonal naive over all series, the method mix and the
interval's coverage; and, on a sample of series, statsforecast's AutoETS (weekly season) on the
same series in the same run. statsforecast is a benchmark-only comparison, not a dependency of
the addon: ``pip install statsforecast`` in a virtual environment to include it.
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

TOOLS = Path(__file__).resolve().parent.parent / "addons" / "retail_inventory" / "tools"
HORIZON = 28


def load_forecast():
    spec = importlib.util.spec_from_file_location("retail_inventory_forecast", TOOLS / "forecast.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def m5_like_chain(series, days, seed, stores=20, categories=12):
    """(sales, censored, demand in the held-out days, category) of ``series`` store x product pairs.

    ``days`` of history followed by HORIZON held-out days.
    """
    rng = np.random.default_rng(seed)
    total_days = days + HORIZON
    store = rng.integers(0, stores, series)
    category = rng.integers(0, categories, series)
    store_effect = rng.lognormal(0.0, 0.35, stores)[store]
    base = rng.lognormal(-0.6, 1.25, series) * store_effect
    weekday = np.arange(total_days) % 7
    category_pattern = 1.0 + rng.uniform(0.05, 0.45, (categories, 1)) * np.sin(
        2 * np.pi * (np.arange(7)[None, :] + rng.uniform(0, 7, (categories, 1))) / 7)
    own_pattern = category_pattern[category] * rng.lognormal(0.0, 0.08, (series, 7))
    own_pattern /= own_pattern.mean(axis=1, keepdims=True)
    drift = np.cumsum(rng.normal(0.0, 0.012, (series, total_days)), axis=1)
    shift_day = rng.integers(0, total_days, series)
    shifted = rng.random(series) < 0.15
    shift = np.where(shifted[:, None] & (np.arange(total_days)[None, :] >= shift_day[:, None]),
                     rng.normal(0.0, 0.35, series)[:, None], 0.0)
    rate = base[:, None] * np.exp(drift + shift - drift[:, days - 1:days]) * own_pattern[:, weekday]
    # promotion episodes in the history: 4-7 days, uplift 1.4-2.5
    promotion = np.zeros((series, total_days), dtype=bool)
    for _episode in range(2):
        start = rng.integers(0, days - 7, series)
        length = rng.integers(4, 8, series)
        on = rng.random(series) < 0.35
        day = np.arange(total_days)[None, :]
        promotion |= on[:, None] & (day >= start[:, None]) & (day < (start + length)[:, None])
    rate = np.where(promotion, rate * rng.uniform(1.4, 2.5, series)[:, None], rate)
    dispersion = 4.0
    demand = rng.poisson(rate * rng.gamma(dispersion, 1.0 / dispersion, rate.shape)).astype(float)
    # stockout episodes in the history: nothing sells for 3-12 days
    stockout = np.zeros((series, total_days), dtype=bool)
    start = rng.integers(0, days - 12, series)
    length = rng.integers(3, 13, series)
    on = rng.random(series) < 0.25
    day = np.arange(total_days)[None, :]
    stockout |= on[:, None] & (day >= start[:, None]) & (day < (start + length)[:, None])
    sales = np.where(stockout, 0.0, demand)
    censored = stockout | promotion
    return sales[:, :days], censored[:, :days], demand[:, days:], category


def statsforecast_autoets(history, censored):
    """AutoETS forecasts (weekly season) of each series; censored days imputed as the addon does."""
    # optional, benchmark-only packages: imported when the comparison runs
    pd = importlib.import_module("pandas")
    StatsForecast = importlib.import_module("statsforecast").StatsForecast
    AutoETS = importlib.import_module("statsforecast.models").AutoETS

    forecast_tools = load_forecast()
    filled = forecast_tools.impute(history, censored)
    series, days = filled.shape
    dates = pd.date_range("2026-01-05", periods=days, freq="D")
    frame = pd.DataFrame({
        "unique_id": np.repeat(np.arange(series), days),
        "ds": np.tile(dates, series),
        "y": filled.ravel(),
    })
    model = StatsForecast(models=[AutoETS(season_length=7)], freq="D", n_jobs=1)
    result = model.forecast(df=frame, h=HORIZON)
    result = result.sort_values(["unique_id", "ds"])
    return np.maximum(result["AutoETS"].to_numpy().reshape(series, HORIZON), 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=250000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=300, help="series compared with AutoETS")
    parser.add_argument("--no-statsforecast", action="store_true")
    options = parser.parse_args()
    tools = load_forecast()

    started = time.perf_counter()
    history, censored, actual, category = m5_like_chain(options.series, options.days, options.seed)
    generated = time.perf_counter() - started
    print(f"chain: {options.series:,} series x {options.days} days (+{HORIZON} held out), "
          f"built in {generated:.1f} s; mean {history.mean():.2f} units/day, "
          f"{(history == 0).mean():.0%} zero days, {censored.mean():.1%} censored days")

    started = time.perf_counter()
    baseline = tools.seasonal_naive(history, HORIZON, censored)
    naive_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # a quiet product leans on its category's weekday profile, as the addon does
    result = tools.forecast(history, censored, horizon=HORIZON, groups=category)
    seconds = time.perf_counter() - started
    print(f"forecast: {seconds:.1f} s, {1000 * seconds / options.series:.3f} ms per series "
          f"(seasonal naive alone: {naive_seconds:.1f} s)")

    naive_rmsse = tools.rmsse(actual, baseline, history, censored)
    ours_rmsse = tools.rmsse(actual, result.mean, history, censored)
    scored = np.isfinite(naive_rmsse) & np.isfinite(ours_rmsse)
    ratio = ours_rmsse[scored].mean() / naive_rmsse[scored].mean()
    print(f"RMSSE / seasonal naive (all {scored.sum():,} scored series): {ratio:.3f}")
    for index, name in enumerate(tools.METHODS):
        chosen = result.method == index
        if chosen.any():
            part = chosen & scored
            part_ratio = ours_rmsse[part].mean() / naive_rmsse[part].mean() if part.any() else float("nan")
            print(f"  {name:<20} chosen for {chosen.mean():6.1%} of series, RMSSE / naive {part_ratio:.3f}")
    for name in tools.METHODS:
        single = tools.METHOD_FUNCTIONS[name](history, HORIZON, censored)
        single_rmsse = tools.rmsse(actual, single, history, censored)
        single_ratio = single_rmsse[scored].mean() / naive_rmsse[scored].mean()
        print(f"  {name + ' everywhere':<31} RMSSE / naive {single_ratio:.3f}")
    inside = (actual >= result.lower) & (actual <= result.upper)
    print(f"90 % interval coverage on the held-out days: {inside.mean():.1%}")
    wape = np.abs(actual - result.mean).sum() / actual.sum()
    naive_wape = np.abs(actual - baseline).sum() / actual.sum()
    print(f"WAPE (chain): {wape:.3f} against seasonal naive {naive_wape:.3f}")

    if options.no_statsforecast:
        return
    if importlib.util.find_spec("statsforecast") is None:
        print("statsforecast not installed: AutoETS comparison left out (pip install statsforecast)")
        return
    rng = np.random.default_rng(options.seed + 1)
    sample = np.sort(rng.choice(np.flatnonzero(scored), min(options.sample, scored.sum()), replace=False))
    started = time.perf_counter()
    autoets = statsforecast_autoets(history[sample], censored[sample])
    ets_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tools.forecast(history[sample], censored[sample], horizon=HORIZON, groups=category[sample])
    ours_seconds = time.perf_counter() - started
    sample_naive = naive_rmsse[sample].mean()
    # our forecasts of these series are those of the whole run (the category profiles come from
    # the whole chain, as in the addon); AutoETS sees each series alone, as it is built to
    sample_ours = ours_rmsse[sample].mean()
    sample_ets = tools.rmsse(actual[sample], autoets, history[sample], censored[sample]).mean()
    print(f"sample of {len(sample)} series, RMSSE / seasonal naive: ours {sample_ours / sample_naive:.3f}, "
          f"statsforecast AutoETS {sample_ets / sample_naive:.3f}; ours / AutoETS {sample_ours / sample_ets:.3f}")
    print(f"  time: ours {1000 * ours_seconds / len(sample):.2f} ms per series, "
          f"AutoETS {1000 * ets_seconds / len(sample):.2f} ms per series")


if __name__ == "__main__":
    sys.exit(main())
