"""Simulated chain: Odoo-style min/max replenishment alone against min/max plus the dispatch planner.

Pure Python over the addon's ``tools/`` (no database). Seeded: the same command prints the
same table.

    python3 bench/retail_inventory_simulation.py [--stores 20 --products 60 --days 90 --seed 1]

The chain: every store sells every product with a weekly pattern, Poisson noise and a demand
level that drifts differently per store (what sold well in one store last month sells less now
— the reason stock ends up in the wrong store). Goods come from the distribution centre with a
lead time, fresh, and expire after their shelf life; stores sell the earliest-expiring lot
first. Replenishment is Odoo's min/max: when a store's position (on hand + on order) falls to
the minimum, it orders up to the maximum, both set from the demand forecast at the start. The
second variant runs the same replenishment and, every morning, the dispatch planner between
stores (transfers arrive the next morning). The planner sees what the addon reads: stock and
lots on hand, and what the stores have on order from the distribution centre (incoming).

``--cap-at-shelf-life`` is a what-if, not a feature of the addon: min/max never orders more
than a product sells within its shelf life. It shows how much of the waste comes from ordering
rather than from stock sitting in the wrong store.
"""

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

TOOLS = Path(__file__).resolve().parent.parent / "addons" / "retail_inventory" / "tools"


def load_tools():
    spec = importlib.util.spec_from_file_location(
        "retail_inventory_tools", TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["retail_inventory_tools"] = module
    spec.loader.exec_module(module)
    return module


tools = load_tools()
planner, velocity_tool = tools.planner, tools.velocity

WEEK = np.array([0.8, 0.85, 0.9, 0.95, 1.1, 1.35, 1.05])


def demand_model(rng, stores, products, days):
    base = rng.gamma(1.5, 2.0, products)[None, :] * rng.uniform(0.4, 1.8, stores)[:, None]
    # each store-product drifts on its own: multiplicative random walk
    drift = np.exp(np.cumsum(rng.normal(0, 0.06, (days, stores, products)), axis=0))
    rate = base[None, :, :] * drift * WEEK[np.arange(days) % 7][:, None, None]
    return base, rng.poisson(rate)


def simulate(demand, base, shelf_life, *, use_planner, lead_time, seed, cap_at_shelf_life=False):
    days, stores, products = demand.shape
    rng = np.random.default_rng(seed)
    minimum = np.ceil(base * 3)
    cover = np.minimum(10, shelf_life - 1) if cap_at_shelf_life else np.full(products, 10)
    maximum = np.ceil(base * cover[None, :])
    # lots per store-product: [quantity, expiry day]; orders: (arrival day, store, product, qty)
    lots = [[[] for _p in range(products)] for _s in range(stores)]
    for s in range(stores):
        for p in range(products):
            lots[s][p].append([float(maximum[s, p]), float(rng.integers(1, shelf_life[p] + 1))])
    on_order = np.zeros((stores, products))
    arrivals = {}
    transfers = {}
    sales_history = np.zeros((days, stores, products))
    stockout_history = np.zeros((days, stores, products), dtype=bool)
    stockout_days = lost = expired = sold_total = moved = 0.0
    expired_by_product = np.zeros(products)
    inventory_sum = 0.0
    for day in range(days):
        # morning: deliveries from the DC and from other stores
        for s, p, qty in arrivals.pop(day, []):
            lots[s][p].append([qty, float(day + shelf_life[p])])
            on_order[s, p] -= qty
        for s, p, qty, expiry in transfers.pop(day, []):
            lots[s][p].append([qty, expiry])
        if use_planner and day >= 7:
            moved += plan_transfers(day, lots, on_order, sales_history, stockout_history, transfers)
        # the day's sales, first expiring first
        for s in range(stores):
            for p in range(products):
                stock = lots[s][p]
                stock.sort(key=lambda lot: lot[1])
                want = float(demand[day, s, p])
                have = sum(lot[0] for lot in stock)
                sell = min(want, have)
                sales_history[day, s, p] = sell
                stockout_history[day, s, p] = have <= 0
                if want > have:
                    stockout_days += 1
                    lost += want - have
                remaining = sell
                for lot in stock:
                    take = min(lot[0], remaining)
                    lot[0] -= take
                    remaining -= take
                # evening: expired lots are thrown away
                thrown_away = sum(lot[0] for lot in stock if lot[1] <= day)
                expired += thrown_away
                expired_by_product[p] += thrown_away
                lots[s][p] = [lot for lot in stock if lot[1] > day and lot[0] > 0]
                sold_total += sell
                position = sum(lot[0] for lot in lots[s][p]) + on_order[s, p]
                inventory_sum += position - on_order[s, p]
                # min/max: order up to the maximum when at or below the minimum
                if position <= minimum[s, p]:
                    qty = maximum[s, p] - position
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
    }


