import datetime

from odoo.addons.retail_analytics.tests.common import RetailAnalyticsCase


class RetailMembersAnalyticsCase(RetailAnalyticsCase):
    """retail_analytics' two stores, tills and products, with members of both stores, their
    orders and their points on the day of the tests (the stores' day is the UTC day).

    Store A, on the day: members buy 17.00 of 34.00 (4 of 6 tickets, a member refund and a
    member of store B among them); 1 member joins; 184 points issued, 170 redeemed, 40 expired;
    374 points (3.74) outstanding at the day's end. Store B: members buy 10.00 of 40.00 (1 of 2
    tickets); 1 member joins; 10 points issued; 110 points (1.10) outstanding.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"retail_points_per_currency": 1.0, "retail_points_value": 0.01,
                           "retail_points_expiry_months": 12})
        day = cls.day
        next_day = day + datetime.timedelta(days=1)
        Partner = cls.env["res.partner"]
        cls.member_old = cls.member("王芳", "13800000001", cls.store_a, day - datetime.timedelta(days=30))
        cls.member_new = cls.member("李强", "13800000002", cls.store_a, day)
        cls.member_b = cls.member("刘洋", "13800000003", cls.store_b, day)
        cls.member_tomorrow = cls.member("陈静", "13800000004", cls.store_a, next_day)
        cls.member_gone = cls.member("杨帆", "13800000005", cls.store_a, day)
        cls.member_gone.active = False
        cls.customer = Partner.create({"name": "Walk-in Customer"})

        # store A: members 10 + 10 - 5 + 2 = 17, others 12 + 5 = 17
        sell = cls.sell_to
        sell(cls.member_old, cls.session_a, cls.cashier_a, cls.at(day, 9), [(cls.milk, 2, 5.0, 0)])
        sell(cls.member_new, cls.session_a, cls.cashier_a2, datetime.datetime.combine(day, datetime.time(23, 30)),
             [(cls.bread, 1, 4.0, 0), (cls.yoghurt, 3, 2.0, 0)])
        sell(cls.customer, cls.session_a, cls.cashier_a, cls.at(day, 10),
             [(cls.milk, 2, 5.0, 0), (cls.yoghurt, 1, 2.0, 0)])
        sell(None, cls.session_a, cls.cashier_a, cls.at(day, 11), [(cls.bread, 1, 5.0, 0)])
        sell(cls.member_old, cls.session_a, cls.cashier_a, cls.at(day, 14), [(cls.milk, -1, 5.0, 0)])
        sell(cls.member_b, cls.session_a, cls.cashier_a, cls.at(day, 15), [(cls.yoghurt, 1, 2.0, 0)])
        # not the day's member sales: a void, the day before, the day after
        sell(cls.member_old, cls.session_a, cls.cashier_a, cls.at(day, 16), [(cls.milk, 1, 5.0, 0)], state="cancel")
        sell(cls.member_old, cls.session_a, cls.cashier_a, cls.at(day - datetime.timedelta(days=1)),
             [(cls.milk, 4, 5.0, 0)])
        sell(cls.member_old, cls.session_a, cls.cashier_a, datetime.datetime.combine(next_day, datetime.time(0, 30)),
             [(cls.milk, 7, 5.0, 0)])
        # store B: members 10 of 40
        sell(cls.member_b, cls.session_b, cls.manager_b, cls.at(day, 10), [(cls.cheese, 1, 10.0, 0)])
        sell(None, cls.session_b, cls.manager_b, cls.at(day, 11), [(cls.cheese, 3, 10.0, 0)])

        # points of store A: 400 outstanding the evening before
        book = cls.book_points
        book(cls.member_old, cls.store_a, "earn", 500, cls.at(day - datetime.timedelta(days=5)))
        book(cls.member_old, cls.store_a, "redeem", -100, cls.at(day - datetime.timedelta(days=2)))
        # the day: issued 100 + 50 + 2 + 7 + 20 - 10 + 15 = 184, redeemed 200 - 30 = 170, expired 40
        book(cls.member_old, cls.store_a, "earn", 100, cls.at(day, 9))
        book(cls.member_new, cls.store_a, "earn", 50, cls.at(day, 10))
        book(cls.member_b, cls.store_a, "earn", 2, cls.at(day, 15))
        book(cls.member_new, cls.store_a, "earn", 7, datetime.datetime.combine(day, datetime.time(23, 30)))
        book(cls.member_old, cls.store_a, "bonus", 20, cls.at(day, 8))
        book(cls.member_old, cls.store_a, "refund", -10, cls.at(day, 14))
        book(cls.member_old, cls.store_a, "redeem", -200, cls.at(day, 11))
        book(cls.member_old, cls.store_a, "redeem_reversal", 30, cls.at(day, 14))
        book(cls.member_old, cls.store_a, "expire", -40, cls.at(day, 1))
        book(cls.member_old, cls.store_a, "adjust", 15, cls.at(day, 17))
        # the next morning belongs to the next pack
        book(cls.member_old, cls.store_a, "earn", 999, datetime.datetime.combine(next_day, datetime.time(0, 30)))
        # store B: 100 before, 10 on the day
        book(cls.member_b, cls.store_b, "earn", 100, cls.at(day - datetime.timedelta(days=3)))
        book(cls.member_b, cls.store_b, "earn", 10, cls.at(day, 10))

    @classmethod
    def member(cls, name, mobile, store, joined):
        return cls.env["res.partner"].create({
            "name": name, "retail_is_member": True, "retail_mobile": mobile,
            "retail_home_store_id": store.id, "retail_join_date": joined,
        })

    @classmethod
    def sell_to(cls, partner, session, user, when, lines, state="paid"):
        """A point of sale order of ``partner`` (or of nobody); ``lines`` as in ``sell``."""
        return cls.sell(session, user, when, lines, state=state, partner=partner)

    @classmethod
    def book_points(cls, partner, store, move_type, points, when):
        Move = cls.env["retail.points.move"]
        return Move._retail_post([Move._retail_prepare_vals(
            partner, move_type, points, cls.company, store=store, date=when)])
