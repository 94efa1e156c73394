"""Time the daily close packs, the dashboard and the anomaly scan against raw SQL.

    python3 bench/retail_analytics_close_scan_dashboard.py -c odoo.conf -d DB --setup
    python3 bench/retail_analytics_close_scan_dashboard.py -c odoo.conf -d DB [--rounds 5]

DB must have retail_analytics installed. ``--setup`` builds (and commits) the bench chain
with set-based SQL: 50 stores with a till each, 5,000 products (250,000 store-products),
91 days of paid orders (120 orders of 3.3 lines per store and day by default: 1.8 M lines)
and stock for 90% of the store-products. Measuring runs in one transaction, rolled back.

Each figure is the median of ``--rounds`` runs, interleaved with its raw-SQL floor: the same
aggregate as one plain query whose rows are fetched into Python, without the ORM:
- close packs: the store x day and store x product x day aggregates of the day, the closed
  sessions and the on-hand of the sold products;
- dashboard from the close packs: the packs' figures per day of the three periods and the
  on-hand of the stores;
- dashboard without close packs (a fresh database, or days not packed yet): the order lines
  of the 35 days of this and last week's periods and of last year's period, summed per day
  with their tickets, and the on-hand per store-product;
- anomaly scan (sales spike, 90-day baseline): the store x product x day quantities of the
  91 days;
- with ``retail_inventory`` installed too (its bridge ``retail_inventory_analytics`` leaves the
  days without stock and the promotion days out of the baselines), the same scan on the demand
  history: ``--setup`` then books each store's sales of a day as done stock moves too (one per
  product, as a session's closing does), and the floor adds the on-hand and the moves of the
  window. The first scan row is then the scan without the history, for the cost of reading it.
"""

import argparse
import datetime
import statistics
import threading
import time

from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

STORES = 50
PRODUCTS = 5000
DAYS = 91
ORDERS_PER_STORE_DAY = 120
LINES_PER_ORDER = 3.3