def plan_transfers(day, lots, on_order, sales_history, stockout_history, transfers):
    stores, products = len(lots), len(lots[0])
    window = slice(max(0, day - 14), day)
    sales = sales_history[window].transpose(1, 2, 0).reshape(stores * products, -1)
    out = stockout_history[window].transpose(1, 2, 0).reshape(stores * products, -1)
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
        store, product, on_hand, np.zeros_like(on_hand), on_order.ravel(), speed,
        target_days=7, min_days=2, min_transfer_qty=2,
        lot_pair=lot_pair, lot_id=lot_id, lot_qty=lot_qty, lot_days_left=lot_days,
    )
    moved = 0.0
    for move in moves:
        lot = lot_index[move.lot]
        lot[0] -= move.quantity
        transfers.setdefault(day + 1, []).append((move.destination, move.product, move.quantity, lot[1]))
        moved += move.quantity
    return moved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--lead-time", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap-at-shelf-life", action="store_true",
                        help="what-if: min/max orders no more than a product sells within its shelf life")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    base, demand = demand_model(rng, args.stores, args.products, args.days)
    shelf_life = rng.choice([5, 7, 10, 14, 30, 60], args.products)
    cap = args.cap_at_shelf_life
    minmax = "min/max capped at shelf life" if cap else "Odoo min/max"
    results = {
        minmax: simulate(demand, base, shelf_life, use_planner=False, lead_time=args.lead_time, seed=args.seed,
                         cap_at_shelf_life=cap),
        f"{minmax} + dispatch planner": simulate(demand, base, shelf_life, use_planner=True,
                                                 lead_time=args.lead_time, seed=args.seed, cap_at_shelf_life=cap),
    }
    pairs = args.stores * args.products
    print(f"\n{args.stores} stores x {args.products} products ({pairs} pairs), {args.days} days, "
          f"DC lead time {args.lead_time} days, seed {args.seed}"
          f"{'; what-if: orders capped at the shelf life' if cap else ''}\n")
    print("| variant | stockout days (% of store-product days) | units lost to stockout | units expired "
          "| units sold | turnover (per year) | units moved between stores |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        print(f"| {name} | {result['stockout_rate']:.1%} | {result['lost']:,.0f} | {result['expired']:,.0f} "
              f"| {result['sold']:,.0f} | {result['turnover']:.1f} | {result['moved']:,.0f} |")
    first, second = results.values()
    print(f"\nStockout days {second['stockout_rate'] / first['stockout_rate'] - 1:+.0%}, "
          f"expired units {second['expired'] / max(first['expired'], 1) - 1:+.0%}, "
          f"turnover {second['turnover'] / first['turnover'] - 1:+.0%} with the planner.")
    short_lived = shelf_life <= 7
    print(f"Products that keep 7 days or less ({short_lived.sum()} of {args.products}) account for "
          + ", ".join(f"{result['expired_by_product'][short_lived].sum() / max(result['expired'], 1):.0%} "
                      f"of the expired units ({name})" for name, result in results.items()) + ".")


if __name__ == "__main__":
    main()
