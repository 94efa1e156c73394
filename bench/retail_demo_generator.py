"""Time the chain generator against a raw COPY of the same number of rows.

    python3 bench/retail_demo_generator.py -c odoo.conf -d DB --scale demo [--seed 42] [--commit]

DB must have retail_demo installed and no chain yet. The build runs in one transaction,
rolled back at the end unless ``--commit`` is given, so the same database serves again.
The baseline COPYs as many rows as the generator wrote (six numeric columns) into a
temporary table in the same transaction, before and after the build; the table reports
the generator's rows/s as a ratio of the median baseline.
"""

import argparse
import io
import statistics
import threading
import time

from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

BULK_STEPS = ["_create_members", "_write_stock", "_write_sales", "_write_accounting",
              "restore_indexes_and_foreign_keys"]

TABLES = [
    "res_partner", "stock_lot", "stock_picking", "stock_move", "stock_move_line", "stock_quant",
    "pos_session", "pos_order", "pos_order_line", "pos_payment", "account_move", "account_move_line",
    "product_product", "product_template",
]


def count_rows(cr):
    counts = {}
    for table in TABLES:
        cr.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cr.fetchone()[0]
    return counts


def copy_baseline(cr, rows):
    """Seconds to COPY ``rows`` rows of six numeric columns into a fresh temporary table."""
    cr.execute("DROP TABLE IF EXISTS retail_bench_copy")
    cr.execute("CREATE TEMP TABLE retail_bench_copy (a int, b int, c int, d numeric, e numeric, f int)")
    buffer = io.StringIO("".join(f"{i}\t{i % 97}\t{i % 5000}\t{i % 7}.50\t{i % 13}.25\t{i % 3}\n"
                                 for i in range(rows)))
    started = time.perf_counter()
    cr._obj.copy_expert("COPY retail_bench_copy (a, b, c, d, e, f) FROM STDIN", buffer)
    seconds = time.perf_counter() - started
    cr.execute("DROP TABLE retail_bench_copy")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", default="demo", choices=["test", "demo", "bench"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--commit", action="store_true", help="keep the generated chain")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"], setup_logging=True)
    threading.current_thread().dbname = args.database
    registry = Registry(args.database)
    from odoo.addons.retail_demo.tools.chain_spec import SCALES  # noqa: PLC0415 -- importable once the registry is up

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        before = count_rows(cr)
        queries_before = cr.sql_log_count
        started = time.perf_counter()
        generator = env["retail.chain.generator"]
        chain = generator._generate_chain(dict(SCALES[args.scale], name=args.scale), args.seed)
        generator._retail_generate_extra(chain)
        build = time.perf_counter() - started
        summary = chain["summary"]
        timings = chain["timings"]
        queries = cr.sql_log_count - queries_before
        after = count_rows(cr)
        written = {table: after[table] - before[table] for table in TABLES}
        rows = sum(written.values())
        bulk_seconds = sum(timings[step] for step in BULK_STEPS)
        baselines = [copy_baseline(cr, rows) for _round in range(3)]
        baseline = statistics.median(baselines)
        if args.commit:
            cr.commit()
        else:
            cr.rollback()

    print(f"## Chain generator, scale `{args.scale}`, seed {args.seed}\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| build time | {build:.1f} s |")
    print(f"| rows written | {rows:,} |")
    print(f"| queries | {queries:,} |")
    print(f"| generator rows/s | {rows / build:,.0f} |")
    print(f"| raw COPY of the same rows (median of 3) | {baseline:.2f} s, {rows / baseline:,.0f} rows/s |")
    print(f"| generator / COPY throughput | {baseline / build:.3f} |")
    print(f"| bulk part (members, stock, sales, accounting, indexes) | {bulk_seconds:.1f} s, "
          f"{rows / bulk_seconds:,.0f} rows/s |")
    print(f"| bulk part / COPY throughput | {baseline / bulk_seconds:.3f} |")
    print(f"| orders / lines / sessions | {summary['orders']:,} / {summary['order_lines']:,} / "
          f"{summary['sessions']:,} |")
    print("\n| step | seconds |")
    print("|---|---|")
    for step, seconds in timings.items():
        print(f"| {step} | {seconds} |")
    print("\n| table | rows |")
    print("|---|---|")
    for table in TABLES:
        print(f"| {table} | {written[table]:,} |")


if __name__ == "__main__":
    main()
