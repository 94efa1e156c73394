import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools.settlement import StatementError, read_statement


class RetailPlatformSettlement(models.Model):
    """A payout statement of a platform: one journal entry that clears each order's receivable,
    books the commission as an expense of the store and the net payout to the payout journal."""

    _name = "retail.platform.settlement"
    _description = "Platform payout statement"
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("Payout"))
    shop_id = fields.Many2one("retail.platform.shop", required=True, index=True)
    company_id = fields.Many2one(related="shop_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    statement_file = fields.Binary("Statement", attachment=False)
    statement_filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Reconciled")], default="draft", required=True)
    line_ids = fields.One2many("retail.platform.settlement.line", "settlement_id", readonly=True)
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True)
    gross_total = fields.Monetary(compute="_compute_totals", store=True)
    commission_total = fields.Monetary(compute="_compute_totals", store=True)
    net_total = fields.Monetary(compute="_compute_totals", store=True)

    @api.depends("line_ids.gross", "line_ids.commission", "line_ids.net")
    def _compute_totals(self):
        for settlement in self:
            settlement.gross_total = sum(settlement.line_ids.mapped("gross"))
            settlement.commission_total = sum(settlement.line_ids.mapped("commission"))
            settlement.net_total = sum(settlement.line_ids.mapped("net"))

    def action_import(self):
        """Read the statement and reconcile it, all or nothing: a bad row stops everything."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This statement is already reconciled."))
        if not self.statement_file:
            raise UserError(self.env._("Attach the platform's payout statement (csv or xlsx) first."))
        shop = self.shop_id
        if not (shop.settlement_journal_id.default_account_id and shop.commission_account_id):
            raise UserError(self.env._("Set the payout journal and the commission account of %(shop)s first.",
                                       shop=shop.name))
        try:
            rows = read_statement(self.statement_filename, base64.b64decode(self.statement_file))
        except StatementError as error:
            raise UserError(self.env._("The statement cannot be read: %(error)s", error=str(error))) from None
        orders = {order.platform_order_ref: order for order in self.env["retail.platform.order"].search(
            [("shop_id", "=", shop.id), ("platform_order_ref", "in", [row["order_id"] for row in rows])])}
        receivables = {}
        for row in rows:
            order = orders.get(row["order_id"])
            if not order:
                raise UserError(self.env._("Row %(row)s: order %(order)s is not an order of %(shop)s.",
                                           row=row["row"], order=row["order_id"], shop=shop.name))
            if order.settlement_id:
                raise UserError(self.env._("Row %(row)s: order %(order)s was already settled by %(payout)s.",
                                           row=row["row"], order=row["order_id"], payout=order.settlement_id.name))
            lines = (order.invoice_id | order.credit_note_ids).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                and line.parent_state == "posted")
            due = sum(lines.mapped("amount_residual"))
            if order.currency_id.compare_amounts(due, float(row["gross"])) != 0:
                raise UserError(self.env._("Row %(row)s: order %(order)s has %(due)s to receive, the statement says "
                                           "%(gross)s.", row=row["row"], order=row["order_id"], due=due,
                                           gross=row["gross"]))
            receivables[row["order_id"]] = lines
        move = self.env["account.move"].with_company(shop.company_id).create(self._prepare_move_vals(rows, orders))
        move.action_post()
        for line in move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable"):
            (receivables[line.name] | line).reconcile()
        self.write({
            "state": "done", "move_id": move.id,
            "line_ids": [Command.create({"row": row["row"], "order_id": orders[row["order_id"]].id,
                                         "gross": float(row["gross"]), "commission": float(row["commission"]),
                                         "net": float(row["net"])}) for row in rows],
        })
        # finance cannot write orders; the link is the settlement's own record of what it cleared
        settled = self.env["retail.platform.order"].sudo().browse([orders[row["order_id"]].id for row in rows])
        settled.settlement_id = self

    def _prepare_move_vals(self, rows, orders):
        shop = self.shop_id
        partner = shop.partner_id.commercial_partner_id
        receivable = partner.property_account_receivable_id
        analytic = shop.warehouse_id.retail_analytic_account_id
        commission = sum(float(row["commission"]) for row in rows)
        net = sum(float(row["net"]) for row in rows)
        lines = [Command.create({"name": row["order_id"], "account_id": receivable.id, "partner_id": partner.id,
                                 "credit": float(row["gross"])}) for row in rows]
        if commission:
            commission_line = {"name": self.env._("Platform commission"), "account_id": shop.commission_account_id.id,
                               "partner_id": partner.id, "debit": commission}
            if analytic:
                commission_line["analytic_distribution"] = {str(analytic.id): 100}
            lines.append(Command.create(commission_line))
        lines.append(Command.create({"name": self.name, "account_id": shop.settlement_journal_id.default_account_id.id,
                                     "partner_id": partner.id, "debit": net}))
        return {"move_type": "entry", "journal_id": shop.settlement_journal_id.id, "date": self.date,
                "ref": self.name, "line_ids": lines}
