"""Dispatch planner on small chains whose right answer is worked out by hand."""

import numpy as np
import pytest
from conftest import load_tool

planner = load_tool("retail_inventory", "planner")
velocity = load_tool("retail_inventory", "velocity")
expiry = load_tool("retail_inventory", "expiry")


def run(on_hand, sales, **kwargs):
    count = len(on_hand)
    defaults = {"target_days": 7, "min_days": 2}
    defaults.update(kwargs)
    return planner.plan(
        list(range(count)), [1] * count, on_hand, kwargs.pop("reserved", [0] * count),
        kwargs.pop("incoming", [0] * count), sales,
        **{k: v for k, v in defaults.items() if k not in ("reserved", "incoming")},
    )


def as_tuples(moves):
    return [(m.source, m.destination, m.lot, m.quantity, m.reason) for m in moves]


def test_nothing_to_move_when_every_store_is_between_min_and_target():
    # cover 5 and 4 days, between min 2 and target 7
    assert run([50, 40], [10, 10]) == []


def test_nothing_to_move_without_demand():
    assert run([100, 0], [0, 0]) == []


def test_one_surplus_one_deficit():
    # store 0: 200 units, 10/day, target 70 -> surplus 130; store 1: 5 units, 10/day,
    # below min 20 -> needs 70 - 5 = 65
    moves = run([200, 5], [10, 10])
    assert as_tuples(moves) == [(0, 1, -1, 65.0, "deficit")]
    assert moves[0].benefit == 65.0 and moves[0].stockout_saved == 65.0 and moves[0].expiry_saved == 0.0


def test_incoming_and_reserved_count_in_the_position():
    # store 1 has 60 incoming: cover 6.5 days, no deficit; store 0 has 150 reserved
    assert run([200, 5], [10, 10], incoming=[0, 60]) == []
    moves = run([200, 5], [10, 10], reserved=[150, 0])
    # store 0 position 50: below target, nothing to give
    assert moves == []


def test_expiry_driven_move_takes_the_expiring_lot():
    # store 0: 80 units of lot 11 expiring in 4 days, sells 5/day -> sells 20, 60 at risk
    # store 1: sells 30/day, has 10 -> deficit, can sell 120 in 4 days
    moves = planner.plan(
        [0, 1], [7, 7], [80, 10], [0, 0], [0, 0], [5, 30], target_days=7, min_days=2,
        lot_pair=[0], lot_id=[11], lot_qty=[80], lot_days_left=[4],
    )
    assert as_tuples(moves) == [(0, 1, 11, 60.0, "expiry")]
    assert moves[0].expiry_saved == 60.0 and moves[0].stockout_saved == 60.0 and moves[0].benefit == 120.0


def test_expiry_move_to_a_store_that_is_not_short():
    # store 0: 40 units expiring in 2 days, sells 5/day -> 30 at risk; position 40 >= min 10.
    # store 1: sells 10/day, holds 30 (3 days, above min 2, below target 7 -> room 40);
    # it sells 20 in 2 days, so moving 20 saves 20 from expiry, nothing more
    moves = planner.plan(
        [0, 1], [7, 7], [40, 30], [0, 0], [0, 0], [5, 10], target_days=7, min_days=2,
        lot_pair=[0], lot_id=[3], lot_qty=[40], lot_days_left=[2],
    )
    assert as_tuples(moves) == [(0, 1, 3, 20.0, "expiry")]
    assert moves[0].stockout_saved == 0.0 and moves[0].expiry_saved == 20.0


def test_expiring_lot_goes_to_a_store_above_its_target_that_sells_it_in_time():
    # store 0: 80 units of lot 11 expiring in 4 days, sells 5/day -> 60 at risk.
    # store 1 sells 30/day and holds 250 of lot 12 (20 days left): 8.3 days of cover, above
    # its target of 7, so it is not short and has no room; it still sells 120 units in 4 days,
    # and its own lot keeps 600 - 250 = 350 units of slack: the 60 at risk go there
    moves = planner.plan(
        [0, 1], [7, 7], [80, 250], [0, 0], [0, 0], [5, 30], target_days=7, min_days=2,
        lot_pair=[0, 1], lot_id=[11, 12], lot_qty=[80, 250], lot_days_left=[4, 20],
    )
    assert as_tuples(moves) == [(0, 1, 11, 60.0, "expiry")]
    assert (moves[0].expiry_saved, moves[0].stockout_saved) == (60.0, 0.0)


