from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestPreferences(RetailMembersCase):
    """Member A (store A, champions) buys T-shirts in two colours and sizes and rice, paying part
    with points and returning one shirt; member B (store B, loyal) buys one shirt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Category = env["product.category"]
        cls.apparel = Category.create({"name": "Test Apparel"})
        cls.food = Category.create({"name": "Test Food"})
        cls.product.categ_id = cls.food
        Attribute = env["product.attribute"]
        cls.colour = Attribute.create({"name": "Test Colour", "value_ids": [
            Command.create({"name": "Red"}), Command.create({"name": "Blue"})]})
        cls.size = Attribute.create({"name": "Test Size", "value_ids": [
            Command.create({"name": "S"}), Command.create({"name": "M"})]})
        template = env["product.template"].create({
            "name": "T-Shirt", "type": "consu", "list_price": 50.0, "available_in_pos": True,
            "categ_id": cls.apparel.id, "taxes_id": [Command.clear()],
            "attribute_line_ids": [
                Command.create({"attribute_id": cls.colour.id, "value_ids": [Command.set(cls.colour.value_ids.ids)]}),
                Command.create({"attribute_id": cls.size.id, "value_ids": [Command.set(cls.size.value_ids.ids)]}),
            ],
        })

        def variant(colour, size):
            return template.product_variant_ids.filtered(
                lambda product: set(product.product_template_attribute_value_ids.mapped("name")) == {colour, size})

        cls.red_m, cls.blue_s, cls.red_s = variant("Red", "M"), variant("Blue", "S"), variant("Red", "S")
        cls.post_moves(cls.member, "adjust", 500)
        cls.shirts = cls.sync_order(cls.member, products=[(cls.red_m, 3, 50.0), (cls.blue_s, 1, 80.0)])
        cls.sync_order(cls.member, products=[(cls.product, 1, 100.0)], redeem=100)
        refund_line = cls.shirts.lines.filtered(lambda line: line.product_id == cls.red_m)
        cls.env["pos.order"].sync_from_ui([cls.refund_data(refund_line)])
        cls.sync_order(cls.member_b, products=[(cls.red_s, 1, 60.0)])
        cls.env.cr.execute("UPDATE res_partner SET retail_rfm_segment = 'champions' WHERE id = %s", [cls.member.id])
        cls.env.cr.execute("UPDATE res_partner SET retail_rfm_segment = 'loyal' WHERE id = %s", [cls.member_b.id])
        cls.env.invalidate_all()
        cls.Report = env["retail.member.preference.report"]

    @classmethod
    def refund_data(cls, line):
        """One red shirt of the first order back."""
        data = {
            "amount_paid": -50.0, "amount_return": 0, "amount_tax": 0, "amount_total": -50.0,
            "date_order": line.order_id.date_order.strftime("%Y-%m-%d %H:%M:%S"), "fiscal_position_id": False,
            "pricelist_id": cls.pricelist.id, "name": "Order refund-red", "last_order_preparation_change": "{}",
            "lines": [(0, 0, {
                "product_id": line.product_id.id, "qty": -1, "price_unit": 50.0, "price_subtotal": -50.0,
                "price_subtotal_incl": -50.0, "tax_ids": [], "discount": 0, "refunded_orderline_id": line.id,
            })],
            "partner_id": cls.member.id, "session_id": cls.pos_session.id,
            "payment_ids": [(0, 0, {"amount": -50.0, "name": line.order_id.date_order,
                                    "payment_method_id": cls.cash_method.id})],
            "uuid": "retail-members-preference-refund", "user_id": cls.env.uid, "to_invoice": False,
        }
        return data

    def figures(self, domain, groupby, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        return {
            tuple(getattr(key, "name", key) for key in group[:-3]): group[-3:]
            for group in Report._read_group(domain, groupby, ["quantity:sum", "amount:sum", "order_count:sum"])
        }

    def test_categories_per_member_count_each_line_once_refunds_deducted(self):
        figures = self.figures([("attribute_id", "=", False)], ["partner_id", "categ_id"])
        self.assertEqual(figures, {
            ("张伟", "Test Apparel"): (3.0, 180.0, 2),    # 3 x 50 + 80, one red shirt returned
            ("张伟", "Test Food"): (1.0, 100.0, 1),       # the points redemption line is no purchase
            ("Li Na", "Test Apparel"): (1.0, 60.0, 1),
        })

    def test_colours_and_sizes_per_segment(self):
        colours = self.figures([("attribute_id", "=", self.colour.id)], ["segment", "attribute_value_id"])
        self.assertEqual(colours, {
            ("champions", "Red"): (2.0, 100.0, 2),
            ("champions", "Blue"): (1.0, 80.0, 1),
            ("loyal", "Red"): (1.0, 60.0, 1),
        })
        sizes = self.figures([("attribute_id", "=", self.size.id)], ["tier_id", "attribute_value_id"])
        self.assertEqual(sizes, {
            ("T Regular", "M"): (2.0, 100.0, 2),
            ("T Regular", "S"): (2.0, 140.0, 2),
        })

    def test_member_form_shows_top_categories_and_attribute_values(self):
        member = self.member.with_user(self.manager_a)
        self.assertEqual(member.retail_top_categories, "Test Apparel, Test Food")
        self.assertEqual(member.retail_top_attribute_values, "Test Colour: Red, Blue; Test Size: M, S")
        action = member.action_retail_open_preferences()
        self.assertEqual(action["res_model"], "retail.member.preference.report")
        self.assertEqual(self.Report.search(action["domain"]).partner_id, self.member)

    def test_store_managers_see_their_stores_members_headquarters_all(self):
        self.assertEqual(self.Report.with_user(self.manager_a).search([]).partner_id, self.member)
        self.assertEqual(self.Report.with_user(self.manager_b).search([]).partner_id, self.member_b)
        self.assertEqual(self.Report.with_user(self.hq_user).search([]).partner_id, self.member | self.member_b)

    def test_cashier_cannot_read_preferences(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.cashier_a).search([])
        with self.assertRaises(AccessError):
            self.member.with_user(self.cashier_a).read(["retail_top_categories"])
