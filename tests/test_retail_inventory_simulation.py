"""The chain simulation's markdown and forecast-replenishment steps, on cases worked by hand."""

import importlib.util
import sys

import numpy as np
from conftest import ROOT


def load_simulation():
    name = "_retail_inventory_simulation"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "retail_inventory_simulation.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


sim = load_simulation()


def test_only_lots_with_a_unit_at_risk_are_marked_down():
    # one store, two products selling 2 a day; lots are [units, expiry day, markdown]
    slow = [12.0, 3.0, 0.0]  # sold on days 0-3: 8 of 12 sell, 4 at risk, 4 days left: the 15 % step
    fresh = [6.0, 10.0, 0.0]  # 11 days left, 3 days of sales: sells in time
    lots = [[[slow], [fresh]]]
    sim.mark_down(0, lots, np.array([2.0, 2.0]), price=np.array([10.0, 10.0]), cost=np.array([5.0, 5.0]))
    assert slow[2] == 0.15
    assert fresh[2] == 0.0


def test_markdowns_never_go_below_cost():
    lot = [10.0, 0.0, 0.0]  # its last day, 9 at risk: the step says 50 %
    lots = [[[lot]]]
    sim.mark_down(0, lots, np.array([1.0]), price=np.array([10.0]), cost=np.array([8.0]))
    assert abs(lot[2] - 0.2) < 1e-9


def test_a_lot_with_less_than_a_unit_at_risk_keeps_its_price():
    lot = [8.5, 3.0, 0.0]  # 4 days at 2 a day sell 8 of 8.5
    lots = [[[lot]]]
    sim.mark_down(0, lots, np.array([2.0]), price=np.array([10.0]), cost=np.array([5.0]))
    assert lot[2] == 0.0


def test_forecast_levels_never_hold_more_than_sells_before_expiry():
    # 21 days of 10 a day in one store, a product that keeps 2 days; lead time 3
    sales = np.full((21, 1, 1), 10.0)
    nothing = np.zeros((21, 1, 1), dtype=bool)
    minimum, maximum, speed = sim.smart_levels(
        21, sales, nothing, nothing, np.zeros((21, 1, 1)), 2.0, np.array([2]), 3, 0.95)
    assert abs(speed[0] - 10.0) < 0.5
    # reorder point covers the 3 days of lead time; the order-up-to level at most 2 + 3 - 1 days
    assert minimum[0, 0] >= 30
    assert maximum[0, 0] <= max(minimum[0, 0], 40)


def test_markdown_days_are_learnt_without_their_lift():
    # 10 a day, but the last week marked down 50 % with a lift of 2: it sold 20 a day
    sales = np.full((28, 1, 1), 10.0)
    sales[21:] = 20.0
    rate = np.zeros((28, 1, 1))
    rate[21:] = 0.5
    nothing = np.zeros((28, 1, 1), dtype=bool)
    _minimum, _maximum, speed = sim.smart_levels(28, sales, nothing, nothing, rate, 2.0, np.array([30]), 3, 0.95)
    assert abs(speed[0] - 10.0) < 0.5


def test_the_three_variants_run_on_a_small_chain():
    class Args:
        stores, products, days, lead_time = 3, 5, 35, 2
        cap_at_shelf_life = no_smart = False
        markdown_lift, service_level = 2.0, 0.95

    results, _shelf_life = sim.run_seed(Args, 7)
    assert len(results) == 3
    for result in results.values():
        assert result["sold"] > 0 and result["margin"] <= result["revenue"]
    assert next(iter(results.values()))["marked_down"] == 0
