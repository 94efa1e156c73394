import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestSpecialLines(RetailPosCase):
    """Combo, tip, reward and fiscal-position lines, priced on the server as the till prices them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Product = env["product.product"]
        plain = {"available_in_pos": True, "taxes_id": [Command.clear()], "type": "consu"}
        cls.burger = Product.create({**plain, "name": "Burger", "lst_price": 12.0})
        cls.noodles = Product.create({**plain, "name": "Noodles", "lst_price": 10.0})
        cls.juice = Product.create({**plain, "name": "Juice", "lst_price": 5.0})
        cls.tea = Product.create({**plain, "name": "Tea", "lst_price": 4.0})
        Combo = env["product.combo"]
        cls.mains = Combo.create({"name": "Mains", "combo_item_ids": [
            Command.create({"product_id": cls.burger.id}),
            Command.create({"product_id": cls.noodles.id}),
        ]})
        cls.drinks = Combo.create({"name": "Drinks", "combo_item_ids": [
            Command.create({"product_id": cls.juice.id, "extra_price": 1.0}),
            Command.create({"product_id": cls.tea.id}),
        ]})
        cls.lunch = Product.create({
            **plain, "name": "Lunch Set", "type": "combo", "lst_price": 13.0,
            "combo_ids": [Command.set((cls.mains | cls.drinks).ids)],
        })
        cls.burger_item = cls.mains.combo_item_ids.filtered(lambda item: item.product_id == cls.burger)
        cls.juice_item = cls.drinks.combo_item_ids.filtered(lambda item: item.product_id == cls.juice)
        cls.tip_product = env.ref("point_of_sale.product_product_tip")
        cls.reward_product = Product.create({**plain, "name": "10% on your order", "type": "service", "lst_price": 0.0})

    def sync(self, *orders):
        return self.env["pos.order"].sync_from_ui(list(orders))

    def assert_refused(self, order, message):
        with self.assertRaisesRegex(UserError, message):
            self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 0)

    def combo_order(self, burger_price, juice_price, with_juice=True):
        """A lunch set as the till sends it: the combo lines point to their parent by uuid."""
        parent = self.make_line(self.lunch, price_unit=0.0, combo_line_ids=[])
        children = [self.make_line(self.burger, price_unit=burger_price, combo_item_id=self.burger_item.id)]
        if with_juice:
            children.append(self.make_line(self.juice, price_unit=juice_price, combo_item_id=self.juice_item.id))
        return self.make_order(
            [parent, *children],
            relations_uuid_mapping={"pos.order.line": {
                child["uuid"]: {"combo_parent_id": parent["uuid"]} for child in children
            }},
        )

    # ------------------------------------------------------------------
    # Combos: 13.00 split over Mains (base 10) and Drinks (base 4): 9.29 and 3.71, juice +1.00
    # ------------------------------------------------------------------

    def test_combo_priced_as_the_till_splits_it_accepted(self):
        order = self.combo_order(9.29, 4.71)
        self.sync(order)
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        parent = saved.lines.filtered(lambda line: line.product_id == self.lunch)
        self.assertEqual(sorted(parent.combo_line_ids.mapped("price_unit")), [4.71, 9.29])

    def test_combo_split_moved_between_lines_refused(self):
        order = self.combo_order(11.0, 3.0)
        self.assert_refused(order, r"Juice: unit price 3.00 in a combo is below its share of the combo's price, 4.71")

    def test_combo_missing_a_choice_refused(self):
        order = self.combo_order(9.29, 0.0, with_juice=False)
        self.assert_refused(order, r"Lunch Set: the combo's lines add up to 9.29, below the combo's price of 13.00")

    def test_combo_line_price_approved_by_manager_accepted(self):
        order = self.combo_order(9.29, 4.0)
        juice_uuid = order["lines"][2][2]["uuid"]
        order["retail_approval_payload"] = json.dumps([
            self.make_approval(self.employee_manager_a, self.MANAGER_A_PIN, order["uuid"], "price", juice_uuid, 4.0),
        ])
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)

    def test_combo_of_a_draft_synchronised_again_without_its_lines_accepted(self):
        draft = self.combo_order(9.29, 4.71)
        draft.update(state="draft", payment_ids=[], amount_paid=0.0)
        self.sync(draft)
        saved = self.env["pos.order"].search([("uuid", "=", draft["uuid"])])
        parent_line = saved.lines.filtered(lambda line: line.product_id == self.lunch)
        # The till sends only what changed: here a note on the combo's own line.
        again = {**draft, "access_token": saved.access_token, "lines": [(1, parent_line.id, {
            "uuid": parent_line.uuid, "product_id": self.lunch.id, "qty": 1.0, "price_unit": 0.0,
            "note": "no onions",
        })]}
        again.pop("relations_uuid_mapping", None)
        self.sync(again)
        self.assertEqual(parent_line.note, "no onions")

    def test_combo_line_queries_do_not_grow_with_combos(self):
        def count(combos):
            orders = [self.combo_order(9.29, 4.71) for _index in range(combos)]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["pos.order"]._retail_check_orders(orders)
            return self.env.cr.sql_log_count - before

        count(1)  # warm the registry caches
        self.assertEqual(count(1), count(8))

    # ------------------------------------------------------------------
    # Tips
    # ------------------------------------------------------------------

    def tip_order(self, amount, product=None):
        return self.make_order([
            self.make_line(self.cola),
            self.make_line(product or self.tip_product, price_unit=amount),
        ])

    def test_tip_refused_when_tips_are_disabled(self):
        self.assert_refused(self.tip_order(5.0), "Tips: a tip of 5.00 was added but tips are not enabled on this till")

    def test_tip_accepted_when_tips_are_enabled(self):
        self.config_a.write({"iface_tipproduct": True, "tip_product_id": self.tip_product.id})
        order = self.tip_order(5.0)
        self.sync(order)
        self.assertEqual(self.count_orders(order["uuid"]), 1)

    def test_negative_tip_refused(self):
        self.config_a.write({"iface_tipproduct": True, "tip_product_id": self.tip_product.id})
        self.assert_refused(self.tip_order(-3.0), r"Tips: a tip cannot be negative \(-3.00\)")

    def test_tip_with_another_product_than_the_tills_refused(self):
        service_tip = self.env["product.product"].create({
            "name": "Service Tip", "type": "service", "lst_price": 0.0, "taxes_id": [Command.clear()],
        })
        self.config_a.write({"iface_tipproduct": True, "tip_product_id": service_tip.id})
        self.assert_refused(self.tip_order(5.0), "Tips: a tip of 5.00 was added with a product that is not this till's")

    # ------------------------------------------------------------------
    # Reward lines (pos_loyalty): only their price sign is checked here
    # ------------------------------------------------------------------

    def test_reward_flag_does_not_exempt_a_positive_price(self):
        order = self.make_order([self.make_line(self.cola, price_unit=5.0, is_reward_line=True)])
        self.assert_refused(order, "可口可乐: unit price 5.00 is below the price list price 10.00")

    def test_negative_reward_line_left_to_the_loyalty_programme(self):
        order = self.make_order([
            self.make_line(self.cola),
            self.make_line(self.reward_product, price_unit=-1.0, is_reward_line=True),
        ])
        if "is_reward_line" in self.env["pos.order.line"]._fields:
            self.sync(order)
            self.assertEqual(self.count_orders(order["uuid"]), 1)
        else:
            self.assert_refused(order, "10% on your order: unit price -1.00 is below the price list price 0.00")

    # ------------------------------------------------------------------
    # Fiscal positions: the till keeps the price list unit price and maps only the taxes
    # ------------------------------------------------------------------

    def fiscal_position_order(self, price_unit):
        tax_included = self.env["account.tax"].create({
            "name": "VAT 13% included", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "price_include_override": "tax_included",
        })
        fiscal_position = self.env["account.fiscal.position"].create({"name": "Export"})
        tax_excluded = self.env["account.tax"].create({
            "name": "VAT 13% excluded", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "price_include_override": "tax_excluded",
            "fiscal_position_ids": [Command.set(fiscal_position.ids)],
            "original_tax_ids": [Command.set(tax_included.ids)],
        })
        wine = self.env["product.product"].create({
            "name": "Rice Wine", "lst_price": 113.0, "available_in_pos": True,
            "taxes_id": [Command.set(tax_included.ids)],
        })
        self.assertEqual(fiscal_position.map_tax(tax_included), tax_excluded)
        # As the till sends it: the product's taxes on the line, the mapping on the order.
        line = self.make_line(wine, price_unit=price_unit, tax_ids=[Command.set(tax_included.ids)])
        total = round(price_unit * 1.13, 2)
        line.update(price_subtotal=price_unit, price_subtotal_incl=total)
        self.config_a.write({"tax_regime_selection": True, "fiscal_position_ids": [Command.set(fiscal_position.ids)]})
        order = self.make_order([line], fiscal_position_id=fiscal_position.id, amount_tax=total - price_unit)
        order["payment_ids"][0][2]["amount"] = order["amount_paid"] = order["amount_total"] = total
        return order

    def test_fiscal_position_mapping_taxes_keeps_the_price_accepted(self):
        order = self.fiscal_position_order(113.0)
        self.sync(order)
        saved = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(
            (saved.lines.price_unit, saved.lines.tax_ids_after_fiscal_position.name), (113.0, "VAT 13% excluded"),
        )

    def test_fiscal_position_price_lowered_to_the_untaxed_amount_refused(self):
        self.assert_refused(
            self.fiscal_position_order(100.0), "Rice Wine: unit price 100.00 is below the price list price 113.00",
        )

    def test_combo_line_without_its_combo_priced_as_a_plain_product(self):
        line = self.make_line(self.burger, price_unit=9.29, combo_item_id=self.burger_item.id)
        order = self.make_order([line])
        self.assert_refused(order, "Burger: unit price 9.29 is below the price list price 12.00")
