from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RetailInventoryCase


@tagged("post_install", "-at_install")
class TestStockRights(RetailInventoryCase):
    """Store staff read the moves, move lines and stock of their own stores only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier_b = new_test_user(cls.env, "retail_cashier_b", groups="retail_base.group_retail_staff")
        cls.cashier_b.retail_store_ids = cls.store_b
        cls.transit = cls.env.company.internal_transit_location_id
        cls.moves_a = cls._moves_of(cls.store_a)
        cls.moves_b = cls._moves_of(cls.store_b)
        cls.quant_a = cls._quant(cls.store_a, cls.lot_a)
        cls.quant_b = cls._quant(cls.store_b, cls.lot_b)

    @classmethod
    def _moves_of(cls, store):
        return cls.env["stock.move"].search([
            ("product_id", "=", cls.yoghurt.id),
            "|", ("location_id", "=", store.lot_stock_id.id), ("location_dest_id", "=", store.lot_stock_id.id),
        ])

    @classmethod
    def _quant(cls, store, lot):
        return cls.env["stock.quant"].search([("location_id", "=", store.lot_stock_id.id), ("lot_id", "=", lot.id)])

    def _approved_transfer(self, quantity):
        proposal = self._proposal(lines=[{
            "source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
            "lot_id": self.lot_a.id, "quantity": quantity, "reason": "manual",
        }])
        proposal.with_user(self.hq_user).action_approve()
        ship = proposal.picking_ids.filtered(lambda p: p.picking_type_id == self.store_a.out_type_id)
        return proposal, ship, proposal.picking_ids - ship

    def test_fixture_has_moves_and_quants_in_both_stores(self):
        self.assertEqual((len(self.moves_a), len(self.moves_b)), (1, 1))
        self.assertEqual((self.quant_a.quantity, self.quant_b.quantity), (80.0, 10.0))

    def test_staff_do_not_read_other_stores_moves(self):
        Move = self.env["stock.move"].with_user(self.cashier_a)
        self.assertFalse(Move.search([("id", "in", self.moves_b.ids)]))
        with self.assertRaises(AccessError):
            self.moves_b.with_user(self.cashier_a).read(["product_uom_qty"])

    def test_staff_do_not_read_other_stores_move_lines(self):
        lines_b = self.moves_b.move_line_ids
        self.assertEqual(len(lines_b), 1)
        Line = self.env["stock.move.line"].with_user(self.cashier_a)
        self.assertFalse(Line.search([("id", "in", lines_b.ids)]))
        with self.assertRaises(AccessError):
            lines_b.with_user(self.cashier_a).read(["quantity"])

    def test_staff_do_not_read_other_stores_stock(self):
        Quant = self.env["stock.quant"].with_user(self.cashier_a)
        self.assertFalse(Quant.search([("id", "=", self.quant_b.id)]))
        with self.assertRaises(AccessError):
            self.quant_b.with_user(self.cashier_a).read(["quantity"])
        # what a product shows as on hand is what the user may see
        self.assertEqual(self.yoghurt.with_user(self.cashier_a).qty_available, 80.0)

    def test_staff_read_their_own_stores_moves_and_stock(self):
        products = [("product_id", "=", self.yoghurt.id)]
        self.assertEqual(self.env["stock.move"].with_user(self.cashier_a).search(products), self.moves_a)
        self.assertEqual(self.env["stock.move.line"].with_user(self.cashier_a).search(products),
                         self.moves_a.move_line_ids)
        # sold units sit in the customers' location, which belongs to no store
        in_stores = [*products, ("location_id.usage", "=", "internal")]
        self.assertEqual(self.env["stock.quant"].with_user(self.cashier_a).search(in_stores), self.quant_a)
        self.assertEqual(self.moves_a.with_user(self.cashier_a).read(["product_uom_qty"])[0]["product_uom_qty"],
                         140.0)
        self.assertEqual(self.quant_b.with_user(self.manager_b).read(["quantity"])[0]["quantity"], 10.0)

    def test_staff_moved_to_another_store_see_that_store_at_once(self):
        products = [("product_id", "=", self.yoghurt.id)]
        Move = self.env["stock.move"].with_user(self.cashier_b)
        self.assertEqual(Move.search(products), self.moves_b)
        self.cashier_b.retail_store_ids = self.store_a
        self.assertEqual(Move.search(products), self.moves_a)
        self.assertEqual(self.env["stock.quant"].with_user(self.cashier_b).search(
            [*products, ("location_id.usage", "=", "internal")]), self.quant_a)

    def test_a_new_location_of_the_store_is_seen_by_its_staff(self):
        Move = self.env["stock.move"]
        # the staff's rule is evaluated (and cached) before the location exists
        self.assertEqual(Move.with_user(self.cashier_a).search([("product_id", "=", self.yoghurt.id)]), self.moves_a)
        shelf = self.env["stock.location"].create({"name": "Back shelf", "location_id": self.store_a.lot_stock_id.id})
        move = Move.create({
            "product_id": self.biscuit.id, "product_uom_qty": 3, "product_uom": self.biscuit.uom_id.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id, "location_dest_id": shelf.id,
        })
        self.assertEqual(Move.with_user(self.cashier_a).search([("location_dest_id", "=", shelf.id)]), move)
        self.assertFalse(Move.with_user(self.cashier_b).search([("location_dest_id", "=", shelf.id)]))

    def test_hq_reads_every_store(self):
        products = [("product_id", "=", self.yoghurt.id)]
        self.assertEqual(self.env["stock.move"].with_user(self.hq_user).search(products),
                         self.moves_a | self.moves_b)
        self.assertEqual(self.env["stock.move.line"].with_user(self.hq_user).search(products),
                         (self.moves_a | self.moves_b).move_line_ids)
        in_stores = [*products, ("location_id.usage", "=", "internal")]
        self.assertEqual(self.env["stock.quant"].with_user(self.hq_user).search(in_stores),
                         self.quant_a | self.quant_b)
        self.assertEqual(self.yoghurt.with_user(self.hq_user).qty_available, 90.0)

    def test_store_staff_ship_and_receive_a_transfer_through_transit(self):
        proposal, ship, receipt = self._approved_transfer(6)
        ship.with_user(self.cashier_a).button_validate()
        self.assertEqual((ship.state, receipt.state, proposal.state), ("done", "assigned", "approved"))
        # the receipt takes the shipped lot; both stores see the goods in transit
        self.assertEqual(receipt.move_line_ids.lot_id, self.lot_a)
        for user in (self.cashier_a, self.cashier_b):
            in_transit = self.env["stock.quant"].with_user(user).search([
                ("location_id", "=", self.transit.id), ("product_id", "=", self.yoghurt.id)])
            self.assertEqual(sum(in_transit.mapped("quantity")), 6.0)
        # A's staff see the receiving half of their own transfer, but not B's receipt itself
        self.assertEqual(receipt.move_ids.with_user(self.cashier_a).read(["state"])[0]["state"], "assigned")
        with self.assertRaises(AccessError):
            receipt.with_user(self.cashier_a).read(["name"])
        # B's staff receive by scanning: core's validation of the reserved quantities is refused
        with self.assertRaisesRegex(AccessError, "are received by scanning"):
            receipt.with_user(self.cashier_b).button_validate()
        self.assertEqual(receipt.state, "assigned")
        for _unit in range(6):
            receipt.with_user(self.cashier_b).retail_scan("6900000000011")
        receipt.with_user(self.cashier_b).retail_validate()
        self.assertEqual((receipt.state, proposal.state), ("done", "done"))
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 6.0)
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_a), 74.0)
        self.assertFalse(self.env["stock.quant"].with_user(self.cashier_a).search([
            ("location_id", "=", self.store_b.lot_stock_id.id)]))

    def test_store_staff_scan_receive_a_transfer(self):
        _proposal, ship, receipt = self._approved_transfer(2)
        ship.with_user(self.cashier_a).button_validate()
        receipt = receipt.with_user(self.cashier_b)
        for barcode in ("YOG-A-1", "YOG-A-1"):
            self.assertEqual(receipt.retail_scan(barcode)["status"], "ok")
        receipt.retail_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 2.0)

    def test_store_staff_receive_from_a_supplier_and_sell(self):
        supplier = self.env.ref("stock.stock_location_suppliers")
        customer = self.env.ref("stock.stock_location_customers")
        Picking = self.env["stock.picking"].with_user(self.cashier_a)
        receipt = Picking.create({
            "picking_type_id": self.store_a.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": self.store_a.lot_stock_id.id,
            "move_ids": [(0, 0, {
                "product_id": self.biscuit.id, "product_uom_qty": 12, "product_uom": self.biscuit.uom_id.id,
                "location_id": supplier.id, "location_dest_id": self.store_a.lot_stock_id.id,
            })],
        })
        receipt.action_confirm()
        # a quantity typed by store staff is not what is received: they scan
        receipt.move_ids.quantity = 12
        with self.assertRaisesRegex(AccessError, "are received by scanning"):
            receipt.button_validate()
        for _unit in range(12):
            receipt.retail_scan(self.biscuit.barcode)
        receipt.retail_validate()
        self.assertEqual(receipt.state, "done")
        sale = Picking.create({
            "picking_type_id": self.store_a.out_type_id.id,
            "location_id": self.store_a.lot_stock_id.id,
            "location_dest_id": customer.id,
            "move_ids": [(0, 0, {
                "product_id": self.biscuit.id, "product_uom_qty": 5, "product_uom": self.biscuit.uom_id.id,
                "location_id": self.store_a.lot_stock_id.id, "location_dest_id": customer.id,
            })],
        })
        sale.action_confirm()
        sale.button_validate()
        self.assertEqual(sale.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.biscuit), 7.0)
        self.assertEqual(self.biscuit.with_user(self.cashier_b).qty_available, 0.0)
