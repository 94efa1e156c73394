"""The demo chain's history: stock moves, lots and quants, then the closed sessions, tickets and payments."""

import datetime

import numpy as np

from odoo import models
from odoo.tools import SQL


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    # ------------------------------------------------------------------ stock

    def _write_stock(self, chain):
        """Deliveries, lots, the sessions' pickings and moves, and the final quants."""
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        dc = chain["dc"]
        products = chain["products"]
        company = chain["company"]
        start = datetime.datetime.combine(chain["start_date"], datetime.time())
        product_ids = np.array(products.ids, dtype=np.int64)
        store_loc = np.array([s.lot_stock_id.id for s in stores], dtype=np.int64)
        store_codes = [s.code for s in stores]
        supplier = self.env.ref("stock.stock_location_suppliers").id
        customer = self.env.ref("stock.stock_location_customers").id
        uid = self.env.uid

        # -- lots (one per delivery of a tracked article), at the store that received it
        lots = history["lots"]
        lot_ids = self._reserve_ids("stock_lot", len(lots))
        lot_days = lots[:, 2]
        self._temp_table("retail_gen_lot", [
            ("rid", "int"), ("product_id", "int"), ("received", "int"), ("expiry", "int"), ("location_id", "int")], [
            lot_ids, product_ids[lots[:, 1]], lot_days, lots[:, 4], store_loc[lots[:, 0]]])
        self._insert("stock_lot", SQL("""
            INSERT INTO stock_lot (id, product_id, company_id, name, location_id, expiration_date, use_date,
                                   removal_date, alert_date, product_expiry_reminded,
                                   create_uid, write_uid, create_date, write_date)
            SELECT l.rid, l.product_id, %(company)s,
                   w.code || '-' || to_char(%(start)s + l.received * interval '1 day', 'YYMMDD'), l.location_id,
                   %(start)s + l.expiry * interval '1 day',
                   %(start)s + (l.expiry - t.use_time) * interval '1 day',
                   %(start)s + (l.expiry - t.removal_time) * interval '1 day',
                   %(start)s + (l.expiry - t.alert_time) * interval '1 day',
                   false, %(uid)s, %(uid)s, %(start)s + l.received * interval '1 day',
                   %(start)s + l.received * interval '1 day'
              FROM retail_gen_lot l
              JOIN stock_warehouse w ON w.lot_stock_id = l.location_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id""", company=company.id, start=start, uid=uid))

        # -- pickings: store deliveries (from the supplier or the DC) and DC purchases per day,
        #    and one POS picking per store and day
        receipts = history["receipts"]
        from_dc = history["receipt_from_dc"]
        dc_receipts = history["dc_receipts"]
        sales = history["sales_moves"]
        n_stores = len(stores)
        # picking key: kind (0 supplier->store, 1 dc->store, 2 supplier->dc, 3 store->customer), store, day
        rec_kind = np.where(from_dc, 1, 0)
        keys = np.concatenate([
            (rec_kind * (n_stores + 1) + receipts[:, 0]) * 10000 + receipts[:, 2],
            (2 * (n_stores + 1) + n_stores) * 10000 + dc_receipts[:, 1],
            (3 * (n_stores + 1) + sales[:, 0]) * 10000 + sales[:, 2],
        ])
        picking_keys, move_picking = np.unique(keys, return_inverse=True)
        picking_ids = self._reserve_ids("stock_picking", len(picking_keys))
        p_kind = picking_keys // 10000 // (n_stores + 1)
        p_store = picking_keys // 10000 % (n_stores + 1)
        p_day = picking_keys % 10000
        all_loc = np.append(store_loc, dc.lot_stock_id.id)
        src = np.select([p_kind == 0, p_kind == 1, p_kind == 2], [supplier, dc.lot_stock_id.id, supplier],
                        all_loc[p_store])
        dst = np.select([p_kind == 3], [customer], all_loc[p_store])
        in_types = np.array([s.in_type_id.id for s in stores] + [dc.in_type_id.id])
        pos_types = np.array([s.pos_type_id.id for s in stores] + [0])
        p_type = np.select([p_kind == 1, p_kind == 3], [dc.int_type_id.id, pos_types[p_store]], in_types[p_store])
        prefixes = np.array(["IN", "DC", "IN", "POS"])
        all_codes = np.array([*store_codes, "DC"])
        date_strings = [(chain["start_date"] + datetime.timedelta(days=d)).strftime("%Y%m%d")
                        for d in range(int(p_day.max()) + 1)]
        p_names = [f"{all_codes[s]}/{prefixes[k]}/{date_strings[d]}" for k, s, d in zip(
            p_kind.tolist(), p_store.tolist(), p_day.tolist(), strict=True)]
        # deliveries arrive at 05:00 (DC) / 06:00 (stores) local, the POS picking at closing time (22:00)
        hour = np.select([p_kind == 2, p_kind == 3], [-3, 14], -2)
        self._temp_table("retail_gen_picking", [
            ("rid", "int"), ("kind", "int"), ("day", "int"), ("hour", "int"), ("src", "int"), ("dst", "int"),
            ("type", "int"), ("name", "text")], [picking_ids, p_kind, p_day, hour, src, dst, p_type, p_names])
        self._insert("stock_picking", SQL("""
            INSERT INTO stock_picking (id, name, origin, location_id, location_dest_id, picking_type_id, company_id,
                                       move_type, state, priority, scheduled_date, date_done, is_locked, printed,
                                       create_uid, write_uid, create_date, write_date)
            SELECT rid, name, name, src, dst, type, %(company)s, 'direct', 'done', '0',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour', true, false,
                   %(uid)s, %(uid)s, %(start)s + day * interval '1 day' + hour * interval '1 hour',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour'
              FROM retail_gen_picking ORDER BY rid""", company=company.id, start=start, uid=uid))
        chain["picking_ids_by_key"] = (picking_keys, picking_ids)

        # -- moves: store deliveries, DC purchases, sales
        m_product = np.concatenate([receipts[:, 1], dc_receipts[:, 0], sales[:, 1]])
        m_qty = np.concatenate([receipts[:, 3], dc_receipts[:, 2], sales[:, 3]])
        move_ids = self._reserve_ids("stock_move", len(m_product))
        m_picking = picking_ids[move_picking]
        m_kind = p_kind[move_picking]
        self._temp_table("retail_gen_move", [
            ("rid", "int"), ("picking_id", "int"), ("product_id", "int"), ("qty", "numeric"), ("kind", "int")],
            [move_ids, m_picking, product_ids[m_product], m_qty, m_kind])
        self._insert("stock_move", SQL("""
            INSERT INTO stock_move (id, sequence, company_id, product_id, product_uom, location_id, location_dest_id,
                                    location_final_id, picking_id, picking_type_id, warehouse_id, priority, state,
                                    origin, procure_method, reference, product_qty, product_uom_qty, quantity,
                                    picked, propagate_cancel, is_inventory, additional, date, price_unit,
                                    is_in, is_out, is_dropship, create_uid, write_uid, create_date, write_date)
            SELECT m.rid, 10, %(company)s, m.product_id, t.uom_id, p.location_id, p.location_dest_id,
                   p.location_dest_id, p.id, p.picking_type_id, pt.warehouse_id, '0', 'done', p.origin,
                   'make_to_stock', p.name, m.qty, m.qty, m.qty, true, false, false, false, p.date_done,
                   COALESCE((pp.standard_price->>%(company_key)s)::float, 0), m.kind IN (0, 2), m.kind = 3, false,
                   %(uid)s, %(uid)s, p.date_done, p.date_done
              FROM retail_gen_move m
              JOIN stock_picking p ON p.id = m.picking_id
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id""",
            company=company.id, uid=uid, company_key=str(company.id)))

        # -- move lines: one per move, split per lot for the tracked sales moves
        n_rec = len(receipts)
        n_dc = len(dc_receipts)
        sales_offset = n_rec + n_dc
        tracked_sales = np.zeros(len(sales), dtype=bool)
        pieces = history["lot_pieces"]
        tracked_sales[pieces[:, 0]] = True
        lot_of_receipt = np.full(n_rec, -1, dtype=np.int64)
        lot_of_receipt[history["lot_receipt"]] = np.arange(len(lots))
        ml_move = np.concatenate([
            np.arange(n_rec + n_dc), sales_offset + np.nonzero(~tracked_sales)[0], sales_offset + pieces[:, 0]])
        ml_lot = np.concatenate([
            lot_of_receipt, np.full(n_dc + int((~tracked_sales).sum()), -1, dtype=np.int64), pieces[:, 1]])
        ml_qty = np.concatenate([m_qty[: n_rec + n_dc], sales[~tracked_sales, 3], pieces[:, 2]])
        lot_id_column = np.where(ml_lot >= 0, lot_ids[np.maximum(ml_lot, 0)], 0)
        # the move's own columns travel with the line: no join back to millions of moves
        ml_moves = move_ids[ml_move]
        ml_picking = move_picking[ml_move]
        uoms = np.array([product.uom_id.id for product in products], dtype=np.int64)
        self._temp_table("retail_gen_ml", [
            ("move_id", "int"), ("lot_id", "int"), ("qty", "numeric"), ("picking_id", "int"), ("product_id", "int"),
            ("uom_id", "int"), ("src", "int"), ("dst", "int"), ("day", "int"), ("hour", "int")], [
            ml_moves, lot_id_column, ml_qty, picking_ids[ml_picking], product_ids[m_product[ml_move]],
            uoms[m_product[ml_move]], src[ml_picking], dst[ml_picking], p_day[ml_picking], hour[ml_picking]])
        self._insert("stock_move_line", SQL("""
            INSERT INTO stock_move_line (picking_id, move_id, company_id, product_id, product_uom_id, lot_id, lot_name,
                                         location_id, location_dest_id, state, quantity, quantity_product_uom,
                                         picked, date, expiration_date, removal_date,
                                         create_uid, write_uid, create_date, write_date)
            SELECT l.picking_id, l.move_id, %(company)s, l.product_id, l.uom_id, lot.id, lot.name,
                   l.src, l.dst, 'done', l.qty, l.qty, true, d.stamp, lot.expiration_date, lot.removal_date,
                   %(uid)s, %(uid)s, d.stamp, d.stamp
              FROM retail_gen_ml l
              CROSS JOIN LATERAL (SELECT %(start)s + l.day * interval '1 day' + l.hour * interval '1 hour' AS stamp) d
              LEFT JOIN stock_lot lot ON lot.id = NULLIF(l.lot_id, 0)""", company=company.id, uid=uid, start=start))

        # -- quants: what is left on the shelves (per lot for tracked articles) and in the DC
        stock = history["stock"]
        tracked = np.array([p["shelf_life"] > 0 for p in data["products"]])
        s_idx, p_idx = np.nonzero((stock > 0) & ~tracked[None, :])
        left = history["lot_left"] > 0
        dc_idx = np.nonzero(history["dc_stock"] > 0)[0]
        last_delivery = np.zeros(stock.shape, dtype=np.int64)
        last_delivery[receipts[:, 0], receipts[:, 1]] = receipts[:, 2]  # receipts are in day order
        q_loc = np.concatenate([store_loc[s_idx], store_loc[lots[left, 0]],
                                np.full(len(dc_idx), dc.lot_stock_id.id)])
        q_product = np.concatenate([p_idx, lots[left, 1], dc_idx])
        q_lot = np.concatenate([
            np.zeros(len(s_idx), dtype=np.int64), lot_ids[left], np.zeros(len(dc_idx), dtype=np.int64)])
        q_qty = np.concatenate([stock[s_idx, p_idx], history["lot_left"][left], history["dc_stock"][dc_idx]])
        q_day = np.concatenate([last_delivery[s_idx, p_idx], lots[left, 2], np.full(len(dc_idx), 0)])
        self._temp_table("retail_gen_quant", [
            ("location_id", "int"), ("product_id", "int"), ("lot_id", "int"), ("qty", "numeric"), ("day", "int")],
            [q_loc, product_ids[q_product], q_lot, q_qty, q_day])
        self._insert("stock_quant", SQL("""
            INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity, reserved_quantity,
                                     inventory_quantity_set, in_date, expiration_date, removal_date,
                                     create_uid, write_uid, create_date, write_date)
            SELECT q.product_id, %(company)s, q.location_id, NULLIF(q.lot_id, 0), q.qty, 0, false,
                   %(start)s + q.day * interval '1 day', lot.expiration_date, lot.removal_date,
                   %(uid)s, %(uid)s, %(start)s + q.day * interval '1 day', %(start)s + q.day * interval '1 day'
              FROM retail_gen_quant q LEFT JOIN stock_lot lot ON lot.id = NULLIF(q.lot_id, 0)""",
            company=company.id, start=start, uid=uid))

    # ------------------------------------------------------------------ sales

    def _write_sales(self, chain):
        """Closed sessions (one per store and day), tickets, lines and payments."""
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        configs = chain["pos_configs"]
        company = chain["company"]
        start = datetime.datetime.combine(chain["start_date"], datetime.time())
        uid = self.env.uid
        orders, lines = history["orders"], history["lines"]
        n_stores, days = len(stores), data["spec"]["days"]
        # sessions (store, day) that sold something
        session_key = orders[:, 1] * n_stores + orders[:, 0]
        session_keys, order_session = np.unique(session_key, return_inverse=True)
        session_ids = self._reserve_ids("pos_session", len(session_keys))
        s_store = session_keys % n_stores
        s_day = session_keys // n_stores
        config_ids = np.array(configs.ids)
        cashier_ids = np.array([chain["store_cashiers"][s.id].ids for s in stores])  # store x cashier
        cash_journal = np.array([chain["payment_methods"][s.id][0].journal_id.id for s in stores])
        method_ids = np.array([[m.id for m in chain["payment_methods"][s.id]] for s in stores])
        order_store = orders[:, 0]
        # the tax included in each line, rounded per line as the till does
        taxes, product_tax, rates = self._product_tax_columns(chain)
        line_rate = rates[product_tax[lines[:, 1]]]
        line_tax = np.rint(history["line_subtotal"] * line_rate / (1.0 + line_rate)).astype(np.int64)
        order_tax = np.bincount(lines[:, 0], weights=line_tax, minlength=len(orders))
        chain["line_tax"] = line_tax
        chain["taxes"], chain["product_tax"] = taxes, product_tax
        cash_total = np.bincount(order_session, weights=np.where(orders[:, 4] == 0, history["order_total"], 0),
                                 minlength=len(session_keys))
        date_strings = [(chain["start_date"] + datetime.timedelta(days=d)).strftime("%Y%m%d") for d in range(days)]
        codes = stores.mapped("code")
        s_names = [f"{codes[s]}/{date_strings[d]}" for s, d in zip(s_store.tolist(), s_day.tolist(), strict=True)]
        chain["sessions"] = {"ids": session_ids, "store": s_store, "day": s_day, "order_session": order_session}
        self._temp_table("retail_gen_session", [
            ("rid", "int"), ("config_id", "int"), ("user_id", "int"), ("journal_id", "int"), ("name", "text"),
            ("day", "int"), ("cash", "numeric")], [
            session_ids, config_ids[s_store], cashier_ids[s_store, 0], cash_journal[s_store], s_names, s_day,
            (cash_total / 100.0).round(2)])
        self._insert("pos_session", SQL("""
            INSERT INTO pos_session (id, config_id, user_id, cash_journal_id, name, state, start_at, stop_at,
                                     cash_register_balance_start, cash_register_balance_end_real,
                                     cash_real_transaction, rescue, update_stock_at_closing,
                                     create_uid, write_uid, create_date, write_date)
            SELECT rid, config_id, user_id, journal_id, name, 'closed',
                   %(start)s + day * interval '1 day' - interval '10 minutes',
                   %(start)s + day * interval '1 day' + interval '14 hours 10 minutes',
                   0, round(cash::numeric, 2), 0, false, true, %(uid)s, %(uid)s,
                   %(start)s + day * interval '1 day' - interval '10 minutes',
                   %(start)s + day * interval '1 day' + interval '14 hours 10 minutes'
              FROM retail_gen_session ORDER BY rid""", start=start, uid=uid))
        # the POS pickings belong to their session
        picking_keys, picking_ids = chain["picking_ids_by_key"]
        pos_key = (3 * (n_stores + 1) + s_store) * 10000 + s_day
        position = np.searchsorted(picking_keys, pos_key)
        self._temp_table("retail_gen_sp", [("picking_id", "int"), ("session_id", "int")],
                         [picking_ids[position], session_ids])
        self._insert("stock_picking", SQL("""UPDATE stock_picking p SET pos_session_id = s.session_id
                        FROM retail_gen_sp s WHERE p.id = s.picking_id"""))

        # orders: sequence within the session in time order (orders are sorted by day, store, time)
        order_ids = self._reserve_ids("pos_order", len(orders))
        first = np.r_[0, np.nonzero(np.diff(order_session))[0] + 1]
        counts = np.diff(np.r_[first, len(orders)])
        sequence = np.arange(len(orders)) - np.repeat(first, counts) + 1
        member_ids = np.array([*chain["members"].ids, 0], dtype=np.int64)
        cashier_slot = np.where(orders[:, 2] < 7 * 3600, 0, cashier_ids.shape[1] - 1)
        self._temp_table("retail_gen_order", [
            ("rid", "int"), ("session_id", "int"), ("config_id", "int"), ("user_id", "int"), ("partner_id", "int"),
            ("seq", "int"), ("day", "int"), ("sec", "int"), ("total", "numeric"), ("tax", "numeric"),
            ("method_id", "int")], [
            order_ids, session_ids[order_session], config_ids[order_store], cashier_ids[order_store, cashier_slot],
            member_ids[orders[:, 3]], sequence, orders[:, 1], orders[:, 2], history["order_total"] / 100.0,
            order_tax / 100.0, method_ids[order_store, orders[:, 4]]])
        pricelist = configs[:1].pricelist_id.id or None
        self._insert("pos_order", SQL("""
            INSERT INTO pos_order (id, user_id, company_id, pricelist_id, partner_id, sequence_number, session_id,
                                   config_id, name, state, pos_reference, tracking_number, uuid, source,
                                   amount_tax, amount_total, amount_paid, amount_return, currency_rate,
                                   is_refund, to_invoice, is_tipped, tip_amount, has_deleted_line, nb_print,
                                   date_order, create_uid, write_uid, create_date, write_date)
            WITH o AS (
                SELECT t.*, c.name AS config_name, round(t.total::numeric, 2) AS amount,
                       to_char(%(start)s + t.day * interval '1 day', 'YYYYMMDD') || lpad(t.seq::text, 4, '0') AS number,
                       %(start)s + t.day * interval '1 day' + t.sec * interval '1 second' AS stamp
                  FROM retail_gen_order t JOIN pos_config c ON c.id = t.config_id)
            SELECT rid, user_id, %(company)s, %(pricelist)s, NULLIF(partner_id, 0), seq, session_id, config_id,
                   config_name || ' - ' || number, 'done', substr(number, 3, 2) || '9-' || config_id || '-' || number,
                   (seq %% 1000)::text, md5('retail-order-' || config_id || '-' || number)::uuid::text, 'pos',
                   round(tax::numeric, 2), amount, amount, 0, 1, false, false, false, 0, false, 0, stamp, user_id,
                   user_id, stamp, stamp
              FROM o""", company=company.id, pricelist=pricelist, start=start))
        self._insert("pos_payment", SQL("""
            INSERT INTO pos_payment (pos_order_id, payment_method_id, session_id, company_id, amount, is_change,
                                     payment_date, payment_status, uuid, create_uid, write_uid, create_date, write_date)
            SELECT o.id, t.method_id, o.session_id, %(company)s, o.amount_total, false, o.date_order, 'done',
                   md5('retail-payment-' || o.pos_reference)::uuid::text, o.user_id, o.user_id, o.date_order,
                   o.date_order
              FROM retail_gen_order t JOIN pos_order o ON o.id = t.rid""", company=company.id))

        product_ids = np.array(chain["products"].ids, dtype=np.int64)
        costs = np.array([p["cost"] for p in data["products"]], dtype=np.int64)
        # the order's own columns travel with the line: no join back to a million orders
        line_order = lines[:, 0]
        order_user = cashier_ids[order_store, cashier_slot]
        line_ids = self._reserve_ids("pos_order_line", len(lines))
        tax_ids = np.array([*taxes.ids, 0], dtype=np.int64)
        self._temp_table("retail_gen_line", [
            ("rid", "int"), ("idx", "int"), ("order_id", "int"), ("product_id", "int"), ("qty", "numeric"),
            ("price", "numeric"), ("discount", "numeric"), ("subtotal", "numeric"), ("net", "numeric"),
            ("tax_id", "int"), ("cost", "numeric"), ("config_id", "int"),
            ("day", "int"), ("seq", "int"), ("sec", "int"), ("user_id", "int")], [
            line_ids, np.arange(1, len(lines) + 1), order_ids[line_order], product_ids[lines[:, 1]], lines[:, 2],
            history["line_price"] / 100.0, lines[:, 3], history["line_subtotal"] / 100.0,
            (history["line_subtotal"] - line_tax) / 100.0, tax_ids[product_tax[lines[:, 1]]],
            costs[lines[:, 1]] * lines[:, 2] / 100.0, config_ids[order_store[line_order]], orders[line_order, 1],
            sequence[line_order], orders[line_order, 2], order_user[line_order]])
        self._insert("pos_order_line", SQL("""
            INSERT INTO pos_order_line (id, company_id, product_id, order_id, name, full_product_name, price_unit, qty,
                                        price_subtotal, price_subtotal_incl, discount, total_cost,
                                        is_total_cost_computed, price_extra, uuid, create_uid, write_uid,
                                        create_date, write_date)
            SELECT l.rid, %(company)s, l.product_id, l.order_id,
                   c.name || ' - ' || to_char(%(start)s + l.day * interval '1 day', 'YYYYMMDD')
                   || lpad(l.seq::text, 4, '0') || '-' || l.idx,
                   t.name->>'en_US', round(l.price::numeric, 2), l.qty, round(l.net::numeric, 2),
                   round(l.subtotal::numeric, 2), l.discount, round(l.cost::numeric, 2), true, 0,
                   md5('retail-line-' || l.config_id || '-' || l.idx)::uuid::text, l.user_id, l.user_id, d.stamp,
                   d.stamp
              FROM retail_gen_line l
              CROSS JOIN LATERAL (SELECT %(start)s + l.day * interval '1 day' + l.sec * interval '1 second' AS stamp) d
              JOIN pos_config c ON c.id = l.config_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id""", company=company.id, start=start))
        if taxes:
            self._insert("account_tax_pos_order_line_rel", SQL("""
                INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id)
                SELECT rid, tax_id FROM retail_gen_line WHERE tax_id > 0"""))
        chain["order_ids"] = order_ids
