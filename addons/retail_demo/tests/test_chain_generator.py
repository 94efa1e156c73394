import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools import chain_catalogue, chain_data, chain_spec

SEED = 7


@tagged("post_install", "-at_install")
class TestChainGenerator(TransactionCase):
    """The ``test`` scale built once for the class, then checked against its plain data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalogue_before = cls._catalogue()
        cls.summary = cls.env["retail.chain.generator"].generate(scale="test", seed=SEED)
        cls.spec = chain_spec.SCALES["test"]
        end = cls.env["retail.chain.generator"]._history_end_date()
        cls.first_weekday = end.fromordinal(end.toordinal() - cls.spec["days"] + 1).weekday()
        cls.plain = chain_data.build_chain_data(cls.spec, SEED, first_weekday=cls.first_weekday)
        cls.stores = cls.env["stock.warehouse"].search([("retail_store_type", "=", "store")], order="code")
        cls.dc = cls.env["stock.warehouse"].search([("retail_store_type", "=", "dc")])
        cls.configs = cls.env["pos.config"].search([("warehouse_id", "in", cls.stores.ids)])
        # the history's sessions (an addon may open today's tills on top of it)
        cls.sessions = cls.env["pos.session"].search([("config_id", "in", cls.configs.ids), ("state", "=", "closed")])
        cls.orders = cls.env["pos.order"].search([("session_id", "in", cls.sessions.ids)])
        cls.mobile_field = cls.env["retail.chain.generator"]._member_mobile_field()

    @classmethod
    def _catalogue(cls):
        """Constraints and indexes of the tables the generator loads in bulk.

        Index predicates are compared by name, uniqueness and columns: PostgreSQL prints a
        rebuilt predicate in an equivalent but not always identical form.
        """
        tables = cls.env["retail.chain.generator"]._bulk_tables()
        cls.env.cr.execute("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = ANY(%s::regclass[])
             UNION ALL
            SELECT x.indrelid::regclass::text, c.relname, x.indisunique::text || ' ' || x.indkey::text
              FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
             WHERE x.indrelid = ANY(%s::regclass[])""", [tables, tables])
        return sorted(cls.env.cr.fetchall())

    def test_constraints_and_indexes_are_back_after_the_bulk_load(self):
        self.assertEqual(self._catalogue(), self.catalogue_before)

    def _one(self, query, params=None):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchone()

    def test_same_seed_gives_the_same_chain(self):
        self.assertEqual(self.summary["fingerprint"], chain_data.fingerprint(self.plain))
        again = chain_data.build_chain_data(self.spec, SEED, first_weekday=self.first_weekday)
        self.assertEqual(chain_data.fingerprint(again), self.summary["fingerprint"])
        other = chain_data.build_chain_data(self.spec, SEED + 1, first_weekday=self.first_weekday)
        self.assertNotEqual(chain_data.fingerprint(other), self.summary["fingerprint"])

    def test_database_matches_the_plain_data(self):
        plain = chain_data.summarize(self.plain)
        history = self.plain["history"]
        self.assertEqual(len(self.orders), plain["orders"])
        self.assertEqual(self.summary["orders"], plain["orders"])
        lines = self.env["pos.order.line"].search([("order_id", "in", self.orders.ids)])
        self.assertEqual(len(lines), plain["order_lines"])
        self.assertEqual(int(sum(lines.mapped("qty"))), plain["units_sold"])
        self.assertAlmostEqual(sum(self.orders.mapped("amount_total")), plain["revenue_cents"] / 100.0, places=2)
        members = self._members_with_mobile()
        self.assertEqual(sorted(members.mapped(self.mobile_field)), sorted(self.plain["members"]["phone"]))
        products = self.env["product.product"].search([("default_code", "=like", "P%"), ("barcode", "!=", False)])
        self.assertEqual(sorted(products.mapped("barcode")), sorted(p["barcode"] for p in self.plain["products"]))
        lots = self.env["stock.lot"].search([("product_id", "in", products.ids)])
        # one lot per delivery of the history, and the first morning's over-delivery
        self.assertEqual(len(lots), len(history["lots"]) + 1)

    def test_sizes_of_the_test_scale(self):
        self.assertEqual(len(self.stores), 2)
        self.assertEqual(self.stores.mapped("code"), ["S01", "S02"])
        self.assertEqual(self.dc.code, "DC")
        self.assertTrue(all(self.stores.mapped("retail_region_id")))
        self.assertTrue(all(self.stores.mapped("retail_analytic_account_id")))
        for store in self.stores:
            self.assertEqual(len(store.retail_pos_config_ids), 1)
        self.assertEqual(self.summary["products"], 30)
        self.assertEqual(self.summary["members"], 50)
        self.assertEqual(len(self.sessions), 2 * 14)
        self.assertEqual(self.summary["days"], 14)
        perishables = self.env["product.product"].search([("default_code", "=like", "P%"), ("tracking", "=", "lot")])
        self.assertTrue(perishables)
        self.assertTrue(all(perishables.mapped("use_expiration_date")))
        self.assertTrue(all(p.expiration_time > 0 for p in perishables))

    def test_names_in_chinese_and_english(self):
        product = self.env["product.product"].search([("default_code", "=", "P00001")])
        plain = self.plain["products"][0]
        self.assertEqual(product.with_context(lang="en_US").name, plain["name_en"])
        self.assertEqual(product.with_context(lang="zh_CN").name, plain["name_zh"])

    def test_names_that_are_not_translated_are_chinese_and_the_others_both(self):
        categories = self.env["product.category"].search([("parent_id.name", "=", "零售")])
        self.assertEqual(sorted(categories.mapped("name")), sorted(zh for _c, zh, *_r in chain_catalogue.CATEGORIES))
        cash = self.stores[0].retail_pos_config_ids.payment_method_ids.journal_id.filtered(
            lambda journal: journal.type == "cash")
        self.assertEqual((cash.with_context(lang="zh_CN").name, cash.with_context(lang="en_US").name),
                         ("S01 现金", "S01 Cash"))
        staff = self.env["res.users"].search([("login", "in", ["hq", "finance", "manager", "manager_s02", "cashier"])])
        self.assertEqual(staff.sorted("login").mapped("name"), ["李秀英", "财务部", "总部调度", "王建华", "张志强"])

    def test_barcodes_are_valid_ean13_and_phones_unique(self):
        products = self.env["product.product"].search([("default_code", "=like", "P%")])
        self.assertEqual(len(products), 30)
        for barcode in products.mapped("barcode"):
            self.assertTrue(chain_data.is_valid_ean13(barcode), barcode)
        members = self._members_with_mobile()
        phones = members.mapped(self.mobile_field)
        self.assertEqual(len(phones), len(set(phones)))
        self.assertTrue(all(chain_data.is_valid_mobile(phone) for phone in phones))

    def _members_with_mobile(self):
        """The generated members, by their number in the field the generator writes it to."""
        return self.env["res.partner"].search([("ref", "=like", "M%"), (self.mobile_field, "!=", False)])

    def test_sessions_closed_one_per_store_and_day_with_done_orders(self):
        self.assertEqual(set(self.sessions.mapped("state")), {"closed"})
        self.assertEqual(set(self.orders.mapped("state")), {"done"})
        self.assertEqual(
            self._one("""SELECT count(*) FROM (SELECT config_id, start_at::date FROM pos_session
                          WHERE id = ANY(%s) GROUP BY 1, 2 HAVING count(*) > 1) d""", [self.sessions.ids])[0], 0)
        for session in self.sessions[:3]:
            self.assertTrue(session.order_ids)
            self.assertEqual(session.config_id.warehouse_id.retail_store_type, "store")

    def test_order_totals_equal_lines_and_payments(self):
        bad_lines = self._one("""
            SELECT count(*) FROM pos_order o
              JOIN (SELECT order_id, sum(price_subtotal) s, sum(price_subtotal_incl) si FROM pos_order_line
                     GROUP BY 1) l ON l.order_id = o.id
             WHERE o.id = ANY(%s) AND (o.amount_total <> l.si OR o.amount_total - o.amount_tax <> l.s)""",
                              [self.orders.ids])[0]
        self.assertEqual(bad_lines, 0)
        bad_payments = self._one("""
            SELECT count(*) FROM pos_order o
              LEFT JOIN (SELECT pos_order_id, sum(amount) a FROM pos_payment GROUP BY 1) p ON p.pos_order_id = o.id
             WHERE o.id = ANY(%s) AND (p.a IS DISTINCT FROM o.amount_total OR o.amount_paid <> o.amount_total)""",
                                 [self.orders.ids])[0]
        self.assertEqual(bad_payments, 0)
        order = self.orders[0]
        self.assertAlmostEqual(order.amount_total, sum(order.lines.mapped("price_subtotal_incl")), places=2)
        self.assertAlmostEqual(sum(order.payment_ids.mapped("amount")), order.amount_total, places=2)

    def test_stock_on_hand_agrees_with_the_moves(self):
        locations = (self.stores | self.dc).mapped("lot_stock_id")
        self.env.cr.execute("""
            WITH moved AS (
                SELECT l.id loc, ml.product_id, coalesce(ml.lot_id, 0) lot,
                       sum(CASE WHEN ml.location_dest_id = l.id THEN ml.quantity ELSE -ml.quantity END) qty
                  FROM stock_move_line ml JOIN stock_location l ON l.id IN (ml.location_id, ml.location_dest_id)
                 WHERE ml.state = 'done' AND l.id = ANY(%(locs)s) GROUP BY 1, 2, 3),
            onhand AS (
                SELECT location_id loc, product_id, coalesce(lot_id, 0) lot, sum(quantity) qty FROM stock_quant
                 WHERE location_id = ANY(%(locs)s) GROUP BY 1, 2, 3)
            SELECT loc, product_id, lot, moved.qty, onhand.qty FROM moved FULL JOIN onhand USING (loc, product_id, lot)
             WHERE coalesce(moved.qty, 0) <> coalesce(onhand.qty, 0)""", {"locs": locations.ids})
        mismatches = self.env.cr.fetchall()
        self.assertEqual(mismatches, [], "(location, product, lot, moved, on hand)")
        # no shelf below zero (a receipt Odoo validates leaves the vendors' location negative, as always)
        self.assertEqual(self._one("""
            SELECT count(*) FROM stock_quant quant JOIN stock_location loc ON loc.id = quant.location_id
             WHERE quant.quantity < 0 AND loc.usage = 'internal'""")[0], 0)
        # the ORM sees the same stock
        store = self.stores[0]
        product = self.env["product.product"].search([("default_code", "=", "P00001")])
        quants = self.env["stock.quant"].search([
            ("location_id", "=", store.lot_stock_id.id), ("product_id", "=", product.id)])
        self.assertEqual(product.with_context(location=store.lot_stock_id.id).qty_available,
                         sum(quants.mapped("quantity")))

    def test_sales_leave_the_store_to_the_customer(self):
        customer = self.env.ref("stock.stock_location_customers")
        moves = self.env["stock.move"].search([("picking_id.pos_session_id", "in", self.sessions.ids)])
        self.assertEqual(set(moves.mapped("location_dest_id")), {customer})
        self.assertEqual(set(moves.mapped("location_id")), set(self.stores.mapped("lot_stock_id")))
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(int(sum(moves.mapped("quantity"))), chain_data.summarize(self.plain)["units_sold"])
        lot_lines = moves.move_line_ids.filtered("lot_id")
        self.assertTrue(lot_lines)
        self.assertTrue(all(line.lot_id.product_id == line.product_id for line in lot_lines))

    def test_lots_with_expiry_in_the_stores_some_near_expiry(self):
        quants = self.env["stock.quant"].search([
            ("location_id", "in", self.stores.mapped("lot_stock_id").ids), ("lot_id", "!=", False)])
        self.assertTrue(quants)
        self.assertTrue(all(quants.mapped("lot_id.expiration_date")))
        end = self.env["retail.chain.generator"]._history_end_date()
        near = quants.filtered(lambda q: (q.lot_id.expiration_date.date() - end).days <= 3)
        self.assertTrue(near)

    def test_every_closed_session_has_a_posted_balanced_entry(self):
        for session in self.sessions:
            move = session.move_id
            self.assertTrue(move, session.name)
            self.assertEqual(move.state, "posted")
            self.assertAlmostEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")), places=2)
            self.assertAlmostEqual(move.amount_total, sum(session.order_ids.mapped("amount_total")), places=2)
            self.assertEqual(move.date, session.stop_at.date())
            self.assertEqual(move.journal_id, session.config_id.journal_id)
            # the sales carry the store's analytic account: finance gets a P&L per store
            store_account = session.config_id.warehouse_id.retail_analytic_account_id
            income = move.line_ids.filtered(lambda line: line.credit and line.display_type != "tax")
            self.assertEqual(income.mapped("analytic_distribution"), [{str(store_account.id): 100.0}] * len(income))
            taxes = move.line_ids.filtered(lambda line: line.display_type == "tax")
            self.assertAlmostEqual(sum(taxes.mapped("credit")), sum(session.order_ids.mapped("amount_tax")), places=2)
            # the P&L per store counts the sales net of the tax they include
            self.assertAlmostEqual(sum(income.analytic_line_ids.mapped("amount")),
                                   move.amount_total - sum(taxes.mapped("credit")), places=2)

    def test_logins_for_each_role(self):
        Users = self.env["res.users"]
        hq = Users.search([("login", "=", "hq")])
        self.assertTrue(hq.has_group("retail_base.group_retail_hq"))
        self.assertTrue(hq.has_group("stock.group_stock_manager"))
        manager = Users.search([("login", "=", "manager")])
        self.assertTrue(manager._retail_is_manager_of(self.stores[0]))
        self.assertFalse(manager._retail_is_manager_of(self.stores[1]))
        self.assertTrue(Users.search([("login", "=", "manager_s02")])._retail_is_manager_of(self.stores[1]))
        cashier = Users.search([("login", "=", "cashier")])
        self.assertEqual(cashier.retail_store_ids, self.stores[0])
        self.assertFalse(cashier.has_group("retail_base.group_retail_manager"))
        finance = Users.search([("login", "=", "finance")])
        self.assertTrue(finance.has_group("account.group_account_manager"))
        # finance's day: journal items, the points liability and cash drops (readonly accounting),
        # the P&L per store (analytic accounts), starting on the accounting dashboard
        self.assertTrue(finance.has_group("account.group_account_readonly"))
        self.assertTrue(finance.has_group("analytic.group_analytic_accounting"))
        self.assertEqual(finance.action_id.id, self.env.ref("account.open_account_journal_dashboard_kanban").id)
        self.assertFalse(finance.has_group("retail_base.group_retail_staff"))
        cashier.with_user(cashier)._check_credentials(
            {"type": "password", "password": "cashier"}, {"interactive": False})

    def test_a_second_run_is_refused(self):
        with self.assertRaisesRegex(UserError, "already generated"):
            self.env["retail.chain.generator"].generate(scale="test", seed=SEED)

    def test_unknown_scale_is_refused(self):
        with self.assertRaisesRegex(UserError, "Unknown scale huge"):
            self.env["retail.chain.generator"].generate(scale="huge", seed=SEED)


