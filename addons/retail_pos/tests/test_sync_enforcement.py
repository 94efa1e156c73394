import copy
import json

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestSyncEnforcement(RetailPosCase):

    def sync(self, *orders):
        return self.env["pos.order"].sync_from_ui(list(orders))

    def assert_refused(self, order, message):
        approvals_before = self.env["retail.pos.approval"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 0)
        self.assertEqual(self.env["retail.pos.approval"].search_count([]), approvals_before)

    def test_pricelist_price_accepted(self):
        order = self.make_order([self.make_line(self.cola, 2), self.make_line(self.chips, 1, discount=10.0)])
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)

    def test_lowered_price_refused(self):
        order = self.make_order([self.make_line(self.chips), self.make_line(self.cola, price_unit=7.5)])
        self.assert_refused(order, r"可口可乐: unit price 7.50 is below the price list price 10.00")

    def test_pricelist_rule_price_accepted(self):
        self.env["product.pricelist.item"].create({
            "pricelist_id": self.pricelist.id, "applied_on": "0_product_variant",
            "product_id": self.chips.id, "compute_price": "fixed", "fixed_price": 4.0, "min_quantity": 3,
        })
        order = self.make_order([self.make_line(self.chips, 3, price_unit=4.0)])
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)
        below_tier = self.make_order([self.make_line(self.chips, 2, price_unit=4.0)])
        self.assert_refused(below_tier, "Crisps: unit price 4.00 is below the price list price 6.00")

    def test_raised_discount_refused(self):
        order = self.make_order([self.make_line(self.chips, discount=25.0)])
        self.assert_refused(order, r"Crisps: discount 25.0% is above the store limit of 10.0%")

    def test_order_discount_above_limit_refused(self):
        self.config_a.retail_max_order_discount = 5.0
        order = self.make_order([self.make_line(self.chips, discount=8.0), self.make_line(self.cola, discount=8.0)])
        self.assert_refused(order, r"total discount 8.00% is above the store limit of 5.0%")

    def test_approved_discount_accepted_and_recorded(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        approval = self.approve_a(
            order["uuid"], "discount", line["uuid"], 25, original_value=0,
        )
        order["retail_approval_payload"] = json.dumps([approval])
        self.sync(order)
        pos_order = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(len(pos_order), 1)
        recorded = pos_order.retail_approval_ids
        self.assertEqual(len(recorded), 1)
        self.assertEqual(recorded.action, "discount")
        self.assertEqual(recorded.approver_employee_id, self.employee_manager_a)
        self.assertEqual(recorded.retail_store_id, self.store_a)
        self.assertEqual(recorded.order_line_id, pos_order.lines)
        self.assertEqual((recorded.original_value, recorded.new_value), ("0", "25"))

    def test_login_pin_and_badge_do_not_approve(self):
        # Tills receive a SHA-1 of each login PIN and badge: neither may approve anything.
        for secret in ("2580", "BADGEMGRA"):
            answer = self.request_approval(self.employee_manager_a, secret, "order-uuid", "price", "line", 8.0)
            self.assertEqual((answer["ok"], answer["locked"]), (False, False))
            self.assertIn("does not approve", answer["message"])
        self.assertEqual(self.env["retail.pos.approval.attempt"].search_count(
            [("employee_id", "=", self.employee_manager_a.id), ("success", "=", False)]), 2)

    def test_approval_below_requested_value_refused(self):
        line = self.make_line(self.chips, discount=40.0)
        approval = None
        order = self.make_order([line])
        approval = self.approve_a(order["uuid"], "discount", line["uuid"], 20)
        order["retail_approval_payload"] = json.dumps([approval])
        self.assert_refused(order, "discount 40.0% is above the store limit")

    def test_forged_approval_refused(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        approval = self.approve_a(order["uuid"], "discount", line["uuid"], 20)
        for tampered in (
            {**approval, "new_value": "25"},
            {**approval, "expires_at": approval["expires_at"] + 86400},
            {**approval, "token": "v1." + "0" * 64},
            {key: value for key, value in approval.items() if key != "token"},
        ):
            order["retail_approval_payload"] = json.dumps([tampered])
            self.assert_refused(order, "approval that this server did not give")

    def test_approval_by_cashier_refused(self):
        answer = self.request_approval(self.employee_cashier_a, "1470", "order-uuid", "discount", "line", 25)
        self.assertFalse(answer["ok"])
        self.assertIn("does not approve for a manager of this store", answer["message"])

    def test_approval_by_other_store_manager_refused(self):
        answer = self.request_approval(
            self.employee_manager_b, self.MANAGER_B_PIN, "order-uuid", "discount", "line", 25)
        self.assertFalse(answer["ok"])

    def test_approval_of_another_till_refused(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        cashier_b = self.env["res.users"].create({
            "name": "Till B", "login": "retail_till_b_sync",
            "group_ids": [(6, 0, self.env.ref("retail_base.group_retail_staff").ids)],
            "retail_store_ids": [(6, 0, self.store_b.ids)],
        })
        answer = self.request_approval(
            self.employee_manager_b, self.MANAGER_B_PIN, order["uuid"], "discount", line["uuid"], 25,
            session=self.session_b, user=cashier_b,
        )
        self.assertTrue(answer["ok"], answer.get("message"))
        order["retail_approval_payload"] = json.dumps(answer["approvals"])
        self.assert_refused(order, "approval that this server did not give")

    def test_self_approval_refused(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line], employee_id=self.employee_manager_a.id)
        approval = self.approve_a(order["uuid"], "discount", line["uuid"], 25)
        order["retail_approval_payload"] = json.dumps([approval])
        self.assert_refused(order, "approved their own sale")

    def test_approval_reused_on_second_order_refused(self):
        line = self.make_line(self.chips, discount=25.0)
        first = self.make_order([line])
        approval = self.approve_a(first["uuid"], "discount", line["uuid"], 25)
        first["retail_approval_payload"] = json.dumps([approval])
        self.sync(first)
        self.assertEqual(self.count_orders(first["uuid"]), 1)
        second = self.make_order([dict(line)])
        second["retail_approval_payload"] = json.dumps([approval])
        self.assert_refused(second, "approval that this server did not give")

    def test_expired_lot_refused_without_approval(self):
        order = self.make_order([self.make_line(self.milk, lot_names=["MILK-OLD"])])
        self.assert_refused(order, "Fresh Milk: lot MILK-OLD is past its expiration date")

    def test_fresh_lot_accepted(self):
        order = self.make_order([self.make_line(self.milk, lot_names=["MILK-NEW"])])
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)

    def test_expired_lot_with_approval_accepted(self):
        line = self.make_line(self.milk, lot_names=["MILK-OLD"])
        order = self.make_order([line])
        approval = self.approve_a(
            order["uuid"], "expired_lot", line["uuid"], "MILK-OLD",
        )
        order["retail_approval_payload"] = json.dumps([approval])
        self.sync(order)
        pos_order = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(pos_order.retail_approval_ids.action, "expired_lot")

    def test_same_order_twice_creates_one(self):
        line = self.make_line(self.chips, discount=25.0)
        order = self.make_order([line])
        approval = self.approve_a(order["uuid"], "discount", line["uuid"], 25)
        payload = json.dumps([approval])
        order["retail_approval_payload"] = payload
        resend = copy.deepcopy(order)
        self.sync(order)
        self.sync(resend)
        self.assertEqual(self.count_orders(order["uuid"]), 1)
        self.assertEqual(self.env["retail.pos.approval"].search_count([("credential", "=", approval["token"])]), 1)

    def test_return_against_receipt_limited_to_sold_quantity(self):
        sale = self.make_order([self.make_line(self.chips, 3)])
        self.sync(sale)
        sold_line = self.env["pos.order"].search([("uuid", "=", sale["uuid"])]).lines
        first = self.make_order([self.make_line(self.chips, -2, refunded_orderline_id=sold_line.id)])
        self.sync(first)
        self.assertEqual(self.count_orders(first["uuid"]), 1)
        too_many = self.make_order([self.make_line(self.chips, -2, refunded_orderline_id=sold_line.id)])
        self.assert_refused(too_many, r"Crisps: 2.0 returned but only 1.0 left to return on the receipt")

    def test_return_against_receipt_cannot_refund_more_than_paid(self):
        sale = self.make_order([self.make_line(self.chips, 1, discount=10.0)])
        self.sync(sale)
        sold_line = self.env["pos.order"].search([("uuid", "=", sale["uuid"])]).lines
        refund = self.make_order([self.make_line(self.chips, -1, refunded_orderline_id=sold_line.id)])
        self.assert_refused(refund, "refunded at 6.00 per unit, more than the 5.40 paid")

    def test_return_without_receipt_needs_approval(self):
        line = self.make_line(self.chips, -1)
        order = self.make_order([line])
        self.assert_refused(order, "return of 6.00 without a receipt needs a manager's approval")
        approval = self.approve_a(order["uuid"], "return", line["uuid"], 6.0)
        order["retail_approval_payload"] = json.dumps([approval])
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)

    def test_return_without_receipt_threshold(self):
        self.config_a.write({"retail_return_without_receipt": True, "retail_return_approval_amount": 10.0})
        small = self.make_order([self.make_line(self.chips, -1)])
        self.sync(small)
        self.assertEqual(self.count_orders(small["uuid"]), 1)
        large = self.make_order([self.make_line(self.chips, -2)])
        self.assert_refused(large, "return of 12.00 without a receipt")

    def test_check_queries_do_not_grow_with_lines(self):
        def count(lines):
            order = self.make_order([
                self.make_line(product, discount=5.0, lot_names=["MILK-NEW"] if product == self.milk else [])
                for product in lines
            ])
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["pos.order"]._retail_check_orders([order])
            return self.env.cr.sql_log_count - before

        count([self.cola, self.milk])  # warm the registry caches (xml ids, groups)
        small = count([self.cola, self.milk])
        large = count([self.cola, self.milk, self.chips] * 10)
        self.assertEqual(small, large)
        # with lot markdowns (a bridge), the lots' markdown steps are one more query
        self.assertLessEqual(large, 10 + int("retail.lot.markdown.step" in self.env))

    def test_the_answer_gives_the_till_the_order_without_its_mail_fields(self):
        order = self.make_order([self.make_line(self.chips)])
        (record,) = self.sync(order)["pos.order"]
        self.assertEqual(record["uuid"], order["uuid"])
        mail = set(self.env["mail.thread"]._fields) - {"id", "display_name"}
        self.assertFalse(mail & set(record), "followers, messages and their counters stay out of the till")
        others = set(self.env["pos.order"]._fields) - mail
        self.assertEqual(set(record), others, "every other field of the order reaches the till, as in core")
        self.assertIn("retail_amount_in_capitals", record)

    def test_approval_of_deleted_line_is_recorded(self):
        order = self.make_order([self.make_line(self.chips)])
        removed_uuid = "removed-line"
        approval = self.approve_a(order["uuid"], "delete_line", removed_uuid, 0, 1)
        order["retail_approval_payload"] = json.dumps([approval])
        self.sync(order)
        recorded = self.env["pos.order"].search([("uuid", "=", order["uuid"])]).retail_approval_ids
        self.assertEqual(
            (recorded.action, recorded.line_uuid, recorded.order_line_id.id), ("delete_line", removed_uuid, False),
        )
