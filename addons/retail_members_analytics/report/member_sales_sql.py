"""SQL of the members' share of the chain's figures, shared by the close pack and the dashboard.

A member order is a paid order whose customer is a member; its lines, store and day are those
of retail_analytics' ``paid_lines``, so that member sales are a part of the same sales. A
points movement belongs to the store it names (the order's store, or the member's home store),
and its day is that store's local day, as an order's.
"""

from odoo.addons.retail_analytics.report.sales_sql import (
    PAID_STATES,
    local_day,
    paid_lines,
    store_orders,
)
from odoo.tools import SQL

# ledger move types of the close pack's points figures; together they are the day's whole change
ISSUED_TYPES = ("earn", "bonus", "adjust", "refund")
REDEEMED_TYPES = ("redeem", "redeem_reversal")
EXPIRED_TYPES = ("expire",)


def member_lines(day_ranges=None, store_ids=None, exact=True):
    """The rows of ``paid_lines`` whose order has a member as its customer."""
    return SQL("""
        SELECT line.*
          FROM (%(lines)s) line
          JOIN pos_order member_order ON member_order.id = line.order_id
          JOIN res_partner member ON member.id = member_order.partner_id
         WHERE member.retail_is_member
    """, lines=paid_lines(day_ranges, store_ids, exact))


def member_orders(day_ranges=None, store_ids=None, exact=True):
    """The rows of ``store_orders`` (paid orders) whose customer is a member."""
    return SQL("""
        SELECT orders.*
          FROM (%(orders)s) orders
          JOIN pos_order member_order ON member_order.id = orders.order_id
          JOIN res_partner member ON member.id = member_order.partner_id
         WHERE member.retail_is_member
    """, orders=store_orders(PAID_STATES, day_ranges, store_ids, exact))


def member_day(day, store_ids):
    """One row per store of ``store_ids`` with its member figures of the local ``day``: member
    sales and tickets, members enrolled with the store as their home store, points issued,
    redeemed and expired that day, and the points outstanding and their value at the day's end.
    """
    return SQL("""
        WITH sold AS (
            SELECT retail_store_id, SUM(amount) AS amount
              FROM (%(lines)s) line
          GROUP BY retail_store_id
        ), tickets AS (
            SELECT retail_store_id, COUNT(*) AS tickets
              FROM (%(orders)s) orders
          GROUP BY retail_store_id
        ), enrolled AS (
            SELECT retail_home_store_id AS retail_store_id, COUNT(*) AS members
              FROM res_partner
             WHERE retail_is_member AND active AND retail_join_date = %(day)s
               AND retail_home_store_id = ANY(%(store_ids)s)
          GROUP BY retail_home_store_id
        ), ledger AS (
            SELECT m.retail_store_id, m.move_type, m.points, m.value, %(move_day)s AS day
              FROM retail_points_move m
              JOIN stock_warehouse w ON w.id = m.retail_store_id
         LEFT JOIN res_partner wp ON wp.id = w.partner_id
             -- a day more than any time zone needs, the local day is checked below
             WHERE m.retail_store_id = ANY(%(store_ids)s) AND m.date < %(day)s::date + 2
        ), points AS (
            SELECT retail_store_id,
                   SUM(points) FILTER (WHERE day = %(day)s AND move_type IN %(issued)s) AS issued,
                   -SUM(points) FILTER (WHERE day = %(day)s AND move_type IN %(redeemed)s) AS redeemed,
                   -SUM(points) FILTER (WHERE day = %(day)s AND move_type IN %(expired)s) AS expired,
                   SUM(points) AS outstanding,
                   SUM(value) AS liability
              FROM ledger
             WHERE day <= %(day)s
          GROUP BY retail_store_id
        )
        SELECT store.id AS retail_store_id,
               COALESCE(sold.amount, 0) AS member_sales_amount,
               COALESCE(tickets.tickets, 0) AS member_ticket_count,
               COALESCE(enrolled.members, 0) AS new_member_count,
               COALESCE(points.issued, 0) AS points_issued,
               COALESCE(points.redeemed, 0) AS points_redeemed,
               COALESCE(points.expired, 0) AS points_expired,
               COALESCE(points.outstanding, 0) AS points_outstanding,
               COALESCE(points.liability, 0) AS points_liability
          FROM unnest(%(store_ids)s::int[]) AS store(id)
     LEFT JOIN sold ON sold.retail_store_id = store.id
     LEFT JOIN tickets ON tickets.retail_store_id = store.id
     LEFT JOIN enrolled ON enrolled.retail_store_id = store.id
     LEFT JOIN points ON points.retail_store_id = store.id
    """, lines=member_lines([(day, day)], store_ids), orders=member_orders([(day, day)], store_ids),
         day=day, store_ids=list(store_ids), move_day=local_day(SQL("m.date")),
         issued=ISSUED_TYPES, redeemed=REDEEMED_TYPES, expired=EXPIRED_TYPES)
