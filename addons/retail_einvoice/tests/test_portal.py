import re
from urllib.parse import urlencode
from uuid import uuid4

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import COMPANY_TAX_ID, EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoicePortal(EinvoiceCase, HttpCase):
    """The customer's page behind the receipt's QR code, over real HTTP, without a login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.make_order()

    def page(self, token=None, order=None):
        order = order or self.order
        return self.url_open(f"/einvoice/pos/{order.id}?access_token={token or order.access_token}")

    def submit(self, token=None, **fields):
        page = self.page(token)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        data = {"csrf_token": csrf[1] if csrf else "", **fields}
        return self.url_open(f"/einvoice/pos/{self.order.id}?access_token={token or self.order.access_token}",
                             data=data)

    def requests(self):
        return self.env["retail.einvoice"].search([("pos_order_id", "=", self.order.id)])

    def receipt(self, reference, token):
        """What a phone does with the receipt's QR code, without following the answer."""
        return self.url_open(f"/einvoice/ticket?{urlencode({'ref': reference, 'access_token': token})}",
                             allow_redirects=False)

    def test_the_order_shows_the_receipts_link_and_qr_code(self):
        self.assertEqual(len(self.order.access_token), 36)
        self.assertTrue(self.order.retail_einvoice_url.endswith(
            f"/einvoice/ticket?ref={self.order.pos_reference}&access_token={self.order.access_token}"))
        self.assertTrue(self.order.retail_einvoice_qr)

    def test_the_receipts_link_leads_to_the_page_of_its_order(self):
        response = self.receipt(self.order.pos_reference, self.order.access_token)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self.order._retail_einvoice_path()))
        page = self.url_open(self.order.retail_einvoice_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="buyer_title"', page.text)
        self.assertIn(self.order.pos_reference, page.text)

    @mute_logger("odoo.http")
    def test_wrong_receipt_codes_find_nothing_and_say_nothing(self):
        other_store = self.make_order(self.store_b)
        shared = self.make_order()
        twin = self.make_order()
        # a till that gave two of its orders the same token proves neither
        twin.write({"access_token": shared.access_token})
        attempts = {
            "wrong token": (self.order.pos_reference, str(uuid4())),
            "token of another receipt": (self.order.pos_reference, shared.access_token),
            "other store's order with this receipt's token": (other_store.pos_reference, self.order.access_token),
            "this receipt's number with another store's token": (self.order.pos_reference, other_store.access_token),
            "short token": (self.order.pos_reference, self.order.access_token[:8]),
            "empty token": (self.order.pos_reference, ""),
            "no receipt number": ("", self.order.access_token),
            "an order not on the server (yet)": ("00000000-1-000001", str(uuid4())),
            "token shared by two orders": (shared.pos_reference, shared.access_token),
        }
        answers = set()
        for name, (reference, token) in attempts.items():
            with self.subTest(name):
                response = self.receipt(reference, token)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Location", response.headers)
                self.assertNotIn("226.00", response.text)
                self.assertIn("cannot be found", response.text)
                answers.add(re.sub(r'csrf_token: "[^"]*"', "", response.text))
        self.assertEqual(len(answers), 1, "an unknown receipt and a wrong code get the same answer")
        self.assertFalse(self.env["retail.einvoice"].search_count(
            [("pos_order_id", "in", (self.order | other_store | shared | twin).ids)]))

    def test_the_receipts_link_asked_twice_makes_one_request(self):
        page = self.url_open(self.order.retail_einvoice_url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        data = {"csrf_token": csrf, "buyer_kind": "personal", "buyer_title": "张三"}
        first = self.url_open(page.url, data=data)
        self.assertIn("o_retail_einvoice_done", first.text)
        again = self.url_open(page.url, data={**data, "buyer_title": "李四"})
        self.assertIn("already requested", again.text)
        self.assertEqual(self.requests().mapped("buyer_title"), ["张三"])

    def test_good_token_shows_the_form(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="buyer_title"', response.text)
        self.assertIn("226.00", response.text)

    @mute_logger("odoo.http")
    def test_wrong_token_shows_nothing_and_writes_nothing(self):
        for token in ("wrong", self.make_order().access_token):
            response = self.page(token)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("buyer_title", response.text)
            self.assertNotIn("226.00", response.text)
        response = self.url_open(f"/einvoice/pos/{self.order.id}?access_token=wrong",
                                 data={"buyer_title": "张三", "buyer_kind": "personal"})
        self.assertIn(response.status_code, (400, 404))
        self.assertFalse(self.requests())

    def test_request_is_created_once_and_replays_are_rejected(self):
        response = self.submit(buyer_kind="company", buyer_title="北京某某科技有限公司", buyer_tax_id=COMPANY_TAX_ID,
                               amount_total="1", retail_store_id=str(self.store_b.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_retail_einvoice_done", response.text)
        request = self.requests()
        self.assertEqual((request.channel, request.state, request.buyer_tax_id), ("portal", "draft", COMPANY_TAX_ID))
        self.assertEqual((request.amount_total, request.retail_store_id), (226.0, self.store_a),
                         "the amounts and the store come from the order, never from the form")
        # the same form posted again, as a replay would
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.page().text)
        self.assertIsNone(csrf, "a receipt with a request shows no form")
        page = self.url_open(f"/einvoice/pos/{self.order.id}?access_token={self.order.access_token}",
                             data={"csrf_token": self._csrf(), "buyer_title": "李四", "buyer_kind": "personal"})
        self.assertIn("already requested", page.text)
        self.assertEqual(len(self.requests()), 1)
        self.assertEqual(self.requests().buyer_title, "北京某某科技有限公司")

    def test_bad_tax_id_is_explained_and_nothing_written(self):
        response = self.submit(buyer_kind="company", buyer_title="某公司", buyer_tax_id="91110000600037341X")
        self.assertIn("o_retail_einvoice_error", response.text)
        self.assertIn("check character", response.text)
        self.assertIn('value="某公司"', response.text)
        self.assertFalse(self.requests())

    def _csrf(self):
        page = self.url_open(f"/einvoice/pos/{self.make_order().id}?access_token=none")
        found = re.search(r'csrf_token: "([^"]+)"', page.text)
        return found[1] if found else ""
