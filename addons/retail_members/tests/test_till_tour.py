from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged

CARD = "0429999999995"


@tagged("post_install", "-at_install")
class TestTillTour(TestPointOfSaleHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.main_pos_config.company_id
        # with the multi-warehouse groups on already, a second warehouse does not run the settings,
        # which would switch the tills' pricelists off
        env.ref("base.group_user").write({"implied_ids": [
            (4, env.ref("stock.group_stock_multi_locations").id),
            (4, env.ref("stock.group_stock_multi_warehouses").id),
        ]})
        cls.store = cls.main_pos_config.warehouse_id
        cls.other_store = env["stock.warehouse"].create(
            {"name": "Other Store", "code": "OTS", "retail_store_type": "store", "company_id": company.id})
        company.write({"retail_points_per_currency": 1.0, "retail_points_value": 0.01})
        env["retail.member.tier"].sudo().search([("company_id", "=", company.id)]).active = False
        Tier = env["retail.member.tier"].sudo().with_company(company)
        cls.tier_regular, cls.tier_silver, cls.tier_gold = Tier.create([
            {"name": "T Regular", "sequence": 1, "threshold": 0, "company_id": company.id},
            {"name": "T Silver", "sequence": 2, "threshold": 2000, "discount": 2, "points_multiplier": 1.2,
             "company_id": company.id},
            {"name": "T Gold", "sequence": 3, "threshold": 8000, "discount": 5, "points_multiplier": 1.5,
             "company_id": company.id},
        ])
        cls.product = env["product.product"].create({
            "name": "Retail Rice", "list_price": 100.0, "available_in_pos": True, "taxes_id": [(5, 0, 0)],
        })
        redemption = env.ref("retail_members.product_points_redemption")
        redemption.product_tmpl_id.write({"available_in_pos": True, "active": True})
        default = cls.main_pos_config.pricelist_id or env["product.pricelist"].create({"name": "Till Default"})
        cls.main_pos_config.write({
            "use_pricelist": True,
            "pricelist_id": default.id,
            "available_pricelist_ids": [
                (6, 0, (default | cls.tier_silver.pricelist_id | cls.tier_gold.pricelist_id).ids)],
        })
        # the cashier works in the till's store; the gold member belongs to another store, which the
        # store wall hides from the cashier: the till finds them by their exact mobile number only
        cls.pos_user.write({
            "group_ids": [(4, env.ref("retail_base.group_retail_staff").id)],
            "retail_store_ids": [(6, 0, cls.store.ids)],
        })
        Partner = env["res.partner"].with_company(company)
        cls.gold = Partner.create({"name": "Gold Member", "retail_is_member": True, "retail_mobile": "13812345678",
                                   "company_id": company.id, "retail_home_store_id": cls.other_store.id})
        cls.silver = Partner.create({"name": "Silver Member", "retail_is_member": True, "retail_mobile": "13900001111",
                                     "company_id": company.id, "retail_home_store_id": cls.store.id})
        cls.env.cr.execute("UPDATE res_partner SET retail_tier_id = %s WHERE id = %s", [cls.tier_gold.id, cls.gold.id])
        cls.env.cr.execute(
            "UPDATE res_partner SET retail_tier_id = %s WHERE id = %s", [cls.tier_silver.id, cls.silver.id])
        env["res.partner"].invalidate_model()
        cls.gold.property_product_pricelist = cls.tier_gold.pricelist_id
        cls.silver.property_product_pricelist = cls.tier_silver.pricelist_id
        cls.silver.write({"retail_card_barcode": CARD, "barcode": CARD})
        Move = env["retail.points.move"]
        Move._retail_post([Move._retail_prepare_vals(cls.gold, "adjust", 1000, company, note="opening")])

    def test_till_identifies_members_applies_tier_and_redeems(self):
        Partner = self.env["res.partner"].with_user(self.pos_user)
        self.assertFalse(Partner.search([("id", "=", self.gold.id)]), "the gold member is behind the store wall")
        self.assertEqual(Partner.search([("id", "=", self.silver.id)]), self.silver)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailMembersTillTour", login="pos_user")
        # the name, the partial number and the full number: three lookups; the card was loaded
        lookups = self.env["retail.member.lookup"].sudo().search([("user_id", "=", self.pos_user.id)])
        self.assertEqual(len(lookups), 3)
        self.assertEqual(lookups.partner_ids, self.gold)
        orders = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], order="id")
        self.assertEqual(len(orders), 2)
        first, second = orders
        self.assertEqual(first.partner_id, self.gold)
        self.assertEqual(first.pricelist_id, self.tier_gold.pricelist_id)
        self.assertAlmostEqual(first.amount_total, 90.0)
        self.assertEqual(first.retail_points_redeemed, 500)
        self.assertEqual(first.retail_points_earned, 135)
        self.assertEqual(self.gold.retail_points_balance, 1000 - 500 + 135)
        self.assertEqual(second.partner_id, self.silver)
        self.assertAlmostEqual(second.amount_total, 98.0)
        self.assertEqual(second.retail_points_earned, 117)
