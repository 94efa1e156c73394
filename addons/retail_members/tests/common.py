from uuid import uuid4

from odoo import fields
from odoo.addons.retail_base.tests.common import RetailCase


class RetailMembersCase(RetailCase):
    """Stores A/B, a tier ladder, a till in store A with an open session, members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        if not env["account.account"].search_count([("company_ids", "in", cls.company.id)], limit=1):
            env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.company.write({
            "retail_points_per_currency": 1.0,
            "retail_points_value": 0.01,
            "retail_points_expiry_months": 12,
        })
        Tier = env["retail.member.tier"]
        Tier.search([("company_id", "=", cls.company.id)]).active = False
        cls.tier_regular, cls.tier_silver, cls.tier_gold, cls.tier_diamond = Tier.create([
            {"name": "T Regular", "sequence": 1, "threshold": 0, "points_multiplier": 1.0, "grace_days": 0},
            {"name": "T Silver", "sequence": 2, "threshold": 2000, "points_multiplier": 1.2, "discount": 2,
             "grace_days": 30},
            {"name": "T Gold", "sequence": 3, "threshold": 8000, "points_multiplier": 1.5, "discount": 5,
             "grace_days": 30},
            {"name": "T Diamond", "sequence": 4, "threshold": 30000, "points_multiplier": 2.0, "discount": 8,
             "grace_days": 30},
        ])
        cls.pricelist = env["product.pricelist"].create(
            {"name": "Public Test", "currency_id": cls.company.currency_id.id})
        cls.product = env["product.product"].create({
            "name": "Rice 5kg", "type": "consu", "list_price": 100.0, "available_in_pos": True,
            "taxes_id": [(5, 0, 0)],
        })
        cls.redemption_product = env.ref("retail_members.product_points_redemption")
        cash_journal = env["account.journal"].create({
            "name": "Till Cash", "type": "cash", "code": "TCSH", "company_id": cls.company.id,
        })
        cls.cash_method = env["pos.payment.method"].create({"name": "Cash Test", "journal_id": cash_journal.id})
        tier_pricelists = (cls.tier_silver | cls.tier_gold | cls.tier_diamond).pricelist_id
        cls.config = env["pos.config"].create({
            "name": "Till A",
            "warehouse_id": cls.store_a.id,
            "picking_type_id": cls.store_a.pos_type_id.id,
            "payment_method_ids": [(6, 0, cls.cash_method.ids)],
            "use_pricelist": True,
            "pricelist_id": cls.pricelist.id,
            "available_pricelist_ids": [(6, 0, (cls.pricelist | tier_pricelists).ids)],
        })
        cls.config.open_ui()
        cls.pos_session = cls.config.current_session_id
        cls.pos_session.set_opening_control(0, None)
        cls.program = cls.company._retail_member_program()
        cls.member = env["res.partner"].create({
            "name": "张伟", "retail_is_member": True, "retail_mobile": "+86 138-1234-5678",
            "retail_home_store_id": cls.store_a.id, "email": "zhangwei@example.com",
        })
        cls.member_b = env["res.partner"].create({
            "name": "Li Na", "retail_is_member": True, "retail_mobile": "13900001111",
            "retail_home_store_id": cls.store_b.id,
        })

    @classmethod
    def sync_order(cls, partner, qty=1, price=100.0, redeem=0, redemption_amount=None, refund_of=None,
                   pricelist=None, uuid=None, extra=None, products=None, refund_lines=None):
        """Send an order through ``sync_from_ui`` as the till would and return it.

        ``products``: (product, quantity, unit price) lines instead of ``qty`` x the rice at ``price``.
        ``refund_lines``: the lines of ``refund_of`` to take back (all by default), ``qty`` x each.
        """
        uuid = uuid or str(uuid4())
        lines = []
        if refund_of:
            for line in refund_lines or refund_of.lines:
                lines.append((0, 0, {
                    "product_id": line.product_id.id, "qty": -line.qty * qty, "price_unit": line.price_unit,
                    "price_subtotal": -line.price_subtotal * qty,
                    "price_subtotal_incl": -line.price_subtotal_incl * qty,
                    "tax_ids": [], "discount": 0, "refunded_orderline_id": line.id,
                }))
        else:
            for product, line_qty, line_price in products or [(cls.product, qty, price)]:
                lines.append((0, 0, {
                    "product_id": product.id, "qty": line_qty, "price_unit": line_price,
                    "price_subtotal": line_qty * line_price, "price_subtotal_incl": line_qty * line_price,
                    "tax_ids": [], "discount": 0,
                }))
        if redeem or redemption_amount:
            amount = -redeem * cls.company.retail_points_value if redemption_amount is None else -redemption_amount
            lines.append((0, 0, {
                "product_id": cls.redemption_product.id, "qty": 1, "price_unit": amount, "price_subtotal": amount,
                "price_subtotal_incl": amount, "tax_ids": [], "discount": 0,
            }))
        total = round(sum(line[2]["price_subtotal_incl"] for line in lines), 2)
        data = {
            "amount_paid": total, "amount_return": 0, "amount_tax": 0, "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": (pricelist or cls.pricelist).id,
            "name": f"Order {uuid}", "last_order_preparation_change": "{}",
            "lines": lines, "partner_id": partner.id if partner else False,
            "session_id": cls.pos_session.id,
            "payment_ids": [(0, 0, {"amount": total, "name": fields.Datetime.now(),
                                    "payment_method_id": cls.cash_method.id})],
            "uuid": uuid, "user_id": cls.env.uid, "to_invoice": False,
            "retail_points_redeemed": redeem,
            **(extra or {}),
        }
        cls.env["pos.order"].sync_from_ui([data])
        return cls.env["pos.order"].search([("uuid", "=", uuid)])

    @classmethod
    def post_moves(cls, partner, move_type, points, date=None):
        Move = cls.env["retail.points.move"]
        return Move._retail_post([Move._retail_prepare_vals(partner, move_type, points, cls.company, date=date)])
