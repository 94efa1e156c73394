from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RetailAnalyticsCase


@tagged("post_install", "-at_install")
class TestReviewWorkflow(RetailAnalyticsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["retail.anomaly.rule"].create(
            {"name": "Spike", "rule_type": "sales_spike", "threshold": 10})
        cls.items = cls.env["retail.review.item"]._create_from_hits([
            {"rule_id": cls.rule.id, "date": cls.day, "retail_store_id": cls.store_a.id,
             "product_id": cls.milk.id, "value": 12.0, "baseline": 1.0, "threshold": 10},
            {"rule_id": cls.rule.id, "date": cls.day, "retail_store_id": cls.store_a.id,
             "product_id": cls.bread.id, "value": 15.0, "baseline": 2.0, "threshold": 10},
            {"rule_id": cls.rule.id, "date": cls.day, "retail_store_id": cls.store_b.id,
             "product_id": cls.milk.id, "value": 30.0, "baseline": 1.0, "threshold": 10},
        ])
        cls.item_a, cls.item_a2, cls.item_b = cls.items

    def test_items_are_assigned_with_an_activity(self):
        self.assertEqual(self.item_a.assigned_user_id, self.manager_a)
        self.assertEqual(self.item_b.assigned_user_id, self.manager_b)
        self.assertEqual(self.item_a.activity_ids.user_id, self.manager_a)
        self.assertEqual(self.item_a.state, "new")

    def test_manager_reviews_false_positive_and_the_rule_learns(self):
        item = self.item_a.with_user(self.manager_a)
        item.action_investigate()
        self.assertEqual(item.state, "investigating")
        item.note = "School trip"
        item.action_mark_false_positive()
        self.assertEqual((item.state, item.resolution), ("false_positive", "false_positive"))
        item.action_close()
        self.assertEqual((item.state, item.resolution), ("closed", "false_positive"))
        self.assertFalse(item.activity_ids)
        self.item_a2.with_user(self.manager_a).action_mark_false_positive()
        self.rule.invalidate_recordset()
        self.assertEqual(self.rule.false_positive_count, 2)
        self.assertAlmostEqual(self.rule.suggested_threshold, 16.5)
        self.rule.action_apply_suggested_threshold()
        self.assertAlmostEqual(self.rule.threshold, 16.5)

    def test_confirm_then_close(self):
        item = self.item_a.with_user(self.manager_a)
        item.action_confirm()
        item.action_close()
        self.assertEqual((item.state, item.resolution), ("closed", "confirmed"))
        self.assertFalse(self.rule.suggested_threshold)

    def test_invalid_transition_is_refused_and_changes_nothing(self):
        with self.assertRaisesRegex(UserError, "cannot move to Closed"):
            self.item_a.with_user(self.manager_a).action_close()
        self.assertEqual(self.item_a.state, "new")

    def test_manager_sees_and_handles_only_own_stores(self):
        Item = self.env["retail.review.item"].with_user(self.manager_a)
        self.assertEqual(Item.search([]), self.item_a | self.item_a2)
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.manager_a).read(["state"])
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.manager_a).action_investigate()
        self.assertEqual(self.item_b.state, "new")

    def test_staff_cannot_see_review_items(self):
        with self.assertRaises(AccessError):
            self.env["retail.review.item"].with_user(self.cashier_a).search([])
        with self.assertRaises(AccessError):
            self.item_a.with_user(self.cashier_a).action_investigate()

    def test_hq_sees_every_store_and_managers_cannot_edit_rules(self):
        self.assertEqual(self.env["retail.review.item"].with_user(self.hq_user).search([]), self.items)
        with self.assertRaises(AccessError):
            self.rule.with_user(self.manager_a).write({"threshold": 1})
