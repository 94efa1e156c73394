from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RetailInventoryCase


@tagged("post_install", "-at_install")
class TestDispatchRights(RetailInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.proposal = cls.env["retail.dispatch.proposal"].create({"store_ids": [(6, 0, cls.stores.ids)]})
        cls.proposal.action_plan()
        cls.proposal.action_approve()

    def test_hq_dispatcher_plans_and_approves(self):
        proposal = self.env["retail.dispatch.proposal"].with_user(self.hq_user).create({
            "store_ids": [(6, 0, self.stores.ids)],
        })
        proposal.action_plan()
        self.assertEqual(proposal.dispatcher_id, self.hq_user)
        # the first proposal already holds the 60 units at risk; the remaining 20 are A's minimum
        self.assertFalse(proposal.line_ids)

    def test_store_manager_cannot_plan_or_approve(self):
        with self.assertRaises(AccessError):
            self.env["retail.dispatch.proposal"].with_user(self.manager_a).create({})
        draft = self.env["retail.dispatch.proposal"].create({"store_ids": [(6, 0, self.stores.ids)]})
        with self.assertRaises(AccessError):
            draft.with_user(self.manager_a).action_approve()

    def test_store_staff_see_their_own_transfers_only(self):
        ship = self.proposal.picking_ids.filtered(lambda p: p.picking_type_id.warehouse_id == self.store_a)
        receipt = self.proposal.picking_ids - ship
        Picking = self.env["stock.picking"]
        self.assertEqual(Picking.with_user(self.cashier_a).search([("id", "in", self.proposal.picking_ids.ids)]), ship)
        self.assertEqual(Picking.with_user(self.manager_b).search([("id", "in", self.proposal.picking_ids.ids)]),
                         receipt)
        with self.assertRaises(AccessError):
            receipt.with_user(self.cashier_a).read(["name"])
        # both stores see the proposal and its line; B's manager receives the goods
        self.assertEqual(self.proposal.with_user(self.manager_b).line_ids.quantity, 60.0)
        ship.button_validate()
        receipt.with_user(self.manager_b).button_validate()
        self.assertEqual(self.proposal.state, "done")

    def test_store_staff_cannot_receive_another_stores_transfer(self):
        ship = self.proposal.picking_ids.filtered(lambda p: p.picking_type_id.warehouse_id == self.store_a)
        receipt = self.proposal.picking_ids - ship
        ship.button_validate()
        with self.assertRaises(AccessError):
            receipt.with_user(self.cashier_a).button_validate()
        with self.assertRaises(AccessError):
            receipt.with_user(self.cashier_a).action_retail_scan_receive()
        self.assertEqual(receipt.state, "assigned")

    def test_other_stores_do_not_see_the_proposal(self):
        store_c = self.env["stock.warehouse"].create({"name": "Test Store C", "code": "TSC",
                                                      "retail_store_type": "store"})
        self.manager_b.retail_store_ids = store_c
        with self.assertRaises(AccessError):
            self.proposal.with_user(self.manager_b).read(["name"])
        self.assertFalse(self.env["retail.dispatch.proposal.line"].with_user(self.manager_b).search([]))