def test_destination_sells_its_own_earlier_lot_first():
    # store 0: 50 units of lot 3 expiring in 3 days, sells 2/day -> 44 at risk; it can give 44.
    # store 1 sells 10/day and holds 20 units of lot 4 that expire in 2 days: it sells those
    # first, so of lot 3 it sells only 30 - 20 = 10 before lot 3 expires
    moves = planner.plan(
        [0, 1], [7, 7], [50, 20], [0, 0], [0, 0], [2, 10], target_days=7, min_days=2,
        lot_pair=[0, 1], lot_id=[3, 4], lot_qty=[50, 20], lot_days_left=[3, 2],
    )
    assert as_tuples(moves) == [(0, 1, 3, 10.0, "expiry")]
    assert moves[0].expiry_saved == 10.0


def test_destination_own_later_lot_must_not_expire_because_of_the_move():
    # store 1 sells 10/day and holds 60 units of lot 4 with 6.5 days left: it would sell 65 by
    # then, so only 5 more units (not the 10 of room under its target) may come before lot 4
    # without making lot 4 expire
    moves = planner.plan(
        [0, 1], [7, 7], [50, 60], [0, 0], [0, 0], [2, 10], target_days=7, min_days=2,
        lot_pair=[0, 1], lot_id=[3, 4], lot_qty=[50, 60], lot_days_left=[3, 6.5],
    )
    assert as_tuples(moves) == [(0, 1, 3, 5.0, "expiry")]


def test_fefo_capacity_of_a_store():
    # 10/day; own lots: 20 units with 2 days left, 60 units with 9 days left, 5 without expiry
    sold, slack = expiry.fefo_profile([0, 0, 0], [20, 60, 5], [2, 9, np.inf], [10])
    assert sold.tolist() == [20.0, 80.0, 85.0] and slack.tolist() == [0.0, 10.0, np.inf]
    capacity = expiry.fefo_capacity(
        np.array([1.0, 3.0, 9.0, 12.0]), np.array([2.0, 9.0, np.inf]), sold, slack, 10.0)
    # 1 day: 10 sellable but lot 1 has no slack; 3 days: 30 - 20 sold first, lot 2 allows 10;
    # 9 days: 90 - 80; 12 days: 120 - 80 (untracked stock is sold last and never expires)
    assert capacity.tolist() == [0.0, 10.0, 10.0, 40.0]


def test_products_planned_together_as_each_alone():
    rng = np.random.default_rng(5)
    stores, products = 9, 40
    store = np.tile(np.arange(stores), products)
    product = np.repeat(np.arange(products) * 7 + 3, stores)
    speed = rng.gamma(1.0, 3.0, store.size) * (rng.random(store.size) < 0.9)
    on_hand = np.floor(speed * rng.uniform(0, 14, store.size))
    lots = np.flatnonzero(rng.random(store.size) < 0.5)
    days = rng.integers(1, 15, lots.size).astype(float)
    cost = rng.uniform(0, 100, (stores, stores))
    settings = {
        "target_days": 7, "min_days": rng.integers(1, 3, stores), "min_transfer_qty": rng.integers(0, 4, stores),
        "pack_size": rng.choice([1, 2, 6], store.size), "route_cost": cost, "max_route_cost": 70,
    }

    def run_on(pairs):
        keep = np.isin(lots, pairs)
        index = {pair: row for row, pair in enumerate(pairs)}
        return planner.plan(
            store[pairs], product[pairs], on_hand[pairs], np.zeros(len(pairs)), np.zeros(len(pairs)), speed[pairs],
            lot_pair=[index[pair] for pair in lots[keep]], lot_id=lots[keep], lot_qty=on_hand[lots[keep]],
            lot_days_left=days[keep], **{**settings, "pack_size": settings["pack_size"][pairs]},
        )

    together = run_on(np.arange(store.size))
    alone = [move for item in np.unique(product) for move in run_on(np.flatnonzero(product == item))]
    assert together == alone
    assert {move.reason for move in together} == {"deficit", "expiry"}


