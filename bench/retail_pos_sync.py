"""Cost of retail_pos's server-side checks in ``pos.order.sync_from_ui``.

    python3 bench/retail_pos_sync.py -c odoo.conf -d DB [--orders 1000] [--lines 5] [--batch 10]
                                     [--stock closing|real]

DB must have retail_pos installed. Everything runs in one transaction that is rolled back.
The same generated orders (same products, quantities, prices, discounts and approvals, only
the uuids differ) are synchronised twice, batch by batch, alternating which variant goes
first: once through the full override (policy checks on) and once through core's own
``sync_from_ui`` (point_of_sale's method, called directly from Python: no RPC can reach it).
One order in four has a line discount above the store limit with a manager's approval signed by
the server, so approvals are verified and written as in a real store. Reports medians per order
over the batches, and the query count of the checks alone for 1, 5 and 25 lines, and for 1 and
10 combos (a combo product and its two chosen items, split as the till splits them).
"""

import argparse
import json
import random
import statistics
import threading
import time
from uuid import uuid4

from odoo import api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

MANAGER_PIN = "482615"


def build_fixture(env, stock_mode, product_count=40):
    company = env.company
    company.point_of_sale_update_stock_quantities = stock_mode
    store = env["stock.warehouse"].create({
        "name": "Bench Store", "code": "BNCH", "retail_store_type": "store",
    })
    journal = env["account.journal"].create({
        "name": "Bench Cash", "code": "BNCSH", "type": "cash", "company_id": company.id,
    })
    cash = env["pos.payment.method"].create({"name": "Bench Cash", "journal_id": journal.id})
    pricelist = env["product.pricelist"].create({"name": "Bench Prices", "currency_id": company.currency_id.id})
    config_record = env["pos.config"].create({
        "name": "Bench Till", "warehouse_id": store.id, "picking_type_id": store.pos_type_id.id,
        "payment_method_ids": [(6, 0, cash.ids)], "pricelist_id": pricelist.id,
        "available_pricelist_ids": [(6, 0, pricelist.ids)], "module_pos_hr": True,
        "retail_max_line_discount": 10.0, "retail_max_order_discount": 50.0,
        "retail_price_override_allowed": False, "retail_return_without_receipt": False,
    })
    manager = env["res.users"].create({
        "name": "Bench Manager", "login": f"bench_manager_{uuid4().hex[:8]}",
        "group_ids": [(6, 0, env.ref("retail_base.group_retail_manager").ids)],
        "retail_store_ids": [(6, 0, store.ids)],
    })
    employee = env["hr.employee"].create({"name": "Bench Manager", "user_id": manager.id})
    employee._retail_set_approval_pin(MANAGER_PIN)
    category = env["product.category"].create({"name": "Bench Goods"})
    products = env["product.product"].create([{
        "name": f"Bench Product {index}", "lst_price": 2.0 + index % 17, "available_in_pos": True,
        "is_storable": True, "taxes_id": [(5, 0, 0)], "categ_id": category.id,
    } for index in range(product_count)])
    config_record.open_ui()
    session = config_record.current_session_id
    session.set_opening_control(0, None)
    return session, cash, products, employee


def order_specs(products, count, lines, seed):
    rng = random.Random(seed)
    specs = []
    for index in range(count):
        chosen = rng.sample(list(products), lines)
        approved_line = 0 if index % 4 == 0 else None
        specs.append([
            {
                "product": product, "qty": float(rng.randint(1, 3)),
                "discount": 20.0 if position == approved_line else float(rng.choice([0, 0, 5, 10])),
                "approved": position == approved_line,
            }
            for position, product in enumerate(chosen)
        ])
    return specs


