"""The Odoo side of the peak-day drill: the fixture before it, the audit of the database after it.

    python3 bench/retail_pos_drill_odoo.py fixture -c CONF -d DB --stores 2 --tills 4 [--stock closing]
    python3 bench/retail_pos_drill_odoo.py audit -c CONF -d DB --sent SENT.json

Run by ``bench/retail_pos_drill.py``; each prints one JSON document on its last line of output.
The fixture works on a database with core's point of sale only (point_of_sale, pos_hr) as well as
with the suite: what the suite adds (store types, store staff, approval PINs, members) is set when
its fields exist. It is created set-based through the ORM (one ``create`` per model) and committed.
The audit reads the database with SQL aggregates (reads only) and reports every difference.
"""

import argparse
import json
import sys
import threading
from collections import defaultdict

from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

MANAGER_PIN = "246810"
PRODUCTS = 30
MEMBERS_PER_STORE = 20


def build_fixture(env, stores, tills, stock_mode):
    """``tills`` devices over ``stores`` stores; the first two tills of the first store share one
    till configuration (two devices racing for its sequences), every other till has its own."""
    company = env.company
    company.point_of_sale_update_stock_quantities = stock_mode
    suite = "retail_store_type" in env["stock.warehouse"]._fields
    members = "retail_is_member" in env["res.partner"]._fields
    warehouses = env["stock.warehouse"].create([{
        "name": f"Drill Store {index + 1:02d}", "code": f"DR{index + 1:02d}",
        **({"retail_store_type": "store"} if suite else {}),
    } for index in range(stores)])
    pricelist = env["product.pricelist"].create({"name": "Drill Prices", "currency_id": company.currency_id.id})
    category = env["product.category"].create({"name": "Drill Goods"})
    products = env["product.product"].create([{
        "name": f"Drill Product {index:02d}", "lst_price": float(3 + index % 11), "available_in_pos": True,
        "is_storable": True, "taxes_id": [(5, 0, 0)], "categ_id": category.id,
    } for index in range(PRODUCTS)])
    # enough stock for the day everywhere, so that moves are never short
    env["stock.quant"].create([{
        "product_id": product.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 100000,
    } for warehouse in warehouses for product in products]).action_apply_inventory()

    till_store = [index % stores for index in range(tills)]
    config_of_till, config_vals = [], []
    for index, store in enumerate(till_store):
        if index == stores:  # the second device of the first store shares the first till
            config_of_till.append(config_of_till[0])
            continue
        config_of_till.append(len(config_vals))
        config_vals.append({
            "name": f"Drill Till {len(config_vals) + 1:02d}", "warehouse_id": warehouses[store].id,
            "picking_type_id": warehouses[store].pos_type_id.id,
            "pricelist_id": pricelist.id,
            "available_pricelist_ids": [(6, 0, pricelist.ids)], "module_pos_hr": True,
            **({"retail_max_line_discount": 10.0, "retail_max_order_discount": 50.0,
                "retail_price_override_allowed": False, "retail_return_without_receipt": False} if suite else {}),
        })
    # core allows a cash payment method on one till only: a cash journal per till
    journals = env["account.journal"].create([{
        "name": f"Drill Cash {index + 1:02d}", "code": f"DRC{index + 1:02d}", "type": "cash",
        "company_id": company.id,
    } for index in range(len(config_vals))])
    cash_methods = env["pos.payment.method"].create([{
        "name": f"Drill Cash {index + 1:02d}", "journal_id": journal.id, "company_id": company.id,
    } for index, journal in enumerate(journals)])
    for vals, method in zip(config_vals, cash_methods, strict=True):
        vals["payment_method_ids"] = [(6, 0, method.ids)]
    configs = env["pos.config"].create(config_vals)

    staff_groups = ["account.group_account_invoice"] + (
        ["retail_base.group_retail_staff"] if suite else ["point_of_sale.group_pos_user"])
    cashiers = env["res.users"].with_context(no_reset_password=True).create([{
        "name": f"Drill Cashier {index + 1:02d}", "login": f"drill_cashier_{index + 1:02d}",
        "password": f"drill_cashier_{index + 1:02d}",
        "group_ids": [(6, 0, [env.ref(group).id for group in staff_groups])],
        **({"retail_store_ids": [(6, 0, warehouse.ids)]} if suite else {}),
    } for index, warehouse in enumerate(warehouses)])
    managers = {}
    if suite:
        manager_users = env["res.users"].with_context(no_reset_password=True).create([{
            "name": f"Drill Manager {index + 1:02d}", "login": f"drill_manager_{index + 1:02d}",
            "password": f"drill_manager_{index + 1:02d}",
            "group_ids": [(6, 0, env.ref("retail_base.group_retail_manager").ids)],
            "retail_store_ids": [(6, 0, warehouse.ids)],
        } for index, warehouse in enumerate(warehouses)])
        employees = env["hr.employee"].create([
            {"name": user.name, "user_id": user.id} for user in manager_users
        ])
        for employee in employees:
            employee._retail_set_approval_pin(MANAGER_PIN)
        managers = {index: employee.id for index, employee in enumerate(employees)}
    partner_vals = [{
        "name": f"Drill Member {store + 1:02d}-{index:02d}",
        **({"retail_is_member": True, "retail_home_store_id": warehouses[store].id} if members else {}),
    } for store in range(stores) for index in range(MEMBERS_PER_STORE)]
    partners = env["res.partner"].create(partner_vals)

    for config_record in configs:
        config_record.open_ui()
        config_record.current_session_id.set_opening_control(0, None)
    env.flush_all()
    return {
        "suite": suite, "members": members, "stock_mode": stock_mode,
        "products": [{"id": product.id, "price": product.lst_price} for product in products],
        "tills": [{
            "index": index, "store": store, "login": cashiers[store].login, "password": cashiers[store].login,
            "config_id": configs[config_of_till[index]].id,
            "session_id": configs[config_of_till[index]].current_session_id.id,
            "payment_method_id": cash_methods[config_of_till[index]].id, "pricelist_id": pricelist.id,
            "user_id": cashiers[store].id, "manager_employee_id": managers.get(store), "manager_pin": MANAGER_PIN,
            "members": partners.filtered(lambda p, s=store: p.name.startswith(f"Drill Member {s + 1:02d}-")).ids,
        } for index, store in enumerate(till_store)],
    }


