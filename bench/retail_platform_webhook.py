"""Cost of delivery-platform orders coming in through retail_platform's webhook.

    python3 bench/retail_platform_webhook.py -c odoo.conf -d DB [--orders 1000] [--lines 3] [--batch 20]

DB must have retail_platform installed; use a throw-away database: the webhook commits as a real
one does, so the bench's store, products and orders stay in it (under a fresh store code).

1. **The answer.** ``--orders`` signed Douyin-style webhooks are posted one after the other through
   Odoo's whole HTTP stack, in process (werkzeug's test client over ``odoo.http.root``: routing,
   database selection, the route, the commit), as the platform's calls would arrive. Reports
   orders/s, the median and p95 latency of the answer and its SQL queries.
2. **The work after the commit.** The recorded messages are worked batch by batch as the cron
   does: each becomes an order that reserves the store's stock (outgoing picking, confirmed and
   assigned) and a posted invoice to the platform. The baseline, interleaved batch by batch in the
   same run (each variant going first in turn), is the same lines built directly through the ORM: a
   picking created, confirmed and assigned, and an invoice with the store's analytic account
   created and posted, nothing else, order after order; and the same again in sets (the
   pickings of a batch created in one call, confirmed and assigned together, the invoices created
   in one call and posted one after the other), as the cron works a set of new orders.
   Reports medians per order of time and queries, and the ratios.
3. **Against a till order.** When the database has the point of sale too (install
   ``point_of_sale`` beside ``retail_platform``), a third variant, interleaved with the two
   others, synchronises the same lines as sales of a till of the same store through
   ``pos.order.sync_from_ui``, one call per order, with the stock moved at each sale (a done
   picking per order, as the platform's order deducts its stock): the queries and time per order
   of the platform's order against the till's.
"""

import argparse
import json
import random
import statistics
import threading
import time
from uuid import uuid4

from werkzeug.test import Client

import odoo.http
from odoo import Command, api, fields, sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

SECRET = "bench-secret"


def build_fixture(env, product_count=40):
    code = uuid4().hex[:4].upper()
    store = env["stock.warehouse"].create({"name": f"Bench Platform Store {code}", "code": f"P{code}",
                                           "retail_store_type": "store"})
    partner = env["res.partner"].create({"name": f"抖音团购 {code}", "is_company": True})
    products = env["product.product"].create([{
        "name": f"Bench Platform Product {index}", "barcode": f"BP{code}{index:05d}", "is_storable": True,
        "lst_price": 2.0 + index % 17, "taxes_id": [Command.clear()],
    } for index in range(product_count)])
    for product in products:
        env["stock.quant"]._update_available_quantity(product, store.lot_stock_id, 1_000_000.0)
    shop = env["retail.platform.shop"].create({
        "name": f"Bench shop {code}", "platform": "douyin", "shop_code": f"BENCH-{code}", "warehouse_id": store.id,
        "partner_id": partner.id, "app_key": "bench", "app_secret": SECRET,
    })
    return shop, products


def order_specs(products, count, lines, seed):
    rng = random.Random(seed)
    return [{
        "order_id": f"B{index:06d}-{uuid4().hex[:6]}",
        "lines": [{"sku": product.barcode, "qty": rng.randint(1, 3), "price": float(product.lst_price)}
                  for product in rng.sample(list(products), lines)],
    } for index in range(count)]


def post_webhooks(client, shop, specs):
    from odoo.addons.retail_platform.tools.simulator import build_webhook  # noqa: PLC0415

    path = f"/retail_platform/webhook/douyin/{shop.shop_code}"
    latencies, queries = [], []
    began = time.perf_counter()
    for spec in specs:
        _url, data, headers = build_webhook("douyin", "http://localhost" + path, SECRET, "create", spec, uuid4().hex)
        before_queries, before = sql_db.sql_counter, time.perf_counter()
        response = client.post(path, data=data, headers=headers)
        latencies.append(time.perf_counter() - before)
        queries.append(sql_db.sql_counter - before_queries)
        if response.status_code != 200:
            raise SystemExit(f"webhook refused: {response.status_code} {response.get_data(as_text=True)}")
    return time.perf_counter() - began, latencies, queries


