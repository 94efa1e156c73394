from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import RetailInventoryCase


@tagged("post_install", "-at_install")
class TestDispatchProposal(RetailInventoryCase):
    def test_plan_sends_the_expiring_lot_to_the_fast_store(self):
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt), 80)
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt), 10)
        proposal = self._proposal()
        proposal.action_plan()
        line = proposal.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.source_id, line.destination_id, line.product_id, line.lot_id, line.quantity, line.reason),
            (self.store_a, self.store_b, self.yoghurt, self.lot_a, 60.0, "expiry"),
        )
        # 60 units saved from expiry at A and 60 from running out at B
        self.assertEqual((line.expiry_saved, line.stockout_saved, line.expected_benefit), (60.0, 60.0, 120.0))
        self.assertTrue(proposal.planned_at)

    def test_plan_reads_the_chain_in_few_queries(self):
        proposal = self._proposal()
        proposal.flush_recordset()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        chain = proposal._retail_read_chain(self.stores, 28)
        self.assertLessEqual(self.env.cr.sql_log_count - before, 8)
        pair = list(zip(chain["store"], chain["product"], strict=True)).index(
            (list(chain["store_ids"]).index(self.store_b.id), self.yoghurt.id))
        self.assertAlmostEqual(chain["velocity"][pair], 30.0)
        self.assertEqual(chain["on_hand"][pair], 10.0)

    def test_incoming_counts_only_what_arrives_within_the_target_days(self):
        supplier = self.env.ref("stock.stock_location_suppliers")
        now = fields.Datetime.now()
        moves = self.env["stock.move"].create([{
            "product_id": self.yoghurt.id, "product_uom_qty": quantity, "product_uom": self.yoghurt.uom_id.id,
            "location_id": supplier.id, "location_dest_id": self.store_b.lot_stock_id.id,
            "date": now + timedelta(days=days),
        } for quantity, days in ((50, 3), (500, 30))])
        moves._action_confirm()
        chain = self._proposal()._retail_read_chain(self.stores, 28)
        pair = list(zip(chain["store"], chain["product"], strict=True)).index(
            (list(chain["store_ids"]).index(self.store_b.id), self.yoghurt.id))
        # store B's target is 7 days: the delivery in 30 days does not count yet
        self.assertEqual(chain["incoming"][pair], 50.0)

    def test_route_limit_blocks_the_move(self):
        self.env["retail.dispatch.route"].create({
            "source_id": self.store_a.id, "destination_id": self.store_b.id, "cost": 100,
        })
        proposal = self._proposal(max_route_cost=50)
        proposal.action_plan()
        self.assertFalse(proposal.line_ids)
        proposal.max_route_cost = 150
        proposal.action_plan()
        self.assertEqual(proposal.line_ids.quantity, 60.0)

    def test_approve_ships_through_transit_and_receives(self):
        proposal = self._proposal()
        proposal.action_plan()
        proposal.action_approve()
        self.assertEqual(proposal.state, "approved")
        transit = self.env.company.internal_transit_location_id
        ship = proposal.picking_ids.filtered(lambda p: p.location_id == self.store_a.lot_stock_id)
        receipt = proposal.picking_ids - ship
        self.assertEqual(len(ship), 1)
        self.assertEqual(len(receipt), 1)
        self.assertEqual((ship.picking_type_id, ship.location_dest_id), (self.store_a.out_type_id, transit))
        self.assertEqual((receipt.picking_type_id, receipt.location_id, receipt.location_dest_id),
                         (self.store_b.in_type_id, transit, self.store_b.lot_stock_id))
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(ship.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(ship.move_line_ids.quantity, 60.0)
        self.assertEqual(receipt.state, "waiting")
        self.assertEqual(receipt.move_ids.move_orig_ids, ship.move_ids)

        ship.button_validate()
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.move_line_ids.lot_id, self.lot_a)
        receipt.button_validate()
        self.assertEqual(proposal.state, "done")
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt), 20)
        self.assertEqual(self._on_hand(self.store_b, self.yoghurt, self.lot_a), 60)

    def test_second_approval_of_the_same_last_units_fails_and_writes_nothing(self):
        line = {
            "source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
            "lot_id": self.lot_a.id, "quantity": 60, "reason": "expiry",
        }
        first = self._proposal([line])
        second = self._proposal([dict(line, quantity=30)])
        first.action_approve()
        pickings_before = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, r"Test Store A has 20 of .*Yoghurt 200g lot YOG-A-1 available, "
                                               r"30 are planned"):
            second.action_approve()
        self.assertEqual(second.state, "draft")
        self.assertFalse(second.picking_ids)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        # 20 are still free: a smaller proposal goes through
        second.line_ids.quantity = 20
        second.action_approve()
        self.assertEqual(second.state, "approved")

    def test_lines_are_frozen_after_approval(self):
        proposal = self._proposal()
        proposal.action_plan()
        proposal.action_approve()
        with self.assertRaisesRegex(UserError, "Only a draft proposal can be changed"):
            proposal.line_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "Only a draft proposal can be changed"):
            proposal.action_plan()

    def test_bad_lines_are_refused(self):
        proposal = self._proposal()
        with self.assertRaisesRegex(ValidationError, "Yoghurt 200g.*must be positive"):
            proposal.line_ids = [(0, 0, {
                "source_id": self.store_a.id, "destination_id": self.store_b.id,
                "product_id": self.yoghurt.id, "quantity": -5,
            })]
        with self.assertRaisesRegex(ValidationError, "two different stores"):
            proposal.line_ids = [(0, 0, {
                "source_id": self.store_a.id, "destination_id": self.store_a.id,
                "product_id": self.yoghurt.id, "quantity": 5,
            })]

    def test_cancel_releases_the_reservation(self):
        proposal = self._proposal()
        proposal.action_plan()
        proposal.action_approve()
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt), 20)
        proposal.action_cancel()
        self.assertEqual(proposal.state, "cancel")
        self.assertEqual(set(proposal.picking_ids.mapped("state")), {"cancel"})
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt), 80)


