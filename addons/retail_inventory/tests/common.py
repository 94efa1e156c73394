from datetime import timedelta

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailCase
from odoo.fields import Command


class RetailInventoryCase(RetailCase):
    """Stores A and B (and the DC) with a lot-tracked yoghurt and a plain biscuit.

    Store A sells 5 yoghurts a day and holds 80 of a lot that expires in 4 days; store B sells
    30 a day and holds 10 — the planner should send 60 of that lot from A to B.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create({"name": "Dairy"})
        cls.yoghurt = cls.env["product.product"].create({
            "name": "Yoghurt 200g", "is_storable": True, "tracking": "lot", "use_expiration_date": True,
            "categ_id": cls.category.id, "barcode": "6900000000011",
        })
        cls.biscuit = cls.env["product.product"].create({
            "name": "Biscuit", "is_storable": True, "barcode": "6900000000028",
        })
        cls.stores = cls.store_a | cls.store_b
        cls.stores.write({"retail_target_days": 7, "retail_min_days": 2})
        cls.dc.write({"retail_target_days": 7, "retail_min_days": 0})
        now = fields.Datetime.now()
        cls.lot_a = cls.env["stock.lot"].create({
            "name": "YOG-A-1", "product_id": cls.yoghurt.id, "expiration_date": now + timedelta(days=4),
        })
        cls.lot_b = cls.env["stock.lot"].create({
            "name": "YOG-B-1", "product_id": cls.yoghurt.id, "expiration_date": now + timedelta(days=20),
        })
        # 28 days of sales: A 5/day, B 30/day, then what is left on the shelf
        cls._put(cls.store_a, cls.yoghurt, 220, cls.lot_a)
        cls._put(cls.store_b, cls.yoghurt, 850, cls.lot_b)
        cls._sell(cls.store_a, cls.yoghurt, 140, cls.lot_a)
        cls._sell(cls.store_b, cls.yoghurt, 840, cls.lot_b)

    @classmethod
    def _put(cls, store, product, quantity, lot=None):
        cls.env["stock.quant"]._update_available_quantity(product, store.lot_stock_id, quantity, lot_id=lot)

    @classmethod
    def _sell(cls, store, product, quantity, lot=None):
        customer = cls.env.ref("stock.stock_location_customers")
        move = cls.env["stock.move"].create({
            "product_id": product.id,
            "product_uom_qty": quantity,
            "product_uom": product.uom_id.id,
            "location_id": store.lot_stock_id.id,
            "location_dest_id": customer.id,
            "move_line_ids": [Command.create({
                "product_id": product.id,
                "quantity": quantity,
                "lot_id": lot.id if lot else False,
                "location_id": store.lot_stock_id.id,
                "location_dest_id": customer.id,
            })],
        })
        move._action_confirm()
        move.picked = True
        move._action_done()
        return move

    @classmethod
    def _on_hand(cls, store, product, lot=None):
        return cls.env["stock.quant"]._get_available_quantity(
            product, store.lot_stock_id, lot_id=lot, strict=bool(lot))

    def _proposal(self, lines=None, **vals):
        proposal = self.env["retail.dispatch.proposal"].create({"store_ids": [Command.set(self.stores.ids)], **vals})
        if lines:
            proposal.line_ids = [Command.create(line) for line in lines]
        return proposal
