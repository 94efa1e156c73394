"""Simulated chain: Odoo-style min/max replenishment alone, with the dispatch planner, and the
addon's forecast replenishment with the planner and lot markdowns.

Pure Python over the addon's ``tools/`` (no database). Seeded: the same command prints the
same table.

    python3 bench/retail_inventory_simulation.py [--stores 20 --products 60 --days 90 --seed 1]
    python3 bench/retail_inventory_simulation.py --seeds 101,102,103,104,105

The chain: every store sells every product with a weekly pattern, Poisson noise and a demand
level that drifts differently per store (what sold well in one store last month sells less now
— the reason stock ends up in the wrong store). Goods come from the distribution centre with a
lead time, fresh, and expire after their shelf life; stores sell the earliest-expiring lot
first. Replenishment is Odoo's min/max: when a store's position (on hand + on order) falls to
the minimum, it orders up to the maximum, both set from the demand forecast at the start. The
second variant runs the same replenishment and, every morning, the dispatch planner between
stores (transfers arrive the next morning). The planner sees what the addon reads: stock and
lots on hand, and what the stores have on order from the distribution centre (incoming).

The third variant is the addon's third phase. Every week (from the third) the forecast of each
store-product (``tools/forecast.py``, on the history so far, empty-shelf days censored, sold-out
days read as at least the usual demand, markdown days with their lift taken out) sets the
reorder point and order-up-to level (``tools/replenishment.py``: lead time, daily review, 95 %
service), the order-up-to level never above what the forecast sells before fresh goods
expire; the planner reads the forecast instead of velocity; and every morning a lot that will
not sell before it expires at forecast demand (at least one unit at risk) is marked down by the
addon's steps (``expiry.markdown_rate``: 15 % a week before, 30 % three days before, 50 % on
the last day), never below cost. The one assumption of the world, not of the addon: a
markdown brings extra customers, ``--markdown-lift`` x the reduction x the product's usual
demand (2.0: 30 % off sells 60 % more that day); they buy only what is on the shelf, so their
wants are not stockouts. Prices are 3-40 and costs 60-78 % of the price; the margin is sales at
the prices paid, less the cost of what sold and of what expired.

The levels of the third variant were settled on seed 1; the README's table is of seeds
101-105, held out from that choice.

``--cap-at-shelf-life`` is a what-if, not a feature of the addon: min/max never orders more
than a product sells within its shelf life. It shows how much of the waste comes from ordering
rather than from stock sitting in the wrong store.
"""

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

import numpy as np

TOOLS = Path(__file__).resolve().parent.parent / "addons" / "retail_inventory" / "tools"


