from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import COLA_BARCODE, PlatformCase


@tagged("post_install", "-at_install")
class TestStockFeed(PlatformCase):
    """The stock feed reaches the simulated platform signed, and sends only what changed."""

    def test_full_resync_sends_every_listed_product(self):
        self.shop_dy.action_full_stock_resync()
        received = self.douyin.state.received("/stock/update")
        self.assertEqual(len(received), 1)
        self.assertTrue(received[0]["signed"])
        self.assertEqual(self.douyin.state.stock("DY-A"), {"DY-CHIPS": 10.0, COLA_BARCODE: 10.0})
        log = self.env["retail.platform.log"].search([("kind", "=", "stock")])
        self.assertEqual((log.direction, log.outcome, log.http_status), ("out", "ok", 200))

    def test_the_feed_sends_what_changed_since_the_last_push(self):
        self.shop_dy._push_stock()  # the first push is a full one
        self.assertTrue(self.shop_dy.last_stock_push)
        self.douyin.state.requests.clear()
        # the listings and the stock are an hour old; the last push half an hour ago
        self.env.cr.execute("UPDATE retail_platform_product SET write_date = now() - interval '1 hour'")
        self.env.cr.execute("UPDATE stock_move SET write_date = now() - interval '1 hour'")
        self.env.invalidate_all()
        self.shop_dy.last_stock_push = self.env.cr.now() - timedelta(minutes=30)
        # the reservation of an order changes the cola of store A only
        self.place(self.shop_dy, lines=[(COLA_BARCODE, 3, 3.0)])
        self.process()
        self.shop_dy._push_stock()
        self.assertEqual(self.douyin.state.stock("DY-A"), {COLA_BARCODE: 7.0})
        self.douyin.state.requests.clear()
        self.shop_dy.last_stock_push = fields.Datetime.now() + timedelta(minutes=1)
        self.shop_dy._push_stock()
        self.assertFalse(self.douyin.state.received("/stock/update"), "nothing changed, nothing sent")

    def test_a_failed_push_is_sent_again_next_time(self):
        self.douyin.state.fail_next = 1
        self.shop_dy._push_stock(full=True)
        self.assertFalse(self.shop_dy.last_stock_push)
        log = self.env["retail.platform.log"].search([("kind", "=", "stock")])
        self.assertEqual(log.outcome, "refused")
        self.shop_dy._push_stock()
        self.assertTrue(self.shop_dy.last_stock_push)
        self.assertEqual(self.douyin.state.stock("DY-A"), {"DY-CHIPS": 10.0, COLA_BARCODE: 10.0})

    def test_the_store_of_the_shop_only(self):
        self.place(self.shop_mt, lines=[("MT-CHIPS", 4, 8.0)])
        self.process()
        self.shop_dy.action_full_stock_resync()
        self.shop_mt.action_full_stock_resync()
        self.assertEqual(self.douyin.state.stock("DY-A")["DY-CHIPS"], 10.0)
        self.assertEqual(self.meituan.state.stock("MT-B"), {"MT-CHIPS": 6.0})