@tagged("post_install", "-at_install")
class TestChainGeneratorAccess(TransactionCase):
    def test_history_ends_on_the_stores_yesterday(self):
        """At 22:00 in UTC it is already 06:00 the next morning in the stores: their yesterday
        is UTC's today, whatever time zone the user running the generator has (none here)."""
        generator = self.env["retail.chain.generator"].with_context(tz=False)
        with freeze_time("2026-03-10 22:00:00"):
            self.assertEqual(generator._history_end_date(), datetime.date(2026, 3, 10))
        with freeze_time("2026-03-10 12:00:00"):
            self.assertEqual(generator._history_end_date(), datetime.date(2026, 3, 9))

    def test_store_manager_cannot_run_the_wizard(self):
        manager = new_test_user(self.env, "retail_gen_manager", groups="retail_base.group_retail_manager")
        with self.assertRaises(AccessError):
            self.env["retail.chain.generator.wizard"].with_user(manager).create({"scale": "test", "seed": 1})
        wizard = self.env["retail.chain.generator.wizard"].create({"scale": "test", "seed": 1})
        with self.assertRaises(AccessError):
            wizard.with_user(manager).action_generate()
        hq = new_test_user(self.env, "retail_gen_hq", groups="retail_base.group_retail_hq")
        with self.assertRaisesRegex(AccessError, "Only administrators"):
            self.env["retail.chain.generator"].with_user(hq).generate(scale="test", seed=1)
        self.assertFalse(self.env["stock.warehouse"].search([("code", "=", "DC"), ("retail_store_type", "=", "dc")]))