def load_tools():
    spec = importlib.util.spec_from_file_location(
        "retail_inventory_tools", TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["retail_inventory_tools"] = module
    spec.loader.exec_module(module)
    return module


tools = load_tools()
planner, velocity_tool, expiry_tool = tools.planner, tools.velocity, tools.expiry
forecast_tool = importlib.import_module("retail_inventory_tools.forecast")
replenishment_tool = importlib.import_module("retail_inventory_tools.replenishment")

WEEK = np.array([0.8, 0.85, 0.9, 0.95, 1.1, 1.35, 1.05])


def demand_model(rng, stores, products, days):
    base = rng.gamma(1.5, 2.0, products)[None, :] * rng.uniform(0.4, 1.8, stores)[:, None]
    # each store-product drifts on its own: multiplicative random walk
    drift = np.exp(np.cumsum(rng.normal(0, 0.06, (days, stores, products)), axis=0))
    rate = base[None, :, :] * drift * WEEK[np.arange(days) % 7][:, None, None]
    return base, rng.poisson(rate)


def simulate(
    demand,
    base,
    shelf_life,
    *,
    use_planner,
    lead_time,
    seed,
    cap_at_shelf_life=False,
    smart=False,
    price=None,
    cost=None,
    markdown_lift=2.0,
    service_level=0.95,
):
    """Run one variant over the demand; ``smart``: forecast replenishment, planner on the
    forecast and stepwise markdowns of the lots that will not sell in time."""
    days, stores, products = demand.shape
    rng = np.random.default_rng(seed)
    price = np.ones(products) if price is None else price
    cost = np.zeros(products) if cost is None else cost
    minimum = np.ceil(base * 3)
    cover = np.minimum(10, shelf_life - 1) if cap_at_shelf_life else np.full(products, 10)
    maximum = np.ceil(base * cover[None, :])
    # lots per store-product: [quantity, expiry day, markdown]; orders: (arrival day, store,
    # product, qty). A lot is sold up to the evening of its expiry day, then thrown away.
    lots = [[[] for _p in range(products)] for _s in range(stores)]
    for s in range(stores):
        for p in range(products):
            lots[s][p].append([float(maximum[s, p]), float(rng.integers(1, shelf_life[p] + 1)), 0.0])
    on_order = np.zeros((stores, products))
    arrivals = {}
    transfers = {}
    sales_history = np.zeros((days, stores, products))
    stockout_history = np.zeros((days, stores, products), dtype=bool)
    # the deepest markdown on the shelf each day: a promotion day, read with its lift taken out
    promotion_history = np.zeros((days, stores, products))
    soldout_history = np.zeros((days, stores, products), dtype=bool)
    speed = None
    stockout_days = lost = expired = sold_total = moved = revenue = expired_cost = sold_cost = 0.0
    marked_down_units = 0.0
    expired_by_product = np.zeros(products)
    inventory_sum = 0.0
    for day in range(days):
        # morning: deliveries from the DC and from other stores
        for s, p, qty in arrivals.pop(day, []):
            lots[s][p].append([qty, float(day + shelf_life[p]), 0.0])
            on_order[s, p] -= qty
        for s, p, qty, expiry in transfers.pop(day, []):
            lots[s][p].append([qty, expiry, 0.0])
        if smart and day >= 14 and day % 7 == 0:
            # the nightly job, weekly here: forecast, then the levels HQ approves
            minimum, maximum, speed = smart_levels(
                day,
                sales_history,
                stockout_history,
                soldout_history,
                promotion_history,
                markdown_lift,
                shelf_life,
                lead_time,
                service_level,
            )
        if use_planner and day >= 7:
            moved += plan_transfers(day, lots, on_order, sales_history, stockout_history, transfers, speed=speed)
        if smart:
            mark_down(day, lots, speed if speed is not None else base.ravel(), price, cost)
        # the day's sales, first expiring first
        for s in range(stores):
            for p in range(products):
                stock = lots[s][p]
                stock.sort(key=lambda lot: lot[1])
                want = float(demand[day, s, p])
                have = sum(lot[0] for lot in stock)
                # ordinary demand the shelf cannot meet is a stockout; the extra customers a
                # markdown brings (more the deeper the reduction) buy only what is there
                if want > have:
                    stockout_days += 1
                    lost += want - have
                marked = [lot for lot in stock if lot[2] > 0]
                if marked:
                    promotion_history[day, s, p] = max(lot[2] for lot in marked)
                    lure = markdown_lift * max(lot[2] for lot in marked) * base[s, p] * WEEK[day % 7]
                    want += float(rng.poisson(lure))
                sell = min(want, have)
                sales_history[day, s, p] = sell
                stockout_history[day, s, p] = have <= 0
                soldout_history[day, s, p] = want >= have
                remaining = sell
                for lot in stock:
                    take = min(lot[0], remaining)
                    lot[0] -= take
                    remaining -= take
                    revenue += take * price[p] * (1.0 - lot[2])
                    marked_down_units += take if lot[2] > 0 else 0.0
                # evening: expired lots are thrown away
                thrown_away = sum(lot[0] for lot in stock if lot[1] <= day)
                expired += thrown_away
                expired_cost += thrown_away * cost[p]
                expired_by_product[p] += thrown_away
                lots[s][p] = [lot for lot in stock if lot[1] > day and lot[0] > 0]
                sold_total += sell
                sold_cost += sell * cost[p]
                position = sum(lot[0] for lot in lots[s][p]) + on_order[s, p]
                inventory_sum += position - on_order[s, p]
                # min/max: order up to the maximum when at or below the minimum
                if position <= minimum[s, p]:
                    qty = maximum[s, p] - position
                    if qty > 0:
                        arrivals.setdefault(day + lead_time, []).append((s, p, qty))
                        on_order[s, p] += qty
    average_inventory = inventory_sum / days
    return {
        "stockout_rate": stockout_days / (days * stores * products),
        "lost": lost,
        "expired": expired,
        "sold": sold_total,
        "turnover": sold_total / max(average_inventory, 1e-9) * (365 / days),
        "moved": moved,
        "expired_by_product": expired_by_product,
        "revenue": revenue,
        "margin": revenue - sold_cost - expired_cost,
        "marked_down": marked_down_units,
    }


def as_series(history):
    """(days x stores x products) -> (store-product pairs x days), pair = store * products + product."""
    days, stores, products = history.shape
    return history.transpose(1, 2, 0).reshape(stores * products, days)


def smart_levels(
    day,
    sales_history,
    censored_history,
    soldout_history,
    promotion_history,
    markdown_lift,
    shelf_life,
    lead_time,
    service_level,
):
    """Reorder point and order-up-to per store-product from the forecast of the days so far.

    The order-up-to level never holds more than the forecast sells before fresh goods expire
    (lead time plus shelf life, less a day): a product that keeps five days is not ordered
    for ten. Returns (minimum, maximum, demand per day over the next week).
    """
    _days, stores, products = sales_history.shape
    history = as_series(sales_history[:day])
    censored = as_series(censored_history[:day])
    # a markdown day sold more than ordinary demand: what it sold, less the markdown's lift
    rate = as_series(promotion_history[:day])
    history = history / (1.0 + markdown_lift * rate)
    # a day that sold out says only that demand was at least what sold: read it as the
    # larger of the two, what sold and the series' usual demand for that weekday
    soldout = as_series(soldout_history[:day]) & ~censored
    history = np.where(soldout, np.maximum(history, forecast_tool.impute(history, soldout | censored)), history)
    result = forecast_tool.forecast(history, censored, horizon=28, first_weekday=0)
    reorder_point, order_up_to, _safety = replenishment_tool.levels(
        result.mean, result.sigma, lead_time, 1, service_level
    )
    sellable = np.clip(np.tile(shelf_life, stores) + lead_time - 1, 0, 28)
    order_up_to = np.maximum(
        np.minimum(order_up_to, np.ceil(replenishment_tool.demand_over(result.mean, sellable))), reorder_point
    )
    shape = (stores, products)
    return reorder_point.reshape(shape), order_up_to.reshape(shape), result.mean[:, :7].mean(axis=1)


def lot_arrays(lots, day):
    """Every lot on hand as arrays: pair index, units, days it can still be sold, and the lot."""
    products = len(lots[0])
    pair, quantity, days_left, refs = [], [], [], []
    for s, store_lots in enumerate(lots):
        for p, pair_lots in enumerate(store_lots):
            for lot in pair_lots:
                pair.append(s * products + p)
                quantity.append(lot[0])
                # sold today too, thrown away in the evening of its expiry day
                days_left.append(lot[1] - day + 1)
                refs.append(lot)
    return np.array(pair, dtype=np.int64), np.array(quantity), np.array(days_left, dtype=float), refs


def mark_down(day, lots, speed, price, cost):
    """Stepwise markdowns of the lots that will not sell before they expire at forecast demand.

    The steps are the addon's (``expiry.markdown_rate``: 15 % a week before, 30 % three days
    before, 50 % on the last day), never below cost (the margin floor).
    """
    products = len(lots[0])
    pair, quantity, days_left, refs = lot_arrays(lots, day)
    if not len(pair):
        return
    order = np.lexsort((days_left, pair))
    through = np.zeros(len(pair))
    sorted_pair = pair[order]
    cumulative = np.cumsum(quantity[order])
    first = np.r_[True, sorted_pair[1:] != sorted_pair[:-1]]
    offset = np.maximum.accumulate(np.where(first, cumulative - quantity[order], 0.0))
    through[order] = cumulative - offset
    pair_speed = np.asarray(speed, dtype=float)[pair]
    days_to_sell = np.divide(through, pair_speed, out=np.full(len(pair), np.inf), where=pair_speed > 0)
    rate = expiry_tool.markdown_rate(days_left, days_to_sell)
    floor = 1.0 - cost / np.maximum(price, 1e-9)
    rate = np.minimum(rate, floor[pair % products])
    # a lot with less than a unit at risk sells in time near enough: no markdown
    rate = np.where(expiry_tool.units_at_risk(pair, quantity, days_left, speed) >= 1.0, rate, 0.0)
    for lot, lot_rate in zip(refs, rate, strict=True):
        lot[2] = float(lot_rate)


def plan_transfers(day, lots, on_order, sales_history, stockout_history, transfers, speed=None):
    stores, products = len(lots), len(lots[0])
    if speed is None:
        window = slice(max(0, day - 14), day)
        sales = as_series(sales_history[window])
        out = as_series(stockout_history[window])
        speed = velocity_tool.velocity(sales, out)
    store = np.repeat(np.arange(stores), products)
    product = np.tile(np.arange(products), stores)
    on_hand = np.zeros(stores * products)
    lot_pair, lot_id, lot_qty, lot_days = [], [], [], []
    lot_index = {}
    for s in range(stores):
        for p in range(products):
            pair = s * products + p
            for lot in lots[s][p]:
                on_hand[pair] += lot[0]
                lot_index[len(lot_id)] = lot
                lot_pair.append(pair)
                lot_id.append(len(lot_id))
                lot_qty.append(lot[0])
                lot_days.append(lot[1] - day)
    # what the stores have ordered from the distribution centre arrives later: incoming
    moves = planner.plan(
        store,
        product,
        on_hand,
        np.zeros_like(on_hand),
        on_order.ravel(),
        speed,
        target_days=7,
        min_days=2,
        min_transfer_qty=2,
        lot_pair=lot_pair,
        lot_id=lot_id,
        lot_qty=lot_qty,
        lot_days_left=lot_days,
    )
    moved = 0.0
    for move in moves:
        lot = lot_index[move.lot]
        lot[0] -= move.quantity
        transfers.setdefault(day + 1, []).append((move.destination, move.product, move.quantity, lot[1]))
        moved += move.quantity
    return moved


def run_seed(args, seed):
    rng = np.random.default_rng(seed)
    base, demand = demand_model(rng, args.stores, args.products, args.days)
    shelf_life = rng.choice([5, 7, 10, 14, 30, 60], args.products)
    price = np.round(rng.uniform(3, 40, args.products), 1)
    cost = np.round(price * rng.uniform(0.6, 0.78, args.products), 2)
    cap = args.cap_at_shelf_life
    minmax = "min/max capped at shelf life" if cap else "Odoo min/max"
    common = {"lead_time": args.lead_time, "seed": seed, "price": price, "cost": cost}
    results = {
        minmax: simulate(demand, base, shelf_life, use_planner=False, cap_at_shelf_life=cap, **common),
        f"{minmax} + dispatch planner": simulate(
            demand, base, shelf_life, use_planner=True, cap_at_shelf_life=cap, **common
        ),
    }
    if not args.no_smart:
        results["forecast replenishment + planner + markdowns"] = simulate(
            demand,
            base,
            shelf_life,
            use_planner=True,
            smart=True,
            markdown_lift=args.markdown_lift,
            service_level=args.service_level,
            **common,
        )
    return results, shelf_life


def print_table(results):
    print(
        "| variant | stockout days (% of store-product days) | units lost to stockout | units expired "
        "| units sold | turnover (per year) | units moved between stores | units sold marked down "
        "| margin after markdowns and waste |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        print(
            f"| {name} | {result['stockout_rate']:.1%} | {result['lost']:,.0f} | {result['expired']:,.0f} "
            f"| {result['sold']:,.0f} | {result['turnover']:.1f} | {result['moved']:,.0f} "
            f"| {result['marked_down']:,.0f} | {result['margin']:,.0f} |"
        )


def changes(first, other):
    return (
        other["stockout_rate"] / first["stockout_rate"] - 1,
        other["expired"] / max(first["expired"], 1) - 1,
        other["turnover"] / first["turnover"] - 1,
        other["margin"] / first["margin"] - 1,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--lead-time", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--seeds",
        default="",
        help="comma-separated seeds: one table each and the changes over all of them "
        "(the held-out seeds 101-105 are the README's)",
    )
    parser.add_argument(
        "--markdown-lift",
        type=float,
        default=2.0,
        help="extra demand a markdown brings, per unit of reduction (2.0: 30 %% off sells "
        "60 %% more of the product that day)",
    )
    parser.add_argument("--service-level", type=float, default=0.95)
    parser.add_argument("--no-smart", action="store_true", help="only the two min/max variants")
    parser.add_argument(
        "--cap-at-shelf-life",
        action="store_true",
        help="what-if: min/max orders no more than a product sells within its shelf life",
    )
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",") if seed.strip()] or [args.seed]
    cap = args.cap_at_shelf_life
    pairs = args.stores * args.products
    summary = []
    for seed in seeds:
        results, shelf_life = run_seed(args, seed)
        print(
            f"\n{args.stores} stores x {args.products} products ({pairs} pairs), {args.days} days, "
            f"DC lead time {args.lead_time} days, seed {seed}"
            f"{'; what-if: orders capped at the shelf life' if cap else ''}\n"
        )
        print_table(results)
        first, *others = results.values()
        print()
        for name, other in zip(list(results)[1:], others, strict=True):
            stockout, expired, turnover, margin = changes(first, other)
            print(
                f"{name}: stockout days {stockout:+.0%}, expired units {expired:+.0%}, "
                f"turnover {turnover:+.0%}, margin {margin:+.0%}."
            )
        short_lived = shelf_life <= 7
        print(
            f"Products that keep 7 days or less ({short_lived.sum()} of {args.products}) account for "
            + ", ".join(
                f"{result['expired_by_product'][short_lived].sum() / max(result['expired'], 1):.0%} "
                f"of the expired units ({name})"
                for name, result in results.items()
            )
            + "."
        )
        summary.append(results)
    if len(seeds) > 1:
        print(f"\nOver seeds {', '.join(map(str, seeds))} (mean change against {next(iter(summary[0]))}):\n")
        print("| variant | stockout days | units expired | turnover | margin after markdowns and waste |")
        print("|---|---:|---:|---:|---:|")
        for name in list(summary[0])[1:]:
            rows = np.array([changes(next(iter(results.values())), results[name]) for results in summary])
            low, high = rows.min(axis=0), rows.max(axis=0)
            print(
                f"| {name} | "
                + " | ".join(
                    f"{mean:+.0%} ({lo:+.0%} to {hi:+.0%})"
                    for mean, lo, hi in zip(rows.mean(axis=0), low, high, strict=True)
                )
                + " |"
            )


if __name__ == "__main__":
    main()
