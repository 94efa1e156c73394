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
        Partner = env["res.partner"].with_company(company)
        cls.gold = Partner.create({"name": "Gold Member", "retail_is_member": True, "retail_mobile": "13812345678",
                                   "company_id": company.id})
        cls.silver = Partner.create({"name": "Silver Member", "retail_is_member": True, "retail_mobile": "13900001111",
                                     "company_id": company.id})
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
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("RetailMembersTillTour", login="pos_user")
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