def make_order(spec, session, cash, employee):
    uuid = str(uuid4())
    lines, approvals = [], []
    for line_spec in spec:
        product = line_spec["product"]
        subtotal = product.lst_price * line_spec["qty"] * (1 - line_spec["discount"] / 100)
        line_uuid = str(uuid4())
        lines.append((0, 0, {
            "uuid": line_uuid, "product_id": product.id, "qty": line_spec["qty"],
            "price_unit": product.lst_price, "discount": line_spec["discount"],
            "price_subtotal": subtotal, "price_subtotal_incl": subtotal,
            "tax_ids": [(6, 0, [])], "pack_lot_ids": [],
        }))
        if line_spec["approved"]:
            approvals.extend(session.env["retail.pos.approval"]._retail_sign(
                session.config_id, uuid, "discount", employee,
                [{"line_uuid": line_uuid, "new_value": str(line_spec["discount"]), "original_value": "0"}],
            ))
    total = sum(line[2]["price_subtotal_incl"] for line in lines)
    return {
        "uuid": uuid, "name": f"Bench {uuid[:8]}", "session_id": session.id,
        "pricelist_id": session.config_id.pricelist_id.id,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "lines": lines,
        "payment_ids": [(0, 0, {"amount": total, "name": fields.Datetime.now(), "payment_method_id": cash.id})],
        "amount_paid": total, "amount_total": total, "amount_tax": 0.0, "amount_return": 0.0,
        "state": "paid", "user_id": session.env.uid, "last_order_preparation_change": "{}",
        "retail_approval_payload": json.dumps(approvals) if approvals else False,
    }


def core_sync_from_ui(env):
    """point_of_sale's own ``sync_from_ui``, past every override of the registry's model, and
    past retail_pos's guard of recorded sales (the marker its own synchronisation carries)."""
    from odoo.addons.retail_pos.models.pos_order import RECORDING, RECORDING_KEY  # noqa: PLC0415

    core = next(
        cls for cls in type(env["pos.order"]).__mro__
        if cls.__module__ == "odoo.addons.point_of_sale.models.pos_order" and "sync_from_ui" in vars(cls)
    )
    orders_model = env["pos.order"].with_context(**{RECORDING_KEY: RECORDING})
    return lambda orders: core.sync_from_ui(orders_model, orders)


def run_batch(env, orders, checks):
    sync = env["pos.order"].sync_from_ui if checks else core_sync_from_ui(env)
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    sync(orders)
    env.flush_all()
    return time.perf_counter() - started, env.cr.sql_log_count - queries


def build_combo(env, products):
    Combo = env["product.combo"]
    mains = Combo.create({"name": "Bench Mains", "combo_item_ids": [
        (0, 0, {"product_id": p.id}) for p in products[:3]
    ]})
    drinks = Combo.create({"name": "Bench Drinks", "combo_item_ids": [
        (0, 0, {"product_id": p.id, "extra_price": 1.0}) for p in products[3:6]
    ]})
    lunch = env["product.product"].create({
        "name": "Bench Lunch Set", "type": "combo", "lst_price": 12.0, "available_in_pos": True,
        "taxes_id": [(5, 0, 0)], "combo_ids": [(6, 0, (mains | drinks).ids)],
    })
    return lunch, mains, drinks


def combo_lines(lunch, mains, drinks):
    """One lunch set as the till sends it: its price split over the two combos by base price."""
    weight = mains.base_price + drinks.base_price
    main_price = round(mains.base_price * lunch.lst_price / weight, 2)
    drink_price = round(lunch.lst_price - main_price, 2) + 1.0
    parent = {"uuid": str(uuid4()), "product_id": lunch.id, "qty": 1.0, "price_unit": 0.0, "discount": 0.0,
              "price_subtotal": 0.0, "price_subtotal_incl": 0.0, "tax_ids": [(6, 0, [])], "pack_lot_ids": []}
    children = [
        {"uuid": str(uuid4()), "product_id": item.product_id.id, "combo_item_id": item.id, "qty": 1.0,
         "price_unit": price, "discount": 0.0, "price_subtotal": price, "price_subtotal_incl": price,
         "tax_ids": [(6, 0, [])], "pack_lot_ids": []}
        for item, price in ((mains.combo_item_ids[0], main_price), (drinks.combo_item_ids[0], drink_price))
    ]
    return parent, children


