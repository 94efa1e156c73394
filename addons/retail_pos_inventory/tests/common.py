from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.addons.retail_pos.tests.common import RetailPosCase

HISTORY_DAYS = 28


class MarkdownCase(RetailPosCase):
    """Store A sells two cartons of milk a day and holds a lot of 30 that expires in five days:
    about 20 of them would expire unsold. Its yoghurt sells five a day and its lot of 10 sells in
    time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        now = fields.Datetime.now()
        cls.milk.standard_price = 5.0
        cls.yoghurt = env["product.product"].create({
            "name": "Yoghurt", "lst_price": 4.0, "standard_price": 2.0, "available_in_pos": True,
            "is_storable": True, "tracking": "lot", "use_expiration_date": True, "taxes_id": [(5, 0, 0)],
        })
        Lot = env["stock.lot"]
        # the lots sold so far keep a long date: only MILK-MD is near its end
        later = now + timedelta(days=365)
        cls.lot_history = Lot.create({"name": "MILK-HIST", "product_id": cls.milk.id, "expiration_date": later})
        cls.lot_md = Lot.create({
            "name": "MILK-MD", "product_id": cls.milk.id, "expiration_date": now + timedelta(days=5),
        })
        cls.yoghurt_history = Lot.create({
            "name": "YOG-HIST", "product_id": cls.yoghurt.id, "expiration_date": later})
        cls.lot_yoghurt = Lot.create({
            "name": "YOG-1", "product_id": cls.yoghurt.id, "expiration_date": now + timedelta(days=4),
        })
        first_day = (now - timedelta(days=HISTORY_DAYS)).date()
        cls._put(cls.store_a, cls.milk, cls.lot_history, 2 * HISTORY_DAYS + 20)
        cls._put(cls.store_a, cls.yoghurt, cls.yoghurt_history, 5 * HISTORY_DAYS + 20)
        cls._sell_daily(cls.store_a, cls.milk, cls.lot_history, 2.0, first_day)
        cls._sell_daily(cls.store_a, cls.yoghurt, cls.yoghurt_history, 5.0, first_day)
        cls._put(cls.store_a, cls.milk, cls.lot_md, 30)
        cls._put(cls.store_a, cls.yoghurt, cls.lot_yoghurt, 10)
        cls._put(cls.store_b, cls.milk, cls.lot_md, 5)

    @classmethod
    def _put(cls, store, product, lot, quantity):
        cls.env["stock.quant"]._update_available_quantity(product, store.lot_stock_id, quantity, lot_id=lot)

    @classmethod
    def _sell_daily(cls, store, product, lot, quantity, first_day):
        """One done sale a day of ``quantity`` units since ``first_day``, dated at noon."""
        customer = cls.env.ref("stock.stock_location_customers")
        values = [{
            "product_id": product.id, "product_uom_qty": quantity, "product_uom": product.uom_id.id,
            "location_id": store.lot_stock_id.id, "location_dest_id": customer.id,
            "move_line_ids": [Command.create({
                "product_id": product.id, "quantity": quantity, "lot_id": lot.id,
                "location_id": store.lot_stock_id.id, "location_dest_id": customer.id,
            })],
        } for _day in range(HISTORY_DAYS)]
        moves = cls.env["stock.move"].create(values)
        moves._action_confirm()
        moves.picked = True
        moves._action_done()
        dates = [datetime.combine(first_day + timedelta(days=day), time(12)) for day in range(HISTORY_DAYS)]
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_move SET date = day.date FROM unnest(%s::int[], %s::timestamp[]) AS day(id, date)"
            " WHERE stock_move.id = day.id", [moves.ids, dates])
        cls.env.invalidate_all()

    @classmethod
    def propose(cls, store=None):
        return cls.env["retail.lot.markdown"]._retail_propose(store or cls.store_a)
