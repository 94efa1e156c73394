"""Benchmark: syncing a member order from the till, against core pos_loyalty for the same order.

Run:  odoo shell -c ODOO.conf -d DB --no-http < bench/retail_members_pos_sync.py
(DB with retail_members installed; everything is rolled back at the end.)

Variants, interleaved, 30 repetitions each, medians:
- core: ``sync_from_ui`` of a 3-line order for a customer of a core loyalty programme, then
  ``confirm_coupon_programs`` with the points the browser computed (what pos_loyalty does);
- member: ``sync_from_ui`` of the same order for a member: points, ledger, card, spend and tier
  check are done on the server in the same call.
Gate: member <= 1.1x core.
"""

import statistics
import time
from uuid import uuid4

from odoo import fields

REPEAT = 30

env = env(user=env.ref("base.user_admin"))  # noqa: F821 - provided by odoo shell
cr = env.cr
company = env.company

cash_journal = env["account.journal"].create({"name": "Bench Cash", "type": "cash", "code": "BCSH"})
cash = env["pos.payment.method"].create({"name": "Bench Cash", "journal_id": cash_journal.id})
pricelist = env["product.pricelist"].create({"name": "Bench"})
config = env["pos.config"].create({
    "name": "Bench Till", "payment_method_ids": [(6, 0, cash.ids)], "pricelist_id": pricelist.id,
})
config.open_ui()
session = config.current_session_id
session.set_opening_control(0, None)
products = env["product.product"].create([
    {"name": f"Bench product {index}", "list_price": 10.0 * (index + 1), "available_in_pos": True,
     "taxes_id": [(5, 0, 0)], "type": "consu"}
    for index in range(3)
])
core_program = env["loyalty.program"].create({
    "name": "Bench core loyalty", "program_type": "loyalty", "pos_ok": True,
    "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})],
    "reward_ids": [(0, 0, {"reward_type": "discount", "discount_mode": "per_point", "discount": 0.01,
                           "required_points": 1})],
})
customer = env["res.partner"].create({"name": "Bench customer"})
card = env["loyalty.card"].create({"program_id": core_program.id, "partner_id": customer.id, "points": 0})
member = env["res.partner"].create({"name": "Bench member", "retail_is_member": True})


def order_data(partner):
    uuid = str(uuid4())
    lines = [(0, 0, {
        "product_id": product.id, "qty": 2, "price_unit": product.list_price,
        "price_subtotal": 2 * product.list_price, "price_subtotal_incl": 2 * product.list_price,
        "tax_ids": [], "discount": 0,
    }) for product in products]
    total = sum(line[2]["price_subtotal_incl"] for line in lines)
    return {
        "amount_paid": total, "amount_return": 0, "amount_tax": 0, "amount_total": total,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()), "fiscal_position_id": False,
        "pricelist_id": pricelist.id, "name": f"Order {uuid}", "last_order_preparation_change": "{}",
        "lines": lines, "partner_id": partner.id, "session_id": session.id,
        "payment_ids": [(0, 0, {"amount": total, "name": fields.Datetime.now(), "payment_method_id": cash.id})],
        "uuid": uuid, "user_id": env.uid, "to_invoice": False,
    }, total


def core_variant():
    data, total = order_data(customer)
    result = env["pos.order"].sync_from_ui([data])
    order = env["pos.order"].browse(result["pos.order"][0]["id"])
    order.confirm_coupon_programs({str(card.id): {
        "program_id": core_program.id, "coupon_id": card.id, "points": int(total), "won": int(total),
        "spent": 0, "partner_id": customer.id}})
    return order


def member_variant():
    data, _total = order_data(member)
    env["pos.order"].sync_from_ui([data])


def measure(function):
    env.flush_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    function()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - queries


for _warm in range(3):
    core_variant()
    member_variant()
times = {"core": [], "member": []}
queries = {"core": [], "member": []}
for _index in range(REPEAT):
    for name, function in (("core", core_variant), ("member", member_variant)):
        duration, count = measure(function)
        times[name].append(duration)
        queries[name].append(count)

core_ms = statistics.median(times["core"]) * 1000
member_ms = statistics.median(times["member"]) * 1000
print("| variant | median ms / order | median queries / order |")
print("|---|---:|---:|")
core_queries = statistics.median(queries["core"])
member_queries = statistics.median(queries["member"])
print(f"| core pos_loyalty (sync + confirm_coupon_programs) | {core_ms:.1f} | {core_queries:.0f} |")
print(f"| retail_members member order (sync, points on server) | {member_ms:.1f} | {member_queries:.0f} |")
ratio = member_ms / core_ms
print(f"\nratio member / core: {ratio:.2f}x ({'ok' if ratio <= 1.1 else 'OVER'} against 1.1x); "
      f"member balance {member.retail_points_balance:.0f}, card {card.points:.0f}")
cr.rollback()
