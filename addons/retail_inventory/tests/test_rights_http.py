"""Store walls and the receiving checks, attacked over real HTTP as store staff of store A
(``retail_cashier_a``), the store manager of store B (``retail_manager_b``) and headquarters,
through the web client's JSON-RPC (``/web/dataset/call_kw``)."""

from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.fields import Command
from odoo.tests import tagged

from .test_scan_receive import MILK, ScanReceiveCommon

STAFF_A = "retail_cashier_a"
MANAGER_B = "retail_manager_b"
HQ = "retail_hq"


class RightsHttpCommon(RetailHttpCase, ScanReceiveCommon):
    """Besides the fixture of the scanning tests (a transfer A → B of 6 yoghurts of lot YOG-A-1
    shipped, a supplier receipt of A): a transfer B → A of 4 yoghurts of lot YOG-B-1 shipped, a
    supplier receipt of B, a stocktake waiting for approval in each store, a discrepancy and a
    count in each store, and proposals that touch A or B only (with a third store C)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.store_c = cls.env["stock.warehouse"].create({
            "name": "Test Store C", "code": "TSC", "retail_store_type": "store"})
        to_a = cls._proposal(cls, lines=[{
            "source_id": cls.store_b.id, "destination_id": cls.store_a.id, "product_id": cls.yoghurt.id,
            "lot_id": cls.lot_b.id, "quantity": 4, "reason": "manual",
        }])
        to_a.action_approve()
        ship_b = to_a.picking_ids.filtered(lambda p: p.picking_type_id == cls.store_b.out_type_id)
        ship_b.button_validate()
        cls.transfer_a = to_a.picking_ids - ship_b
        cls.supplier_receipt_b = cls.env["stock.picking"].create({
            "picking_type_id": cls.store_b.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": cls.store_b.lot_stock_id.id,
            "move_ids": [Command.create({
                "product_id": cls.biscuit.id, "product_uom_qty": 5, "product_uom": cls.biscuit.uom_id.id,
                "location_id": supplier.id, "location_dest_id": cls.store_b.lot_stock_id.id,
            })],
        })
        cls.supplier_receipt_b.action_confirm()
        cls.proposal_a_c = cls._draft_proposal(cls.store_a, cls.store_c)
        cls.proposal_b_c = cls._draft_proposal(cls.store_b, cls.store_c)
        cls.stocktake_a = cls._submitted_stocktake(cls.store_a)
        cls.stocktake_b = cls._submitted_stocktake(cls.store_b)
        # a wrong item at each store, and one unit counted
        cls.supplier_receipt.retail_scan(cls.biscuit.barcode)
        cls.receipt.retail_scan(cls.water.barcode)
        cls.supplier_receipt.retail_scan(cls.water.barcode)
        cls.supplier_receipt_b.retail_scan(cls.biscuit.barcode)
        cls.quant_a = cls.env["stock.quant"].search([
            ("location_id", "=", cls.store_a.lot_stock_id.id), ("lot_id", "=", cls.lot_a.id)])
        cls.quant_b = cls.env["stock.quant"].search([
            ("location_id", "=", cls.store_b.lot_stock_id.id), ("lot_id", "=", cls.lot_b.id)])
        cls.env.flush_all()
        Report = cls.env["retail.stock.report"]
        cls.records = {
            # model: (records of store A only, records of store B only)
            "stock.picking": (cls.supplier_receipt | cls.transfer_a, cls.supplier_receipt_b | cls.receipt),
            "stock.move": (cls.supplier_receipt.move_ids, cls.supplier_receipt_b.move_ids),
            "stock.move.line": (cls.supplier_receipt.move_line_ids, cls.supplier_receipt_b.move_line_ids),
            "stock.quant": (cls.quant_a, cls.quant_b),
            "retail.stocktake": (cls.stocktake_a, cls.stocktake_b),
            "retail.stocktake.line": (cls.stocktake_a.line_ids, cls.stocktake_b.line_ids),
            "retail.receipt.discrepancy": (cls.supplier_receipt.retail_discrepancy_ids,
                                           cls.receipt.retail_discrepancy_ids),
            "retail.receipt.scan": (cls.supplier_receipt.retail_scan_ids, cls.supplier_receipt_b.retail_scan_ids),
            "retail.dispatch.proposal": (cls.proposal_a_c, cls.proposal_b_c),
            "retail.dispatch.proposal.line": (cls.proposal_a_c.line_ids, cls.proposal_b_c.line_ids),
            "retail.stock.report": (Report.search([("retail_store_id", "=", cls.store_a.id)]),
                                    Report.search([("retail_store_id", "=", cls.store_b.id)])),
        }

    @classmethod
    def _draft_proposal(cls, source, destination):
        return cls.env["retail.dispatch.proposal"].create({
            "store_ids": [Command.set((source | destination).ids)],
            "line_ids": [Command.create({
                "source_id": source.id, "destination_id": destination.id, "product_id": cls.biscuit.id,
                "quantity": 1, "reason": "manual",
            })],
        })

    @classmethod
    def _submitted_stocktake(cls, store):
        stocktake = cls.env["retail.stocktake"].create({"retail_store_id": store.id, "reason": "Count"})
        stocktake.action_start()
        line = stocktake.line_ids.filtered(lambda line: line.product_id == cls.yoghurt)
        line.write({"counted_qty": line.expected_qty - 1, "counted": True})
        stocktake.action_submit()
        return stocktake

    def rpc(self, login, model, method, *args, **kwargs):
        # the server works in this test's transaction: let it see what the test wrote, and the
        # test see what the server wrote
        self.env.flush_all()
        try:
            return super().rpc(login, model, method, *args, **kwargs)
        finally:
            self.env.invalidate_all()

    def _ids(self, model, store_index):
        return self.records[model][store_index].ids

    def _on_hand(self, store, product, lot=None):
        self.env.invalidate_all()
        return super()._on_hand(store, product, lot)


@tagged("post_install", "-at_install")
class TestStoreWallsHttp(RightsHttpCommon):
    """Each role reads, creates, changes and deletes what its work needs, in its own stores only."""

    def test_fixture_has_records_of_both_stores_for_every_model(self):
        for model, (of_a, of_b) in self.records.items():
            self.assertTrue(of_a and of_b, f"{model} needs records of both stores")

    def test_nothing_of_store_b_reaches_store_a_staff(self):
        for model in self.records:
            with self.subTest(model=model):
                theirs = self._ids(model, 1)
                self.assertEqual(self.rpc(STAFF_A, model, "search", [("id", "in", theirs)]), [])
                self.assertEqual(self.rpc(STAFF_A, model, "search_count", [("id", "in", theirs)]), 0)
                self.assertRpcDenied("AccessError", STAFF_A, model, "read", theirs, ["display_name"])

    def test_store_a_staff_read_their_own_store(self):
        for model in self.records:
            with self.subTest(model=model):
                ours = self._ids(model, 0)
                self.assertEqual(sorted(self.rpc(STAFF_A, model, "search", [("id", "in", ours)])), sorted(ours))
                self.assertEqual(len(self.rpc(STAFF_A, model, "read", ours, ["display_name"])), len(ours))

    def test_nothing_of_store_a_reaches_store_b_manager(self):
        for model in self.records:
            with self.subTest(model=model):
                theirs = self._ids(model, 0)
                self.assertEqual(self.rpc(MANAGER_B, model, "search", [("id", "in", theirs)]), [])
                self.assertRpcDenied("AccessError", MANAGER_B, model, "read", theirs, ["display_name"])
                ours = self._ids(model, 1)
                self.assertEqual(sorted(self.rpc(MANAGER_B, model, "search", [("id", "in", ours)])), sorted(ours))

    def test_headquarters_read_every_store(self):
        for model in self.records:
            with self.subTest(model=model):
                every = self._ids(model, 0) + self._ids(model, 1)
                self.assertEqual(sorted(self.rpc(HQ, model, "search", [("id", "in", every)])), sorted(every))

    def test_store_a_staff_change_and_delete_nothing_of_store_b(self):
        changes = {
            "stock.picking": {"origin": "X"},
            "stock.move": {"product_uom_qty": 50},
            "stock.move.line": {"quantity": 50},
            "stock.quant": {"inventory_quantity": 50},
            "retail.stocktake": {"reason": "X"},
            "retail.stocktake.line": {"counted_qty": 50},
            "retail.receipt.discrepancy": {"reason": "X"},
            "retail.receipt.scan": {"quantity": 50},
            "retail.dispatch.proposal": {"velocity_days": 7},
            "retail.dispatch.proposal.line": {"quantity": 50},
        }
        for model, values in changes.items():
            with self.subTest(model=model):
                theirs = self._ids(model, 1)
                self.assertRpcDenied("AccessError", STAFF_A, model, "write", theirs, values)
                self.assertRpcDenied("AccessError", STAFF_A, model, "unlink", theirs)
                self.assertEqual(self.env[model].browse(theirs).exists().ids, theirs)
        self.assertEqual(self.supplier_receipt_b.move_ids.product_uom_qty, 5)
        self.assertEqual(self.stocktake_b.reason, "Count")

    def test_store_a_staff_create_nothing_in_store_b(self):
        supplier = self.env.ref("stock.stock_location_suppliers").id
        stock_b = self.store_b.lot_stock_id.id
        self.assertRpcDenied("AccessError", STAFF_A, "stock.picking", "create", {
            "picking_type_id": self.store_b.in_type_id.id, "location_id": supplier, "location_dest_id": stock_b})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake", "create", {
            "retail_store_id": self.store_b.id})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake.line", "create", {
            "stocktake_id": self.stocktake_b.id, "product_id": self.biscuit.id, "location_id": stock_b})
        self.assertRpcDenied("AccessError", STAFF_A, "stock.quant", "create", {
            "product_id": self.biscuit.id, "location_id": stock_b, "inventory_quantity": 5},
            context={"inventory_mode": True})
        self.assertFalse(self.env["retail.stocktake"].search([("retail_store_id", "=", self.store_b.id),
                                                              ("id", "!=", self.stocktake_b.id)]))

    def test_store_a_staff_cannot_take_stock_out_of_store_b(self):
        stock_a = self.store_a.lot_stock_id.id
        stock_b = self.store_b.lot_stock_id.id
        # a move into their own store, taken from B's shelf: its own store's rule would let it in
        self.assertRpcDenied("AccessError", STAFF_A, "stock.move", "create", {
            "product_id": self.yoghurt.id, "product_uom_qty": 6, "product_uom": self.yoghurt.uom_id.id,
            "location_id": stock_b, "location_dest_id": stock_a})
        line = self.supplier_receipt.move_line_ids.filtered(lambda line: line.product_id == self.water)
        self.assertRpcDenied("AccessError", STAFF_A, "stock.move.line", "create", {
            "move_id": line.move_id.id, "picking_id": self.supplier_receipt.id, "product_id": self.yoghurt.id,
            "lot_id": self.lot_b.id, "quantity": 6, "location_id": stock_b, "location_dest_id": stock_a})
        self.assertRpcDenied("AccessError", STAFF_A, "stock.move.line", "write", line.ids, {"location_id": stock_b})
        # nor conjure stock out of the inventory adjustment location
        loss = self.yoghurt.property_stock_inventory.id
        self.assertRpcDenied("AccessError", STAFF_A, "stock.move", "create", {
            "product_id": self.biscuit.id, "product_uom_qty": 6, "product_uom": self.biscuit.uom_id.id,
            "location_id": loss, "location_dest_id": stock_a})
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_b), 6)

    def test_store_stock_changes_only_through_moves(self):
        self.assertRpcDenied("AccessError", STAFF_A, "stock.quant", "write", self.quant_a.ids, {"quantity": 500})
        self.assertRpcDenied("AccessError", STAFF_A, "stock.quant", "create", {
            "product_id": self.biscuit.id, "location_id": self.store_a.lot_stock_id.id, "quantity": 500})
        self.assertRpcDenied("AccessError", HQ, "stock.quant", "write", self.quant_a.ids, {"quantity": 500})
        # staff count, but an adjustment of a store's stock is its manager's
        self.rpc(STAFF_A, "stock.quant", "write", self.quant_a.ids, {"inventory_quantity": 500})
        error = self.assertRpcDenied("AccessError", STAFF_A, "stock.quant", "action_apply_inventory", self.quant_a.ids)
        self.assertIn("Only a store manager of Test Store A or headquarters applies inventory adjustments",
                      error.message)
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_a), 74)
        self.rpc(MANAGER_B, "stock.quant", "write", self.quant_b.ids, {"inventory_quantity": 7})
        self.rpc(MANAGER_B, "stock.quant", "action_apply_inventory", self.quant_b.ids)
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_b), 7)

    def test_store_staff_count_their_stocktake_but_do_not_rewrite_what_is_expected(self):
        stocktake = self.env["retail.stocktake"].create({"retail_store_id": self.store_a.id})
        stocktake.action_start()
        line = stocktake.line_ids.filtered(lambda line: line.product_id == self.yoghurt)
        self.rpc(STAFF_A, "retail.stocktake.line", "write", line.ids, {"counted_qty": 79, "counted": True})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake.line", "write", line.ids,
                             {"expected_qty": 79})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake.line", "write", line.ids,
                             {"stocktake_id": self.stocktake_a.id})
        self.assertEqual((line.expected_qty, line.counted_qty, line.difference), (74, 79, 5))
        # once submitted, the counts are what the manager approves
        self.rpc(STAFF_A, "retail.stocktake", "action_submit", stocktake.ids)
        self.assertRpcDenied("UserError", STAFF_A, "retail.stocktake.line", "write", line.ids, {"counted_qty": 1})
        self.assertRpcDenied("UserError", STAFF_A, "retail.stocktake", "write", stocktake.ids,
                             {"retail_store_id": self.store_a.id})
        self.assertEqual(line.counted_qty, 79)

    def test_dispatch_proposals_are_for_headquarters_to_change(self):
        for login in (STAFF_A, MANAGER_B):
            self.assertRpcDenied("AccessError", login, "retail.dispatch.proposal", "create", {})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.dispatch.proposal", "action_approve",
                             self.proposal_a_c.ids)
        self.assertRpcDenied("AccessError", STAFF_A, "retail.dispatch.proposal", "action_plan",
                             self.proposal_a_c.ids)
        self.assertRpcDenied("AccessError", MANAGER_B, "retail.dispatch.proposal", "action_cancel",
                             self.proposal_b_c.ids)
        self.assertEqual((self.proposal_a_c.state, self.proposal_b_c.state), ("draft", "draft"))
        self.assertFalse(self.proposal_a_c.picking_ids)
        # headquarters approve, but write no state of their own
        self.assertRpcDenied("AccessError", HQ, "retail.dispatch.proposal", "write", self.proposal_b_c.ids,
                             {"state": "approved"})
        self.assertRpcDenied("AccessError", HQ, "stock.picking", "write", self.supplier_receipt.ids,
                             {"retail_dispatch_proposal_id": self.proposal_b_c.id})
        self.assertEqual(self.proposal_b_c.state, "draft")

    def test_chain_stock_rows_and_exports_stay_in_their_store(self):
        rows_a, rows_b = self.records["retail.stock.report"]
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stock.report", "write", rows_a.ids, {"on_hand": 1})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stock.report", "action_retail_export_xlsx", rows_b.ids)
        action = self.rpc(MANAGER_B, "retail.stock.report", "action_retail_export_xlsx", rows_b.ids)
        export_b = int(action["url"].split("/")[4])
        self.assertEqual(self.url_open(action["url"]).status_code, 200)
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stock.report.export", "read", [export_b], ["file"])
        self.assertEqual(self.rpc(STAFF_A, "retail.stock.report.export", "search", [("id", "=", export_b)]), [])
        self.assertIn(self.url_open(action["url"]).status_code, (403, 404))
        own = self.rpc(STAFF_A, "retail.stock.report", "action_retail_export_xlsx", rows_a.ids)
        self.assertEqual(self.url_open(own["url"]).status_code, 200)


@tagged("post_install", "-at_install")
class TestReceivingAttacksHttp(RightsHttpCommon):
    """What store staff try on the receiving checks, over HTTP."""

    def _water_move(self):
        return self.supplier_receipt.move_ids.filtered(lambda move: move.product_id == self.water)

    def test_plain_write_of_what_was_scanned_is_refused(self):
        water = self._water_move()
        self.assertEqual(water.retail_scanned_qty, 1)
        attacks = [
            ("stock.move", "write", water.ids, {"retail_scanned_qty": 3}),
            ("stock.move", "write", water.ids, {"retail_scan_lot_name": "YOG-A-1"}),
            ("stock.move", "write", self.milk_move.ids, {"retail_scan_expiration_date": "2030-01-01 00:00:00"}),
            ("stock.picking", "write", self.supplier_receipt.ids,
             {"move_ids": [Command.update(water.id, {"retail_scanned_qty": 3})]}),
            ("retail.receipt.scan", "write", water.retail_scan_ids.ids, {"quantity": 3}),
            ("retail.receipt.scan", "create",
             {"picking_id": self.supplier_receipt.id, "move_id": water.id, "quantity": 2}),
            ("retail.receipt.discrepancy", "write", self.supplier_receipt.retail_discrepancy_ids.ids,
             {"kind": "damaged", "quantity": 50}),
            ("retail.receipt.discrepancy", "create", {
                "picking_id": self.supplier_receipt.id, "product_id": self.water.id, "kind": "damaged",
                "quantity": 50, "reason": "X"}),
        ]
        for login in (STAFF_A, HQ):
            for model, method, *args in attacks:
                with self.subTest(login=login, model=model, method=method, args=args):
                    self.assertRpcDenied("AccessError", login, model, method, *args)
        # nor through a context of the caller's choosing
        self.assertRpcDenied("AccessError", STAFF_A, "stock.move", "write", water.ids, {"retail_scanned_qty": 3},
                             context={"retail_scan": True, "active_test": False, "inventory_mode": True})
        self.assertEqual(water.retail_scanned_qty, 1)
        self.assertEqual(water.retail_scan_ids.quantity, 1)
        self.assertFalse(self.milk_move.retail_scan_lot_name or self.milk_move.retail_scan_expiration_date)
        self.assertEqual(self.supplier_receipt.retail_discrepancy_ids.mapped("kind"), ["wrong"])

    def test_core_validation_of_a_scan_only_receipt_is_refused(self):
        move = self.transfer_a.move_ids
        self.assertEqual(self.transfer_a.state, "assigned")
        error = self.assertRpcDenied("AccessError", STAFF_A, "stock.picking", "button_validate", self.transfer_a.ids)
        self.assertIn("are received by scanning", error.message)
        self.assertEqual(self.transfer_a.state, "assigned")
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_b), 0)
        # the form hides core's Validate from them
        self.assertTrue(self.rpc(STAFF_A, "stock.picking", "read", self.transfer_a.ids, ["retail_scan_only"])[0][
            "retail_scan_only"])
        # neither does a quantity they type reach the stock: scanning validates what was counted
        self.rpc(STAFF_A, "stock.move", "write", move.ids, {"quantity": 40, "picked": True})
        self.assertRpcDenied("AccessError", STAFF_A, "stock.picking", "button_validate", self.transfer_a.ids)
        self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, "YOG-B-1")
        self.rpc(STAFF_A, "stock.picking", "retail_validate", self.transfer_a.ids)
        self.assertEqual(self.transfer_a.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_b), 1)
        short = self.transfer_a.retail_discrepancy_ids
        self.assertEqual((short.kind, short.quantity, short.lot_id), ("short", 3, self.lot_b))

    def test_core_validation_still_works_for_the_store_manager(self):
        self.assertFalse(self.rpc(MANAGER_B, "stock.picking", "read", self.receipt.ids, ["retail_scan_only"])[0][
            "retail_scan_only"])
        self.rpc(MANAGER_B, "stock.picking", "button_validate", self.receipt.ids)
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 6)

    def test_a_lot_not_shipped_is_refused_counted_nothing_and_recorded(self):
        result = self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, "YOG-A-1")
        self.assertEqual(result["status"], "wrong")
        self.assertIn(f"Lot YOG-A-1 of Yoghurt 200g was not shipped on {self.transfer_a.name}: it is not counted",
                      result["message"])
        self.assertEqual(result["state"]["scanned"], 0)
        self.assertEqual(self.transfer_a.move_ids.retail_scanned_qty, 0)
        self.assertFalse(self.transfer_a.retail_scan_ids)
        # so does a lot given with the product's barcode
        self.assertEqual(self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, self.yoghurt.barcode,
                                  lot_name="YOG-X-9")["status"], "wrong")
        wrong = self.rpc(STAFF_A, "retail.receipt.discrepancy", "search_read",
                         [("picking_id", "=", self.transfer_a.id)], ["kind", "lot_id", "lot_name", "quantity"],
                         order="id")
        self.assertEqual([(d["kind"], d["lot_name"], d["quantity"]) for d in wrong],
                         [("wrong_lot", "YOG-A-1", 1), ("wrong_lot", "YOG-X-9", 1)])
        self.assertEqual(wrong[0]["lot_id"][0], self.lot_a.id)
        # the shipped lot is counted
        self.assertEqual(self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, "YOG-B-1")["status"],
                         "ok")
        self.assertEqual(self.transfer_a.move_ids.retail_scanned_qty, 1)

    def test_malformed_gs1_labels_are_refused_and_write_nothing(self):
        receipt = self.supplier_receipt
        before = (receipt.retail_discrepancy_ids, receipt.retail_scan_ids, receipt.move_line_ids.read())
        expiry = f"{self.in_a_month:%y%m%d}"
        for label, message in [
            (f"010{MILK[:-1]}3" + "10MILK-A", "the check digit of its GTIN 06901234567893 should be 2"),
            (f"010{MILK}17{expiry}3700", "counts no units: (37) is 0"),
            (f"010{MILK}17{expiry}10MILK-A\x1d17261331", "<GS>17261331 cannot be read"),
            (f"010{MILK}010{MILK}" + "10MILK-A", "gives (01) more than once"),
        ]:
            for kwargs in ({}, {"lot_name": "MILK-T", "expiration_date": str(self.in_a_month)},
                           {"context": {"retail_scan": True, "skip_gs1": True}}):
                with self.subTest(label=label, kwargs=kwargs):
                    denied = self.assertRpcDenied("UserError", STAFF_A, "stock.picking", "retail_scan", receipt.ids,
                                                  label, **kwargs)
                    self.assertIn(message, denied.message)
        self.assertEqual((receipt.retail_discrepancy_ids, receipt.retail_scan_ids, receipt.move_line_ids.read()),
                         before)
        self.assertEqual(self.milk_move.retail_scanned_qty, 0)

    def test_count_of_a_typed_label_counts_nothing_for_store_staff(self):
        receipt = self.supplier_receipt
        before = (receipt.retail_discrepancy_ids, receipt.retail_scan_ids, receipt.move_line_ids.read())
        expiry = f"{self.in_a_month:%y%m%d}"
        typed = f"(01)0{MILK}(17){expiry}(10)MILK-T(37)99999999"
        tampered = ({}, {"quantity": 1}, {"quantity": None}, {"quantity": False},
                    {"lot_name": "MILK-T", "expiration_date": str(self.in_a_month)},
                    {"context": {"retail_scanned": True, "scanned": True, "retail_scan": True}})
        for label in (typed, f" {typed} ", f"(01)0{MILK}(17){expiry}(30)48(10)MILK-T", f"(01)0{MILK}(37)5"):
            for kwargs in tampered:
                with self.subTest(label=label, kwargs=kwargs):
                    denied = self.assertRpcDenied("UserError", STAFF_A, "stock.picking", "retail_scan", receipt.ids,
                                                  label, **kwargs)
                    self.assertIn("was typed, and so was its count of", denied.message)
                    self.assertIn("needs a store manager of Test Store A", denied.message)
        # a symbology identifier typed before the typed form makes no label of it
        denied = self.assertRpcDenied("UserError", STAFF_A, "stock.picking", "retail_scan", receipt.ids, "]C1" + typed)
        self.assertIn("cannot be read", denied.message)
        # where the store's scanners send symbology identifiers, a raw label without one was typed
        self.assertRpcDenied("AccessError", STAFF_A, "stock.warehouse", "write", self.store_a.ids,
                             {"retail_scanner_symbology": False})
        self.store_a.retail_scanner_symbology = True
        raw = f"010{MILK}17{expiry}37" + "24\x1d10MILK-R"
        for kwargs in tampered:
            with self.subTest(label=raw, kwargs=kwargs):
                denied = self.assertRpcDenied("UserError", STAFF_A, "stock.picking", "retail_scan", receipt.ids, raw,
                                              **kwargs)
                self.assertIn("came without the symbology identifier (such as ]C1) that the scanners of Test Store A "
                              "send, so it was typed, and so was its count of 24 units", denied.message)
        self.assertTrue(self.store_a.retail_scanner_symbology)
        self.assertEqual((receipt.retail_discrepancy_ids, receipt.retail_scan_ids, receipt.move_line_ids.read()),
                         before)
        self.assertEqual(self.milk_move.retail_scanned_qty, 0)
        self.assertFalse(self.milk_move.retail_scan_lot_name)
        # the label as the store's scanners send it counts; the store manager types it
        self.assertEqual(self.rpc(STAFF_A, "stock.picking", "retail_scan", receipt.ids, "]C1" + raw)["status"], "ok")
        self.assertEqual(self.rpc("retail_manager_a", "stock.picking", "retail_scan", receipt.ids,
                                  f"(01)0{MILK}(17){expiry}(10)MILK-T(37)6")["status"], "ok")
        self.assertEqual(self.rpc("retail_manager_a", "stock.picking", "retail_scan", receipt.ids, raw)["status"], "ok")
        self.assertEqual(sorted((count.lot_name, count.quantity) for count in self.milk_move.retail_scan_ids),
                         [("MILK-R", 48), ("MILK-T", 6)])
        self.assertEqual(self.milk_move.retail_scanned_qty, 54)

    def test_over_receipt_of_a_tracked_product_validates_and_records_the_extra(self):
        for barcode in ("YOG-B-1", "YOG-B-1", self.yoghurt.barcode, self.yoghurt.barcode, "YOG-B-1"):
            self.assertEqual(self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, barcode)["status"],
                             "ok")
        state = self.rpc(STAFF_A, "stock.picking", "retail_validate", self.transfer_a.ids)
        self.assertTrue(state["closed"])
        self.assertEqual(self.transfer_a.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_b), 5)
        over = self.transfer_a.retail_discrepancy_ids
        self.assertEqual((over.kind, over.quantity, over.lot_id), ("over", 1, self.lot_b))
        self.assertEqual(over.adjustment_move_id.state, "done")
        transit = self.env.company.internal_transit_location_id
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(
            self.yoghurt, transit, lot_id=self.lot_b, strict=True, allow_negative=True), 0)

    def test_what_was_received_stays_as_recorded(self):
        self.rpc(STAFF_A, "stock.picking", "retail_scan", self.transfer_a.ids, "YOG-B-1", quantity=None)
        self.rpc(STAFF_A, "stock.picking", "retail_validate", self.transfer_a.ids)
        line = self.transfer_a.move_line_ids
        self.assertEqual((line.quantity, line.state), (1, "done"))
        for login in (STAFF_A, HQ):
            self.assertRpcDenied("AccessError", login, "stock.move.line", "write", line.ids, {"quantity": 4})
            self.assertRpcDenied("AccessError", login, "stock.move", "write", line.move_id.ids, {"quantity": 4})
            self.assertRpcDenied("AccessError", login, "stock.move.line", "create", {
                "move_id": line.move_id.id, "picking_id": self.transfer_a.id, "product_id": self.yoghurt.id,
                "lot_id": self.lot_b.id, "quantity": 3, "location_id": line.location_id.id,
                "location_dest_id": line.location_dest_id.id})
        self.assertEqual(line.quantity, 1)
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_b), 1)

    def test_stocktake_approval_of_another_store_is_refused(self):
        self.assertRpcDenied("AccessError", MANAGER_B, "retail.stocktake", "action_approve", self.stocktake_a.ids)
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake", "action_approve", self.stocktake_a.ids)
        for login in (STAFF_A, MANAGER_B, HQ):
            self.assertRpcDenied("AccessError", login, "retail.stocktake", "write", self.stocktake_a.ids,
                                 {"state": "done"})
        self.assertRpcDenied("AccessError", STAFF_A, "retail.stocktake", "write", self.stocktake_a.ids,
                             {"approved_by_id": self.manager_a.id})
        self.assertEqual((self.stocktake_a.state, self.stocktake_a.approved_by_id.id), ("to_approve", False))
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_a), 74)
        # the manager of B approves B's; headquarters approve A's
        self.rpc(MANAGER_B, "retail.stocktake", "action_approve", self.stocktake_b.ids)
        self.rpc(HQ, "retail.stocktake", "action_approve", self.stocktake_a.ids)
        self.assertEqual((self.stocktake_a.state, self.stocktake_b.state), ("done", "done"))
        self.assertEqual(self.stocktake_b.approved_by_id, self.manager_b)
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, self.lot_a), 73)
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_b), 5)
