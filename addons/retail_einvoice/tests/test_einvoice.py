from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import APP_SECRET, COMPANY_TAX_ID, EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceIssue(EinvoiceCase):
    """Requests against the SOAP simulator: issue, red-letter, void, faults, lost answers."""

    def test_issue_blue_invoice_for_a_till_order(self):
        order = self.make_order(qty=2.0, price=100.0)
        request = self.request_for(order, buyer_kind="company", buyer_title="北京某某科技有限公司",
                                   buyer_tax_id=COMPANY_TAX_ID.lower())
        self.assertEqual((request.state, request.kind, request.channel), ("draft", "blue", "staff"))
        self.assertEqual(request.retail_store_id, self.store_a)
        self.assertEqual(request.buyer_tax_id, COMPANY_TAX_ID)
        self.assertEqual((request.amount_untaxed, request.amount_tax, request.amount_total), (200.0, 26.0, 226.0))
        self.assertEqual(request.line_ids.mapped("tax_rate"), [0.13])
        self.assertTrue(request.idempotency_key)
        before = self.issued_count()

        request.with_user(self.finance).action_issue()

        self.assertEqual(request.state, "issued")
        self.assertEqual(self.issued_count(), before + 1)
        invoice = self.simulator.state.invoices[request.invoice_number]
        self.assertEqual((invoice["code"], invoice["total"], invoice["tax"]), (request.invoice_code, 226, 26))
        self.assertEqual(invoice["buyer_tax_id"], COMPANY_TAX_ID)
        self.assertEqual(invoice["request_id"], request.idempotency_key)
        self.assertTrue(request.issued_at)
        self.assertEqual(request.pdf_attachment_id.raw[:5], b"%PDF-")
        self.assertIn(b'Kind="blue"', request.xml_attachment_id.raw)
        self.assertEqual((request.pdf_attachment_id.res_model, request.pdf_attachment_id.res_id),
                         ("retail.einvoice", request.id))
        on_order = self.env["ir.attachment"].search([("res_model", "=", "pos.order"), ("res_id", "=", order.id)])
        # Odoo stores XML uploaded by users who may not edit views as text/plain
        self.assertEqual(sorted(name.rsplit(".", 1)[1] for name in on_order.mapped("name")), ["pdf", "xml"])
        self.assertEqual(on_order.filtered(lambda attachment: attachment.name.endswith(".pdf")).raw[:5], b"%PDF-")
        log = request.sudo().log_ids
        self.assertEqual((log.operation, log.outcome, log.request_id), ("IssueInvoice", "ok", request.idempotency_key))
        self.assertGreaterEqual(log.duration_ms, 0)
        self.assertIn("226.00", log.request_xml)
        self.assertNotIn(APP_SECRET, log.request_xml)
        self.assertIn("base64 characters", log.response_xml)

    def test_orders_synchronised_together_each_get_their_link_and_the_till_reads_none(self):
        orders = self.make_order(qty=1.0) | self.make_order(qty=2.0)
        self.assertEqual(
            [order.retail_einvoice_url.endswith(order._retail_einvoice_receipt_path()) for order in orders],
            [True, True])
        config = orders.session_id.config_id[:1]
        read = orders.read_pos_data([], config)["pos.order"]
        self.assertEqual(len(read), 2)
        self.assertFalse({"retail_einvoice_url", "retail_einvoice_qr"} & set(read[0]))
        self.assertIn("amount_total", read[0])

    def test_the_till_prints_the_code_while_the_company_has_an_active_provider(self):
        config = self.sessions[self.store_a].config_id
        self.assertIn("retail_einvoice_on_receipt", self.env["res.company"]._load_pos_data_fields(config))
        self.assertTrue(self.env.company.retail_einvoice_on_receipt)
        self.provider.active = False
        self.env.company.invalidate_recordset(["retail_einvoice_on_receipt"])
        self.assertFalse(self.env.company.retail_einvoice_on_receipt, "without a provider, core's code is printed")

    def test_red_letter_credits_the_whole_invoice(self):
        request = self.request_for(self.make_order(qty=1.0, price=50.0))
        request.with_user(self.finance).action_issue()
        request.with_user(self.finance).action_red_letter()
        red = request.follow_up_ids
        self.assertEqual((red.kind, red.state, red.origin_id), ("red", "issued", request))
        self.assertEqual((red.amount_total, red.amount_tax), (-56.5, -6.5))
        self.assertNotEqual(red.idempotency_key, request.idempotency_key)
        self.assertTrue(request.is_reversed)
        self.assertEqual(request.state, "issued")
        self.assertEqual(self.simulator.state.invoices[request.invoice_number]["state"], "reversed")
        self.assertEqual(self.simulator.state.invoices[red.invoice_number]["kind"], "red")
        self.assertEqual(red.pdf_attachment_id.raw[:5], b"%PDF-")
        with self.assertRaisesRegex(UserError, "Only an issued invoice that was not credited"):
            request.with_user(self.finance).action_void()

    def test_void_an_issued_invoice(self):
        order = self.make_order()
        request = self.request_for(order)
        request.with_user(self.finance).action_issue()
        request.with_user(self.finance).action_void()
        void = request.follow_up_ids
        self.assertEqual((void.kind, void.state), ("void", "voided"))
        self.assertEqual(request.state, "voided")
        self.assertEqual(self.simulator.state.invoices[request.invoice_number]["state"], "voided")
        # a voided invoice leaves the order free for a new request
        again = self.request_for(order, buyer_title="李四")
        self.assertEqual(again.state, "draft")

    @mute_logger("odoo.addons.retail_einvoice.models.retail_einvoice")
    def test_bad_credentials_fail_then_retry_with_the_same_key(self):
        request = self.request_for(self.make_order())
        self.provider.app_secret = "wrong"
        before = self.issued_count()
        request.with_user(self.finance).action_issue()
        self.assertEqual((request.state, request.error_kind), ("failed", "fault"))
        self.assertIn("AUTH_FAILED", request.error_message)
        self.assertEqual(request.sudo().log_ids.outcome, "fault")
        self.assertEqual(request.sudo().log_ids.fault_code, "soap:Client.Authentication")
        self.assertFalse(request.retry_at, "a refusal is the provider's answer: it is not retried by itself")
        queue = self.env["retail.einvoice"].with_user(self.finance).search([("state", "=", "failed")])
        self.assertIn(request, queue)
        self.assertEqual(self.issued_count(), before)

        self.provider.app_secret = APP_SECRET
        key = request.idempotency_key
        request.with_user(self.finance).action_retry()
        self.assertEqual((request.state, request.idempotency_key, request.attempt_count), ("issued", key, 2))
        self.assertFalse(request.error_message)
        self.assertEqual(self.issued_count(), before + 1)
        self.assertEqual(request.sudo().log_ids.sorted("id").mapped("outcome"), ["fault", "ok"])

    def test_lost_answer_is_retried_by_the_job_and_issues_once(self):
        request = self.request_for(self.make_order())
        before = self.issued_count()
        # the provider issues, then holds its answer past the client's timeout
        self.simulator.state.delay_next(self.provider.timeout + 2)
        started = fields.Datetime.now().replace(microsecond=0)
        request.with_user(self.finance).action_issue()
        self.assertEqual((request.state, request.error_kind), ("failed", "timeout"))
        self.assertIn("same key", request.error_message)
        self.assertIn("sent again by itself in 1 min (call 2 of 5)", request.error_message)
        self.assertEqual(self.issued_count(), before + 1)
        self.assertFalse(request.invoice_number)
        self.assertGreaterEqual(request.retry_at, started + timedelta(minutes=1))
        self.assertLessEqual(request.retry_at, fields.Datetime.now() + timedelta(minutes=1))

        self.run_cron("retail_einvoice.ir_cron_retail_einvoice_retry")
        self.assertEqual(request.state, "failed", "the job waits for the pause to end")
        self.assertEqual([call for call in self.simulator.state.calls if call[1] == request.idempotency_key],
                         [("IssueInvoice", request.idempotency_key)])
        self.make_due(request)
        self.run_cron("retail_einvoice.ir_cron_retail_einvoice_retry")
        self.assertEqual((request.state, request.retry_at, request.attempt_count), ("issued", False, 2))
        self.assertEqual(self.issued_count(), before + 1, "the retry must not issue a second invoice")
        invoice = self.simulator.state.invoices[request.invoice_number]
        self.assertEqual(invoice["request_id"], request.idempotency_key)
        calls = [call for call in self.simulator.state.calls if call[1] == request.idempotency_key]
        self.assertEqual(calls, [("IssueInvoice", request.idempotency_key)] * 2)
        self.assertEqual(request.sudo().log_ids.sorted("id").mapped("outcome"), ["timeout", "ok"])

    def test_duplicate_request_for_an_order_is_refused(self):
        order = self.make_order()
        self.request_for(order)
        with self.assertRaisesRegex(UserError, "already has an e-invoice request"):
            self.request_for(order, buyer_title="李四")
        self.assertEqual(self.env["retail.einvoice"].search_count([("pos_order_id", "=", order.id)]), 1)

    def test_repeated_key_gets_the_earlier_answer(self):
        request = self.request_for(self.make_order())
        request.with_user(self.finance).action_issue()
        before = self.issued_count()
        operation, payload = request._payload(self.provider)
        again = self.provider._call(operation, request.idempotency_key, **payload)
        self.assertEqual(again.outcome, "ok")
        self.assertEqual((again.result["InvoiceNumber"], again.result["InvoiceCode"]),
                         (request.invoice_number, request.invoice_code))
        self.assertEqual(self.issued_count(), before)

    def test_tax_id_is_checked_and_nothing_is_written(self):
        order = self.make_order()
        for tax_id, message in (("91110000600037341X", "check character"), ("12345", "15, 18 or 20"),
                                ("91110000600037341I", "other than")):
            with self.subTest(tax_id=tax_id), self.assertRaisesRegex(ValidationError, message):
                self.request_for(order, buyer_kind="company", buyer_title="某公司", buyer_tax_id=tax_id)
        with self.assertRaisesRegex(ValidationError, "needs its tax ID"):
            self.request_for(order, buyer_kind="company", buyer_title="某公司")
        self.assertFalse(self.env["retail.einvoice"].search_count([("pos_order_id", "=", order.id)]))
        # old 15- and 20-character numbers are accepted
        self.assertTrue(self.request_for(order, buyer_kind="company", buyer_title="某公司",
                                         buyer_tax_id="110105123456789"))
        other = self.request_for(self.make_order(), buyer_kind="company", buyer_title="个体户",
                                 buyer_tax_id="11010519491231002X01")
        self.assertEqual(other.buyer_tax_id, "11010519491231002X01")

    def test_provider_malformed_tax_id_is_a_fault(self):
        operation, payload = "IssueInvoice", {
            "SellerTaxId": self.provider.seller_tax_id, "BuyerTitle": "某公司", "BuyerTaxId": "ABC",
            "TotalAmount": 0, "TotalTax": 0, "Lines": {"Line": []},
        }
        exchange = self.provider._call(operation, "malformed-tax-id", **payload)
        self.assertEqual((exchange.outcome, exchange.fault_code), ("fault", "soap:Client.InvalidTaxId"))

    def test_invoice_of_an_account_move(self):
        partner = self.env["res.partner"].create({"name": "上海某某有限公司", "vat": COMPANY_TAX_ID})
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id,
            "invoice_line_ids": [Command.create({"product_id": self.cola.id, "quantity": 3, "price_unit": 100.0,
                                                 "tax_ids": [Command.set(self.vat13.ids)]})],
        })
        move.action_post()
        with self.assertRaisesRegex(Exception, "Only finance"):
            self.env["retail.einvoice"].with_user(self.cashier_a).create(
                {"move_id": move.id, "buyer_title": "x"})
        action = move.action_retail_einvoice_request()
        request = self.env["retail.einvoice"].with_user(self.finance).with_context(**action["context"]).create(
            {"move_id": move.id, "buyer_kind": "company", "buyer_title": partner.name,
             "buyer_tax_id": partner.vat})
        self.assertEqual((request.amount_total, request.channel), (339.0, "finance"))
        request.with_user(self.finance).action_issue()
        self.assertEqual(request.state, "issued")
        on_move = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id),
                                                    ("mimetype", "=", "application/pdf")])
        self.assertEqual(on_move.raw[:5], b"%PDF-")

    def test_connection_test_needs_an_administrator(self):
        result = self.provider.action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        with self.assertRaisesRegex(Exception, "Only administrators"):
            self.provider.with_user(self.finance).action_test_connection()
        self.provider.app_secret = "wrong"
        with self.assertRaisesRegex(UserError, "AUTH_FAILED"):
            self.provider.action_test_connection()

    def test_the_job_issues_customers_requests(self):
        order = self.make_order()
        request = self.env["retail.einvoice"]._create_from_portal(order, {
            "buyer_kind": "personal", "buyer_title": "王五"})
        staff = self.request_for(self.make_order())
        self.run_cron("retail_einvoice.ir_cron_retail_einvoice_issue")
        self.assertEqual((request.state, request.channel), ("issued", "portal"))
        self.assertEqual(staff.state, "draft", "the job issues the customers' requests only")
