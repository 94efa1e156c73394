import json
from datetime import datetime, timezone

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.hr_employee import APPROVAL_PIN_ROUNDS
from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestTrustBoundary(RetailPosCase):
    """What a till sends is the caller's choice: nothing of it may relax a check."""

    def sync(self, *orders, user=None, context=None):
        Order = self.env["pos.order"].with_user(user or self.pos_cashier)
        if context:
            Order = Order.with_context(**context)
        return Order.sync_from_ui(list(orders))

    def assert_refused(self, order, message, **kwargs):
        approvals_before = self.env["retail.pos.approval"].search_count([])
        # A refusal raised once the order is written undoes the whole call, as a request does.
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self.sync(order, **kwargs)
        self.assertEqual(self.count_orders(order["uuid"]), 0)
        self.assertEqual(self.env["retail.pos.approval"].search_count([]), approvals_before)

    def paid_order(self, *lines):
        order = self.make_order(list(lines))
        self.sync(order)
        return self.env["pos.order"].search([("uuid", "=", order["uuid"])])

    # -- no switch in the caller's hands ----------------------------------------------------

    def test_context_key_does_not_skip_the_checks(self):
        order = self.make_order([self.make_line(self.cola, price_unit=2.10)])
        self.assert_refused(order, "below the price list price", context={"retail_skip_policy_check": True})

    def test_price_list_not_offered_by_the_till_refused(self):
        cheap = self.env["product.pricelist"].create({"name": "Staff Prices", "item_ids": [(0, 0, {
            "compute_price": "percentage", "percent_price": 90.0, "applied_on": "3_global",
        })]})
        order = self.make_order([self.make_line(self.cola, price_unit=1.0)], pricelist_id=cheap.id)
        self.assert_refused(order, "uses a price list that the till Till A does not offer")

    def test_fiscal_position_not_offered_by_the_till_refused(self):
        position = self.env["account.fiscal.position"].create({"name": "Export"})
        offered = self.env["account.fiscal.position"].create({"name": "Take-away"})
        self.config_a.write({"tax_regime_selection": True, "fiscal_position_ids": [(6, 0, offered.ids)]})
        order = self.make_order([self.make_line(self.chips)], fiscal_position_id=position.id)
        self.assert_refused(order, "uses a fiscal position that the till Till A does not offer")

    # -- the server computes the amounts ------------------------------------------------------

    def test_line_totals_are_the_servers(self):
        line = self.make_line(self.cola, 2)
        order = self.make_order([line])
        line.update(price_subtotal=1.0, price_subtotal_incl=1.0)
        self.sync(order)
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual((saved.lines.price_subtotal, saved.lines.price_subtotal_incl, saved.amount_total),
                         (20.0, 20.0, 20.0))

    def test_lowered_order_total_refused(self):
        order = self.make_order([self.make_line(self.cola, 2)])
        order.update(amount_total=1.0, amount_paid=1.0)
        order["payment_ids"][0][2]["amount"] = 1.0
        self.assert_refused(order, "the till sent a total of 1.00, the server computes 20.00")

    def test_sale_sent_as_refund_total_refused(self):
        order = self.make_order([self.make_line(self.cola, 2)])
        order.update(amount_total=-20.0, amount_paid=-20.0)
        order["payment_ids"][0][2]["amount"] = -20.0
        self.assert_refused(order, "the till sent a total of -20.00, the server computes 20.00")

    def test_update_of_another_orders_line_refused(self):
        sale = self.paid_order(self.make_line(self.cola, 2))
        draft = self.make_order([self.make_line(self.chips)], state="draft", payment_ids=[], amount_paid=0.0)
        draft["lines"].append((1, sale.lines.id, {"qty": 1, "price_subtotal": 10.0, "price_subtotal_incl": 10.0}))
        self.assert_refused(draft, "changes a line that is not one of its own")
        self.assertEqual(sale.lines.qty, 2)

    def test_update_of_saved_draft_line_is_checked(self):
        draft = self.make_order([self.make_line(self.cola)], state="draft", payment_ids=[], amount_paid=0.0)
        self.sync(draft)
        saved = self.env["pos.order"].search([("uuid", "=", draft["uuid"])])
        update = self.make_order([], uuid=draft["uuid"], state="draft", payment_ids=[], amount_paid=0.0)
        update["lines"] = [(1, saved.lines.id, {"price_unit": 1.0, "price_subtotal": 1.0, "price_subtotal_incl": 1.0})]
        update["amount_total"] = 1.0
        with self.assertRaisesRegex(UserError, "unit price 1.00 is below the price list price 10.00"):
            self.sync(update)
        self.assertEqual(saved.lines.price_unit, 10.0)

    # -- returns against the receipt ----------------------------------------------------------

    def test_return_of_another_product_refused(self):
        sale = self.paid_order(self.make_line(self.cola, 1))
        refund = self.make_order([self.make_line(self.chips, -1, refunded_orderline_id=sale.lines.id)])
        self.assert_refused(refund, "returns Crisps against a receipt line of another product")

    def test_return_with_positive_quantity_refused(self):
        sale = self.paid_order(self.make_line(self.chips, 1))
        line = self.make_line(self.chips, 1, price_unit=1.0, discount=90.0, refunded_orderline_id=sale.lines.id)
        self.assert_refused(self.make_order([line]), "a return of Crisps must have a negative quantity")

    def test_return_against_unpaid_order_refused(self):
        draft = self.make_order([self.make_line(self.chips, 3)], state="draft", payment_ids=[], amount_paid=0.0)
        self.sync(draft)
        line = self.env["pos.order"].search([("uuid", "=", draft["uuid"])]).lines
        refund = self.make_order([self.make_line(self.chips, -1, refunded_orderline_id=line.id)])
        self.assert_refused(refund, "against a receipt that is not a paid sale of this company")

    def test_returns_of_one_call_count_together(self):
        sale = self.paid_order(self.make_line(self.chips, 2))
        first = self.make_order([self.make_line(self.chips, -2, refunded_orderline_id=sale.lines.id)])
        second = self.make_order([self.make_line(self.chips, -2, refunded_orderline_id=sale.lines.id)])
        with self.assertRaisesRegex(UserError, r"2.0 returned but only 0.0 left to return"):
            self.sync(first, second)
        self.assertEqual(self.count_orders(first["uuid"]) + self.count_orders(second["uuid"]), 0)

    # -- approvals: signed by the server, once, for one thing ---------------------------------

    def test_expired_approval_saves_the_sale_for_review(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        approval = self.approve_a(order["uuid"], "discount", line["uuid"], 25)
        with freeze_time(datetime.fromtimestamp(approval["expires_at"] + 1, tz=timezone.utc)):
            order["retail_approval_payload"] = json.dumps([approval])
            self.sync(order)
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(saved.retail_approval_state, "to_confirm")
        self.assertEqual(
            (saved.retail_approval_ids.state, saved.retail_approval_ids.unverified_reason), ("unverified", "expired"),
        )

    def test_offline_approval_saves_the_sale_until_a_manager_confirms(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line], approvals=[{
            "action": "discount", "line_uuid": line["uuid"], "new_value": "25",
            "employee_id": self.employee_manager_a.id, "offline": True,
        }])
        self.sync(order)
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        approval = saved.retail_approval_ids
        self.assertEqual((saved.retail_approval_state, approval.state), ("to_confirm", "unverified"))
        self.assertEqual(approval.approver_employee_id, self.employee_manager_a)
        with self.assertRaises(AccessError):
            approval.with_user(self.manager_b).action_retail_confirm()
        with self.assertRaises(AccessError):
            approval.with_user(self.pos_cashier).action_retail_confirm()
        approval.with_user(self.manager_a).action_retail_confirm()
        self.assertEqual((approval.state, approval.reviewed_by_id), ("confirmed", self.manager_a))
        self.assertEqual(saved.retail_approval_state, "verified")
        with self.assertRaisesRegex(UserError, "still to confirm"):
            approval.with_user(self.manager_a).action_retail_reject()

    def test_wrong_pins_lock_the_manager_and_tell_the_store_managers(self):
        self.manager_a.retail_store_ids = self.store_a
        for _attempt in range(5):
            answer = self.request_approval(self.employee_manager_a, "999999", "order", "discount", "line", 25)
            self.assertFalse(answer["ok"])
        self.assertTrue(answer["locked"])
        self.assertIn("locked for 15 minutes", answer["message"])
        right = self.request_approval(self.employee_manager_a, self.MANAGER_A_PIN, "order", "discount", "line", 25)
        self.assertEqual((right["ok"], right["locked"]), (False, True))
        message = self.session_a.message_ids.filtered(lambda m: "Too many wrong PINs" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.manager_a.partner_id, message.partner_ids)
        self.assertEqual(self.env["retail.pos.approval.attempt"].search_count(
            [("employee_id", "=", self.employee_manager_a.id), ("success", "=", False)]), 5)

    def test_manager_cannot_approve_their_own_action(self):
        answer = self.request_approval(
            self.employee_manager_a, self.MANAGER_A_PIN, "order", "discount", "line", 25, user=self.manager_a,
        )
        self.assertFalse(answer["ok"])
        self.assertIn("another manager must", answer["message"])

    def test_approval_asked_on_another_stores_session_refused(self):
        with self.assertRaises(AccessError):
            self.request_approval(
                self.employee_manager_b, self.MANAGER_B_PIN, "order", "discount", "line", 25, session=self.session_b,
            )
        self.assertFalse(self.env["retail.pos.approval.attempt"].search([]))

    def test_approval_pin_never_reaches_the_till(self):
        data = self.session_a.with_user(self.pos_cashier).load_data(["hr.employee"])
        for employee in data["hr.employee"]:
            self.assertFalse({"retail_approval_pin_hash", "retail_approval_pin"} & employee.keys())
        self.assertTrue(any(employee.get("_retail_manager") for employee in data["hr.employee"]))

    def test_approval_pin_must_differ_from_the_login_pin(self):
        with self.assertRaisesRegex(UserError, "must differ from the login PIN"):
            self.employee_manager_a._retail_set_approval_pin("BADGEMGRA")
        with self.assertRaisesRegex(UserError, "at least 6 characters"):
            self.employee_manager_a._retail_set_approval_pin("1234")

    def test_approval_pin_hash_is_remade_at_the_pin_rounds(self):
        """A PIN hashed at other rounds (a password's 600,000, or fewer) still approves, once
        genuine it is remade at the PIN's rounds, and a wrong PIN changes nothing."""
        manager = self.employee_manager_a.sudo()
        rounds = manager._retail_pin_context().hash("000000").split("$")[2]
        self.assertEqual(rounds, str(APPROVAL_PIN_ROUNDS))
        for other in (600_000, 1_000):
            manager.retail_approval_pin_hash = manager._retail_pin_context().copy(
                pbkdf2_sha512__rounds=other, pbkdf2_sha512__min_rounds=1, pbkdf2_sha512__max_rounds=other,
            ).hash(self.MANAGER_A_PIN)
            stored = manager.retail_approval_pin_hash
            self.assertFalse(manager._retail_check_approval_pin("999999"))
            self.assertEqual(manager.retail_approval_pin_hash, stored)
            result = self.request_approval(self.employee_manager_a, self.MANAGER_A_PIN, "order", "discount", "line", 25)
            self.assertTrue(result["ok"])
            self.assertEqual(manager.retail_approval_pin_hash.split("$")[2], str(APPROVAL_PIN_ROUNDS))
            self.assertTrue(manager._retail_check_approval_pin(self.MANAGER_A_PIN))

    def test_approvals_cost_at_most_two_queries_per_order(self):
        def count(approved):
            lines = [self.make_line(self.chips, discount=25.0 if index < approved else 0.0) for index in range(4)]
            order = self.make_order(lines)
            order["retail_approval_payload"] = json.dumps([
                self.approve_a(order["uuid"], "discount", line["uuid"], 25) for line in lines[:approved]
            ])
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["pos.order"]._retail_check_orders([order])
            return self.env.cr.sql_log_count - before

        count(0)  # warm the registry caches
        without = count(0)
        self.assertLessEqual(count(1) - without, 2)
        self.assertEqual(count(1), count(4))

    # -- what was sold stays as recorded ------------------------------------------------------

    def test_paid_order_cannot_be_lowered(self):
        sale = self.paid_order(self.make_line(self.cola, 2))
        for user in (self.pos_cashier, self.manager_a, self.hq_user):
            with self.assertRaisesRegex(AccessError, "stay as recorded"):
                sale.lines.with_user(user).write({"qty": 1})
            with self.assertRaisesRegex(AccessError, "stay as recorded"):
                sale.with_user(user).write({"amount_total": 1.0})
            with self.assertRaisesRegex(AccessError, "stay as recorded"):
                sale.payment_ids.with_user(user).write({"amount": 1.0})
        self.assertEqual((sale.lines.qty, sale.amount_total, sale.payment_ids.amount), (2.0, 20.0, 20.0))
