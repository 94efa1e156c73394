from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestClosedSession(RetailPosCase):
    """Orders that reach the server after their session was closed."""

    def test_orders_of_a_closed_session_wait_for_a_new_one(self):
        order = self.make_order([self.make_line(self.cola, 2)], session=self.session_b)
        other = self.make_order([self.make_line(self.chips)], session=self.session_b)
        self.session_b.write({"state": "closed"})
        with self.assertRaisesRegex(UserError, (
            rf"Till B has no open session: its session {self.session_b.name} was closed before order "
            rf"Order {order['uuid'][:8]} reached the server\. The till keeps this order and the others it "
            r"has not synchronised yet; open a new session of Till B and they are recorded in it\.")):
            self.env["pos.order"].sync_from_ui([order, other])
        self.assertEqual(self.count_orders(order["uuid"]) + self.count_orders(other["uuid"]), 0)

        self.config_b.open_ui()
        new_session = self.config_b.current_session_id
        self.assertNotEqual(new_session, self.session_b)
        new_session.set_opening_control(0, None)
        self.env["pos.order"].sync_from_ui([order, other])
        recorded = self.env["pos.order"].search([("uuid", "in", [order["uuid"], other["uuid"]])])
        self.assertEqual(len(recorded), 2)
        self.assertEqual(recorded.session_id, new_session)
        self.assertEqual(sorted(recorded.mapped("amount_total")), [6.0, 20.0])