def baseline_vals(env, shop, spec, products_by_sku):
    """The picking and the invoice of one order's lines, as values for the ORM."""
    warehouse = shop.warehouse_id
    customers = env.ref("stock.stock_location_customers")
    analytic = {str(warehouse.retail_analytic_account_id.id): 100}
    picking = {
        "picking_type_id": warehouse.out_type_id.id, "location_id": warehouse.lot_stock_id.id,
        "location_dest_id": customers.id, "partner_id": shop.partner_id.id, "origin": spec["order_id"],
        "move_ids": [Command.create({
            "product_id": products_by_sku[line["sku"]].id, "product_uom_qty": line["qty"],
            "product_uom": products_by_sku[line["sku"]].uom_id.id, "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id, "warehouse_id": warehouse.id,
        }) for line in spec["lines"]],
    }
    invoice = {
        "move_type": "out_invoice", "partner_id": shop.partner_id.id, "invoice_origin": spec["order_id"],
        "invoice_line_ids": [Command.create({
            "product_id": products_by_sku[line["sku"]].id, "quantity": line["qty"], "price_unit": line["price"],
            "tax_ids": [Command.clear()], "analytic_distribution": analytic,
        }) for line in spec["lines"]],
    }
    return picking, invoice


def baseline_batch(env, shop, specs, products_by_sku):
    """The same lines as a plain picking and invoice through the ORM, order after order."""
    for spec in specs:
        picking_vals, invoice_vals = baseline_vals(env, shop, spec, products_by_sku)
        picking = env["stock.picking"].create(picking_vals)
        picking.action_confirm()
        picking.action_assign()
        env["account.move"].create(invoice_vals).action_post()


def baseline_set_batch(env, shop, specs, products_by_sku):
    """The same pickings and invoices through the ORM, each kind created in one call for the set
    (the invoices posted one after the other, so that their numbers follow the orders)."""
    vals = [baseline_vals(env, shop, spec, products_by_sku) for spec in specs]
    pickings = env["stock.picking"].create([picking for picking, _invoice in vals])
    pickings.action_confirm()
    pickings.action_assign()
    for invoice in env["account.move"].create([invoice for _picking, invoice in vals]):
        invoice.action_post()


def build_till(env, shop):
    """A till of the shop's store, its session open, each sale moving the stock at once (as the
    platform's order reserves and deducts it), when the database has the point of sale."""
    if "pos.config" not in env:
        return None
    env.company.point_of_sale_update_stock_quantities = "real"
    journal = env["account.journal"].create({"name": "Bench Till Cash", "code": f"BT{shop.shop_code[-4:]}",
                                             "type": "cash"})
    cash = env["pos.payment.method"].create({"name": "Bench Till Cash", "journal_id": journal.id})
    warehouse = shop.warehouse_id
    till = env["pos.config"].create({"name": f"Bench Till {shop.shop_code}", "warehouse_id": warehouse.id,
                                     "picking_type_id": warehouse.pos_type_id.id,
                                     "payment_method_ids": [Command.set(cash.ids)]})
    # the point of sale opens sessions for its users only
    till.with_user(env.ref("base.user_admin")).open_ui()
    till.current_session_id.set_opening_control(0, None)
    return till.current_session_id, cash


def till_batch(env, till, specs, products_by_sku):
    """The same lines as sales of the store's till, synchronised as the till sends them."""
    session, cash = till
    orders = []
    for spec in specs:
        total = sum(line["qty"] * line["price"] for line in spec["lines"])
        orders.append({
            "uuid": str(uuid4()), "name": f"Bench {spec['order_id']}", "session_id": session.id,
            "pricelist_id": session.config_id.pricelist_id.id,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "lines": [Command.create({
                "uuid": str(uuid4()), "product_id": products_by_sku[line["sku"]].id, "qty": line["qty"],
                "price_unit": line["price"], "discount": 0, "price_subtotal": line["qty"] * line["price"],
                "price_subtotal_incl": line["qty"] * line["price"], "tax_ids": [Command.set([])], "pack_lot_ids": [],
            }) for line in spec["lines"]],
            "payment_ids": [Command.create({"amount": total, "name": fields.Datetime.now(),
                                            "payment_method_id": cash.id})],
            "amount_paid": total, "amount_total": total, "amount_tax": 0.0, "amount_return": 0.0,
            "state": "paid", "user_id": env.uid, "last_order_preparation_change": "{}",
        })
    # one call per order, as a till online sends them
    for order in orders:
        env["pos.order"].sync_from_ui([order])


