from contextlib import ExitStack

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestApprovalConcurrency(TransactionCase):
    """Two approvals taking the last units of one product, in two real database transactions.

    The test transaction of Odoo cannot show this: both approvals would share it. This test
    commits its own product and stock (and removes them at the end), then runs the availability
    check of two approvals on two connections of their own, as two requests would.
    """

    def setUp(self):
        super().setUp()
        self.connection = db_connect(self.env.cr.dbname)
        stack = ExitStack()
        self.addCleanup(stack.close)
        self.cursors = [stack.enter_context(self.connection.cursor()) for _index in range(3)]
        for cursor in self.cursors:
            # never hang the test run on a lock held by another test's transaction
            cursor.execute("SET lock_timeout = '5s'")
        setup = self._env(0)
        self.warehouse_id = setup.ref("stock.warehouse0").id
        self.product_id = setup["product.product"].create({"name": "Last Ten Units", "is_storable": True}).id
        warehouse = setup["stock.warehouse"].browse(self.warehouse_id)
        setup["stock.quant"]._update_available_quantity(
            setup["product.product"].browse(self.product_id), warehouse.lot_stock_id, 10)
        self.cursors[0].commit()
        self.addCleanup(self._remove_committed_records)

    def _env(self, index):
        return api.Environment(self.cursors[index], SUPERUSER_ID, {})

    def _remove_committed_records(self):
        for other in self.cursors:
            other.rollback()
        cursor = self.cursors[0]
        cursor.execute("DELETE FROM stock_quant WHERE product_id = %s", [self.product_id])
        self._env(0)["product.product"].browse(self.product_id).product_tmpl_id.unlink()
        cursor.commit()

    def _approval(self, index):
        """The availability check an approval of 10 units makes, in transaction ``index``."""
        env = self._env(index)
        line = env["retail.dispatch.proposal.line"].new({
            "source_id": self.warehouse_id, "product_id": self.product_id, "quantity": 10, "reason": "manual",
        })
        env["retail.dispatch.proposal"]._retail_lock_and_check_availability(line)
        return env

    def test_second_approval_waits_for_the_first_then_cannot_take_the_same_units(self):
        first = self._approval(1)
        # the first approval holds the lock on the quants until it commits: the second waits
        self.cursors[2].execute("SET lock_timeout = '200ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
            self._approval(2)
        self.cursors[2].rollback()
        # the second request has started reading when the first reserves the units and commits
        self.cursors[2].execute("SELECT 1")
        first["stock.quant"]._update_reserved_quantity(
            first["product.product"].browse(self.product_id),
            first["stock.warehouse"].browse(self.warehouse_id).lot_stock_id, 10)
        self.cursors[1].commit()
        # its lock now meets a row changed since its snapshot: Odoo retries such a request...
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
            self._approval(2)
        self.cursors[2].rollback()
        # ...and the retry sees the reservation of the first approval: nothing is left to take
        with self.assertRaisesRegex(UserError, r"has 0 of Last Ten Units available, 10 are planned"):
            self._approval(2)
