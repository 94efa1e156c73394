import datetime
import json

from odoo import fields
from odoo.tests import HttpCase, tagged

ZH_MODULES = ["base", "web", "point_of_sale", "pos_hr", "retail_base", "retail_pos", "retail_members",
              "retail_inventory", "retail_pos_inventory", "retail_platform"]


@tagged("post_install", "-at_install")
class TestFirstMorning(HttpCase):
    """The demo chain as its people find it on the first morning, built by the generator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.summary = cls.env["retail.chain.generator"].generate(scale="test", seed=7)
        cls.env["ir.module.module"]._load_module_terms(ZH_MODULES, ["zh_CN"], overwrite=True)
        cashier = cls.env["res.users"].search([("login", "=", "cashier")])
        # the cashier's today, in her time zone (the test's user has none: UTC)
        cls.today = fields.Date.context_today(cashier.with_context(tz=cashier.tz))
        cls.yesterday = cls.today - datetime.timedelta(days=1)
        cls.stores = cls.env["stock.warehouse"].search([("retail_store_type", "=", "store")], order="code")
        cls.s01 = cls.stores[0]
        cls.config = cls.s01.retail_pos_config_ids[:1]
        cls.cashier = cls.env["res.users"].search([("login", "=", "cashier")])

    def test_books_are_chinese_with_prices_including_vat(self):
        company = self.s01.company_id
        self.assertEqual(company.chart_template, "cn")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.account_price_include, "tax_included")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.name, "鲜选连锁超市")
        self.assertTrue(company.logo, "the receipts and reports carry the chain's logo")
        # every closed session of the history is booked on the Chinese chart
        move = self.env["pos.session"].search([("config_id", "=", self.config.id), ("state", "=", "closed")],
                                              limit=1).move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.line_ids.account_id.company_ids, company)
        self.assertTrue(all(account.code.isdigit() for account in move.line_ids.account_id))

    def test_sales_carry_the_vat_included_in_their_price(self):
        sessions = self.env["pos.session"].search([("state", "=", "closed"), ("config_id", "in",
                                                   self.stores.retail_pos_config_ids.ids)])
        rates = set()
        for session in sessions:
            orders = session.order_ids
            move = session.move_id
            tax_lines = move.line_ids.filtered(lambda line: line.display_type == "tax")
            rates |= set(tax_lines.tax_line_id.mapped("amount"))
            self.assertAlmostEqual(-sum(tax_lines.mapped("balance")), sum(orders.mapped("amount_tax")), 2)
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, 2)
            income = move.line_ids.filtered(lambda line: line.account_id.account_type == "income")
            self.assertAlmostEqual(-sum(income.mapped("balance")),
                                   sum(orders.lines.mapped("price_subtotal")), 2, session.name)
            self.assertTrue(all(line.tax_ids for line in income))
        self.assertEqual(rates, {9.0, 13.0})
        line = sessions.order_ids.lines[:1]
        tax = line.tax_ids
        self.assertTrue(tax.price_include)
        self.assertAlmostEqual(line.price_subtotal_incl - line.price_subtotal,
                               line.price_subtotal_incl * tax.amount / (100 + tax.amount), delta=0.01)
        # this morning's tickets, synchronised through the till, carry the same VAT
        morning = self.config.current_session_id.order_ids
        self.assertTrue(all(order.amount_tax > 0 for order in morning))

    def test_history_ends_yesterday_and_every_till_opened_this_morning(self):
        self.assertEqual(self.summary["end_date"], str(self.yesterday))
        last = self.env["pos.order"].search([("config_id", "=", self.config.id), ("session_id.state", "=", "closed")],
                                            order="date_order desc", limit=1)
        self.assertEqual(fields.Date.context_today(self.cashier, last.date_order), self.yesterday)
        for store in self.stores:
            config = store.retail_pos_config_ids[:1]
            session = config.current_session_id
            self.assertEqual(session.state, "opened", store.code)
            self.assertEqual(session.user_id.retail_store_ids, store)
            orders = session.order_ids
            self.assertGreaterEqual(len(orders), 3, store.code)
            self.assertTrue(all(order.state == "paid" for order in orders))
            self.assertTrue(all(order.date_order <= fields.Datetime.now() for order in orders))
            # synchronised as the store's own cashier, through the till's checks
            self.assertEqual(orders.user_id.retail_store_ids, store)
            self.assertTrue(orders.employee_id)
            self.assertAlmostEqual(sum(orders.mapped("amount_total")), sum(orders.payment_ids.mapped("amount")), 2)
        self.assertEqual(self.summary["orders_this_morning"],
                         self.env["pos.order"].search_count([("session_id.state", "=", "opened")]))

    def test_goods_wait_to_be_received_by_scanning(self):
        Picking = self.env["stock.picking"]
        waiting = Picking.search([("picking_type_code", "=", "incoming"), ("state", "=", "assigned"),
                                  ("location_dest_id", "child_of", self.stores.lot_stock_id.ids)])
        from_dc = waiting.filtered("retail_dispatch_proposal_id")
        self.assertTrue(from_dc)
        self.assertEqual(from_dc.retail_dispatch_proposal_id.state, "approved")
        # what the stores wait for has left the sender: its shipments are done
        self.assertTrue(all(move.move_orig_ids.state == "done" for move in from_dc.move_ids))
        supplier = waiting.filtered(lambda p: p.location_id == self.env.ref("stock.stock_location_suppliers"))
        self.assertEqual(supplier.picking_type_id.warehouse_id, self.s01)
        self.assertTrue(supplier.move_ids.product_id.filtered(lambda p: p.tracking == "lot"))
        self.assertEqual(self.summary["transfers_waiting"], len(from_dc))
        # the store's staff see their store's receipts, and only theirs
        seen = Picking.with_user(self.cashier).search([("id", "in", waiting.ids)])
        self.assertIn(supplier, seen)
        self.assertFalse(seen.filtered(lambda p: p.picking_type_id.warehouse_id != self.s01))

    def test_a_stocktake_is_being_counted(self):
        stocktake = self.env["retail.stocktake"].search([("retail_store_id", "=", self.s01.id)])
        self.assertEqual(stocktake.state, "counting")
        counted = stocktake.line_ids.filtered("counted")
        self.assertTrue(counted)
        self.assertTrue(stocktake.line_ids - counted, "some shelves are still to count")

    def test_the_week_is_reviewed_and_yesterdays_packs_wait_for_the_night_job(self):
        items = self.env["retail.review.item"].search([("date", ">", self.today - datetime.timedelta(days=8))])
        self.assertEqual(len(items), self.summary["review_items_week"])
        self.assertGreater(len(set(items.mapped("date"))), 1, "the scan ran over more than one day")
        packs = self.env["retail.close.pack"].search([("date", "=", self.yesterday)])
        self.assertEqual(packs.retail_store_id & self.stores, self.stores)
        cron = self.env.ref("retail_analytics.ir_cron_retail_close_pack")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id),
                                                            ("call_at", "<=", fields.Datetime.now())]))

    def test_every_role_starts_on_its_own_screen(self):
        homes = {
            "cashier": "point_of_sale.action_pos_config_kanban",
            "manager": "retail_analytics.retail_dashboard_action",
            "hq": "retail_inventory.retail_dispatch_proposal_action",
            "marketing": "retail_members.res_partner_action_retail_members",
            "finance": "account.open_account_journal_dashboard_kanban",
        }
        for login, action in homes.items():
            user = self.env["res.users"].search([("login", "=", login)])
            home = self.env.ref(action)
            self.assertEqual(user.action_id.id, home.id, login)
            self.authenticate(login, login)
            loaded = self.make_jsonrpc_request("/web/action/load", {"action_id": home.id})
            self.assertEqual(loaded["id"], home.id, login)
            model = loaded.get("res_model")
            if model:
                self.assertTrue(self.env[model].with_user(user).has_access("read"), login)

    # ------------------------------------------------------------------ the cashier's morning

    def start_tour_with(self, url, tour, login, expected):
        """Start ``tour`` with figures computed here, which its steps read from the session storage."""
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url,
                   "delayToCheckUndeterminisms": 0}
        code = (f"sessionStorage.setItem('retail_demo_expected', {json.dumps(json.dumps(expected))}); "
                f"odoo.startTour({tour!r}, {json.dumps(options)})")
        self.start_tour(url, tour, login=login, code=code, timeout=120)

    def test_cashier_sells_to_a_member_found_by_phone(self):
        """The S01 cashier logs in with the documented PIN, scans an article, finds a member
        by mobile, gets the tier price and is paid in cash; the server records the sale."""
        session = self.config.current_session_id
        employee = self.config.basic_employee_ids.filtered(lambda e: e.user_id == self.cashier)
        tiers = self.env["retail.member.tier"].search([("pricelist_id", "!=", False)])
        member = self.env["res.partner"].search([
            ("retail_is_member", "=", True), ("retail_home_store_id", "=", self.s01.id),
            ("retail_tier_id", "in", tiers.ids), ("retail_mobile", "!=", False)], limit=1)
        self.assertTrue(member, "the demo has S01 members with a tier price list")
        stocked = self.env["stock.quant"].search([
            ("location_id", "=", self.s01.lot_stock_id.id), ("quantity", ">", 3), ("lot_id", "=", False),
            ("product_id.barcode", "!=", False), ("product_id.available_in_pos", "=", True)]).product_id
        pricelist = member.retail_tier_id.pricelist_id
        product = stocked.filtered(
            lambda p: pricelist._get_product_price(p, 1.0) < p.lst_price)[:1] or stocked[:1]
        member_price = pricelist._get_product_price(product, 1.0)
        cash = self.config.payment_method_ids.filtered("is_cash_count")[:1]
        orders_before = session.order_ids
        points_before = member.retail_points_balance
        self.start_tour_with(f"/pos/ui/{self.config.id}", "RetailDemoCashierMorningTour", "cashier", {
            "cashier": employee.name, "pin": "1011", "barcode": product.barcode,
            "product": product.with_context(lang="zh_CN").name,
            "list_total": f"{product.lst_price:.2f}", "member_total": f"{member_price:.2f}",
            "phone": member.retail_mobile, "member": member.name,
            "tier": member.retail_tier_id.with_context(lang="zh_CN").name,
            "cash_method": cash.with_context(lang="zh_CN").name, "receipt_title": "小票",
        })
        order = session.order_ids - orders_before
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, member)
        self.assertEqual(order.employee_id, employee)
        self.assertEqual(order.pricelist_id, pricelist)
        self.assertAlmostEqual(order.amount_total, member_price, 2)
        self.assertEqual(order.lines.product_id, product)
        self.assertEqual(order.payment_ids.payment_method_id, cash)
        member.invalidate_recordset()
        self.assertGreater(member.retail_points_balance, points_before)

    # ------------------------------------------------------------------ a markdown, approved and sold

    def test_manager_approves_a_markdown_and_the_cashier_sells_the_lot_at_it(self):
        """Last night's job proposed markdowns for S01's lots that will not sell in time; the
        S01 manager approves one over the web client's route; the cashier scans the product,
        picks the lot and the till sells it at the markdown price, in Chinese on the line and
        the receipt; the server records that price."""
        Markdown = self.env["retail.lot.markdown"]
        proposed = Markdown.search([("store_id", "=", self.s01.id), ("state", "=", "proposed")])
        self.assertTrue(proposed, "the demo's first morning has markdowns to decide at S01")
        self.assertEqual(self.summary["markdowns_proposed"], Markdown.search_count([("state", "=", "proposed")]))
        for markdown_ in proposed:
            self.assertGreaterEqual(min(markdown_.step_ids.mapped("price")), markdown_.floor_price - 0.005)
            self.assertGreaterEqual(markdown_.qty_at_risk, 1.0)
        # The story's lot: the one S01 received too much of this morning, on its first step.
        markdown_ = proposed.filtered(lambda m: m.lot_name.endswith("-X"))
        self.assertEqual(len(markdown_), 1, "the over-delivered lot is among them")
        self.assertTrue(markdown_.product_id.barcode and markdown_.product_id.available_in_pos)
        self.assertGreater(markdown_.current_rate, 0)
        # the till asks which lot only when the store holds more than one (else it takes the one)
        lots = self.env["stock.quant"].search([
            ("product_id", "=", markdown_.product_id.id), ("location_id", "child_of", self.s01.lot_stock_id.id),
            ("quantity", ">", 0)]).lot_id
        self.assertGreater(len(lots), 1, "S01 holds other lots of the product beside the over-delivered one")
        self.authenticate("manager", "manager")
        self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.lot.markdown", "method": "action_approve", "args": [markdown_.ids], "kwargs": {}})
        self.assertEqual(markdown_.state, "approved")
        self.assertEqual(markdown_.approved_by_id.login, "manager")
        employee = self.config.basic_employee_ids.filtered(lambda e: e.user_id == self.cashier)
        cash = self.config.payment_method_ids.filtered("is_cash_count")[:1]
        session = self.config.current_session_id
        orders_before = session.order_ids
        price = markdown_.current_price
        self.start_tour_with(f"/pos/ui/{self.config.id}", "RetailDemoMarkdownTour", "cashier", {
            "cashier": employee.name, "pin": "1011", "barcode": markdown_.product_id.barcode,
            "product": markdown_.product_id.with_context(lang="zh_CN").name, "lot": markdown_.lot_name,
            "total": f"{price:.2f}", "percent": f"-{round(markdown_.current_rate * 100)}%",
            "cash_method": cash.with_context(lang="zh_CN").name,
        })
        order = session.order_ids - orders_before
        self.assertEqual(len(order), 1)
        self.assertEqual(
            [(line.product_id, line.pack_lot_ids.lot_name, line.price_unit) for line in order.lines],
            [(markdown_.product_id, markdown_.lot_name, price)])
        self.assertAlmostEqual(order.amount_total, price, 2)

    # ------------------------------------------------------------------ last night's planning

    def test_hq_finds_last_nights_planning_and_approves_a_stores_replenishment(self):
        """Every store was planned last night; HQ reads the runs in Chinese, approves S01's
        draft of replenishment levels over the web client's route, and S01's orderpoints are
        those levels; the S01 manager sees S01's run only."""
        Run = self.env["retail.nightly.run"]
        runs = Run.search([("date", "=", self.s01.company_id._retail_today())])
        self.assertEqual(runs.store_id, self.stores)
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self.assertEqual(self.summary["nightly_runs_done"], len(self.stores))
        self.assertEqual(runs[:1].with_context(lang="zh_CN").step_ids[:1].name, "需求预测")
        self.authenticate("hq", "hq")
        seen = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.nightly.run", "method": "search_read", "args": [[], ["store_id", "summary"]],
            "kwargs": {"context": {"lang": "zh_CN"}}})
        self.assertEqual({row["store_id"][0] for row in seen}, set(self.stores.ids))
        self.assertTrue(all("需求预测" in row["summary"] for row in seen))
        draft = self.env["retail.replenishment"].search(
            [("origin", "=", "nightly"), ("state", "=", "draft"), ("store_ids", "in", self.s01.ids)])
        self.assertEqual(len(draft), 1, "S01's levels from last night's forecast wait for HQ")
        self.assertEqual(self.summary["replenishment_drafts"], self.env["retail.replenishment"].search_count(
            [("origin", "=", "nightly"), ("state", "=", "draft")]))
        changed = draft.line_ids.filtered("changed")
        self.assertTrue(changed)
        self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.replenishment", "method": "action_approve", "args": [draft.ids], "kwargs": {}})
        self.assertEqual(draft.state, "approved")
        orderpoints = self.env["stock.warehouse.orderpoint"].search(
            [("warehouse_id", "=", self.s01.id), ("product_id", "in", changed.product_id.ids)])
        levels = {(op.product_id.id): (op.product_min_qty, op.product_max_qty) for op in orderpoints}
        for line in changed:
            self.assertEqual(levels[line.product_id.id], (line.min_qty, line.max_qty), line.product_id.display_name)
        self.authenticate("manager", "manager")
        own = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.nightly.run", "method": "search_read", "args": [[], ["store_id"]], "kwargs": {}})
        self.assertEqual({row["store_id"][0] for row in own}, {self.s01.id})

    # ------------------------------------------------------------------ the platforms' night

    def test_s01s_platform_orders_of_the_night_are_reserved_invoiced_and_walled(self):
        """S01 sells on 美团外卖 and 抖音团购: the night's orders are accepted, each reserved S01's
        stock and is invoiced to its platform on the platform's own receivable; the S01 manager
        finds them over the web client's route, finance too, the manager of S02 none of them."""
        orders = self.env["retail.platform.order"].search([("warehouse_id", "=", self.s01.id)])
        self.assertEqual(len(orders), 6, "three orders a platform")
        self.assertEqual(self.summary["platform_orders"], len(orders))
        self.assertEqual(set(orders.mapped("state")), {"accepted"})
        self.assertEqual(set(orders.shop_id.mapped("platform")), {"meituan", "douyin"})
        self.assertFalse(self.env["retail.platform.error"].search([]), "nothing for a person to sort out")
        for order in orders:
            self.assertEqual(order.picking_id.state, "assigned", order.name)
            self.assertEqual(order.picking_id.location_id, self.s01.lot_stock_id)
            self.assertEqual(order.picking_id.move_ids.product_id, order.line_ids.product_id)
            invoice = order.invoice_id
            self.assertEqual((invoice.state, invoice.partner_id), ("posted", order.shop_id.partner_id))
            receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
            self.assertEqual(receivable.account_id, order.shop_id.partner_id.property_account_receivable_id)
        self.assertEqual(sorted(orders.shop_id.partner_id.property_account_receivable_id.mapped("code")),
                         ["112201", "112202"], "each platform owes on an account of its own")
        fields_read = ["platform_order_ref", "warehouse_id", "state"]
        self.authenticate("manager", "manager")
        seen = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.platform.order", "method": "search_read", "args": [[], fields_read],
            "kwargs": {"context": {"lang": "zh_CN"}}})
        self.assertEqual({row["id"] for row in seen}, set(orders.ids))
        self.authenticate("finance", "finance")
        seen = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.platform.order", "method": "search_read", "args": [[], fields_read], "kwargs": {}})
        self.assertEqual({row["id"] for row in seen}, set(orders.ids))
        other = self.env["res.users"].search([("login", "=", f"manager_{self.stores[1].code.lower()}")])
        other.password = other.login
        self.authenticate(other.login, other.login)
        seen = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "retail.platform.order", "method": "search_read", "args": [[], fields_read], "kwargs": {}})
        self.assertEqual(seen, [], "another store's manager sees none of S01's platform orders")