def measure(env, work):
    env.invalidate_all()
    before_queries, before = env.cr.sql_log_count, time.perf_counter()
    work()
    env.flush_all()
    seconds, queries = time.perf_counter() - before, env.cr.sql_log_count - before_queries
    env.cr.commit()
    return seconds, queries


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--batch", type=int, default=20, help="orders per measured batch of the work")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"], setup_logging=True)
    # one database: the webhook finds it as a platform's call would, without a session
    config["dbfilter"] = f"^{args.database}$"
    threading.current_thread().dbname = args.database
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        shop, products = build_fixture(env)
        specs = order_specs(products, args.orders, args.lines, args.seed)
        baseline_specs = order_specs(products, args.orders, args.lines, args.seed)
        set_specs = order_specs(products, args.orders, args.lines, args.seed)
        cr.commit()
        products_by_sku = {product.barcode: product for product in products}

        client = Client(odoo.http.root)
        post_webhooks(client, shop, order_specs(products, 5, args.lines, args.seed + 1))  # warm-up
        total, latencies, answer_queries = post_webhooks(client, shop, specs)
        cr.commit()  # a fresh snapshot, that sees what the webhooks committed

        Message = env["retail.platform.message"]
        messages = {message.order_ref: message for message in Message.search(
            [("shop_id", "=", shop.id), ("state", "=", "pending")])}
        warmup = [message for ref, message in messages.items() if ref not in {spec["order_id"] for spec in specs}]
        Message.browse([message.id for message in warmup])._process()
        cr.commit()
        baseline_batch(env, shop, baseline_specs[:2], products_by_sku)
        baseline_set_batch(env, shop, set_specs[:2], products_by_sku)
        till = build_till(env, shop)
        till_specs = order_specs(products, args.orders, args.lines, args.seed)
        if till:
            till_batch(env, till, till_specs[:2], products_by_sku)
        cr.commit()
        results = {variant: {"time": [], "queries": []} for variant in ("platform", "baseline", "set", "till")}
        for batch_index, start in enumerate(range(0, len(specs), args.batch)):
            batch = specs[start:start + args.batch]
            batch_messages = Message.browse([messages[spec["order_id"]].id for spec in batch])
            work = {
                "platform": lambda batch_messages=batch_messages: batch_messages._process(),
                "baseline": lambda start=start: baseline_batch(
                    env, shop, baseline_specs[start:start + args.batch], products_by_sku),
                "set": lambda start=start: baseline_set_batch(
                    env, shop, set_specs[start:start + args.batch], products_by_sku),
            }
            if till:
                work["till"] = lambda start=start: till_batch(
                    env, till, till_specs[start:start + args.batch], products_by_sku)
            # each variant goes first in turn
            shift = batch_index % len(work)
            order = list(work)[shift:] + list(work)[:shift]
            for variant in order:
                seconds, queries = measure(env, work[variant])
                results[variant]["time"].append(seconds / len(batch))
                results[variant]["queries"].append(queries / len(batch))
        made = env["retail.platform.order"].search_count([("shop_id", "=", shop.id), ("state", "=", "accepted")])
        if made != len(specs) + len(warmup):
            raise SystemExit(f"expected {len(specs) + len(warmup)} accepted orders, found {made}")

    print(f"## retail_platform webhook benchmark: {args.orders} orders x {args.lines} lines, "
          f"{len(results['platform']['time'])} batches of {args.batch} per variant\n")
    print("| the answer (webhook over Odoo's HTTP stack) | figure |")
    print("|---|---:|")
    print(f"| orders/s | {args.orders / total:.1f} |")
    print(f"| median latency | {statistics.median(latencies) * 1000:.1f} ms |")
    print(f"| p95 latency | {percentile(latencies, 0.95) * 1000:.1f} ms |")
    print(f"| median queries per call | {statistics.median(answer_queries):.0f} |\n")
    medians = {variant: (statistics.median(values["time"]), statistics.median(values["queries"]))
               for variant, values in results.items() if values["time"]}
    platform_time, platform_queries = medians["platform"]
    print("| the work after the commit, per order | median ms | median queries |")
    print("|---|---:|---:|")
    print(f"| platform order: order, reserved picking, posted invoice, callback queued | "
          f"{platform_time * 1000:.1f} | {platform_queries:.1f} |")
    figures = {"orders_per_s": args.orders / total, "p95_ms": percentile(latencies, 0.95) * 1000}
    references = [
        ("baseline", "baseline: the same picking and invoice through the ORM", "ratio", "ratio"),
        ("set", "baseline in sets: the same pickings and invoices, each kind created in one call per batch",
         "ratio to the baseline in sets", "ratio_set"),
        ("till", "a till order of the same lines: sync_from_ui, stock moved at once, one call per order",
         "ratio to the till order", "ratio_till"),
    ]
    for variant, label, ratio_label, key in references:
        if variant not in medians:
            continue  # no point of sale in the database: no till variant
        time_, queries = medians[variant]
        print(f"| {label} | {time_ * 1000:.1f} | {queries:.1f} |")
        print(f"| {ratio_label} | **{platform_time / time_:.3f}x** | {platform_queries - queries:+.1f} |")
        figures[key] = platform_time / time_
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
