from odoo.tests import tagged

from .. import post_init_hook
from .common import RetailPosCase


@tagged("post_install", "-at_install")
class TestOrderSequences(RetailPosCase):
    """Two synchronisations of one till must not wait for each other on its number sequences."""

    def sequence_locks_of_sync(self, order):
        """The queries of the synchronisation that lock a row of ir_sequence."""
        with self.assertLogs("odoo.sql_db", "DEBUG") as captured:
            self.env["pos.order"].sync_from_ui([order])
            self.env.flush_all()
        return [line for line in captured.output if "ir_sequence" in line and "FOR UPDATE" in line.upper()]

    def test_till_sequences_are_postgresql_sequences(self):
        for config in (self.config_a, self.config_b):
            self.assertEqual(
                set(config._retail_till_sequences().mapped("implementation")), {"standard"}, config.name,
            )
            self.assertEqual(len(config._retail_till_sequences()), 4)

    def test_sync_locks_no_sequence_row(self):
        order = self.make_order([self.make_line(self.cola, 2), self.make_line(self.chips, 1)])
        self.assertEqual(self.sequence_locks_of_sync(order), [])
        pos_order = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(len(pos_order), 1)
        self.assertTrue(pos_order.sequence_number)
        self.assertEqual(len(set(pos_order.lines.mapped("name"))), 2)

    def test_installing_on_gapless_tills_switches_them_and_numbers_continue(self):
        sequences = self.config_b._retail_till_sequences()
        sequences.write({"implementation": "no_gap"})
        sequences.write({"number_next": 41})
        locked = self.sequence_locks_of_sync(self.make_order([self.make_line(self.cola)], session=self.session_b))
        # a gapless till locks its reference, order and line sequences (this order comes without
        # the reference a till makes itself)
        self.assertEqual(len(locked), 3, locked)
        number_before = self.config_b.order_seq_id.number_next_actual

        post_init_hook(self.env)

        self.assertEqual(set(sequences.mapped("implementation")), {"standard"})
        order = self.make_order([self.make_line(self.cola)], session=self.session_b)
        self.assertEqual(self.sequence_locks_of_sync(order), [])
        pos_order = self.env["pos.order"].search([("uuid", "=", order["uuid"])])
        self.assertEqual(pos_order.sequence_number, number_before)
