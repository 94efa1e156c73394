from datetime import timedelta

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailHttpCase
from odoo.tests import tagged

from .common import MarkdownCase


@tagged("post_install", "-at_install")
class TestMarkdownAtTheTill(RetailHttpCase, MarkdownCase):
    """The server accepts a markdown price for the marked down lot, in its store, during its
    step, once approved; for nothing else, whatever the till sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.markdown = cls.propose()

    def milk_order(self, price, lot="MILK-MD", session=None, **extra):
        return self.make_order([self.make_line(self.milk, 1, price_unit=price, lot_names=[lot])],
                               session=session, **extra)

    def sync_http(self, order):
        return self.rpc("retail_till_a", "pos.order", "sync_from_ui", [order])

    def assert_refused_http(self, order, message="below the price list price"):
        error = self.assertRpcDenied("UserError", "retail_till_a", "pos.order", "sync_from_ui", [order])
        self.assertIn(message, error.message)
        self.assertEqual(self.count_orders(order["uuid"]), 0)

    def approve(self):
        self.markdown.with_user(self.manager_a).action_approve()

    def test_the_step_price_of_an_approved_markdown_is_accepted(self):
        self.approve()
        order = self.milk_order(6.80)
        self.sync_http(order)
        line = self.env["pos.order"].search([("uuid", "=", order["uuid"])]).lines
        self.assertEqual((line.price_unit, line.pack_lot_ids.lot_name), (6.80, "MILK-MD"))

    def test_a_proposed_markdown_is_not_a_price_yet(self):
        self.assert_refused_http(self.milk_order(6.80))

    def test_a_later_deeper_step_is_refused_even_with_a_later_date(self):
        self.approve()
        self.assert_refused_http(self.milk_order(5.60))
        later = fields.Datetime.to_string(self.lot_md.expiration_date - timedelta(hours=30))
        self.assert_refused_http(self.milk_order(5.60, date_order=later))

    def test_another_lot_of_the_product_keeps_its_price(self):
        self.approve()
        self.assert_refused_http(self.milk_order(6.80, lot="MILK-HIST"))
        self.assert_refused_http(self.milk_order(6.80, lot="MILK-UNKNOWN"))

    def test_a_line_of_two_lots_takes_the_price_of_the_lot_without_markdown(self):
        self.approve()
        line = self.make_line(self.milk, 2, price_unit=6.80, lot_names=["MILK-MD", "MILK-HIST"])
        self.assert_refused_http(self.make_order([line]))

    def test_another_stores_till_does_not_get_the_markdown(self):
        self.approve()
        order = self.milk_order(6.80, session=self.session_b)
        with self.assertRaisesRegex(Exception, "below the price list price"), self.env.cr.savepoint():
            self.env["pos.order"].sync_from_ui([order])
        self.assertEqual(self.count_orders(order["uuid"]), 0)

    def test_a_withdrawn_markdown_is_over(self):
        self.approve()
        self.markdown.with_user(self.manager_a).action_withdraw()
        self.assert_refused_http(self.milk_order(6.80))

    def test_context_keys_do_not_make_a_markdown(self):
        order = self.milk_order(6.80)
        error = self.assertRpcDenied(
            "UserError", "retail_till_a", "pos.order", "sync_from_ui", [order],
            context={"retail_markdown_price": 6.80, "retail_skip_policy_check": True})
        self.assertIn("below the price list price", error.message)
        self.assertEqual(self.count_orders(order["uuid"]), 0)

    def test_the_till_loads_its_stores_approved_steps_only(self):
        session = self.session_a.with_user(self.pos_cashier)
        self.assertFalse(session.load_data(["retail.lot.markdown.step"])["retail.lot.markdown.step"])
        self.approve()
        self.env["retail.lot.markdown"]._retail_propose(self.store_b).with_user(self.manager_b).action_approve()
        steps = session.load_data(["retail.lot.markdown.step"])["retail.lot.markdown.step"]
        self.assertEqual(sorted(step["price"] for step in steps), [5.00, 5.60, 6.80])
        self.assertEqual({step["lot_name"] for step in steps}, {"MILK-MD"})
        self.assertEqual(
            {step["id"] for step in steps}, set(self.markdown.step_ids.ids), "store B's steps stay in store B")
