"""Cost of the store rules on stock quants and moves, at the bench scale of the dispatch planner.

Uses the chain of ``retail_inventory_planner.py`` (50 stores x 5,000 products: about 240,000
quants and 500,000 done sales moves; built on first run). The same screens are read, in the same
process, by:

* core: a user with Odoo's own Inventory user rights who filters one store by hand
  (``location_id.warehouse_id = store``); no retail rule applies;
* store staff: a user of that store only; the retail record rule does the filtering.

The screens: the stock list (first page and count), stock grouped by product, and the moves
history (first page and count). Runs are interleaved; medians are reported, and the ratio is store
staff against core.

    python3 bench/retail_inventory_stock_rights.py -c odoo.conf -d DATABASE [--rounds 7]
"""

import argparse
import importlib.util
import os
import statistics
import time
from pathlib import Path

import odoo
from odoo.tools import config

QUANT_FIELDS = ["product_id", "location_id", "lot_id", "quantity", "reserved_quantity", "product_uom_id"]
MOVE_FIELDS = ["date", "reference", "product_id", "location_id", "location_dest_id", "quantity", "state"]


def planner_bench():
    path = Path(__file__).with_name("retail_inventory_planner.py")
    spec = importlib.util.spec_from_file_location("retail_inventory_planner_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def screens(env, store_filter):
    """The reads of the three screens, as one user, with an optional hand-typed store filter."""
    quant_domain = [("location_id.usage", "in", ["internal", "transit"])] + store_filter["quant"]
    move_domain = [("state", "=", "done")] + store_filter["move"]
    Quant, Move = env["stock.quant"], env["stock.move"]
    return {
        "stock list": lambda: (Quant.search_read(quant_domain, QUANT_FIELDS, limit=80),
                               Quant.search_count(quant_domain)),
        "stock by product": lambda: Quant.formatted_read_group(
            quant_domain, ["product_id"], ["quantity:sum"], limit=80),
        "moves history": lambda: (Move.search_read(move_domain, MOVE_FIELDS, limit=80, order="date desc"),
                                  Move.search_count(move_domain)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        planner_bench().build_fixture(env, args.stores, args.products, args.seed)
        store = env["stock.warehouse"].search([("code", "=", "BS01")])
        cr.execute("SAVEPOINT bench_users")
        Users = env["res.users"].with_context(no_reset_password=True)
        core_user = Users.create({
            "name": "Bench inventory user", "login": "bench_stock_user",
            "group_ids": [(6, 0, [env.ref("stock.group_stock_user").id])],
        })
        staff_user = Users.create({
            "name": "Bench store staff", "login": "bench_store_staff",
            "group_ids": [(6, 0, [env.ref("retail_base.group_retail_staff").id])],
            "retail_store_ids": [(6, 0, store.ids)],
        })
        env.flush_all()
        by_hand = {
            "quant": [("location_id.warehouse_id", "=", store.id)],
            "move": ["|", ("location_id.warehouse_id", "=", store.id),
                     ("location_dest_id.warehouse_id", "=", store.id)],
        }
        variants = {
            "core": screens(env(user=core_user), by_hand),
            "store staff": screens(env(user=staff_user), {"quant": [], "move": []}),
        }
        times = {variant: {screen: [] for screen in reads} for variant, reads in variants.items()}
        counts = {}
        for _round in range(args.rounds):
            for variant, reads in variants.items():
                for screen, read in reads.items():
                    env.invalidate_all()
                    start = time.perf_counter()
                    result = read()
                    times[variant][screen].append(time.perf_counter() - start)
                    counts[variant, screen] = result[1] if isinstance(result, tuple) else len(result)
        cr.execute("ROLLBACK TO SAVEPOINT bench_users")
        cr.rollback()

    print(f"\n{args.stores} stores x {args.products} products; one store read by each user; "
          f"medians of {args.rounds} interleaved rounds\n")
    print("| screen | rows | core, store typed in (ms) | store staff, by rule (ms) | ratio |")
    print("|---|---:|---:|---:|---:|")
    for screen in times["core"]:
        core = statistics.median(times["core"][screen]) * 1000
        staff = statistics.median(times["store staff"][screen]) * 1000
        rows = counts["store staff", screen]
        same = "" if rows == counts["core", screen] else f" (core: {counts['core', screen]:,})"
        print(f"| {screen} | {rows:,}{same} | {core:.1f} | {staff:.1f} | {staff / core:.2f}x |")
    print(f"\nLoad average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