def audit(env, sent):
    """Compare what the tills sent with what the database holds. ``sent``: uuid -> order summary
    (lines: product id -> quantity, total, refund or not, member or not). Returns the findings."""
    cr = env.cr
    problems = []
    uuids = list(sent)
    cr.execute("""
        SELECT o.uuid, count(*) OVER (PARTITION BY o.uuid), o.amount_total, o.state, o.partner_id,
               o.session_id
          FROM pos_order o
         WHERE o.uuid = ANY(%s)
    """, [uuids])
    rows = cr.fetchall()
    found = defaultdict(int)
    for uuid, _count, total, state, _partner, _session in rows:
        found[uuid] += 1
        expected = sent[uuid]
        if abs(float(total) - expected["total"]) > 0.005:
            problems.append(f"order {uuid}: total {total} in the database, {expected['total']} sent")
        if state not in ("paid", "done", "invoiced"):
            problems.append(f"order {uuid}: state {state}")
    lost = [uuid for uuid in uuids if not found.get(uuid)]
    duplicated = [uuid for uuid, count in found.items() if count > 1]
    cr.execute("SELECT count(*) FROM pos_order")
    total_orders = cr.fetchone()[0]
    recorded = sum(1 for count in found.values() if count)
    # orders no till sent (an order recorded twice under another uuid would be one)
    unknown = total_orders - sum(found.values())
    # lines: quantity per order and product, as sent
    cr.execute("""
        SELECT o.uuid, l.product_id, sum(l.qty)
          FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id
         WHERE o.uuid = ANY(%s)
      GROUP BY o.uuid, l.product_id
    """, [uuids])
    stored_lines = defaultdict(dict)
    for uuid, product_id, qty in cr.fetchall():
        stored_lines[uuid][str(product_id)] = float(qty)
    for uuid, expected in sent.items():
        if found.get(uuid) and stored_lines[uuid] != {k: float(v) for k, v in expected["lines"].items()}:
            problems.append(f"order {uuid}: lines {stored_lines[uuid]} in the database, {expected['lines']} sent")

    # sessions: all closed, each with its entry posted and its cash counted as expected
    cr.execute("SELECT DISTINCT session_id FROM pos_order WHERE uuid = ANY(%s)", [uuids])
    sessions = env["pos.session"].browse([row[0] for row in cr.fetchall()])
    for session in sessions:
        if session.state != "closed":
            problems.append(f"session {session.name}: {session.state}, not closed")
        elif session.move_id.state != "posted":
            problems.append(f"session {session.name}: journal entry {session.move_id.state or 'missing'}")
        # the cash the till counted at closing (what was in the drawer) against what it sold
        if not session.currency_id.is_zero(session.cash_register_difference):
            problems.append(f"session {session.name}: cash difference {session.cash_register_difference}")

    # stock: what left the shelves (and came back) is what the orders sold (and took back)
    cr.execute("""
        SELECT l.product_id, sum(l.qty) FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id
         WHERE o.uuid = ANY(%s) GROUP BY l.product_id
    """, [uuids])
    sold = {product: float(qty) for product, qty in cr.fetchall()}
    cr.execute("""
        SELECT m.product_id,
               sum(CASE WHEN src.usage = 'internal' THEN m.quantity ELSE -m.quantity END)
          FROM stock_move m
          JOIN stock_picking p ON p.id = m.picking_id
          JOIN stock_location src ON src.id = m.location_id
         WHERE m.state = 'done' AND p.pos_session_id IS NOT NULL
      GROUP BY m.product_id
    """)
    moved = {product: float(qty) for product, qty in cr.fetchall()}
    for product in set(sold) | set(moved):
        if abs(sold.get(product, 0.0) - moved.get(product, 0.0)) > 0.0001:
            problems.append(f"product {product}: orders sold {sold.get(product, 0.0)}, stock moves "
                            f"{moved.get(product, 0.0)}")

    # the books of the day: every entry balances, and the sessions' entries carry the orders' money
    cr.execute("""
        SELECT m.name, sum(l.debit) - sum(l.credit) FROM account_move_line l JOIN account_move m ON m.id = l.move_id
         WHERE m.state = 'posted' GROUP BY m.id, m.name HAVING abs(sum(l.debit) - sum(l.credit)) > 0.005
    """)
    problems += [f"journal entry {name}: unbalanced by {difference}" for name, difference in cr.fetchall()]
    cr.execute("SELECT coalesce(sum(amount), 0) FROM pos_payment")
    payments = float(cr.fetchone()[0])
    sent_total = sum(order["total"] for order in sent.values())
    if abs(payments - sent_total) > 0.005:
        problems.append(f"payments {payments:.2f}, orders sent {sent_total:.2f}")
    cr.execute("""
        SELECT coalesce(sum(l.balance), 0) FROM account_move_line l
          JOIN account_move m ON m.id = l.move_id JOIN account_account a ON a.id = l.account_id
         WHERE m.state = 'posted' AND a.account_type IN ('income', 'income_other')
           AND (m.id IN (SELECT move_id FROM pos_session) OR m.id IN (SELECT account_move FROM pos_order))
    """)
    income = -float(cr.fetchone()[0])
    if abs(income - sent_total) > 0.005:
        problems.append(f"sales booked {income:.2f}, orders sent {sent_total:.2f} (no taxes in the drill)")

    points = None
    if "retail_points_earned" in env["pos.order"]._fields:
        cr.execute("""
            SELECT o.uuid, coalesce(o.retail_points_earned, 0) - coalesce(o.retail_points_redeemed, 0),
                   (SELECT coalesce(sum(pm.points), 0) FROM retail_points_move pm WHERE pm.order_id = o.id)
              FROM pos_order o WHERE o.uuid = ANY(%s) AND o.partner_id IS NOT NULL
        """, [uuids])
        member_orders = cr.fetchall()
        for uuid, expected, ledger in member_orders:
            if abs(float(expected) - float(ledger)) > 0.5:
                problems.append(f"order {uuid}: points {expected} on the order, {ledger} in the ledger")
        cr.execute("""
            SELECT c.partner_id, c.points, (SELECT coalesce(sum(pm.points), 0) FROM retail_points_move pm
                                              WHERE pm.card_id = c.id)
              FROM loyalty_card c WHERE c.partner_id IN (SELECT partner_id FROM pos_order WHERE partner_id IS NOT NULL)
        """)
        cards = cr.fetchall()
        for partner, balance, ledger in cards:
            if abs(float(balance) - float(ledger)) > 0.5:
                problems.append(f"member {partner}: card balance {balance}, ledger {ledger}")
        points = {"member_orders": len(member_orders), "cards": len(cards),
                  "earned": sum(float(row[2]) for row in member_orders)}
    return {
        "orders_sent": len(uuids), "orders_found": recorded, "lost": len(lost), "duplicated": len(duplicated),
        "unknown": unknown, "sessions": len(sessions), "problems": problems[:50], "problem_count": len(problems),
        "lost_uuids": lost[:10], "duplicated_uuids": duplicated[:10], "points": points,
        "payments": round(payments, 2), "income": round(income, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["fixture", "audit"])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--stores", type=int, default=2)
    parser.add_argument("--tills", type=int, default=4)
    parser.add_argument("--stock", default="closing", choices=["closing", "real"])
    parser.add_argument("--sent", help="JSON file of the orders the tills sent (audit)")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level", "warn"], setup_logging=True)
    threading.current_thread().dbname = args.database
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        if args.step == "fixture":
            result = build_fixture(env(user=env.ref("base.user_admin")), args.stores, args.tills, args.stock)
            cr.commit()
        else:
            with open(args.sent) as sent_file:
                result = audit(env, json.load(sent_file))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