def combo_check_queries(env, session, cash, employee, combo, count):
    def order():
        result = make_order([], session, cash, employee)
        mapping = {}
        for _index in range(count):
            parent, children = combo_lines(*combo)
            result["lines"] += [(0, 0, vals) for vals in (parent, *children)]
            mapping.update({child["uuid"]: {"combo_parent_id": parent["uuid"]} for child in children})
        result["relations_uuid_mapping"] = {"pos.order.line": mapping}
        return result

    env["pos.order"]._retail_check_orders([order()])  # warm caches
    measured = order()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    env["pos.order"]._retail_check_orders([measured])
    return env.cr.sql_log_count - queries


def check_only_queries(env, session, cash, products, employee, lines):
    spec = order_specs(products, 1, lines, seed=lines)[0]
    order = make_order(spec, session, cash, employee)
    env["pos.order"]._retail_check_orders([make_order(spec, session, cash, employee)])  # warm caches
    env.invalidate_all()
    queries = env.cr.sql_log_count
    env["pos.order"]._retail_check_orders([order])
    return env.cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=1000, help="orders per variant")
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10, help="orders per sync_from_ui call")
    parser.add_argument("--stock", default="closing", choices=["closing", "real"])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"], setup_logging=True)
    threading.current_thread().dbname = args.database
    registry = Registry(args.database)
    with registry.cursor() as cr:
        # The till synchronises as its user, not as the superuser: run as the administrator.
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        session, cash, products, employee = build_fixture(env, args.stock)
        specs = order_specs(products, args.orders, args.lines, args.seed)
        # Warm-up batch per variant, not measured.
        for checks in (True, False):
            run_batch(env, [make_order(spec, session, cash, employee) for spec in specs[:2]], checks)
        results = {True: {"time": [], "queries": []}, False: {"time": [], "queries": []}}
        for batch_index, start in enumerate(range(0, len(specs), args.batch)):
            batch_specs = specs[start:start + args.batch]
            variants = (True, False) if batch_index % 2 == 0 else (False, True)
            for checks in variants:
                orders = [make_order(spec, session, cash, employee) for spec in batch_specs]
                seconds, queries = run_batch(env, orders, checks)
                results[checks]["time"].append(seconds / len(batch_specs))
                results[checks]["queries"].append(queries / len(batch_specs))
        approvals = env["retail.pos.approval"].search_count([("session_id", "=", session.id)])
        check_queries = {lines: check_only_queries(env, session, cash, products, employee, lines)
                         for lines in (1, 5, 25)}
        combo = build_combo(env, products)
        combo_queries = {count: combo_check_queries(env, session, cash, employee, combo, count) for count in (1, 10)}
        cr.rollback()

    core_time = statistics.median(results[False]["time"])
    retail_time = statistics.median(results[True]["time"])
    core_queries = statistics.median(results[False]["queries"])
    retail_queries = statistics.median(results[True]["queries"])
    batches = len(results[True]["time"])
    print(f"## retail_pos sync benchmark: {args.orders} orders x {args.lines} lines per variant, "
          f"{args.batch} orders per call, {batches} batches per variant, stock `{args.stock}`\n")
    print("| variant | median ms / order | median queries / order |")
    print("|---|---|---|")
    print(f"| core `sync_from_ui` alone | {core_time * 1000:.1f} | {core_queries:.1f} |")
    print(f"| with retail_pos checks | {retail_time * 1000:.1f} | {retail_queries:.1f} |")
    print(f"| **ratio / extra** | **{retail_time / core_time:.3f}x** | **{retail_queries - core_queries:+.1f}** |")
    print(f"\nApprovals verified and recorded: {approvals}.\n")
    print("| lines in the order | queries of the checks alone (one order per call, cold cache) |")
    print("|---|---|")
    for lines, queries in check_queries.items():
        print(f"| {lines} | {queries} |")
    for count, queries in combo_queries.items():
        print(f"| {count} combo{'s' if count > 1 else ''} ({count * 3} lines) | {queries} |")


if __name__ == "__main__":
    main()
