"""Dispatch planner against Odoo's own min/max replenishment, per store-product pair.

Builds (once, set-based SQL) a chain of 50 stores x 5,000 products = 250,000 store-product
pairs with stock, lots with expiry dates and four weeks of sales, then in the same process:

* ours: a full dispatch plan — read the chain, plan, write the proposal lines;
* core: ``stock.rule.run_scheduler()`` on min/max orderpoints of a sample of the same chain
  (2 stores x 100 products, resupplied from the distribution centre).

Each variant runs inside a savepoint that is rolled back, alternating, and the medians are
reported per store-product pair.

    python3 bench/retail_inventory_planner.py -c odoo.conf -d DATABASE [--stores 50 --products 5000]

The database needs ``retail_inventory`` installed; the fixture is added to it on first run.
"""

import argparse
import os
import statistics
import time

import numpy as np

import odoo
from odoo.tools import config

PREFIX = "BENCH"


def build_fixture(env, stores, products, seed):
    cr = env.cr
    Warehouse = env["stock.warehouse"]
    existing = Warehouse.search([("code", "=like", "BS%")])
    if len(existing) >= stores + 1:
        return
    rng = np.random.default_rng(seed)
    company = env.company
    dc = Warehouse.create({"name": f"{PREFIX} DC", "code": "BSDC", "retail_store_type": "dc"})
    Warehouse.create([
        {"name": f"{PREFIX} Store {index:02d}", "code": f"BS{index:02d}", "retail_store_type": "store",
         "retail_target_days": 7, "retail_min_days": 2, "retail_min_transfer_qty": 2}
        for index in range(1, stores + 1)
    ])
    uom = env.ref("uom.product_uom_unit").id
    category = env["product.category"].create({"name": f"{PREFIX} goods"}).id
    lot_products = products // 5
    cr.execute("""
        INSERT INTO product_template (name, type, is_storable, tracking, service_tracking, uom_id, categ_id,
                                      active, sale_ok, purchase_ok, use_expiration_date, default_code)
        SELECT jsonb_build_object('en_US', %s || ' product ' || n), 'consu', TRUE,
               CASE WHEN n <= %s THEN 'lot' ELSE 'none' END, 'no', %s, %s, TRUE, TRUE, TRUE, n <= %s,
               %s || '-' || n
          FROM generate_series(1, %s) n
        RETURNING id
    """, [PREFIX, lot_products, uom, category, lot_products, PREFIX, products])
    template_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute("""
        INSERT INTO product_product (product_tmpl_id, active, default_code)
        SELECT id, TRUE, default_code FROM product_template WHERE id = ANY(%s) ORDER BY id
        RETURNING id
    """, [template_ids])
    product_ids = np.array(sorted(row[0] for row in cr.fetchall()))
    warehouses = Warehouse.search([("code", "=like", "BS%")], order="id")
    env.flush_all()
    stock_locations = np.array([w.lot_stock_id.id for w in warehouses if w != dc])
    customer = env.ref("stock.stock_location_customers").id

    pair_store = np.repeat(np.arange(stores), products)
    pair_product = np.tile(np.arange(products), stores)
    store_effect = rng.uniform(0.3, 2.0, stores)
    product_effect = rng.gamma(0.8, 2.5, products)
    speed = store_effect[pair_store] * product_effect[pair_product]
    on_hand = np.floor(speed * rng.uniform(0, 14, len(speed)))
    sold = rng.poisson(speed * 14, (2, len(speed)))

    # lots: the first fifth of the products are lot-tracked, one lot per store and product
    lotted = pair_product < lot_products
    days_left = rng.integers(1, 40, len(speed))

    cr.execute("""
        INSERT INTO stock_lot (name, product_id, company_id, expiration_date)
        SELECT %s || '-' || pair, product, %s, now() + make_interval(days => days_left)
          FROM unnest(%s::int[], %s::int[], %s::int[]) AS t(pair, product, days_left)
        RETURNING id, name
    """, [PREFIX, company.id, np.flatnonzero(lotted).tolist(),
          product_ids[pair_product[lotted]].tolist(), days_left[lotted].tolist()])
    lot_by_pair = {int(name.rsplit("-", 1)[1]): lot_id for lot_id, name in cr.fetchall()}
    quant_pairs = np.flatnonzero(on_hand > 0)
    cr.execute("""
        INSERT INTO stock_quant (product_id, location_id, quantity, reserved_quantity, in_date, company_id, lot_id)
        SELECT product, location, qty, 0, now() - interval '30 days', %s, NULLIF(lot, 0)
          FROM unnest(%s::int[], %s::int[], %s::float8[], %s::int[]) AS t(product, location, qty, lot)
    """, [company.id, product_ids[pair_product[quant_pairs]].tolist(),
          stock_locations[pair_store[quant_pairs]].tolist(), on_hand[quant_pairs].tolist(),
          [lot_by_pair.get(int(index), 0) for index in quant_pairs]])
    # two done sales moves per pair within the last four weeks
    cr.execute("""
        INSERT INTO stock_move (product_id, location_id, location_dest_id, product_uom_qty, product_qty, quantity,
                                product_uom, state, date, company_id, procure_method)
        SELECT product, location, %s, qty, qty, qty, %s, 'done', now() - make_interval(days => age),
               %s, 'make_to_stock'
          FROM unnest(%s::int[], %s::int[], %s::float8[], %s::int[]) AS t(product, location, qty, age)
         WHERE qty > 0
    """, [customer, uom, company.id,
          np.tile(product_ids[pair_product], 2).tolist(), np.tile(stock_locations[pair_store], 2).tolist(),
          sold.ravel().astype(float).tolist(), np.repeat([3, 15], len(speed)).tolist()])
    cr.execute("ANALYZE stock_quant; ANALYZE stock_move; ANALYZE stock_lot; ANALYZE stock_location")
    env.invalidate_all()
    env.registry.clear_cache()
    cr.commit()


