from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import EinvoiceCase

RETRY_CRON = "retail_einvoice.ir_cron_retail_einvoice_retry"


@tagged("post_install", "-at_install")
class TestEinvoiceRetryAndLog(EinvoiceCase):
    """The job that sends again the calls that got no answer, and the call log that outlives the
    transaction that made the call."""

    @mute_logger("odoo.addons.retail_einvoice.models.retail_einvoice")
    def test_unreachable_provider_is_retried_with_backoff_then_left_to_finance(self):
        request = self.request_for(self.make_order())
        other = self.request_for(self.make_order(), buyer_title="李四")
        # nothing listens on port 1: each call fails at once, as when the provider is down
        self.provider.wsdl_url = "http://127.0.0.1:1/?wsdl"
        (request | other).with_user(self.finance).action_issue()
        self.assertEqual((request.state, request.error_kind, request.attempt_count), ("failed", "connection", 1))

        for attempts, delay in ((1, 1), (2, 5), (3, 15), (4, 60)):
            with self.subTest(attempts=attempts):
                self.assertEqual(request.attempt_count, attempts)
                now = fields.Datetime.now()
                self.assertTrue(now.replace(microsecond=0) - timedelta(seconds=5) + timedelta(minutes=delay)
                                <= request.retry_at <= now + timedelta(minutes=delay))
                self.assertIn(f"in {delay} min (call {attempts + 1} of 5)", request.error_message)
                # not yet due: the job leaves it alone
                self.run_cron(RETRY_CRON)
                self.assertEqual(request.attempt_count, attempts)
                self.make_due(request)
                self.run_cron(RETRY_CRON)

        self.assertEqual((request.state, request.attempt_count, request.retry_at), ("failed", 5, False))
        self.assertIn("No answer after 5 calls: it is not sent again by itself", request.error_message)
        self.assertIn(request, self.env["retail.einvoice"].with_user(self.finance).search([("state", "=", "failed")]))
        self.assertEqual(request.sudo().log_ids.mapped("outcome"), ["connection"] * 5)
        self.assertEqual(set(request.sudo().log_ids.mapped("request_id")), {request.idempotency_key})
        self.make_due(request)
        self.run_cron(RETRY_CRON)
        self.assertEqual(request.attempt_count, 5, "after the last call the job leaves the request to finance")
        # the request that was never due was never sent again
        self.assertEqual((other.attempt_count, len(other.sudo().log_ids)), (1, 1))

        # finance retries by hand once the provider answers: issued, with the same key
        self.provider.wsdl_url = self.simulator.wsdl_url
        key = request.idempotency_key
        request.with_user(self.finance).action_retry()
        self.assertEqual((request.state, request.idempotency_key, request.retry_at), ("issued", key, False))

    def test_the_job_sends_due_requests_in_one_batch(self):
        requests = self.request_for(self.make_order()) | self.request_for(self.make_order(), buyer_title="李四")
        requests.sudo()._as_server().write({"state": "failed", "error_kind": "timeout", "attempt_count": 1,
                                            "retry_at": fields.Datetime.now()})
        before = self.issued_count()
        self.run_cron(RETRY_CRON)
        self.assertEqual(requests.mapped("state"), ["issued", "issued"])
        self.assertEqual(requests.mapped("attempt_count"), [2, 2])
        self.assertEqual(self.issued_count(), before + 2)

    def test_the_call_log_survives_a_rollback_of_the_transaction_that_made_the_call(self):
        # As the administrator: the test's other users exist only in the test's transaction, which
        # the log's own connection cannot see.
        request = self.env["retail.einvoice"].browse(self.request_for(self.make_order()).id)
        key = request.idempotency_key
        before = self.issued_count()
        # Out of test mode the registry's new cursors are real connections that commit on their own,
        # as in production: the log is written on one of them while the call's transaction (a
        # savepoint of the test's) rolls back.
        type(self).registry_leave_test_mode()
        try:
            savepoint = self.env.cr.savepoint()
            request._send()
            self.assertEqual(request.state, "issued")
            savepoint.close(rollback=True)
            with self.registry.cursor() as cr:
                cr.execute("SELECT operation, outcome FROM retail_einvoice_log WHERE request_id = %s", [key])
                committed = cr.fetchall()
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM retail_einvoice_log WHERE request_id = %s", [key])
            self.registry_enter_test_mode(register_cleanup=False)
        self.env.invalidate_all()
        self.assertEqual(committed, [("IssueInvoice", "ok")], "the call is logged though its transaction rolled back")
        self.assertEqual((request.state, request.invoice_number), ("draft", False))
        self.assertEqual(self.issued_count(), before + 1, "the provider did issue: the log is the trace of it")
