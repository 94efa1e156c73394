from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestPoints(RetailMembersCase):

    def test_points_earned_on_the_server_from_the_order(self):
        order = self.sync_order(self.member, qty=3, price=33.5)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.retail_points_earned, 100)  # floor(100.5 x 1 x 1.0)
        earn = order.retail_points_move_ids
        self.assertEqual((earn.move_type, earn.points, earn.remaining), ("earn", 100, 100))
        self.assertEqual(earn.retail_store_id, self.store_a)
        self.assertAlmostEqual(earn.value, 1.0)
        self.assertEqual(self.member.retail_points_balance, 100)
        self.assertEqual(self.member.retail_loyalty_card_id.points, 100)
        self.assertEqual(self.member.retail_loyalty_card_id.history_ids.filtered("issued").issued, 100)

    def test_tier_multiplier_applies(self):
        member = self.env["res.partner"].create({"name": "Gold M", "retail_is_member": True})
        self.env["res.partner"].browse(member.id).sudo().write({})
        self.env.cr.execute("UPDATE res_partner SET retail_tier_id = %s WHERE id = %s", [self.tier_gold.id, member.id])
        member.invalidate_recordset()
        order = self.sync_order(member, price=200.0, pricelist=self.tier_gold.pricelist_id)
        self.assertEqual(order.retail_points_earned, 300)

    def test_member_checks_of_a_batch_cost_the_same_queries_whatever_its_size(self):
        def batch(size):
            return [{"uuid": f"retail-members-batch-{size}-{n}", "state": "paid", "partner_id": self.member.id,
                     "session_id": self.pos_session.id, "pricelist_id": self.pricelist.id,
                     "name": f"Order {n}", "lines": [(0, 0, {"product_id": self.product.id, "qty": 1,
                                                          "price_subtotal_incl": 10.0})]}
                    for n in range(size)]
        Order = self.env["pos.order"]

        def queries(size):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Order._retail_check_orders_data(batch(size))
            return self.env.cr.sql_log_count - before

        queries(1)  # warm the caches
        self.assertEqual(queries(2), queries(20))

    def test_same_order_synced_twice_earns_once(self):
        order = self.sync_order(self.member, price=80.0, uuid="retail-members-same-uuid")
        again = self.sync_order(self.member, price=80.0, uuid="retail-members-same-uuid")
        self.assertEqual(order, again)
        self.assertEqual(self.member.retail_points_balance, 80)
        self.assertEqual(len(self.env["retail.points.move"].search([("order_id", "=", order.id)])), 1)

    def test_points_sent_by_the_till_are_ignored(self):
        order = self.sync_order(self.member, price=50.0)
        card = self.member.retail_loyalty_card_id
        order.confirm_coupon_programs({
            str(card.id): {"program_id": self.program.id, "coupon_id": card.id, "points": 99999, "won": 99999,
                           "spent": 0, "partner_id": self.member.id},
        })
        self.assertEqual(card.points, 50)
        self.assertEqual(self.member.retail_points_balance, 50)

    def test_partial_redemption_consumes_oldest_points_first(self):
        old = self.post_moves(self.member, "adjust", 300, date=datetime.now() - timedelta(days=60))
        new = self.post_moves(self.member, "adjust", 500)
        order = self.sync_order(self.member, price=100.0, redeem=400)
        self.assertEqual(order.amount_total, 96.0)
        redeem = order.retail_points_move_ids.filtered(lambda m: m.move_type == "redeem")
        self.assertEqual(redeem.points, -400)
        self.assertEqual((old.remaining, new.remaining), (0, 400))
        # 300 + 500 - 400 + floor(96)
        self.assertEqual(self.member.retail_points_balance, 496)

    def test_redeeming_more_than_the_balance_is_refused(self):
        self.post_moves(self.member, "adjust", 100)
        orders = self.env["pos.order"].search_count([])
        with self.assertRaisesRegex(UserError, "has 100 points; 150 cannot be redeemed"):
            self.sync_order(self.member, price=100.0, redeem=150)
        self.assertEqual(self.env["pos.order"].search_count([]), orders)
        self.assertEqual(self.member.retail_points_balance, 100)

    def test_redemption_line_must_match_the_points(self):
        self.post_moves(self.member, "adjust", 1000)
        with self.assertRaisesRegex(UserError, "1000 points are worth 10.0 but the redemption line says 50.0"):
            self.sync_order(self.member, price=100.0, redeem=1000, redemption_amount=50.0)
        with self.assertRaisesRegex(UserError, "redeems points but has no member"):
            self.sync_order(self.env["res.partner"], price=100.0, redemption_amount=5.0)
        self.assertEqual(self.member.retail_points_balance, 1000)

    def test_redeeming_on_a_refund_is_refused(self):
        self.post_moves(self.member, "adjust", 500)
        order = self.sync_order(self.member, price=100.0)
        balance = self.member.retail_points_balance
        with self.assertRaisesRegex(UserError, "is a refund: points cannot be redeemed"):
            self.sync_order(self.member, refund_of=order, redeem=100)
        self.assertEqual(self.member.retail_points_balance, balance)
        self.assertEqual(order.refund_orders_count, 0)

    def test_refund_takes_back_the_points_of_its_order(self):
        self.post_moves(self.member, "adjust", 20)
        order = self.sync_order(self.member, qty=2, price=100.0)
        self.assertEqual(self.member.retail_points_balance, 220)
        refund = self.sync_order(self.member, refund_of=order, qty=0.5)
        reversal = refund.retail_points_move_ids
        self.assertEqual((reversal.move_type, reversal.points), ("refund", -100))
        self.assertEqual(order.retail_points_move_ids.remaining, 100, "taken from the order's own earning first")
        self.assertEqual(self.member.retail_points_balance, 120)
        self.assertEqual(refund.retail_points_earned, 0)
        refund2 = self.sync_order(self.member, refund_of=order, qty=0.5)
        self.assertEqual(refund2.retail_points_move_ids.points, -100)
        self.assertEqual(self.member.retail_points_balance, 20)

    def redeemed_order(self):
        """500 points, then an order of 100.00 paying 4.00 with 400 of them: 96.00 paid, 96 earned."""
        self.post_moves(self.member, "adjust", 500)
        order = self.sync_order(self.member, price=100.0, redeem=400)
        self.assertEqual((order.amount_total, self.member.retail_points_balance), (96.0, 196))
        return order

    def test_full_refund_gives_back_the_redeemed_points(self):
        order = self.redeemed_order()
        refund = self.sync_order(self.member, refund_of=order)
        self.assertEqual(refund.amount_total, -96.0)
        moves = refund.retail_points_move_ids.sorted("move_type")
        self.assertEqual([(m.move_type, m.points) for m in moves], [("redeem_reversal", 400), ("refund", -96)])
        back = moves.filtered(lambda m: m.move_type == "redeem_reversal")
        self.assertEqual((back.remaining, back.value), (400, 4.0))
        self.assertEqual(back.expiry_date, fields.Date.to_date(back.date) + relativedelta(months=12))
        self.assertEqual(back.retail_store_id, self.store_a)
        # 500 - 400 + 96 - 96 + 400
        self.assertEqual(self.member.retail_points_balance, 500)
        self.assertEqual(self.member.retail_loyalty_card_id.points, 500)
        self.assertEqual(self.member.retail_loyalty_card_id.history_ids.filtered(
            lambda h: h.description == "Redemption Reversal").issued, 400)

    def test_partial_refunds_give_back_their_share_and_never_more(self):
        order = self.redeemed_order()
        first = self.sync_order(self.member, refund_of=order, qty=0.5)
        self.assertEqual(
            sorted(first.retail_points_move_ids.mapped(lambda m: (m.move_type, m.points))),
            [("redeem_reversal", 200), ("refund", -48)])
        self.assertEqual(self.member.retail_points_balance, 196 - 48 + 200)
        second = self.sync_order(self.member, refund_of=order, qty=0.5)
        self.assertEqual(
            sorted(second.retail_points_move_ids.mapped(lambda m: (m.move_type, m.points))),
            [("redeem_reversal", 200), ("refund", -48)])
        self.assertEqual(self.member.retail_points_balance, 500)
        # a refund beyond what was sold gives nothing more back
        third = self.sync_order(self.member, refund_of=order, qty=0.5)
        self.assertFalse(third.retail_points_move_ids)
        self.assertEqual(self.member.retail_points_balance, 500)

    def test_refund_of_the_goods_alone_gives_cash_not_points(self):
        order = self.redeemed_order()
        goods = order.lines.filtered(lambda line: line.product_id == self.product)
        refund = self.sync_order(self.member, refund_of=order, refund_lines=goods)
        self.assertEqual(refund.amount_total, -100.0, "the member gets the points' value in cash")
        self.assertEqual(refund.retail_points_move_ids.mapped(lambda m: (m.move_type, m.points)), [("refund", -96)])
        self.assertEqual(self.member.retail_points_balance, 100)

    def test_refund_synced_twice_gives_points_back_once(self):
        order = self.redeemed_order()
        refund = self.sync_order(self.member, refund_of=order, uuid="retail-members-refund-twice")
        again = self.sync_order(self.member, refund_of=order, uuid="retail-members-refund-twice")
        self.assertEqual(refund, again)
        self.assertEqual(len(self.env["retail.points.move"].search(
            [("order_id", "=", refund.id), ("move_type", "=", "redeem_reversal")])), 1)
        self.assertEqual(self.member.retail_points_balance, 500)

    def test_refunded_points_cannot_be_redeemed_on_the_refund(self):
        order = self.redeemed_order()
        with self.assertRaisesRegex(UserError, "is a refund: points cannot be redeemed"):
            self.sync_order(self.member, refund_of=order, redeem=100)
        self.assertEqual(self.member.retail_points_balance, 196)
        self.assertFalse(self.env["retail.points.move"].search([("move_type", "=", "redeem_reversal")]))

    def test_expiry_is_first_in_first_out_by_earning_date(self):
        Move = self.env["retail.points.move"]
        now = fields.Datetime.now()
        oldest = self.post_moves(self.member, "adjust", 100, date=now - timedelta(days=400))
        middle = self.post_moves(self.member, "adjust", 200, date=now - timedelta(days=380))
        recent = self.post_moves(self.member, "adjust", 300, date=now - timedelta(days=30))
        self.post_moves(self.member_b, "adjust", 50, date=now - timedelta(days=500))
        # redeeming 150 consumes the oldest 100 and 50 of the middle earning
        self.sync_order(self.member, price=10.0, redeem=150)
        expired_rows = Move._cron_retail_expire_points()
        self.assertGreaterEqual(expired_rows, 2)
        expire = Move.search([("partner_id", "=", self.member.id), ("move_type", "=", "expire")])
        self.assertEqual(expire.points, -150, "only the 150 left of the middle earning expire")
        self.assertAlmostEqual(expire.value, -1.5)
        self.assertEqual((oldest.remaining, middle.remaining, recent.remaining), (0, 0, 300))
        # 600 - 150 - 150 + 8 earned on 8.50 paid
        self.assertEqual(self.member.retail_points_balance, 308)
        self.assertEqual(self.member.retail_loyalty_card_id.points, 308)
        self.assertEqual(self.member_b.retail_points_balance, 0)
        self.assertEqual(Move._cron_retail_expire_points(), 0, "a second run expires nothing")

    def test_ledger_cannot_be_edited_by_hand(self):
        move = self.post_moves(self.member, "adjust", 100)
        with self.assertRaises(AccessError):
            move.with_user(self.manager_a).write({"points": 1000})
        with self.assertRaises(AccessError):
            self.env["retail.points.move"].with_user(self.hq_user).create({
                "partner_id": self.member.id, "move_type": "adjust", "points": 5})
        with self.assertRaisesRegex(UserError, "cannot be edited by hand"):
            move.write({"points": 1000})
        with self.assertRaisesRegex(UserError, "cannot be edited by hand"):
            move.unlink()
        with self.assertRaisesRegex(UserError, "cannot be edited by hand"):
            self.env["retail.points.move"].create({"partner_id": self.member.id, "move_type": "adjust", "points": 5})
        self.assertEqual(move.points, 100)
        self.assertEqual(self.member.retail_points_balance, 100)

    def test_adjustment_by_manager_and_refused_for_cashier(self):
        Move = self.env["retail.points.move"]
        Move.with_user(self.manager_a)._retail_adjust(self.member, 50, "goodwill")
        self.assertEqual(self.member.retail_points_balance, 50)
        with self.assertRaisesRegex(UserError, "Only store managers"):
            Move.with_user(self.cashier_a)._retail_adjust(self.member, 50, "self service")
        with self.assertRaisesRegex(UserError, "has 50 points; 80 cannot be taken"):
            Move.with_user(self.manager_a)._retail_adjust(self.member, -80, "too much")
        self.assertEqual(self.member.retail_points_balance, 50)

    def test_birthday_bonus_once_a_year_by_tier(self):
        today = fields.Date.today()
        self.tier_regular.birthday_bonus = 88
        self.member.retail_birthday = today.replace(year=1990)
        self.member_b.retail_birthday = (today + timedelta(days=1)).replace(year=1990)
        Move = self.env["retail.points.move"]
        self.assertEqual(Move._cron_retail_birthday_bonus(today=today), 1)
        bonus = Move.search([("partner_id", "=", self.member.id), ("move_type", "=", "bonus")])
        self.assertEqual((bonus.points, bonus.remaining), (88, 88))
        self.assertEqual(self.member.retail_points_balance, 88)
        self.assertEqual(self.member_b.retail_points_balance, 0)
        self.assertEqual(Move._cron_retail_birthday_bonus(today=today), 0, "only once a year")