def sample_orderpoints(env, stores=2, products=100):
    dc = env["stock.warehouse"].search([("code", "=", "BSDC")])
    warehouses = env["stock.warehouse"].search([("code", "=like", "BS0%")], order="code", limit=stores)
    warehouses.write({"resupply_wh_ids": [(6, 0, dc.ids)]})
    product_ids = env["product.product"].search([("default_code", "=like", f"{PREFIX}-%"), ("tracking", "=", "none")],
                                                limit=products, order="id").ids
    env.cr.execute("""
        INSERT INTO stock_quant (product_id, location_id, quantity, reserved_quantity, in_date, company_id)
        SELECT product, %s, 100000, 0, now(), %s FROM unnest(%s::int[]) AS product
    """, [dc.lot_stock_id.id, env.company.id, product_ids])
    orderpoints = []
    for warehouse in warehouses:
        route = warehouse.resupply_route_ids[:1]
        orderpoints += [{
            "warehouse_id": warehouse.id, "location_id": warehouse.lot_stock_id.id, "product_id": product_id,
            "product_min_qty": 1000, "product_max_qty": 2000, "route_id": route.id, "trigger": "auto",
        } for product_id in product_ids]
    env["stock.warehouse.orderpoint"].create(orderpoints)
    env.flush_all()
    return len(orderpoints)


def timed(env, function):
    cr = env.cr
    cr.execute("SAVEPOINT bench_variant")
    queries = cr.sql_log_count
    start = time.perf_counter()
    function()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    cr.execute("ROLLBACK TO SAVEPOINT bench_variant")
    env.invalidate_all()
    return elapsed, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        build_fixture(env, args.stores, args.products, args.seed)
        stores = env["stock.warehouse"].search([("code", "=like", "BS%")])
        stores.invalidate_recordset()
        cr.execute("SELECT count(*) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id "
                   "WHERE l.warehouse_id = ANY(%s)", [stores.ids])
        quants = cr.fetchone()[0]

        proposal = env["retail.dispatch.proposal"].create({"store_ids": [(6, 0, stores.ids)]})
        cr.execute("SAVEPOINT bench_orderpoints")
        sample = sample_orderpoints(env)
        env.flush_all()

        ours, core, lines = [], [], []
        phases = {"read": [], "plan": [], "write": []}

        def plan():
            # the steps of action_plan, timed one by one
            start = time.perf_counter()
            chain = proposal._retail_read_chain(stores, proposal.velocity_days, proposal.demand_basis)
            read = time.perf_counter()
            moves = proposal._retail_run_planner(chain)
            planned = time.perf_counter()
            proposal._retail_replace_lines(chain, moves)
            env.flush_all()
            phases["read"].append(read - start)
            phases["plan"].append(planned - read)
            phases["write"].append(time.perf_counter() - planned)
            lines.append(len(moves["quantity"]))

        for _round in range(args.repeat):
            ours.append(timed(env, plan))
            core.append(timed(env, lambda: env["stock.rule"].run_scheduler()))
        cr.execute("ROLLBACK TO SAVEPOINT bench_orderpoints")
        cr.rollback()

    pairs = args.stores * args.products
    our_time = statistics.median(t for t, _q in ours)
    core_time = statistics.median(t for t, _q in core)
    our_pair = our_time / pairs
    core_pair = core_time / sample
    print(f"\n{args.stores} stores x {args.products} products = {pairs:,} pairs ({quants:,} quants); "
          f"{lines[-1]:,} lines proposed; medians of {args.repeat} interleaved runs\n")
    print("| variant | pairs | time (s) | queries | ms per pair | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| dispatch plan (read, plan, write) | {pairs:,} | {our_time:.2f} | {ours[-1][1]} | "
          f"{our_pair * 1000:.4f} | 1 |")
    print(f"| core run_scheduler (min/max orderpoints) | {sample:,} | {core_time:.2f} | {core[-1][1]:,} | "
          f"{core_pair * 1000:.2f} | {core_pair / our_pair:,.0f}x slower |")
    print("\nDispatch plan by phase (medians, s): " + ", ".join(
        f"{name} {statistics.median(values):.2f}" for name, values in phases.items()))
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
