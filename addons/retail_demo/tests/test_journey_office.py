import datetime

from odoo.tests import tagged

from .common import RetailDemoCase

REVIEW_DAYS = 7
OPEN_REVIEW_STATES = ("new", "investigating")
RECEIPT_STATES = ("confirmed", "assigned")


@tagged("post_install", "-at_install")
class TestJourneyOffice(RetailDemoCase):
    """The office's first morning on the demo chain: what each role sees, figure by figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yesterday = cls.store_yesterday(cls.s01)
        cls._make_sure_the_week_has_review_items()

    @classmethod
    def _make_sure_the_week_has_review_items(cls):
        """The week's scan finds anomalies or not depending on the simulated days: give each of
        the first two stores one, as the scan would, so that the store wall has something to hide."""
        Item = cls.env["retail.review.item"]
        rule = cls.env["retail.anomaly.rule"].search([], limit=1)
        for store in cls.s01 | cls.s02:
            if not Item.search_count([("retail_store_id", "=", store.id), ("date", ">", cls.week_start()),
                                      ("state", "in", OPEN_REVIEW_STATES)]):
                Item.create({"rule_id": rule.id, "retail_store_id": store.id, "date": cls.yesterday,
                             "value": 12.0, "baseline": 1.0, "threshold": rule.threshold})

    @classmethod
    def week_start(cls):
        return cls.yesterday - datetime.timedelta(days=REVIEW_DAYS)

    # ------------------------------------------------------------------ store manager

    def _manager_expected(self):
        s01 = self.s01
        yesterday_orders = self.store_orders(s01, self.yesterday, self.yesterday)
        self.assertTrue(yesterday_orders, "the history ends with yesterday's tickets")
        month_orders = self.store_orders(s01, self.yesterday - datetime.timedelta(days=27), self.yesterday)
        yesterday_sales = sum(yesterday_orders.lines.mapped("price_subtotal"))
        pack = self.env["retail.close.pack"].search([("retail_store_id", "=", s01.id), ("date", "=", self.yesterday)])
        self.assertEqual(len(pack), 1, "yesterday's close pack of S01 is built")
        reviews = self.env["retail.review.item"].search([
            ("retail_store_id", "=", s01.id), ("state", "in", OPEN_REVIEW_STATES)])
        self.assertTrue(self.env["retail.review.item"].search_count([
            ("retail_store_id", "=", self.s02.id), ("state", "in", OPEN_REVIEW_STATES)]))
        receipts = self.env["stock.picking"].search([
            ("picking_type_code", "=", "incoming"), ("state", "in", RECEIPT_STATES),
            ("location_dest_id", "child_of", s01.view_location_id.id)])
        supplier_receipt = receipts.filtered(lambda picking: picking.origin == "PO/DEMO/0001")
        self.assertEqual(len(supplier_receipt), 1, "the supplier's delivery waits at S01")
        move = supplier_receipt.move_ids.filtered(
            lambda m: m.product_id.tracking == "none" and m.product_id.barcode)[:1]
        stocktake = self.env["retail.stocktake"].search([("retail_store_id", "=", s01.id), ("state", "=", "counting")])
        self.assertEqual(len(stocktake), 1, "S01 is counting one category")
        return {
            "store": s01.name,
            "other_store": self.s02.name,
            "sales_28_days": round(sum(month_orders.lines.mapped("price_subtotal")), 2),
            "sales_yesterday": round(yesterday_sales, 2),
            "pack_name": f"{s01.name} {self.yesterday.isoformat()}",
            "pack_sales_text": self.money(yesterday_sales),
            "pack_tickets": len(yesterday_orders),
            "review_count": len(reviews),
            "receipt_count": len(receipts),
            "receipt_names": receipts.mapped("name"),
            "other_store_receipts": self.env["stock.picking"].search([
                ("picking_type_code", "=", "incoming"), ("state", "in", RECEIPT_STATES),
                ("location_dest_id", "child_of", self.s02.view_location_id.id)]).mapped("name"),
            "supplier_receipt": supplier_receipt.name,
            "scan_barcode": move.product_id.barcode,
            "scan_expected": int(move.product_uom_qty),
            "receipt_expected": int(sum(supplier_receipt.move_ids.mapped("product_uom_qty"))),
            "stocktake": stocktake.name,
            "stocktake_state": self.zh_selection("retail.stocktake", "state", "counting"),
        }

    def test_store_manager_first_morning(self):
        """Store manager of S01, 9:00: yesterday's sales on the dashboard and in the close pack,
        the week's review items of her store only, the goods waiting to be scanned in (one scan
        moves the count) and the stocktake being counted."""
        self.start_tour_with("/odoo", "retail_demo_office_manager", "manager", self._manager_expected())

    # ------------------------------------------------------------------ HQ dispatcher

    def _hq_expected(self):
        warehouses = self.env["stock.warehouse"].search([("retail_store_type", "!=", False)])
        quants = self.env["stock.quant"].search([
            ("location_id.usage", "=", "internal"), ("location_id.warehouse_id", "in", warehouses.ids)])
        proposal = self.env["retail.dispatch.proposal"].search([("state", "=", "approved")], limit=1)
        self.assertTrue(proposal.line_ids, "headquarters approved a dispatch this morning")
        return {
            "warehouses": sorted(warehouses.mapped("name")),
            "on_hand": round(sum(quants.mapped("quantity")), 2),
            "proposal": proposal.name,
            "proposal_state": self.zh_selection("retail.dispatch.proposal", "state", "approved"),
            "proposal_lines": len(proposal.line_ids),
        }

    def test_hq_dispatcher_first_morning(self):
        """HQ dispatcher, 10:00: the chain stock of every store and the distribution centre, and
        the dispatch approved this morning with its transfers."""
        self.start_tour_with("/odoo", "retail_demo_office_hq", "hq", self._hq_expected())

    # ------------------------------------------------------------------ finance

    def _finance_expected(self):
        session = self.env["pos.session"].search([
            ("config_id.warehouse_id", "=", self.s01.id), ("state", "=", "closed"),
            ("move_id.date", "=", self.yesterday)])
        self.assertEqual(len(session), 1, "S01's till closed yesterday with its entry")
        history = self.env["pos.order"].search([
            ("config_id.warehouse_id", "=", self.s01.id), ("session_id.state", "=", "closed")])
        plan = self.env.ref("retail_base.analytic_plan_stores")
        # the delivery platforms' orders of the night are S01's sales too, invoiced to the platforms
        platform_invoices = self.env["retail.platform.order"].search([("warehouse_id", "=", self.s01.id)]).invoice_id
        self.assertTrue(platform_invoices)
        return {
            "session_entry": session.move_id.name,
            "session_ref": session.move_id.ref,
            "session_total": round(sum(session.order_ids.mapped("amount_total")), 2),
            "liability": round(sum(self.env["retail.points.move"].search([]).mapped("value")), 2),
            "stores_plan": plan.with_context(lang="zh_CN").name,
            "store_analytic": self.s01.retail_analytic_account_id.with_context(lang="zh_CN").name,
            "store_revenue": round(sum(history.lines.mapped("price_subtotal"))
                                   + sum(platform_invoices.mapped("amount_untaxed")), 2),
        }

    def test_finance_first_morning(self):
        """Finance: the accounting dashboard as home, S01's session entry of yesterday in the
        journal, the points liability and S01's revenue through the stores' analytic plan."""
        self.start_tour_with("/odoo", "retail_demo_office_finance", "finance", self._finance_expected())