def setup(env, stores, products, days, orders, lines_per_order):
    """Create the stores, tills and products once, then (re)write the orders, lines and stock
    with set-based SQL and build the close packs of the last five weeks."""
    cr = env.cr
    company = env.company
    warehouses = env["stock.warehouse"].search([("code", "=like", "BS%"), ("retail_store_type", "=", "store")])
    if not warehouses:
        warehouses = env["stock.warehouse"].create([
            {"name": f"Bench Store {i:02d}", "code": f"BS{i:02d}", "retail_store_type": "store"}
            for i in range(stores)])
        card = env["pos.payment.method"].create({"name": "Bench Card"})
        configs = env["pos.config"].create([
            {"name": f"Bench Till {i:02d}", "warehouse_id": w.id, "payment_method_ids": [(6, 0, card.ids)]}
            for i, w in enumerate(warehouses)])
        # the point of sale opens one session per call
        for till in configs:
            env["pos.session"].create({"config_id": till.id, "user_id": env.uid})
        env["product.template"].create([
            {"name": f"Bench Product {i:05d}", "list_price": 2.0 + i % 50, "standard_price": 1.0 + (i % 50) * 0.6,
             "is_storable": True, "barcode": f"BENCH{i:05d}"} for i in range(products)])
        env.flush_all()
    cr.execute("""
        CREATE TEMP TABLE bench_session AS
        SELECT row_number() OVER (ORDER BY s.id) - 1 AS store_index, s.id AS session_id, s.config_id
          FROM pos_session s JOIN pos_config c ON c.id = s.config_id
         WHERE c.warehouse_id = ANY(%s) AND s.state = 'opening_control'
    """, [warehouses.ids])
    cr.execute("""
        CREATE TEMP TABLE bench_product AS
        SELECT row_number() OVER (ORDER BY p.id) - 1 AS product_index, p.id AS product_id,
               (p.standard_price ->> %s)::numeric AS cost, t.list_price AS price
          FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE p.barcode LIKE 'BENCH%%'
    """, [str(company.id)])
    started = time.perf_counter()
    cr.execute("DELETE FROM retail_close_pack")
    cr.execute("DELETE FROM pos_order_line WHERE name = 'BENCH'")
    cr.execute("DELETE FROM pos_order WHERE name LIKE 'BENCH/%%'")
    cr.execute("DELETE FROM stock_quant WHERE product_id IN (SELECT product_id FROM bench_product)")
    cr.execute("""
        INSERT INTO pos_order (name, session_id, config_id, company_id, user_id, date_order, state,
                               amount_tax, amount_total, amount_paid, amount_return,
                               create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || s.store_index || '/' || d || '/' || o, s.session_id, s.config_id, %(company)s,
               %(uid)s, (CURRENT_DATE - d) + make_interval(hours => 8 + (o %% 13), mins => o %% 60),
               'paid', 0, 0, 0, 0, %(uid)s, %(uid)s, now(), now()
          FROM bench_session s, generate_series(1, %(days)s) d, generate_series(1, %(orders)s) o
    """, {"company": company.id, "uid": env.uid, "days": days, "orders": orders})
    # A deterministic spread of products: u in [0, 1) from the order and line numbers, the
    # product index ~ products * u^2 so that a few products sell a lot and most sell little.
    cr.execute("""
        INSERT INTO pos_order_line (name, order_id, product_id, qty, price_unit, price_subtotal,
                                    price_subtotal_incl, discount, total_cost, is_total_cost_computed,
                                    create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH', line.order_id, p.product_id, line.qty, p.price, line.qty * p.price,
               line.qty * p.price, 0, line.qty * p.cost, true, %(uid)s, %(uid)s, now(), now()
          FROM (SELECT o.id AS order_id, 1 + (o.id + k) %% 3 AS qty,
                       floor(%(products)s * power(((o.id::bigint * 7919 + k * 104729) %% 1000003) / 1000003.0, 2))::int
                           AS product_index
                  FROM pos_order o
                  JOIN LATERAL generate_series(1, CASE WHEN o.id %% 10 < %(tenths)s THEN %(ceil)s ELSE %(floor)s END) k
                    ON true
                 WHERE o.name LIKE 'BENCH/%%') line
          JOIN bench_product p ON p.product_index = line.product_index
    """, {"uid": env.uid, "products": products, "tenths": round(lines_per_order % 1 * 10),
          "ceil": int(lines_per_order) + 1, "floor": int(lines_per_order)})
    cr.execute("""
        UPDATE pos_order o SET amount_total = t.total, amount_paid = t.total
          FROM (SELECT order_id, SUM(price_subtotal) AS total FROM pos_order_line
                 WHERE name = 'BENCH' GROUP BY order_id) t
         WHERE t.order_id = o.id
    """)
    cr.execute("""
        INSERT INTO stock_quant (product_id, location_id, company_id, quantity, reserved_quantity, in_date,
                                 create_uid, write_uid, create_date, write_date)
        SELECT p.product_id, w.lot_stock_id, %(company)s, 1 + (p.product_index + w.id) %% 40, 0, now(),
               %(uid)s, %(uid)s, now(), now()
          FROM stock_warehouse w, bench_product p
         WHERE w.id = ANY(%(stores)s) AND (p.product_index * 31 + w.id) %% 10 <> 0
    """, {"company": company.id, "uid": env.uid, "stores": warehouses.ids})
    if "retail.dispatch.proposal" in env:
        # With the stock addon the anomaly baselines read the demand history from the stock
        # moves: the till's sales leave the store as one done move per product at the day's
        # closing, as Odoo's "update stock at closing" books them.
        cr.execute("DELETE FROM stock_move WHERE reference = 'BENCH'")
        cr.execute("""
            INSERT INTO stock_move (reference, company_id, product_id, product_uom, location_id, location_dest_id,
                                    procure_method, product_uom_qty, product_qty, quantity, date, state,
                                    create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH', %(company)s, l.product_id, t.uom_id, w.lot_stock_id, %(customers)s, 'make_to_stock',
                   SUM(l.qty), SUM(l.qty), SUM(l.qty), o.date_order::date + interval '21 hours', 'done',
                   %(uid)s, %(uid)s, now(), now()
              FROM pos_order_line l
              JOIN pos_order o ON o.id = l.order_id
              JOIN pos_config c ON c.id = o.config_id
              JOIN stock_warehouse w ON w.id = c.warehouse_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE l.name = 'BENCH'
          GROUP BY l.product_id, t.uom_id, w.lot_stock_id, o.date_order::date
        """, {"company": company.id, "uid": env.uid,
              "customers": env.ref("stock.stock_location_customers").id})
        cr.execute("ANALYZE stock_move")
    cr.execute("ANALYZE pos_order; ANALYZE pos_order_line; ANALYZE stock_quant")
    cr.execute("SELECT COUNT(*) FROM pos_order_line WHERE name = 'BENCH'")
    print(f"bench chain: {len(warehouses)} stores, {products} products, {cr.fetchone()[0]:,} order lines "
          f"in {time.perf_counter() - started:.0f} s")
    cr.commit()
    started = time.perf_counter()
    today = datetime.date.today()
    for offset in range(1, 36):
        env["retail.close.pack"]._build_packs(today - datetime.timedelta(days=offset))
    env.flush_all()
    print(f"close packs of the last 35 days built in {time.perf_counter() - started:.0f} s")