def test_earliest_expiring_lot_first():
    # store 0: lots 1 (30, 20 days) and 2 (30, 10 days), sells 3/day: lot 2 sells out by day
    # 10, lot 1 by day 20, nothing at risk; target 21 -> surplus 39. Store 1 needs 70 but only
    # 39 can go: all 30 of lot 2 first, then 9 of lot 1
    moves = planner.plan(
        [0, 1], [7, 7], [60, 0], [0, 0], [0, 0], [3, 10], target_days=7, min_days=2,
        lot_pair=[0, 0], lot_id=[1, 2], lot_qty=[30, 30], lot_days_left=[20, 10],
    )
    assert as_tuples(moves) == [(0, 1, 2, 30.0, "deficit"), (0, 1, 1, 9.0, "deficit")]


def test_pack_size_rounds_down():
    # surplus 130, need 65 -> 60 in packs of 12
    moves = run([200, 5], [10, 10], pack_size=12)
    assert as_tuples(moves) == [(0, 1, -1, 60.0, "deficit")]


def test_minimum_transfer_quantity():
    # store 1 needs 70 - 65 = 5... position 65 is above min 20: no deficit, nothing
    assert run([200, 65], [10, 10]) == []
    # store 1 needs 7 (cover 1.3 days of 10/day... min 2 with v=5 -> 10; has 3 -> needs 32)
    assert as_tuples(run([200, 3], [10, 5], min_transfer_qty=[0, 0])) == [(0, 1, -1, 32.0, "deficit")]
    assert run([200, 3], [10, 5], min_transfer_qty=[40, 0]) == []


def test_source_never_goes_below_its_minimum():
    # store 0: 45 units expiring in 1 day, sells 20/day: 25 at risk, min 2 days = 40 ->
    # it can give only 45 - 40 = 5 although 25 are at risk; store 1 sells 30/day, has 0
    moves = planner.plan(
        [0, 1], [7, 7], [45, 0], [0, 0], [0, 0], [20, 30], target_days=7, min_days=2,
        lot_pair=[0], lot_id=[5], lot_qty=[45], lot_days_left=[1],
    )
    assert as_tuples(moves) == [(0, 1, 5, 5.0, "expiry")]
    # with the minimum at 3 days (60 units) the source is below it and gives nothing
    assert planner.plan(
        [0, 1], [7, 7], [45, 0], [0, 0], [0, 0], [20, 30], target_days=7, min_days=3,
        lot_pair=[0], lot_id=[5], lot_qty=[45], lot_days_left=[1],
    ) == []


def test_several_deficits_compete_for_one_surplus_largest_benefit_first():
    # store 0: 100 units, 10/day -> surplus 30. store 1: 3/day, has 0 -> needs 21;
    # store 2: 5/day, has 0 -> needs 35; store 3: 2/day, has 1 -> needs 13.
    # store 2 saves the most (30 of its 35), then nothing is left
    moves = run([100, 0, 0, 1], [10, 3, 5, 2])
    assert as_tuples(moves) == [(0, 2, -1, 30.0, "deficit")]
    # with 60 of surplus (130 on hand): store 2 takes 35, then store 1 its 21, store 3 the last 4
    moves = run([130, 0, 0, 1], [10, 3, 5, 2])
    assert as_tuples(moves) == [(0, 2, -1, 35.0, "deficit"), (0, 1, -1, 21.0, "deficit"),
                                (0, 3, -1, 4.0, "deficit")]
    assert sum(m.quantity for m in moves) == 60.0


def test_equal_benefit_goes_to_the_least_covered_store():
    # both need... store 1: 10/day has 10 (1 day) needs 60; store 2: 10/day has 0 needs 70;
    # surplus 50 -> both would save 50; store 2 (no cover) wins
    moves = run([120, 10, 0], [10, 10, 10])
    assert as_tuples(moves) == [(0, 2, -1, 50.0, "deficit")]


