"""The demo chain as a Chinese chain meets it on its first morning.

The base generator writes the history; the four addons add their own data to it. This addon
gives the chain Chinese books (the ``l10n_cn`` chart, prices including VAT) and the state a
store is in on an ordinary morning: the tills open since eight with this morning's sales,
goods from the distribution centre and a supplier waiting to be received by scanning, a
stocktake being counted, the week's anomalies in the review queue and yesterday's close packs
in the managers' mail. Everything after the history goes through the addons' own methods, as
the people who do it would: the morning's tickets through the till's synchronisation as the
store's cashier, the transfers through a dispatch proposal approved by headquarters.
"""

import base64
import datetime
import logging
from uuid import UUID

import pytz

from odoo import api, fields, models
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

CHART_TEMPLATE = "cn"
# Tickets of this morning: the tills opened at eight, local time.
OPENING_HOUR = 8
# China's VAT on goods: the reduced rate on farm produce and basic food
STANDARD_VAT, REDUCED_VAT = 13.0, 9.0
REDUCED_VAT_CATEGORIES = {"DAIRY", "FRESH"}
SUPPLIER_NAME = "上海鲜达食品供应链有限公司"
REVIEW_DAYS = 7


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    # ------------------------------------------------------------------ books

    @api.model
    def _setup_company(self, chain):
        result = super()._setup_company(chain)
        company = chain["company"]
        if company.chart_template != CHART_TEMPLATE and not self.env["account.move"].sudo().search_count(
                [("company_id", "=", company.id)], limit=1):
            self.env["account.chart.template"].try_loading(CHART_TEMPLATE, company, install_demo=False)
        # shelf prices in China include VAT
        company.account_price_include = "tax_included"
        with file_open("retail_demo/static/img/company_logo.png", "rb") as logo:
            company.logo = base64.b64encode(logo.read())
        return result

    @api.model
    def _product_sale_taxes(self, chain, category_code):
        """VAT included in the shelf price: 9 % on dairy and fresh food, 13 % on the rest."""
        rate = REDUCED_VAT if category_code in REDUCED_VAT_CATEGORIES else STANDARD_VAT
        Tax = self.env["account.tax"]
        return Tax.search([*Tax._check_company_domain(chain["company"]), ("type_tax_use", "=", "sale"),
                           ("amount_type", "=", "percent"), ("amount", "=", rate)], limit=1)

    # ------------------------------------------------------------------ the first morning

    @api.model
    def _retail_generate_extra(self, chain):
        result = super()._retail_generate_extra(chain)
        if not self._retail_demo_has_morning(chain):
            return result
        steps = (self._retail_demo_homes, self._retail_demo_week_review, self._retail_demo_send_packs,
                 self._retail_demo_morning_sales, self._retail_demo_goods_on_the_way,
                 self._retail_demo_supplier_receipt, self._retail_demo_stocktake, self._retail_demo_nightly_planning)
        for step in steps:
            self._run_step(chain, step)
        return result

    @api.model
    def _retail_demo_has_morning(self, chain):
        """Whether ``chain`` is a whole chain with a first morning to set up, not part of one
        (another addon's test data)."""
        return bool(chain.get("pos_configs") and chain.get("users") and "end_date" in chain)

    @api.model
    def _retail_demo_homes(self, chain):
        """Each role starts where its day starts: cashiers on the tills, store managers on their
        dashboard, the dispatcher on the dispatch proposals, marketing on the members (a login
        of its own), finance on the accounting dashboard."""
        users = chain["users"]
        ref = self.env.ref
        Users = self.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
        marketing = Users.create({
            "name": "市场部", "login": "marketing", "password": "marketing", "tz": "Asia/Shanghai",
            "lang": users["hq"].lang, "retail_store_ids": [(6, 0, chain["stores"].ids)],
            "group_ids": [(6, 0, [ref("base.group_user").id, ref("retail_base.group_retail_hq").id])],
        })
        users["marketing"] = marketing
        homes = [
            (users["cashiers"], "point_of_sale.action_pos_config_kanban"),
            (users["managers"], "retail_analytics.retail_dashboard_action"),
            (users["hq"], "retail_inventory.retail_dispatch_proposal_action"),
            (marketing, "retail_members.res_partner_action_retail_members"),
        ]
        for people, action in homes:
            people.write({"action_id": ref(action).id})

    @api.model
    def _retail_demo_week_review(self, chain):
        """The anomaly scan of every day of the last week, as the nightly job would have run it."""
        Rule = self.env["retail.anomaly.rule"].sudo()
        end = chain["end_date"]
        for back in range(REVIEW_DAYS - 1, 0, -1):
            Rule._scan(end - datetime.timedelta(days=back))
        chain["summary"]["review_items_week"] = self.env["retail.review.item"].sudo().search_count(
            [("date", ">", end - datetime.timedelta(days=REVIEW_DAYS))])

    @api.model
    def _retail_demo_send_packs(self, chain):
        """Yesterday's close packs go out to the store managers through the nightly job, which
        runs as soon as the server does: their PDF is rendered by a running server, with its
        stylesheets, and the job rebuilds the packs it sends, so nothing is sent twice."""
        cron = self.env.ref("retail_analytics.ir_cron_retail_close_pack", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        chain["summary"]["close_packs_to_send"] = self.env["retail.close.pack"].sudo().search_count(
            [("date", "=", chain["end_date"]), ("state", "!=", "sent")])

    @api.model
    def _retail_demo_nightly_planning(self, chain):
        """Last night's planning of every store, as the nightly job runs it: the week's forecast,
        its accuracy, a draft of replenishment levels for HQ, and (when the till and stock bridge
        is installed) markdown proposals for the lots that will not sell before they expire,
        waiting for the store managers."""
        if "retail.lot.markdown" in self.env:
            self._retail_demo_over_delivery(chain)
        Run = self.env["retail.nightly.run"].sudo()
        today = chain["company"]._retail_today()
        runs = Run.browse()
        for store in chain["stores"]:
            runs |= Run._retail_run(store, today)
        summary = chain["summary"]
        summary["nightly_runs_done"] = len(runs.filtered(lambda run: run.state == "done"))
        summary["replenishment_drafts"] = self.env["retail.replenishment"].sudo().search_count(
            [("origin", "=", "nightly"), ("state", "=", "draft")])
        if "retail.lot.markdown" in self.env:
            summary["markdowns_proposed"] = self.env["retail.lot.markdown"].sudo().search_count(
                [("state", "=", "proposed")])

    @api.model
    def _retail_demo_over_delivery(self, chain):
        """Yesterday evening the first store took in far more of a fresh till article than it
        sells before the lot expires, three days from now: the lot its manager marks down."""
        store = chain["stores"][:1]
        products = self.env["product.product"].sudo().search([
            ("tracking", "=", "lot"), ("use_expiration_date", "=", True), ("barcode", "!=", False),
            ("available_in_pos", "=", True), ("company_id", "in", [False, chain["company"].id])])
        products = products.filtered(lambda p: p.lst_price > 0 and p.standard_price < p.lst_price * 0.8)
        if not store or not products:
            return
        product = max(products, key=lambda p: (1 - p.standard_price / p.lst_price, -p.id))
        now = fields.Datetime.now()
        lot = self.env["stock.lot"].sudo().create({
            "name": f"{store.code}-{now:%y%m%d}-X", "product_id": product.id, "company_id": chain["company"].id,
            "expiration_date": now + datetime.timedelta(days=3),
        })
        supplier = self.env.ref("stock.stock_location_suppliers")
        move = self.env["stock.move"].sudo().create({
            "product_id": product.id, "product_uom_qty": 60, "product_uom": product.uom_id.id,
            "location_id": supplier.id, "location_dest_id": store.lot_stock_id.id,
            "company_id": chain["company"].id,
            "move_line_ids": [fields.Command.create({
                "product_id": product.id, "quantity": 60, "lot_id": lot.id,
                "location_id": supplier.id, "location_dest_id": store.lot_stock_id.id,
            })],
        })
        move._action_confirm()
        move.picked = True
        move._action_done()
        # the chain's checks read the tables: the receipt is written out at once
        self.env.flush_all()

    @api.model
    def _retail_demo_morning_window(self, company):
        """From eight this morning (local time) to a minute ago, in UTC; shorter before eight."""
        tz = pytz.timezone(company.partner_id.tz or "Asia/Shanghai")
        now = fields.Datetime.now()
        local_now = pytz.utc.localize(now).astimezone(tz)
        opening = local_now.replace(hour=OPENING_HOUR, minute=0, second=0, microsecond=0)
        if opening >= local_now:
            opening = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        start = opening.astimezone(pytz.utc).replace(tzinfo=None)
        end = now - datetime.timedelta(minutes=1)
        return start, max(end, start)

    @api.model
    def _retail_demo_morning_sales(self, chain):
        """Each store's till is open this morning, with its first tickets synchronised as the
        store's cashier sends them: through the same checks as any till."""
        company = chain["company"]
        rng = chain["rng"]
        spec = chain["data"]["spec"]
        per_store = max(3, spec["orders_per_store_day"] // 4)
        start, end = self._retail_demo_morning_window(company)
        products = chain["products"].filtered(lambda p: p.tracking == "none" and p.available_in_pos and p.lst_price > 0)
        Partner = self.env["res.partner"]
        synced = 0
        for store, config in zip(chain["stores"], chain["pos_configs"], strict=True):
            cashier = chain["store_cashiers"][store.id][:1]
            employee = self.env["hr.employee"].sudo().search([("user_id", "=", cashier.id)], limit=1)
            session = self.env["pos.session"].sudo().create({"config_id": config.id, "user_id": cashier.id})
            session.set_opening_control(session.cash_register_balance_start, "")
            session.start_at = start
            members = Partner.sudo().search(
                [("retail_is_member", "=", True), ("retail_home_store_id", "=", store.id)], limit=20)
            stocked = self._retail_demo_stocked(store, products)
            if not stocked:
                continue
            seconds = max(int((end - start).total_seconds()), per_store)
            stamps = sorted(start + datetime.timedelta(seconds=int(s))
                            for s in rng.choice(seconds, size=per_store, replace=False))
            methods = config.payment_method_ids.sorted("id")
            orders = []
            for number, stamp in enumerate(stamps, start=1):
                picked = rng.choice(len(stocked), size=min(len(stocked), int(rng.integers(1, 5))), replace=False)
                lines = []
                for index in picked.tolist():
                    product = stocked[index]
                    qty = float(rng.integers(1, 3))
                    total = company.currency_id.round(product.lst_price * qty)
                    taxes = product.taxes_id.filtered(lambda t: t.company_id == company)
                    computed = taxes.compute_all(product.lst_price, company.currency_id, qty, product=product)
                    lines.append((0, 0, {
                        "uuid": str(UUID(int=int(rng.integers(1 << 62)) << 64 | number << 8 | index % 256)),
                        "product_id": product.id, "qty": qty, "price_unit": product.lst_price, "discount": 0.0,
                        "price_subtotal": computed["total_excluded"] if taxes else total,
                        "price_subtotal_incl": computed["total_included"] if taxes else total,
                        "tax_ids": [(6, 0, taxes.ids)],
                        "full_product_name": product.display_name,
                    }))
                total = company.currency_id.round(sum(line[2]["price_subtotal_incl"] for line in lines))
                tax = company.currency_id.round(total - sum(line[2]["price_subtotal"] for line in lines))
                member = members[int(rng.integers(len(members)))] if members and rng.random() < 0.4 else Partner
                method = methods[int(rng.integers(len(methods)))] if methods else methods
                uid = str(UUID(int=int(rng.integers(1 << 62)) << 64 | session.id << 16 | number))
                stamp_string = fields.Datetime.to_string(stamp)
                orders.append({
                    "uuid": uid, "name": f"{config.name} - {number:04d}", "session_id": session.id,
                    "sequence_number": number, "pricelist_id": config.pricelist_id.id,
                    "fiscal_position_id": False, "partner_id": member.id or False,
                    "employee_id": employee.id or False, "user_id": cashier.id, "date_order": stamp_string,
                    "lines": lines,
                    "payment_ids": [(0, 0, {"amount": total, "name": stamp_string,
                                            "payment_method_id": method.id})],
                    "amount_paid": total, "amount_total": total, "amount_tax": tax, "amount_return": 0.0,
                    "state": "paid", "last_order_preparation_change": "{}",
                })
            self.env["pos.order"].with_user(cashier).with_company(company).sync_from_ui(orders)
            synced += len(orders)
        chain["summary"]["orders_this_morning"] = synced

    @api.model
    def _retail_demo_stocked(self, store, products):
        quants = self.env["stock.quant"].sudo()._read_group(
            [("location_id", "child_of", store.lot_stock_id.id), ("product_id", "in", products.ids),
             ("quantity", ">", 5)], ["product_id"])
        return [product for (product,) in quants]

    @api.model
    def _retail_demo_goods_on_the_way(self, chain):
        """Headquarters plans and approves a dispatch; the senders ship it, so the stores have
        transfers waiting to be received by scanning."""
        hq = chain["users"]["hq"]
        Proposal = self.env["retail.dispatch.proposal"].with_user(hq)
        proposal = Proposal.create({"store_ids": [(6, 0, (chain["stores"] | chain["dc"]).ids)]})
        proposal.action_plan()
        if not proposal.line_ids:
            # nothing to rebalance (a small chain): the dispatcher tops the stores up from the DC
            proposal.write({"line_ids": self._retail_demo_top_up_lines(chain)})
        if not proposal.line_ids:
            chain["summary"]["transfers_waiting"] = 0
            return
        proposal.action_approve()
        ships = proposal.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in ships.move_ids:
            move.quantity = move.product_uom_qty
        ships.move_ids.picked = True
        ships.with_context(skip_backorder=True, picking_ids_not_to_backorder=ships.ids).button_validate()
        waiting = proposal.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state == "assigned")
        chain["summary"]["transfers_waiting"] = len(waiting)

    @api.model
    def _retail_demo_top_up_lines(self, chain):
        """A few articles the DC holds without lots, a case for each store."""
        dc = chain["dc"]
        stock = self.env["stock.quant"].sudo()._read_group(
            [("location_id", "child_of", dc.lot_stock_id.id), ("lot_id", "=", False), ("quantity", ">", 0)],
            ["product_id"], ["quantity:sum"], order="product_id")
        commands = []
        for product, quantity in stock[:3]:
            case = float(min(12, int(quantity // max(len(chain["stores"]), 1))))
            if case >= 1:
                commands += [(0, 0, {"source_id": dc.id, "destination_id": store.id, "product_id": product.id,
                                     "quantity": case}) for store in chain["stores"]]
        return commands

    @api.model
    def _retail_demo_supplier_receipt(self, chain):
        """A supplier's delivery to the first store, announced and waiting to be scanned in."""
        store = chain["stores"][:1]
        supplier = self.env["res.partner"].sudo().create({
            "name": SUPPLIER_NAME, "is_company": True, "company_id": chain["company"].id,
            "city": "上海", "country_id": self.env.ref("base.cn").id,
        })
        products = chain["products"].filtered("barcode")
        fresh = products.filtered(lambda p: p.tracking == "lot")[:2] | products.filtered(
            lambda p: p.tracking == "none")[:3]
        picking_type = store.in_type_id
        receipt = self.env["stock.picking"].sudo().create({
            "partner_id": supplier.id,
            "picking_type_id": picking_type.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": store.lot_stock_id.id,
            "origin": "PO/DEMO/0001",
            "move_ids": [(0, 0, {
                "product_id": product.id, "product_uom_qty": qty, "product_uom": product.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": store.lot_stock_id.id,
            }) for product, qty in zip(fresh, (24, 12, 48, 36, 24), strict=False)],
        })
        receipt.action_confirm()
        chain["summary"]["supplier_receipts_waiting"] = len(receipt.filtered(lambda r: r.state == "assigned"))
        chain["supplier_receipt"] = receipt

    @api.model
    def _retail_demo_stocktake(self, chain):
        """The first store's manager has started counting one category and scanned a few shelves."""
        store = chain["stores"][:1]
        manager = chain["users"]["managers"].filtered(lambda user: store in user.retail_store_ids)[:1]
        quants = self.env["stock.quant"].sudo().search(
            [("location_id", "=", store.lot_stock_id.id), ("quantity", ">", 0), ("product_id.barcode", "!=", False),
             ("lot_id", "=", False)], order="product_id", limit=50)
        if not quants or not manager:
            return
        category = quants[:1].product_id.categ_id
        stocktake = self.env["retail.stocktake"].with_user(manager).create({
            "retail_store_id": store.id, "category_id": category.id,
        })
        stocktake.action_start()
        shelf = quants.filtered(lambda q: q.product_id.categ_id == category)
        for quant in shelf[:min(5, len(stocktake.line_ids) // 2)]:
            stocktake.retail_scan(quant.product_id.barcode, quant.quantity)
        chain["summary"]["stocktakes_counting"] = 1
        chain["stocktake"] = stocktake
