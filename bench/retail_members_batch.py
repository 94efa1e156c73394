"""Benchmark: daily tier evaluation and points expiry over 200,000 members / 1,000,000 orders.

Run:  odoo shell -c ODOO.conf -d DB --no-http < bench/retail_members_batch.py
(DB with retail_members installed; everything is rolled back at the end.)

Each operation is compared with the raw-SQL floor of the aggregate it needs, measured in the same
run, interleaved, medians. Gate: <= 20 s and <= 3x the floor.
"""

import statistics
import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

MEMBERS = 200_000
ORDERS = 1_000_000
REPEAT = 5

env = env  # noqa: F821 - provided by odoo shell
cr = env.cr
company = env.company
Tier = env["retail.member.tier"].sudo()
Move = env["retail.points.move"].sudo()


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def build_fixture():
    cr.execute("SELECT setseed(0.42)")
    regular = Tier._retail_ladder(company)[:1].id
    cr.execute(SQL("""
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills, retail_is_member, company_id,
                                 retail_tier_id, retail_member_number, retail_join_date)
        SELECT 'Bench member ' || g, 'Bench member ' || g, true, 'contact', 'ask', true, %(company)s, %(tier)s,
               'B' || lpad(g::text, 9, '0'), CURRENT_DATE - (random() * 1500)::int
          FROM generate_series(1, %(members)s) g
        RETURNING id
    """, company=company.id, tier=regular, members=MEMBERS))
    ids = [row[0] for row in cr.fetchall()]
    first = min(ids)
    # every member holds a card of the member programme, as enrolment gives them
    cr.execute(SQL("""
        INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active)
        SELECT %(program)s, %(company)s, id, 'BENCH' || id, 0, true FROM res_partner WHERE id >= %(first)s
    """, program=company._retail_member_program().id, company=company.id, first=first))
    cr.execute("ANALYZE res_partner; ANALYZE loyalty_card")
    cr.execute(SQL("""
        UPDATE res_partner p SET retail_loyalty_card_id = c.id
          FROM loyalty_card c WHERE c.partner_id = p.id AND c.code LIKE 'BENCH%%' AND p.id >= %s
    """, first))
    cr.execute(SQL("""
        INSERT INTO pos_order (name, company_id, partner_id, state, date_order, amount_tax, amount_total,
                               amount_paid, amount_return)
        SELECT 'Bench/' || g, %(company)s, %(first)s + floor(random() * %(members)s)::int, 'paid',
               now() - random() * interval '730 days', 0, a, a, 0
          FROM (SELECT g, round((5 + 1500 * power(random(), 3))::numeric, 2) AS a
                  FROM generate_series(1, %(orders)s) g) s
    """, company=company.id, first=first, members=MEMBERS, orders=ORDERS))
    cr.execute("ANALYZE res_partner; ANALYZE pos_order")
    cr.execute(SQL("""
        INSERT INTO retail_points_move (partner_id, card_id, company_id, move_type, date, points, value,
                                        expiry_date, order_id)
        SELECT o.partner_id, p.retail_loyalty_card_id, o.company_id, 'earn', o.date_order, floor(o.amount_total),
               round(floor(o.amount_total) * 0.01, 2),
               (o.date_order + interval '12 months')::date, o.id
          FROM pos_order o JOIN res_partner p ON p.id = o.partner_id WHERE o.name LIKE 'Bench/%%'
    """))
    cr.execute("ANALYZE retail_points_move")
    cr.execute(SQL("""
        INSERT INTO retail_points_lot (move_id, partner_id, date, expiry_date, remaining)
        SELECT id, partner_id, date, expiry_date, points FROM retail_points_move WHERE points > 0
    """))
    cr.execute(SQL("""
        UPDATE loyalty_card c SET points = s.points
          FROM (SELECT card_id, SUM(points) AS points FROM retail_points_move GROUP BY card_id) s
         WHERE c.id = s.card_id
    """))
    cr.execute("ANALYZE res_partner; ANALYZE loyalty_card; ANALYZE pos_order; ANALYZE retail_points_move;"
               " ANALYZE retail_points_lot")
    env.invalidate_all()


def floor_tiers(day):
    cr.execute(SQL("""
        SELECT o.partner_id, SUM(o.amount_total)
          FROM pos_order o JOIN res_partner p ON p.id = o.partner_id
         WHERE p.retail_is_member AND o.state IN ('paid', 'done') AND o.date_order >= %s
         GROUP BY o.partner_id
    """, day - timedelta(days=365)))
    return len(cr.fetchall())


def floor_expiry(day):
    cr.execute(SQL("""
        SELECT partner_id, SUM(remaining) FROM retail_points_lot WHERE expiry_date <= %s GROUP BY partner_id
    """, day))
    return len(cr.fetchall())


def report(rows):
    print("| operation | ours (s) | raw-SQL floor (s) | ratio | rows | gate |")
    print("|---|---:|---:|---:|---:|---|")
    for name, ours, floor, rows_changed in rows:
        ratio = ours / floor if floor else float("inf")
        gate = "ok" if ours <= 20 and ratio <= 3 else "OVER"
        print(f"| {name} | {ours:.3f} | {floor:.3f} | {ratio:.2f}x | {rows_changed} | {gate} |")


build_time, _ = timed(build_fixture)
print(f"fixture: {MEMBERS} members, {ORDERS} orders and earnings built in {build_time:.1f} s")
today = fields.Date.context_today(Tier)
rows = []

# first evaluation: every member is measured, the members who qualify move up
floor_first, _ = timed(floor_tiers, today)
ours_first, changes = timed(Tier._retail_evaluate, company=company, today=today)
rows.append(("tier evaluation, first run", ours_first, floor_first, changes))

ours_runs, floor_runs, changed = [], [], []
for day in range(1, REPEAT + 1):
    when = today + timedelta(days=day)
    duration, _ = timed(floor_tiers, when)
    floor_runs.append(duration)
    duration, result = timed(Tier._retail_evaluate, company=company, today=when)
    ours_runs.append(duration)
    changed.append(result)
rows.append(("tier evaluation, daily run (median)", statistics.median(ours_runs), statistics.median(floor_runs),
             int(statistics.median(changed))))

floor_first, _ = timed(floor_expiry, today)
ours_first, expired = timed(Move._cron_retail_expire_points, today=today)
rows.append(("points expiry, catch-up run", ours_first, floor_first, expired))
ours_runs, floor_runs, changed = [], [], []
for day in range(1, REPEAT + 1):
    when = today + timedelta(days=day)
    duration, _ = timed(floor_expiry, when)
    floor_runs.append(duration)
    duration, result = timed(Move._cron_retail_expire_points, today=when)
    ours_runs.append(duration)
    changed.append(result)
rows.append(("points expiry, daily run (median)", statistics.median(ours_runs), statistics.median(floor_runs),
             int(statistics.median(changed))))
report(rows)
cr.rollback()