@tagged("post_install", "-at_install")
class TestDispatchProposalTour(HttpCase, RetailInventoryCase):
    def test_tour_dispatcher_plans_edits_and_approves(self):
        proposal = self.env["retail.dispatch.proposal"].create({"store_ids": [(6, 0, self.stores.ids)]})
        self.start_tour(f"/odoo/action-retail_inventory.retail_dispatch_proposal_action/{proposal.id}",
                        "retail_inventory_dispatch_approve", login=self.hq_user.login)
        self.assertEqual(proposal.state, "approved")
        self.assertEqual(proposal.line_ids.quantity, 50.0)
        ship = proposal.picking_ids.filtered(lambda p: p.picking_type_id == self.store_a.out_type_id)
        self.assertEqual(ship.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(ship.move_ids.product_uom_qty, 50.0)


@tagged("post_install", "-at_install")
class TestDispatchTwoLots(RetailInventoryCase):
    def test_two_lots_of_one_product_on_one_route(self):
        # with no date, the lot would expire the moment it is made, and whether the shipment may still
        # reserve it would depend on the clock ticking over a second during the test
        lot_a2 = self.env["stock.lot"].create({
            "name": "YOG-A-2", "product_id": self.yoghurt.id,
            "expiration_date": fields.Datetime.now() + timedelta(days=10),
        })
        self._put(self.store_a, self.yoghurt, 5, lot_a2)
        proposal = self._proposal([
            {"source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
             "lot_id": self.lot_a.id, "quantity": 10},
            {"source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
             "lot_id": lot_a2.id, "quantity": 5},
        ])
        proposal.action_approve()
        ship = proposal.picking_ids.filtered(lambda p: p.picking_type_id == self.store_a.out_type_id)
        self.assertEqual(len(proposal.picking_ids), 2)
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(sorted((line.lot_id.name, line.quantity) for line in ship.move_line_ids),
                         [("YOG-A-1", 10.0), ("YOG-A-2", 5.0)])

    def test_lot_past_its_removal_date_is_refused_at_approval(self):
        lot_old = self.env["stock.lot"].create({
            "name": "YOG-A-OLD", "product_id": self.yoghurt.id,
            "expiration_date": fields.Datetime.now() - timedelta(hours=1),
        })
        self._put(self.store_a, self.yoghurt, 5, lot_old)
        proposal = self._proposal([
            {"source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
             "lot_id": self.lot_a.id, "quantity": 10},
            {"source_id": self.store_a.id, "destination_id": self.store_b.id, "product_id": self.yoghurt.id,
             "lot_id": lot_old.id, "quantity": 5},
        ])
        with self.assertRaisesRegex(UserError, "removal date(.|\\n)*YOG-A-OLD") as caught:
            proposal.action_approve()
        self.assertNotIn("YOG-A-1", str(caught.exception))
        self.assertEqual(proposal.state, "draft")
        self.assertFalse(proposal.picking_ids)
        self.assertEqual(self._on_hand(self.store_a, self.yoghurt, lot_old), 5)
