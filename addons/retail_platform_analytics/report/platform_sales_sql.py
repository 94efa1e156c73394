"""SQL of the delivery platforms' part of a store's day, for the close pack.

A platform order is not a till order: retail_platform books it as an invoice to the platform
when the order is accepted, and each refund or cancellation after acceptance as a credit note
of it. The pack's own sales are the tills' (``pos_order``), so the platform figures come from
those invoices and credit notes only and never count a sale twice.

A platform figure belongs to the order's store, and to the store-local day on which its
invoice or credit note was booked (its creation), as an order's day is the store-local day of
its date. The commission is that of the payout statements reconciled for the store's shops,
on the statement's date, the date of its journal entry.
"""

from odoo.addons.retail_analytics.report.sales_sql import local_days_filter
from odoo.tools import SQL


def platform_moves(day, store_ids, credit_notes):
    """One row per posted invoice and credit note of a platform order of the stores
    ``store_ids`` booked on the local ``day``: the order's store, the order, the move's type and
    its amount without tax, in the company's currency, negative for a credit note.

    ``credit_notes`` is the order's field ``credit_note_ids``, whose table links the orders to
    their credit notes."""
    return SQL("""
        SELECT o.warehouse_id AS retail_store_id, o.id AS order_id, m.move_type,
               m.amount_untaxed_signed AS amount
          FROM retail_platform_order o
          JOIN account_move m ON m.id = o.invoice_id
          JOIN stock_warehouse w ON w.id = o.warehouse_id
     LEFT JOIN res_partner wp ON wp.id = w.partner_id
         WHERE o.warehouse_id = ANY(%(store_ids)s) AND m.state = 'posted' AND %(invoiced)s
     UNION ALL
        SELECT o.warehouse_id, o.id, m.move_type, m.amount_untaxed_signed
          FROM retail_platform_order o
          JOIN %(relation)s rel ON rel.%(order_column)s = o.id
          JOIN account_move m ON m.id = rel.%(move_column)s
          JOIN stock_warehouse w ON w.id = o.warehouse_id
     LEFT JOIN res_partner wp ON wp.id = w.partner_id
         WHERE o.warehouse_id = ANY(%(store_ids)s) AND m.state = 'posted' AND m.move_type = 'out_refund'
           AND %(credited)s
    """, store_ids=list(store_ids),
         invoiced=local_days_filter(SQL("m.create_date"), [(day, day)]),
         credited=local_days_filter(SQL("m.create_date"), [(day, day)]),
         relation=SQL.identifier(credit_notes.relation),
         order_column=SQL.identifier(credit_notes.column1),
         move_column=SQL.identifier(credit_notes.column2))


def platform_day(day, store_ids, credit_notes):
    """One row per store of ``store_ids`` with its platform figures of the local ``day``: the
    orders booked, the sales without tax (refunds and cancellations deducted), the refunds and
    cancellations, and the commission of the payouts dated that day."""
    return SQL("""
        WITH booked AS (
            SELECT retail_store_id,
                   COUNT(DISTINCT order_id) FILTER (WHERE move_type = 'out_invoice') AS orders,
                   SUM(amount) AS amount,
                   -SUM(amount) FILTER (WHERE move_type = 'out_refund') AS refunded
              FROM (%(moves)s) move
          GROUP BY retail_store_id
        ), commission AS (
            SELECT shop.warehouse_id AS retail_store_id, SUM(payout.commission_total) AS amount
              FROM retail_platform_settlement payout
              JOIN retail_platform_shop shop ON shop.id = payout.shop_id
             WHERE payout.state = 'done' AND payout.date = %(day)s AND shop.warehouse_id = ANY(%(store_ids)s)
          GROUP BY shop.warehouse_id
        )
        SELECT store.id AS retail_store_id,
               COALESCE(booked.orders, 0) AS platform_order_count,
               COALESCE(booked.amount, 0) AS platform_sales_amount,
               COALESCE(booked.refunded, 0) AS platform_refund_amount,
               COALESCE(commission.amount, 0) AS platform_commission_amount
          FROM unnest(%(store_ids)s::int[]) AS store(id)
     LEFT JOIN booked ON booked.retail_store_id = store.id
     LEFT JOIN commission ON commission.retail_store_id = store.id
    """, moves=platform_moves(day, store_ids, credit_notes), day=day, store_ids=list(store_ids))
