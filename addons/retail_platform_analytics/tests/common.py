import base64
import datetime
from zoneinfo import ZoneInfo

from odoo.addons.retail_analytics.tests.common import RetailAnalyticsCase
from odoo.addons.retail_platform.tests.common import COLA_BARCODE, PlatformCase

STORE_A = {
    "platform_order_count": 3, "platform_sales_amount": 50.0, "platform_refund_amount": 20.0,
    "platform_commission_amount": 3.13,
}
STORE_B = {
    "platform_order_count": 0, "platform_sales_amount": 0.0, "platform_refund_amount": 0.0,
    "platform_commission_amount": 0.0,
}


class PlatformAnalyticsCase(RetailAnalyticsCase, PlatformCase):
    """retail_analytics' tills and retail_platform's shops: store A sells on Douyin, store B on
    Meituan. The platform orders come in through the webhook route over HTTP and are worked as
    the cron works them; their invoices and credit notes are booked at the time of the tests'
    transaction, and the tills' sales are dated then too.

    Store A, on the day: the tills sell 150.00; three platform orders are accepted, 30.00 +
    30.00 + 10.00 without tax (the first has a cola at 11.30 including 13 % VAT); the second is
    refunded 10.00, the third cancelled after acceptance; a fourth waits for the store to accept
    it. Platform sales 50.00 of 200.00 (25 %), refunds 20.00, the day's payout 3.13 of
    commission (the day before's, 2.00). Store B: the tills sell 40.00, no platform order.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the platform work is booked at the transaction's time (the moves' creation): the till
        # orders are dated then too, and the day is the stores' local day of that moment
        cls.now = cls.env.cr.now()
        zone = ZoneInfo(cls.store_a.partner_id.tz or "UTC")
        cls.day = cls.now.replace(tzinfo=datetime.timezone.utc).astimezone(zone).date()
        cls.sell(cls.session_a, cls.cashier_a, cls.now, [(cls.milk, 30, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.now, [(cls.cheese, 4, 10.0, 0)])

    def setUp(self):
        super().setUp()
        shop = self.shop_dy
        _response, self.ref_1 = self.place(shop, lines=[("DY-CHIPS", 2, 10.0), (COLA_BARCODE, 1, 11.30)])
        _response, self.ref_2 = self.place(shop, lines=[("DY-CHIPS", 3, 10.0)])
        _response, self.ref_3 = self.place(shop, lines=[("DY-CHIPS", 1, 10.0)])
        self.process()
        shop.auto_accept = False
        _response, self.ref_4 = self.place(shop, lines=[("DY-CHIPS", 5, 10.0)])
        self.process()
        self.send(shop, "refund", {"order_id": self.ref_2, "refund_id": "RF-2",
                                   "lines": [{"sku": "DY-CHIPS", "qty": 1}]})
        self.send(shop, "cancel", {"order_id": self.ref_3})
        self.process()
        self.payout(f"{self.ref_1},31.30,3.13,28.17\n", self.day)
        self.payout(f"{self.ref_2},20.00,2.00,18.00\n", self.day - datetime.timedelta(days=1))
        self.assertEqual([self.order(shop, ref).state for ref in (self.ref_1, self.ref_2, self.ref_3, self.ref_4)],
                         ["accepted", "partially_refunded", "cancelled", "new"])

    def payout(self, rows, date):
        """A payout statement of store A's shop dated ``date``, reconciled."""
        payout = self.env["retail.platform.settlement"].create({
            "name": f"抖音 {date}", "shop_id": self.shop_dy.id, "date": date, "statement_filename": "payout.csv",
            "statement_file": base64.b64encode(f"order_id,gross,commission,net\n{rows}".encode()),
        })
        payout.action_import()
        return payout

    def build(self, day=None, stores=None):
        packs = self.env["retail.close.pack"]._build_packs(day or self.day, stores=stores)
        return (packs.filtered(lambda pack: pack.retail_store_id == self.store_a),
                packs.filtered(lambda pack: pack.retail_store_id == self.store_b),
                packs.filtered("is_chain"))

    def assertFigures(self, pack, expected):
        for name, value in expected.items():
            self.assertAlmostEqual(pack[name], value, places=2, msg=f"{pack.name}: {name}")