def timed(cr, function):
    queries = cr.sql_log_count
    started = time.perf_counter()
    function()
    return time.perf_counter() - started, cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--setup", action="store_true", help="build and commit the bench chain")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"], setup_logging=True)
    threading.current_thread().dbname = args.database
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        if args.setup:
            setup(env, STORES, PRODUCTS, DAYS, ORDERS_PER_STORE_DAY, LINES_PER_ORDER)
            cr.commit()
            return
        measure(env, args.rounds)
        cr.rollback()


def measure(env, rounds):
    cr = env.cr
    cr.execute("SELECT MAX(date_order)::date FROM pos_order WHERE state = 'paid'")
    day = cr.fetchone()[0]
    stores = env["stock.warehouse"].search([("retail_store_type", "=", "store")])
    cr.execute("SELECT COUNT(*) FROM (SELECT DISTINCT c.warehouse_id, l.product_id FROM pos_order_line l "
               "JOIN pos_order o ON o.id = l.order_id JOIN pos_config c ON c.id = o.config_id) pairs")
    pairs = cr.fetchone()[0]
    env["retail.anomaly.rule"].search([]).action_archive()
    spike = env["retail.anomaly.rule"].create({
        "name": "Bench spike", "rule_type": "sales_spike", "threshold": 10, "baseline_days": 90, "min_volume": 3})
    hq = env.ref("base.user_admin")
    Pack = env["retail.close.pack"]
    Dashboard = env["retail.dashboard"].with_user(hq)
    params = {"day": day, "stores": stores.ids}

    def pack_floor():
        cr.execute("""
            SELECT c.warehouse_id, SUM(l.price_subtotal), COUNT(DISTINCT o.id), SUM(l.qty), SUM(l.total_cost)
              FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id JOIN pos_config c ON c.id = o.config_id
             WHERE o.state IN ('paid', 'done') AND o.date_order >= %(day)s AND o.date_order < %(day)s::date + 1
          GROUP BY 1
        """, params)
        cr.fetchall()
        cr.execute("""
            SELECT c.warehouse_id, l.product_id, SUM(l.price_subtotal), SUM(l.qty)
              FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id JOIN pos_config c ON c.id = o.config_id
             WHERE o.state IN ('paid', 'done') AND o.date_order >= %(day)s::date - 6
               AND o.date_order < %(day)s::date + 1
          GROUP BY 1, 2
        """, params)
        cr.fetchall()
        cr.execute("""
            SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s) GROUP BY 1, 2
        """, params)
        cr.fetchall()

    def dashboard_packs_floor():
        for start, stop in ((29, 1), (36, 8), (393, 365)):
            cr.execute("""
                SELECT date, SUM(sales_amount), SUM(margin_amount), SUM(ticket_count), SUM(units),
                       SUM(cost_amount), SUM(stockout_count), SUM(sold_product_count)
                  FROM retail_close_pack
                 WHERE is_chain IS NOT TRUE
                   AND date BETWEEN %(day)s::date - %(start)s + 1 AND %(day)s::date - %(stop)s + 1
              GROUP BY date
            """, dict(params, start=start, stop=stop))
            cr.fetchall()
        cr.execute("""
            SELECT SUM(q.quantity) FROM stock_quant q JOIN stock_location loc ON loc.id = q.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s)
        """, params)
        cr.fetchall()

    def dashboard_floor():
        cr.execute("""
            SELECT o.date_order::date, SUM(l.price_subtotal), COUNT(DISTINCT o.id), SUM(l.qty), SUM(l.total_cost)
              FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id
             WHERE o.state IN ('paid', 'done')
               AND ((o.date_order >= %(day)s::date - 34 AND o.date_order < %(day)s::date + 1)
                    OR (o.date_order >= %(day)s::date - 391 AND o.date_order < %(day)s::date - 363))
          GROUP BY 1
        """, params)
        cr.fetchall()
        cr.execute("""
            SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s) GROUP BY 1, 2
        """, params)
        cr.fetchall()

    def scan_floor():
        cr.execute("""
            SELECT c.warehouse_id, l.product_id, o.date_order::date, SUM(l.qty)
              FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id JOIN pos_config c ON c.id = o.config_id
             WHERE o.state IN ('paid', 'done') AND o.date_order >= %(day)s::date - 90
               AND o.date_order < %(day)s::date + 1
          GROUP BY 1, 2, 3
        """, params)
        cr.fetchall()

    def history_floor():
        """What the demand history reads: the stores' on-hand and their done moves of the window."""
        cr.execute("""
            SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(stores)s) GROUP BY 1, 2
        """, params)
        cr.fetchall()
        cr.execute("""
            SELECT src.warehouse_id, dest.warehouse_id, m.product_id, m.date::date, m.product_qty
              FROM stock_move m JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
             WHERE m.state = 'done' AND m.date >= %(day)s::date - 90
               AND (src.warehouse_id = ANY(%(stores)s) OR dest.warehouse_id = ANY(%(stores)s))
        """, params)
        cr.fetchall()

    Rule = type(env["retail.anomaly.rule"])
    with_history = "retail.dispatch.proposal" in env

    def scan_alone():
        """The scan as retail_analytics does it alone: every scanned day counts in the baseline."""
        hook = Rule._sales_observed
        Rule._sales_observed = lambda self, pairs, date, matrix: None
        try:
            env["retail.anomaly.rule"]._scan(day, rules=spike)
            env.flush_all()
        finally:
            Rule._sales_observed = hook

    def without_packs():
        cr.execute("DELETE FROM retail_close_pack")

    results = {}
    variants = [
        ("close packs, all stores", None, lambda: (Pack._build_packs(day), env.flush_all()), pack_floor),
        ("dashboard load from the close packs (28 days, vs week and year)", None,
         lambda: Dashboard.get_kpis(date_to=day, days=28), dashboard_packs_floor),
        ("dashboard load without close packs (from order lines)", without_packs,
         lambda: Dashboard.get_kpis(date_to=day, days=28), dashboard_floor),
        ("anomaly scan, spike, 90-day baseline", None, scan_alone, scan_floor),
    ]
    if with_history:
        variants.append((
            "anomaly scan, spike, 90-day baseline on the demand history (with retail_inventory)", None,
            lambda: (env["retail.anomaly.rule"]._scan(day, rules=spike), env.flush_all()),
            lambda: (scan_floor(), history_floor())))
    for _round in range(rounds):
        for name, prepare, function, floor in variants:
            cr.execute("SAVEPOINT bench_round")
            if prepare:
                prepare()
            measured = timed(cr, function)
            base = timed(cr, floor)
            cr.execute("ROLLBACK TO SAVEPOINT bench_round")
            env.invalidate_all()
            results.setdefault(name, []).append((measured, base))

    print(f"## retail_analytics at bench scale: {len(stores)} stores, {pairs:,} store-products sold, "
          f"day {day}, {rounds} interleaved rounds\n")
    print("| measure | median | queries | raw-SQL floor | ratio | target |")
    print("|---|---|---|---|---|---|")
    targets = {"close": 30, "dashboard": 2, "anomaly": 60}
    for name, runs in results.items():
        seconds = statistics.median(run[0][0] for run in runs)
        queries = statistics.median(run[0][1] for run in runs)
        floor = statistics.median(run[1][0] for run in runs)
        print(f"| {name} | {seconds:.2f} s | {queries:.0f} | {floor:.2f} s | {seconds / floor:.2f}x | "
              f"<= {targets[name.split()[0]]} s, <= 3x |")


if __name__ == "__main__":
    main()
