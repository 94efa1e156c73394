"""SQL shared by the sales report views, the close packs, the anomaly rules and the dashboard,
so that a store's sales, tickets, voids and cash variance mean the same thing everywhere.

An order's store is the warehouse of its till. An order's day is its date in the time zone of
the store's address (UTC when it has none), so that "yesterday" means the store's yesterday.
"""

from odoo.tools import SQL

PAID_STATES = ("paid", "done")
VOID_STATES = ("cancel",)


def local_day(timestamp):
    """The store-local date of a UTC timestamp; the store's address must be joined as ``wp``."""
    return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(NULLIF(wp.tz, ''), 'UTC'))::date", timestamp)


def local_days_filter(timestamp, day_ranges, exact=True):
    """Rows whose store-local day lies in one of ``day_ranges`` (inclusive ``(first, last)`` dates).

    Each UTC range is widened by a day on each side, which covers every time zone and lets
    the index on ``timestamp`` serve the query. With ``exact``, the local day is checked as
    well; without, the rows of the neighbouring days remain and the caller groups them by day
    and keeps the days it asked for: over many days that is faster, as the database then
    estimates the number of rows well and joins the order lines in one pass.
    """
    windows = []
    for first, last in day_ranges:
        window = SQL("%(ts)s >= %(first)s::date - 1 AND %(ts)s < %(last)s::date + 2",
                     ts=timestamp, first=first, last=last)
        if exact:
            window = SQL("%s AND %s BETWEEN %s AND %s", window, local_day(timestamp), first, last)
        windows.append(SQL("(%s)", window))
    return SQL("(%s)", SQL(" OR ").join(windows))


def store_orders(states, day_ranges=None, store_ids=None, exact=True):
    """One row per order in ``states`` with its store and local day, optionally only on the
    local days of ``day_ranges`` (see :func:`local_days_filter` for ``exact``) and of the
    stores ``store_ids``."""
    conditions = [SQL("s.state IN %s", tuple(states))]
    if day_ranges is not None:
        conditions.append(local_days_filter(SQL("s.date_order"), day_ranges, exact))
    if store_ids is not None:
        conditions.append(SQL("pc.warehouse_id = ANY(%s)", list(store_ids)))
    return SQL("""
        SELECT s.id AS order_id, s.state, s.user_id, s.session_id, s.company_id,
               pc.warehouse_id AS retail_store_id, %(day)s AS day
          FROM pos_order s
          JOIN pos_session ps ON ps.id = s.session_id
          JOIN pos_config pc ON pc.id = ps.config_id
          JOIN stock_warehouse w ON w.id = pc.warehouse_id
     LEFT JOIN res_partner wp ON wp.id = w.partner_id
         WHERE %(conditions)s
    """, day=local_day(SQL("s.date_order")), conditions=SQL(" AND ").join(conditions))


def paid_lines(day_ranges=None, store_ids=None, exact=True):
    """One row per line of a paid order, with the order's store and local day and the line's
    amounts. The cost is the line's own once the session computed it, else the product's."""
    return SQL("""
        SELECT l.id AS line_id, o.order_id, o.user_id, o.session_id, o.company_id, o.retail_store_id,
               o.day, l.product_id, p.product_tmpl_id, pt.categ_id, pt.is_storable,
               l.qty,
               l.price_subtotal AS amount,
               l.qty * l.price_unit * COALESCE(l.discount, 0) / 100.0 AS discount_amount,
               l.qty * l.price_unit AS gross_amount,
               CASE WHEN l.is_total_cost_computed OR COALESCE(l.total_cost, 0) <> 0
                    THEN COALESCE(l.total_cost, 0)
                    ELSE l.qty * COALESCE((p.standard_price ->> o.company_id::text)::numeric, 0)
               END AS cost
          FROM pos_order_line l
          JOIN (%(orders)s) o ON o.order_id = l.order_id
          JOIN product_product p ON p.id = l.product_id
          -- a left join, so that the database leaves it out of queries that use no template column
     LEFT JOIN product_template pt ON pt.id = p.product_tmpl_id
    """, orders=store_orders(PAID_STATES, day_ranges, store_ids, exact))


