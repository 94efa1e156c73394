from contextlib import contextmanager
from unittest.mock import patch
from uuid import uuid4

from odoo import http
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PlatformCase


@tagged("post_install", "-at_install")
class TestCallLogOutlivesRollback(PlatformCase):
    """The call log is written on a connection of its own and committed at once: its lines stay
    when the transaction of the call they describe is rolled back.

    In test mode the registry's new cursors share the test's transaction, so these tests leave
    it: the log is then written on a real connection, read back on another one, and deleted
    afterwards. Records of the test's transaction (its shops among them) are invisible to those
    connections, so the lines logged here name no shop.
    """

    @contextmanager
    def real_cursors(self):
        """Out of test mode the registry's new cursors are real connections that commit on their
        own, as in production. The test runner holds the registry's lock while it runs the tests:
        the lock stays a dummy, and the registry is not checked against the database, so that
        the HTTP server's thread serves meanwhile. Its read-only cursors are on the database
        itself, as on a server without a replica (the tests' replica settings lead nowhere)."""
        type(self).registry_leave_test_mode()
        try:
            with patch.object(Registry, "_lock", DummyRLock()), \
                    patch.object(self.registry, "check_signaling", return_value=self.registry), \
                    patch.object(self.registry, "_db_readonly", None):
                yield
        finally:
            self.registry_enter_test_mode(register_cleanup=False)

    def committed(self, query, params):
        """Rows of ``query`` as another connection reads them: only what was committed."""
        with self.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def test_a_log_line_stays_when_the_business_transaction_fails(self):
        marker = f"ROLLBACK-{uuid4().hex[:12]}"
        Log = self.env["retail.platform.log"]
        with self.real_cursors():
            try:
                with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                    Log._write_separately({
                        "direction": "in", "kind": "webhook", "platform": "douyin", "order_ref": marker,
                        "url": "/retail_platform/webhook/douyin/DY-A", "http_status": 200, "outcome": "ok",
                    })
                    self.env["retail.platform.error"].create({
                        "kind": "processing", "platform": "douyin", "order_ref": marker, "description": "work"})
                    raise RuntimeError("the work of the call fails")
                logged = self.committed(
                    "SELECT outcome, http_status, shop_id FROM retail_platform_log WHERE order_ref = %s", [marker])
            finally:
                self.committed("DELETE FROM retail_platform_log WHERE order_ref = %s RETURNING id", [marker])
        self.assertEqual(logged, [("ok", 200, None)], "the line is committed on its own connection")
        self.assertFalse(self.env["retail.platform.error"].search([("order_ref", "=", marker)]),
                         "the business write of the same transaction is rolled back")

    @mute_logger("odoo.http")
    def test_a_refused_webhook_whose_request_fails_keeps_its_log_lines(self):
        # A forged call for a shop code nobody has: refused (404) and queued for a person, its
        # answer logged; then the request fails while answering, and its transaction rolls back.
        code = f"GONE-{uuid4().hex[:8]}"
        path = f"/retail_platform/webhook/douyin/{code}"
        description = f"unknown shop {code!r}"
        with self.real_cursors():
            try:
                with patch.object(http.Request, "make_json_response", side_effect=RuntimeError("answer lost")):
                    response, _order_id = self.place(self.shop_dy, shop_code=code, secret="not-the-secret")
                logged = self.committed("""
                    SELECT http_status, outcome, error_code, shop_id FROM retail_platform_log
                     WHERE url = %s ORDER BY id
                """, [path])
                queued = self.committed("SELECT id FROM retail_platform_error WHERE description = %s", [description])
            finally:
                self.committed("DELETE FROM retail_platform_log WHERE url = %s RETURNING id", [path])
                self.committed("DELETE FROM retail_platform_error WHERE description = %s RETURNING id", [description])
        self.assertEqual(response.status_code, 500)
        self.assertEqual(logged, [(404, "refused", "unknown_shop", None), (500, "refused", "server_error", None)],
                         "the refusal and the failure are both logged")
        self.assertEqual(queued, [], "the error queue entry went with the request's transaction")
