import datetime
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..report.sales_sql import cashier_day, closed_sessions, paid_lines
from ..tools.sparkline import bar_chart_svg, sparkline_svg
from ..tools.xlsx import Sheet, workbook_bytes

FIGURES = [
    "sales_amount", "ticket_count", "units", "cost_amount", "margin_amount", "discount_amount",
    "refund_amount", "refund_count", "void_count", "cash_variance", "session_count",
    "stockout_count", "near_expiry_count", "sold_product_count",
]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RetailClosePack(models.Model):
    """What a store manager needs on the desk the morning after: one record per store and
    day, plus one chain roll-up per company for HQ."""

    _name = "retail.close.pack"
    _inherit = ["retail.store.mixin", "mail.thread"]
    _description = "Daily Close Pack"
    _order = "date desc, is_chain desc, retail_store_id"

    # read in the reader's language ("Chain" is translated): a stored copy would keep the language
    # of the night job that built the pack
    name = fields.Char(compute="_compute_name", search="_search_name")
    date = fields.Date(required=True, index=True, readonly=True)
    retail_store_id = fields.Many2one(readonly=True, default=False)
    is_chain = fields.Boolean(string="Chain Roll-up", readonly=True, default=False)
    company_id = fields.Many2one("res.company", required=True, readonly=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([("draft", "Built"), ("sent", "Sent")], default="draft", readonly=True)
    sent_at = fields.Datetime(readonly=True)
    built_at = fields.Datetime(readonly=True)

    sales_amount = fields.Monetary(string="Sales", readonly=True, help="Sales without tax, refunds deducted.")
    ticket_count = fields.Integer(string="Tickets", readonly=True, help="Paid orders, refunds included.")
    units = fields.Float(readonly=True, digits="Product Unit",
                         help="Units sold, refunded units deducted.")
    cost_amount = fields.Monetary(string="Cost", readonly=True)
    margin_amount = fields.Monetary(string="Gross Margin", readonly=True)
    discount_amount = fields.Monetary(string="Discounts", readonly=True)
    refund_amount = fields.Monetary(string="Refunds", readonly=True)
    refund_count = fields.Integer(string="Refund Tickets", readonly=True)
    void_count = fields.Integer(string="Voids", readonly=True, help="Orders cancelled at the till.")
    cash_variance = fields.Monetary(readonly=True,
                                    help="Counted minus expected cash of the sessions closed that day.")
    session_count = fields.Integer(string="Sessions Closed", readonly=True)
    stockout_count = fields.Integer(string="Stockouts", readonly=True)
    sold_product_count = fields.Integer(
        string="Products Sold Lately", readonly=True,
        help="Storable products sold in the stockout window; the stockout rate is the stockouts "
        "divided by this.")
    near_expiry_count = fields.Integer(string="Lots Near Expiry", readonly=True)
    average_basket = fields.Monetary(compute="_compute_ratios")
    units_per_basket = fields.Float(compute="_compute_ratios", digits=(16, 2))
    margin_rate = fields.Float(string="Margin %", compute="_compute_ratios", digits=(16, 1))

    line_ids = fields.One2many("retail.close.pack.line", "pack_id", readonly=True)
    cashier_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                       domain=[("kind", "=", "cashier")], readonly=True)
    top_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                   domain=[("kind", "=", "top")], readonly=True)
    bottom_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                      domain=[("kind", "=", "bottom")], readonly=True)
    stockout_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                        domain=[("kind", "=", "stockout")], readonly=True)
    expiry_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                      domain=[("kind", "=", "expiry")], readonly=True)
    store_line_ids = fields.One2many("retail.close.pack.line", "pack_id",
                                     domain=[("kind", "=", "store")], readonly=True)
    review_item_ids = fields.Many2many("retail.review.item", compute="_compute_review_items",
                                       string="Anomalies")
    anomaly_count = fields.Integer(compute="_compute_review_items", string="Anomalies Found")
    chart_html = fields.Html(compute="_compute_chart_html", sanitize=False, string="Sales Trend")

    _store_date_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (retail_store_id, date, company_id)",
        "There is one close pack per store and day.",
    )

    @api.depends_context("lang")
    @api.depends("retail_store_id", "date", "is_chain", "company_id")
    def _compute_name(self):
        for pack in self:
            where = pack.retail_store_id.name if not pack.is_chain else self.env._("Chain %s", pack.company_id.name)
            pack.name = f"{where} {pack.date or ''}"

    def _search_name(self, operator, value):
        if operator in Domain.NEGATIVE_OPERATORS:
            return NotImplemented
        return Domain.OR(Domain(path, operator, value) for path in ("retail_store_id.name", "company_id.name"))

    @api.depends("sales_amount", "ticket_count", "units", "margin_amount")
    def _compute_ratios(self):
        for pack in self:
            pack.average_basket = pack.sales_amount / pack.ticket_count if pack.ticket_count else 0.0
            pack.units_per_basket = pack.units / pack.ticket_count if pack.ticket_count else 0.0
            pack.margin_rate = 100.0 * pack.margin_amount / pack.sales_amount if pack.sales_amount else 0.0

    @api.depends("retail_store_id", "date")
    def _compute_review_items(self):
        items = self.env["retail.review.item"].search([("date", "in", list(set(self.mapped("date"))))])
        for pack in self:
            mine = items.filtered(lambda i, p=pack: i.date == p.date and (
                (p.is_chain and i.company_id == p.company_id) or i.retail_store_id == p.retail_store_id))
            pack.review_item_ids = mine
            pack.anomaly_count = len(mine)

    def _compute_chart_html(self):
        for pack in self:
            trend = pack._daily_sales_trend(days=14)
            tops = pack.top_line_ids.sorted("sequence")
            pack.chart_html = Markup(
                '<div class="o_retail_pack_chart">%s<br/>%s</div>'
            ) % (
                Markup(sparkline_svg(trend, width=320, height=60, label=self.env._("Sales, last 14 days"))),
                Markup(bar_chart_svg(tops.mapped("product_id.display_name"), tops.mapped("amount"))),
            )

    def _daily_sales_trend(self, days=14):
        """Sales of the pack's store (or chain) for the ``days`` days up to the pack's day."""
        self.ensure_one()
        first = self.date - datetime.timedelta(days=days - 1)
        domain = [("date", ">=", first), ("date", "<=", self.date), ("company_id", "=", self.company_id.id)]
        if not self.is_chain:
            domain.append(("retail_store_id", "=", self.retail_store_id.id))
        groups = self.env["retail.store.sales.report"]._read_group(
            domain, ["date:day"], ["sales_amount:sum"])
        by_day = {day.date() if isinstance(day, datetime.datetime) else day: total for day, total in groups}
        return [by_day.get(first + datetime.timedelta(days=i), 0.0) for i in range(days)]

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        # a pack states what the orders said: only its build changes it, people comment on it
        forged = set(vals) - self._retail_writable_fields()
        if forged and not self.env.su:
            raise AccessError(self.env._(
                "Close packs are built from the orders and cannot be edited (%s).", ", ".join(sorted(forged))))
        return super().write(vals)

    @api.model
    def _retail_writable_fields(self):
        """Fields a person may write: those of the chatter."""
        return set(self.env["mail.thread"]._fields)

    # ------------------------------------------------------------------ actions

    def action_rebuild(self):
        self.ensure_one()
        if not self.env.user._retail_is_manager_of(self.retail_store_id) and not self.env.user.has_group(
                "retail_base.group_retail_hq"):
            raise AccessError(self.env._("Only the store's manager or HQ may rebuild this close pack."))
        stores = self.retail_store_id
        if self.is_chain:
            stores = self.env["stock.warehouse"].sudo().search(
                [("retail_store_type", "=", "store"), ("company_id", "=", self.company_id.id)])
        self._retail_sudo_for_checked_caller()._build_packs(self.date, stores=stores)
        return True

    def action_send(self):
        self.check_access("read")
        if not self.env.user.has_group("retail_base.group_retail_manager"):
            raise AccessError(self.env._("Only store managers and HQ may send close packs."))
        self._retail_sudo_for_checked_caller()._send_packs(force=True)
        return True

    def action_open_review_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Anomalies of %s", self.name),
            "res_model": "retail.review.item",
            "view_mode": "list,form",
            "domain": [("id", "in", self.review_item_ids.ids)],
        }

    # ------------------------------------------------------------------ building

    @api.model
    def _get_stockout_days(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("retail_analytics.stockout_days", 7))

    @api.model
    def _get_expiry_days(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("retail_analytics.expiry_days", 7))

    @api.model
    def _get_product_rank_size(self):
        return 5

    @api.model
    def _get_section_size(self):
        """Rows listed in the stockout and expiry sections; their counters cover every row."""
        return 50

    @api.model
    def _get_figure_names(self):
        """The stored figures of a pack: each store's come from :meth:`_query_pack_figures`, and
        the chain roll-up sums them over the company's stores."""
        return list(FIGURES)

    @api.model
    def _build_packs(self, date, stores=None):
        """Build (or rebuild) the packs of ``date`` for ``stores`` (default: every store) with a
        handful of set-based queries over all those stores at once; returns the packs."""
        date = fields.Date.to_date(date)
        self.env.flush_all()
        if stores is None:
            stores = self.env["stock.warehouse"].sudo().search([("retail_store_type", "=", "store")])
        if not stores:
            return self.browse()
        cashier_rows = self._query_cashier_rows(date, stores.ids)
        figures = self._query_pack_figures(date, stores.ids, cashier_rows)
        lines, counts = self._query_pack_lines(date, stores.ids, cashier_rows)
        existing = self.search([("date", "=", date), ("retail_store_id", "in", stores.ids)])
        by_store = {pack.retail_store_id.id: pack for pack in existing}
        existing.line_ids.unlink()
        now = fields.Datetime.now()
        to_create = []
        packs = self.browse()
        names = self._get_figure_names()
        for store in stores:
            vals = {name: figures[store.id].get(name, 0) for name in names}
            vals.update(counts[store.id])
            vals.update(built_at=now, line_ids=[Command.create(line) for line in lines[store.id]])
            if store.id in by_store:
                by_store[store.id].write(vals)
                packs |= by_store[store.id]
            else:
                vals.update(date=date, retail_store_id=store.id, company_id=store.company_id.id)
                to_create.append(vals)
        packs |= self.create(to_create)
        # a company's roll-up waits for the packs of all its stores
        stores_per_company = dict(self.env["stock.warehouse"].sudo()._read_group(
            [("retail_store_type", "=", "store")], ["company_id"], ["__count"]))
        built_per_company = defaultdict(int)
        for store in stores:
            built_per_company[store.company_id.id] += 1
        complete = {company.id for company, count in stores_per_company.items()
                    if built_per_company[company.id] == count}
        if complete:
            packs |= self._build_chain_packs(date, packs.filtered(lambda p: p.company_id.id in complete))
        return packs

    @api.model
    def _fill_figures(self, names, day_figures):
        """Write the figures ``names`` of the packs built so far, for an addon that adds them to
        packs built before it was installed: one statement per day for its store packs (the
        figures read by ``day_figures(date, store_ids)``, an SQL query with one row per
        ``retail_store_id``), one for every chain roll-up, which sums its stores."""
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            SELECT date, ARRAY_AGG(retail_store_id ORDER BY retail_store_id)
              FROM retail_close_pack
             WHERE is_chain IS NOT TRUE AND retail_store_id IS NOT NULL
          GROUP BY date
        """))
        columns = [SQL.identifier(name) for name in names]
        for date, store_ids in self.env.cr.fetchall():
            self.env.cr.execute(SQL("""
                UPDATE retail_close_pack pack
                   SET %(assignments)s
                  FROM (%(figures)s) day_figures
                 WHERE pack.date = %(date)s AND pack.is_chain IS NOT TRUE
                   AND pack.retail_store_id = day_figures.retail_store_id
            """, assignments=SQL(", ").join(SQL("%s = day_figures.%s", column, column) for column in columns),
                figures=day_figures(date, store_ids), date=date))
        self.env.cr.execute(SQL("""
            UPDATE retail_close_pack chain
               SET %(assignments)s
              FROM (SELECT date, company_id, %(sums)s
                      FROM retail_close_pack
                     WHERE is_chain IS NOT TRUE
                  GROUP BY date, company_id) stores
             WHERE chain.is_chain AND chain.date = stores.date AND chain.company_id = stores.company_id
        """, assignments=SQL(", ").join(SQL("%s = stores.%s", column, column) for column in columns),
            sums=SQL(", ").join(SQL("SUM(%s) AS %s", column, column) for column in columns)))
        self.invalidate_model(names)

    @api.model
    def _build_chain_packs(self, date, store_packs):
        chain_packs = self.browse()
        names = self._get_figure_names()
        for company in store_packs.company_id:
            packs = store_packs.filtered(lambda p, c=company: p.company_id == c)
            vals = {name: sum(packs.mapped(name)) for name in names}
            vals["built_at"] = fields.Datetime.now()
            vals["line_ids"] = [Command.create({
                "kind": "store", "sequence": index, "store_id": pack.retail_store_id.id,
                "amount": pack.sales_amount, "margin_amount": pack.margin_amount,
                "ticket_count": pack.ticket_count, "discount_amount": pack.discount_amount,
                "refund_amount": pack.refund_amount, "refund_count": pack.refund_count,
                "void_count": pack.void_count, "cash_variance": pack.cash_variance,
            }) for index, pack in enumerate(packs.sorted("sales_amount", reverse=True))]
            chain = self.search([("date", "=", date), ("is_chain", "=", True), ("company_id", "=", company.id)])
            if chain:
                chain.line_ids.unlink()
                chain.write(vals)
            else:
                chain = self.create(dict(vals, date=date, is_chain=True, company_id=company.id,
                                         retail_store_id=False))
            chain_packs |= chain
        return chain_packs

    @api.model
    def _query_cashier_rows(self, date, store_ids):
        """What each cashier of the stores sold, refunded and voided on ``date``, largest sales
        first within each store."""
        self.env.cr.execute(SQL("SELECT * FROM (%s) cashier ORDER BY retail_store_id, amount DESC, user_id",
                                cashier_day(date, store_ids)))
        return self.env.cr.dictfetchall()

    @api.model
    def _query_pack_figures(self, date, store_ids, cashier_rows):
        """The headline figures of every store: the sums of its cashiers' rows (each order has
        one cashier), and the cash variance of the tills closed that day."""
        names = self._get_figure_names()
        figures = defaultdict(lambda: dict.fromkeys(names, 0))
        for row in cashier_rows:
            store = figures[row["retail_store_id"]]
            store["sales_amount"] += row["amount"]
            store["ticket_count"] += row["tickets"]
            store["units"] += row["units"]
            store["cost_amount"] += row["cost"]
            store["margin_amount"] += row["amount"] - row["cost"]
            store["discount_amount"] += row["discount"]
            store["refund_amount"] += row["refund"]
            store["refund_count"] += row["refunds"]
            store["void_count"] += row["voids"]
        self.env.cr.execute(SQL("""
            SELECT retail_store_id, SUM(difference), COUNT(*)
              FROM (%s) closed
          GROUP BY retail_store_id
        """, closed_sessions(date, store_ids)))
        for store_id, difference, count in self.env.cr.fetchall():
            figures[store_id].update(cash_variance=difference or 0.0, session_count=count)
        return figures

    @api.model
    def _query_pack_lines(self, date, store_ids, cashier_rows):
        """Section rows of every store at once: cashiers, top/bottom products, stockouts, lots
        near expiry. Returns ``({store_id: [line values]}, {store_id: section counts})``; the
        stockout and expiry sections list their first rows only, the counts cover them all."""
        cr = self.env.cr
        rank = self._get_product_rank_size()
        stockout_days = self._get_stockout_days()
        day_lines = paid_lines([(date, date)], store_ids)
        since = date - datetime.timedelta(days=stockout_days - 1)
        expiry_limit = date + datetime.timedelta(days=self._get_expiry_days() + 1)
        limit = self._get_section_size()
        lines = defaultdict(list)
        counts = defaultdict(lambda: {"stockout_count": 0, "near_expiry_count": 0, "sold_product_count": 0})
        for index, row in enumerate(cashier_rows):
            lines[row["retail_store_id"]].append({
                "kind": "cashier", "sequence": index, "user_id": row["user_id"], "amount": row["amount"],
                "margin_amount": row["amount"] - row["cost"], "ticket_count": row["tickets"],
                "discount_amount": row["discount"], "refund_amount": row["refund"],
                "refund_count": row["refunds"], "void_count": row["voids"],
            })
        # top and bottom products by sales
        cr.execute(SQL("""
            SELECT retail_store_id, product_id, amount, units, margin, top_rank, bottom_rank
              FROM (SELECT retail_store_id, product_id, SUM(amount) AS amount, SUM(qty) AS units,
                           SUM(amount - cost) AS margin,
                           ROW_NUMBER() OVER (PARTITION BY retail_store_id
                                              ORDER BY SUM(amount) DESC, product_id) AS top_rank,
                           ROW_NUMBER() OVER (PARTITION BY retail_store_id
                                              ORDER BY SUM(amount), product_id) AS bottom_rank
                      FROM (%(lines)s) line
                  GROUP BY retail_store_id, product_id
                    HAVING SUM(qty) > 0) ranked
             WHERE top_rank <= %(rank)s OR bottom_rank <= %(rank)s
        """, lines=day_lines, rank=rank))
        for store_id, product_id, amount, units, margin, top_rank, bottom_rank in cr.fetchall():
            values = {"product_id": product_id, "amount": amount, "quantity": units, "margin_amount": margin}
            if top_rank <= rank:
                lines[store_id].append(dict(values, kind="top", sequence=top_rank))
            if bottom_rank <= rank:
                lines[store_id].append(dict(values, kind="bottom", sequence=bottom_rank))
        # stockouts: storable products that sold in the last days but have nothing on hand now
        cr.execute(SQL("""
            WITH sold AS (
                SELECT retail_store_id, product_id, SUM(qty) AS units, SUM(amount) AS amount
                  FROM (%(lines)s) line
                 WHERE is_storable
              GROUP BY retail_store_id, product_id
                HAVING SUM(qty) > 0
            ), on_hand AS (
                SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) AS quantity
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(store_ids)s)
              GROUP BY loc.warehouse_id, q.product_id
            ), joined AS (
                SELECT sold.retail_store_id, sold.product_id, sold.amount,
                       COALESCE(on_hand.quantity, 0) AS quantity
                  FROM sold
             LEFT JOIN on_hand ON on_hand.warehouse_id = sold.retail_store_id
                              AND on_hand.product_id = sold.product_id
            ), stockout AS (
                SELECT joined.*,
                       ROW_NUMBER() OVER (PARTITION BY retail_store_id ORDER BY amount DESC, product_id) AS position,
                       COUNT(*) OVER (PARTITION BY retail_store_id) AS total
                  FROM joined
                 WHERE quantity <= 0
            )
            SELECT retail_store_id, NULL::integer, 0::numeric, 0::numeric, 0::bigint, COUNT(*)
              FROM joined
          GROUP BY retail_store_id
             UNION ALL
            SELECT retail_store_id, product_id, amount, quantity, total, NULL
              FROM stockout
             WHERE position <= %(limit)s
          ORDER BY 1, 2 NULLS FIRST
        """, lines=paid_lines([(since, date)], store_ids), store_ids=store_ids, limit=limit))
        index = 0
        for store_id, product_id, amount, quantity, total, sold_total in cr.fetchall():
            if product_id is None:
                counts[store_id]["sold_product_count"] = sold_total
                continue
            counts[store_id]["stockout_count"] = total
            index += 1
            lines[store_id].append({
                "kind": "stockout", "sequence": index, "product_id": product_id,
                "quantity": quantity, "amount": amount,
            })
        # lots on hand that expired or expire within the next days
        cr.execute(SQL("""
            SELECT warehouse_id, product_id, lot_id, expiration_date, quantity, total
              FROM (SELECT loc.warehouse_id, q.product_id, q.lot_id, lot.expiration_date,
                           SUM(q.quantity) AS quantity,
                           ROW_NUMBER() OVER (PARTITION BY loc.warehouse_id
                                              ORDER BY lot.expiration_date, q.lot_id) AS position,
                           COUNT(*) OVER (PARTITION BY loc.warehouse_id) AS total
                      FROM stock_quant q
                      JOIN stock_location loc ON loc.id = q.location_id
                      JOIN stock_lot lot ON lot.id = q.lot_id
                     WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(store_ids)s)
                       AND lot.expiration_date IS NOT NULL AND lot.expiration_date < %(expiry_limit)s::date
                  GROUP BY loc.warehouse_id, q.product_id, q.lot_id, lot.expiration_date
                    HAVING SUM(q.quantity) > 0) expiring
             WHERE position <= %(limit)s
          ORDER BY warehouse_id, position
        """, store_ids=store_ids, expiry_limit=expiry_limit, limit=limit))
        for index, (store_id, product_id, lot_id, expiration, quantity, total) in enumerate(cr.fetchall()):
            counts[store_id]["near_expiry_count"] = total
            lines[store_id].append({
                "kind": "expiry", "sequence": index, "product_id": product_id, "lot_id": lot_id,
                "expiration_date": expiration, "quantity": quantity,
            })
        return lines, counts

    # ------------------------------------------------------------------ delivery

    def _get_recipients(self):
        """Users who receive this pack: the store's managers, or HQ for the chain roll-up."""
        self.ensure_one()
        Users = self.env["res.users"].sudo()
        if self.is_chain:
            group = self.env.ref("retail_base.group_retail_hq")
            domain = [("all_group_ids", "in", group.id), ("company_ids", "in", self.company_id.id)]
        else:
            group = self.env.ref("retail_base.group_retail_manager")
            domain = [("all_group_ids", "in", group.id), ("retail_store_ids", "in", self.retail_store_id.id)]
        return Users.search([*domain, ("share", "=", False), ("id", "!=", self.env.ref("base.user_root").id)])

    def _send_packs(self, force=False):
        """Mail each pack, with its PDF and its spreadsheet, to its recipients in their own
        language."""
        template = self.env.ref("retail_analytics.mail_template_retail_close_pack")
        for pack in self:
            if pack.state == "sent" and not force:
                continue
            users = pack._get_recipients()
            if not users:
                continue
            by_lang = defaultdict(list)
            for user in users:
                by_lang[user.lang or "en_US"].append(user.partner_id.id)
            for lang, partner_ids in by_lang.items():
                mail = self.env["mail.mail"].sudo().browse(template.with_context(retail_recipient_lang=lang).send_mail(
                    pack.id,
                    email_values={"recipient_ids": [Command.set(partner_ids)]},
                    email_layout_xmlid="mail.mail_notification_light",
                ))
                # attached to the mail's message, as the template attaches the PDF
                mail.write({"attachment_ids": [Command.create(dict(
                    pack.with_context(lang=lang)._xlsx_attachment_values(),
                    res_model="mail.message", res_id=mail.mail_message_id.id,
                ))]})
            pack.write({"state": "sent", "sent_at": fields.Datetime.now()})
        return True

    def _xlsx_attachment_values(self):
        """The pack as a spreadsheet, one sheet per section, in the context's language."""
        self.ensure_one()
        return {
            "name": f"Close Pack - {self.name}.xlsx",
            "raw": workbook_bytes(self._xlsx_sheets()),
            "mimetype": XLSX_MIMETYPE,
        }

    def _xlsx_sheets(self):
        """The sections of the pack as plain tables (:class:`..tools.xlsx.Sheet`)."""
        self.ensure_one()
        env = self.env

        def label(record, name):
            return record._fields[name]._description_string(env)

        def column(record, name, kind):
            return (label(record, name), kind)

        def name_of(record):
            return record.display_name or ""

        pack, line = self, self.env["retail.close.pack.line"]
        summary = [(label(pack, name), pack[name]) for name in (
            "sales_amount", "margin_amount", "margin_rate", "ticket_count", "average_basket", "units",
            "units_per_basket", "discount_amount", "refund_amount", "refund_count", "void_count",
            "cash_variance", "session_count", "stockout_count", "near_expiry_count", "anomaly_count")]
        sheets = [Sheet(
            env._("Summary"), [(env._("Figure"), "text"), (name_of(pack), "general")],
            [[env._("Date"), pack.date], *[[name, value] for name, value in summary]],
        )]
        counted = ("amount", "margin_amount", "ticket_count", "discount_amount", "refund_amount",
                   "refund_count", "void_count")
        money = {"amount", "margin_amount", "discount_amount", "refund_amount", "cash_variance"}

        def kind(name):
            return "money" if name in money else "integer"

        def section_total(lines, names):
            return [env._("Total"), *(sum(lines.mapped(name)) for name in names)]

        if pack.is_chain:
            names = (*counted, "cash_variance")
            lines = pack.store_line_ids.sorted("sequence")
            sheets.append(Sheet(
                env._("Stores"), [column(line, "store_id", "text"), *(column(line, n, kind(n)) for n in names)],
                [[name_of(row.store_id), *(row[n] for n in names)] for row in lines],
                section_total(lines, names)))
        else:
            lines = pack.cashier_line_ids.sorted("sequence")
            sheets.append(Sheet(
                env._("Cashiers"), [column(line, "user_id", "text"), *(column(line, n, kind(n)) for n in counted)],
                [[name_of(row.user_id), *(row[n] for n in counted)] for row in lines],
                section_total(lines, counted)))
            product_columns = [column(line, "product_id", "text"), column(line, "quantity", "quantity"),
                               column(line, "amount", "money"), column(line, "margin_amount", "money")]
            for title, lines in ((env._("Top Products"), pack.top_line_ids),
                                 (env._("Bottom Products"), pack.bottom_line_ids)):
                sheets.append(Sheet(title, product_columns, [
                    [name_of(row.product_id), row.quantity, row.amount, row.margin_amount]
                    for row in lines.sorted("sequence")]))
            sheets.append(Sheet(
                env._("Stockouts"),
                [column(line, "product_id", "text"), (env._("On Hand"), "quantity"),
                 (env._("Sales in the Stockout Window"), "money")],
                [[name_of(row.product_id), row.quantity, row.amount]
                 for row in pack.stockout_line_ids.sorted("sequence")]))
            sheets.append(Sheet(
                env._("Near Expiry"),
                [column(line, "product_id", "text"), column(line, "lot_id", "text"),
                 column(line, "expiration_date", "datetime"), column(line, "quantity", "quantity")],
                [[name_of(row.product_id), name_of(row.lot_id), row.expiration_date, row.quantity]
                 for row in pack.expiry_line_ids.sorted("sequence")]))
        item = self.env["retail.review.item"]
        sheets.append(Sheet(
            env._("Anomalies"),
            [column(item, "rule_id", "text"), column(item, "retail_store_id", "text"), (env._("Subject"), "text"),
             column(item, "value", "quantity"), column(item, "threshold", "quantity"), column(item, "state", "text")],
            [[name_of(row.rule_id), name_of(row.retail_store_id),
              name_of(row.product_id or row.cashier_id or row.session_id), row.value, row.threshold,
              dict(row._fields["state"]._description_selection(env))[row.state]]
             for row in pack.review_item_ids.sorted(lambda i: (i.retail_store_id.id, i.id))]))
        return sheets

    @api.model
    def _cron_build_and_send(self):
        """Nightly: scan yesterday's anomalies, then build and deliver yesterday's packs."""
        # the stores' yesterday, not the cron user's (UTC)
        yesterday = self.env.company._retail_today() - datetime.timedelta(days=1)
        self.env["retail.anomaly.rule"]._scan(yesterday)
        packs = self._build_packs(yesterday)
        if self.env.context.get("ir_cron_progress_id"):
            # keep the built packs even if a mail server fails afterwards
            self.env["ir.cron"]._commit_progress(len(packs))
        packs._send_packs()
        return packs

    @api.model
    def _check_build_rights(self):
        if not self.env.user.has_group("retail_base.group_retail_hq"):
            raise AccessError(self.env._("Only HQ may build the close packs of every store."))

    @api.model
    def _build_for_wizard(self, date, scan=False, send=False):
        """Scan the anomalies of ``date`` first if asked, then build (and send) the packs of
        every store of the caller's companies."""
        self._check_build_rights()
        if date > fields.Date.context_today(self):
            raise UserError(self.env._("%s is in the future: there is nothing to report yet.", date))
        trusted = self._retail_sudo_for_checked_caller()
        if scan:
            trusted.env["retail.anomaly.rule"]._scan(date)
        stores = trusted.env["stock.warehouse"].search(
            [("retail_store_type", "=", "store"), ("company_id", "in", self.env.companies.ids)])
        packs = trusted._build_packs(date, stores=stores)
        if send:
            packs._send_packs(force=True)
        return packs.with_env(self.env)