def cashier_day(day, store_ids):
    """Per store and cashier on a local day: what the cashier sold, the tickets (paid orders),
    the refund tickets (paid orders with a returned line) and the voids (orders cancelled at
    the till). A cashier with voids only has a row too."""
    return SQL("""
        WITH sold AS (
            SELECT retail_store_id, user_id,
                   SUM(amount) AS amount, SUM(cost) AS cost, SUM(qty) AS units,
                   SUM(discount_amount) AS discount,
                   SUM(gross_amount) FILTER (WHERE qty > 0) AS gross_sold,
                   SUM(discount_amount) FILTER (WHERE qty > 0) AS discount_sold,
                   SUM(CASE WHEN qty < 0 THEN -amount ELSE 0 END) AS refund,
                   COUNT(DISTINCT order_id) FILTER (WHERE qty < 0) AS refunds
              FROM (%(lines)s) line
          GROUP BY retail_store_id, user_id
        ), counted AS (
            SELECT retail_store_id, user_id,
                   COUNT(*) FILTER (WHERE state IN %(paid)s) AS tickets,
                   COUNT(*) FILTER (WHERE state IN %(void)s) AS voids
              FROM (%(orders)s) orders
          GROUP BY retail_store_id, user_id
        )
        SELECT COALESCE(sold.retail_store_id, counted.retail_store_id) AS retail_store_id,
               COALESCE(sold.user_id, counted.user_id) AS user_id,
               COALESCE(amount, 0) AS amount, COALESCE(cost, 0) AS cost, COALESCE(units, 0) AS units,
               COALESCE(discount, 0) AS discount, COALESCE(gross_sold, 0) AS gross_sold,
               COALESCE(discount_sold, 0) AS discount_sold, COALESCE(refund, 0) AS refund,
               COALESCE(refunds, 0) AS refunds, COALESCE(tickets, 0) AS tickets, COALESCE(voids, 0) AS voids
          FROM sold
          FULL JOIN counted
            ON counted.retail_store_id = sold.retail_store_id AND counted.user_id = sold.user_id
    """, lines=paid_lines([(day, day)], store_ids),
         orders=store_orders(PAID_STATES + VOID_STATES, [(day, day)], store_ids),
         paid=PAID_STATES, void=VOID_STATES)


def closed_sessions(day, store_ids):
    """Till sessions closed on a store-local day, with their cash variance.

    The variance follows the point of sale's own definition: counted cash minus the opening
    float, the cash moves in and out, and the cash payments of the session's paid orders; a
    till without a cash payment method has none.
    """
    return SQL("""
        SELECT pc.warehouse_id AS retail_store_id, ps.id AS session_id,
               CASE WHEN EXISTS (SELECT 1 FROM pos_config_pos_payment_method_rel rel
                                   JOIN pos_payment_method pm ON pm.id = rel.pos_payment_method_id
                                  WHERE rel.pos_config_id = pc.id AND pm.is_cash_count)
                    THEN COALESCE(ps.cash_register_balance_end_real, 0)
                         - COALESCE(ps.cash_register_balance_start, 0)
                         - COALESCE(ps.cash_real_transaction, 0)
                         - COALESCE((SELECT SUM(pay.amount)
                                       FROM pos_payment pay
                                       JOIN pos_order o ON o.id = pay.pos_order_id
                                       JOIN pos_payment_method pm ON pm.id = pay.payment_method_id
                                      WHERE pay.session_id = ps.id AND pm.is_cash_count
                                        AND o.state IN ('paid', 'invoiced', 'done')), 0)
                    ELSE 0 END AS difference
          FROM pos_session ps
          JOIN pos_config pc ON pc.id = ps.config_id
          JOIN stock_warehouse w ON w.id = pc.warehouse_id
     LEFT JOIN res_partner wp ON wp.id = w.partner_id
         WHERE ps.state = 'closed' AND pc.warehouse_id = ANY(%(store_ids)s) AND %(closed_that_day)s
    """, store_ids=list(store_ids), closed_that_day=local_days_filter(SQL("ps.stop_at"), [(day, day)]))