def test_route_limit():
    cost = np.array([[0, 80, 10], [80, 0, 10], [10, 10, 0]], dtype=float)
    # store 1 is the bigger deficit but its route from store 0 costs 80 > 50: store 2 gets served
    moves = planner.plan(
        [0, 1, 2], [1, 1, 1], [200, 0, 0], [0, 0, 0], [0, 0, 0], [10, 10, 5],
        target_days=7, min_days=2, route_cost=cost, max_route_cost=50,
    )
    assert as_tuples(moves) == [(0, 2, -1, 35.0, "deficit")]
    moves = planner.plan(
        [0, 1, 2], [1, 1, 1], [200, 0, 0], [0, 0, 0], [0, 0, 0], [10, 10, 5],
        target_days=7, min_days=2, route_cost=cost, max_route_cost=100,
    )
    assert as_tuples(moves) == [(0, 1, -1, 70.0, "deficit"), (0, 2, -1, 35.0, "deficit")]


def test_products_are_planned_separately():
    moves = planner.plan(
        [0, 1, 0, 1], [1, 1, 2, 2], [200, 5, 5, 200], [0] * 4, [0] * 4, [10, 10, 10, 10],
        target_days=7, min_days=2,
    )
    assert sorted((m.product, m.source, m.destination, m.quantity) for m in moves) == [
        (1, 0, 1, 65.0), (2, 1, 0, 65.0)]


def test_velocity_ignores_stockout_days():
    sales = np.array([[4, 6, 0, 0, 5], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]])
    out = np.array([[0, 0, 1, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    assert velocity.velocity(sales, out).tolist() == [5.0, 1.0, 0.0]
    assert velocity.velocity(sales).tolist() == [3.0, 1.0, 0.0]


def test_units_at_risk_fefo():
    risk = expiry.units_at_risk([0, 0, 1, 1, 2, 2], [50, 30, 10, 5, 30, 30], [2, 10, 1, np.inf, 20, 10],
                                [10, 1, 1])
    # pair 0: first lot sells 20 of 50 in 2 days -> 30; the second sells its 30 by day 10
    # pair 1: 1 of 10 sells in one day -> 9; no expiry -> 0
    # pair 2 (1/day): the 10-day lot sells 10 and leaves 20; the 20-day lot sells 10 more -> 20
    assert risk.tolist() == [30.0, 0.0, 9.0, 0.0, 20.0, 20.0]


@pytest.mark.parametrize(("days_left", "days_to_sell", "rate"), [
    (1, 5, 0.5), (3, 5, 0.3), (5, 10, 0.15), (10, 20, 0.0), (2, 1, 0.0), (0, 5, 0.0), (-82, 9999, 0.0),
])
def test_markdown_rate(days_left, days_to_sell, rate):
    assert expiry.markdown_rate(days_left, days_to_sell) == rate


def test_large_chain_never_overdraws_a_source():
    rng = np.random.default_rng(1)
    stores, products = 50, 5000
    store = np.tile(np.arange(stores), products)
    product = np.repeat(np.arange(products), stores)
    speed = rng.gamma(1.0, 3.0, store.size)
    on_hand = np.floor(speed * rng.uniform(0, 14, store.size))
    lots = np.flatnonzero(rng.random(store.size) < 0.3)
    moves = planner.plan(
        store, product, on_hand, np.zeros(store.size), np.zeros(store.size), speed,
        target_days=7, min_days=2, pack_size=1, min_transfer_qty=2,
        lot_pair=lots, lot_id=lots, lot_qty=on_hand[lots], lot_days_left=rng.integers(1, 30, lots.size),
    )
    assert moves
    give = {}
    for move in moves:
        give[(move.source, move.product)] = give.get((move.source, move.product), 0) + move.quantity
    # no source gives more than it has or goes below its minimum
    for (source, product_id), qty in give.items():
        pair = product_id * stores + source
        assert qty <= on_hand[pair] + 1e-6
        assert on_hand[pair] - qty >= 2 * speed[pair] - 1e-6


def test_stockout_days_rebuilt_from_flows():
    # 4 days; today 5 on hand. Day 0: sold 3 (stock 3 -> 0), day 1: nothing (empty shelf),
    # day 2: received 10, sold 2 (a sale: in stock), day 3: sold 3 -> 5 left
    net = np.array([[-3, 0, 8, -3]])
    sales = np.array([[3, 0, 2, 3]])
    mask = velocity.stockout_mask([5], net, sales)
    assert mask.tolist() == [[False, True, False, False]]
    assert velocity.velocity(sales, mask).tolist() == [8 / 3]
