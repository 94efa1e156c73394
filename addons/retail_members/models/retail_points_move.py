import operator

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import points as points_tools

LEDGER_CONTEXT = "retail_points_ledger"
COMPARISONS = {"=": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt,
               "<=": operator.le}


class RetailPointsMove(models.Model):
    """Every movement of member points. Written only through the methods below."""

    _name = "retail.points.move"
    _inherit = ["retail.store.mixin"]
    _description = "Member points movement"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, index=True, readonly=True,
                                 ondelete="restrict")
    card_id = fields.Many2one("loyalty.card", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_type = fields.Selection([
        ("earn", "Earned"),
        ("redeem", "Redeemed"),
        ("expire", "Expired"),
        ("adjust", "Adjustment"),
        ("refund", "Refund Reversal"),
        ("redeem_reversal", "Redemption Reversal"),
        ("bonus", "Birthday Bonus"),
    ], string="Type", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    points = fields.Float(readonly=True, digits=(16, 0), help="Positive when earned, negative when used.")
    remaining = fields.Float(
        compute="_compute_remaining", search="_search_remaining", compute_sudo=True, digits=(16, 0),
        help="Points of this earning not yet redeemed, reversed or expired (first in, first out).",
    )
    expiry_date = fields.Date(readonly=True)
    value = fields.Monetary(
        readonly=True, help="Points valued at the company's value per point when the movement was made.")
    order_id = fields.Many2one("pos.order", readonly=True, ondelete="restrict")
    account_move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, copy=False,
                                      ondelete="set null")
    note = fields.Char(readonly=True)

    # Few indexes, partial where most rows need not be in them: the ledger grows by millions of rows.
    _order_once = models.UniqueIndex(
        "(order_id, move_type) WHERE order_id IS NOT NULL",
        "An order earns, redeems and reverses points only once.",
    )
    _unbooked_index = models.Index("(company_id) WHERE account_move_id IS NULL")

    def _compute_remaining(self):
        lots = dict(self.env["retail.points.lot"].sudo()._read_group(
            [("move_id", "in", self.ids)], ["move_id"], ["remaining:sum"]))
        for move in self:
            move.remaining = lots.get(move, 0.0)

    def _search_remaining(self, operator, value):
        if operator not in COMPARISONS or isinstance(value, bool) or not isinstance(value, (int, float)):
            return NotImplemented
        Lot = self.env["retail.points.lot"].sudo()
        domain = Domain("id", "in", Lot._search([("remaining", operator, value)]).subselect("move_id"))
        if COMPARISONS[operator](0, value):
            # a move without a lot has nothing left, which matches too
            domain |= Domain("id", "not in", Lot._search([]).subselect("move_id"))
        return domain

    # ------------------------------------------------------------------
    # The ledger is append-only from the outside
    # ------------------------------------------------------------------
    def _retail_refuse_manual_edit(self, operation="write"):
        if not self.env.context.get(LEDGER_CONTEXT):
            self.check_access(operation)
            raise UserError(self.env._(
                "The points ledger cannot be edited by hand. Use an adjustment to correct a balance."))

    @api.model_create_multi
    def create(self, vals_list):
        self._retail_refuse_manual_edit("create")
        return super().create(vals_list)

    def write(self, vals):
        self._retail_refuse_manual_edit()
        return super().write(vals)

    def unlink(self):
        self._retail_refuse_manual_edit("unlink")
        return super().unlink()

    def _ledger(self):
        return self.sudo().with_context(**{LEDGER_CONTEXT: True})

    # ------------------------------------------------------------------
    # Movements
    # ------------------------------------------------------------------
    @api.model
    def _retail_prepare_vals(self, partner, move_type, points, company, order=None, store=None, note=None, date=None):
        value_per_point = company.retail_points_value
        vals = {
            "partner_id": partner.id,
            "card_id": partner.retail_loyalty_card_id.id,
            "company_id": company.id,
            "move_type": move_type,
            "points": points,
            "value": company.currency_id.round(points * value_per_point),
            "order_id": order.id if order else False,
            "retail_store_id": (store.id if store else False) or partner.retail_home_store_id.id,
            "note": note,
            "date": date or fields.Datetime.now(),
        }
        if move_type in self._retail_expiring_types() and points > 0:
            vals["expiry_date"] = fields.Date.to_date(vals["date"]) + relativedelta(
                months=company.retail_points_expiry_months or 12)
        return vals

    @api.model
    def _retail_consume_fifo(self, partner, quantity, first=None):
        """Take ``quantity`` points out of the member's open earnings, oldest first.

        ``first`` (an earning) is consumed before the others (a refund takes back its own points).
        Emptied lots are deleted, the one partly used is updated: two statements at most.
        :return: points that could not be taken (balance too low)
        """
        lots = self.env["retail.points.lot"].sudo().search([("partner_id", "=", partner.id)])
        if first:
            lots = lots.filtered(lambda lot: lot.move_id in first) | lots
        taken, left = points_tools.fifo_consume(lots.mapped("remaining"), quantity)
        remaining = np.asarray(lots.mapped("remaining")) - taken
        used = taken > 0
        emptied = [lot_id for lot_id, rest, use in zip(lots.ids, remaining.tolist(), used.tolist(), strict=True)
                   if use and rest <= 0]
        partial = [(lot_id, rest) for lot_id, rest, use in zip(lots.ids, remaining.tolist(), used.tolist(),
                                                               strict=True) if use and rest > 0]
        lots.flush_recordset()
        if emptied:
            self.env.cr.execute(SQL("DELETE FROM retail_points_lot WHERE id = ANY(%s)", emptied))
        if partial:
            self.env.cr.execute(SQL(
                "UPDATE retail_points_lot l SET remaining = v.remaining FROM unnest(%s::int[], %s::numeric[]) "
                "AS v(id, remaining) WHERE l.id = v.id",
                [lot_id for lot_id, _rest in partial], [rest for _lot_id, rest in partial]))
        if emptied or partial:
            self.env["retail.points.lot"].invalidate_model()
            self.invalidate_model(["remaining"])
        return left

    @api.model
    def _retail_post(self, vals_list):
        """Create ledger moves, open a lot for each earning, mirror the moves in the loyalty card
        history and refresh the balances."""
        moves = self._ledger().create(vals_list)
        lots = [{
            "move_id": move.id,
            "partner_id": move.partner_id.id,
            "date": move.date,
            "expiry_date": move.expiry_date,
            "remaining": move.points,
        } for move in moves if move.expiry_date and move.points > 0]
        if lots:
            self.env["retail.points.lot"].sudo().create(lots)
        history = [{
            "card_id": move.card_id.id,
            "description": dict(self._fields["move_type"]._description_selection(self.env))[move.move_type],
            "issued": move.points if move.points > 0 else 0,
            "used": -move.points if move.points < 0 else 0,
            "order_model": "pos.order" if move.order_id else False,
            "order_id": move.order_id.id if move.order_id else False,
        } for move in moves if move.card_id]
        if history:
            self.env["loyalty.history"].sudo().create(history)
        moves.partner_id._retail_sync_points_balance()
        return moves.with_env(self.env)

    @api.model
    def _retail_adjust(self, partner, points, note):
        """Manual correction by a manager: positive adds an earning, negative consumes FIFO."""
        if not self.env.user.has_group("retail_base.group_retail_manager"):
            raise UserError(self.env._("Only store managers and headquarters may adjust points."))
        if not points:
            raise UserError(self.env._("An adjustment needs a number of points."))
        company = partner.company_id or self.env.company
        if points < 0:
            if -points > partner.retail_points_balance:
                raise UserError(self.env._(
                    "%(name)s has %(balance)s points; %(points)s cannot be taken.",
                    name=partner.name, balance=int(partner.retail_points_balance), points=int(-points)))
            self._retail_consume_fifo(partner, -points)
        return self._retail_post([self._retail_prepare_vals(partner, "adjust", points, company, note=note)])

    @api.model
    def _retail_expiring_types(self):
        """Move types that open an earning with an expiry date."""
        return ("earn", "bonus", "adjust", "redeem_reversal")

    @api.model
    def _cron_retail_expire_points(self, today=None):
        """Expire, first in first out, every earning past its expiry date, for all members at once.

        One statement: the lots past their date are deleted, and their points leave as one expiry
        move per member and store, one card history line and one balance update per card. Nothing
        travels to Python.

        :return: number of earnings expired
        """
        today = today or fields.Date.context_today(self)
        self.flush_model()
        self.env["retail.points.lot"].flush_model()
        self.env["loyalty.card"].flush_model(["points"])
        self.env["res.company"].flush_model(["retail_points_value", "currency_id"])
        now = fields.Datetime.now()
        self.env.cr.execute(SQL("""
            WITH expired AS (
                DELETE FROM retail_points_lot l USING retail_points_move m
                 WHERE l.expiry_date <= %(today)s AND m.id = l.move_id
             RETURNING m.partner_id, m.card_id, m.retail_store_id, m.company_id, l.remaining
            ), totals AS (
                SELECT partner_id, card_id, retail_store_id, company_id, SUM(remaining) AS points,
                       COUNT(*) AS earnings
                  FROM expired GROUP BY partner_id, card_id, retail_store_id, company_id
            ), per_card AS (
                SELECT card_id, SUM(points) AS points FROM totals WHERE card_id IS NOT NULL GROUP BY card_id
            ), moves AS (
                INSERT INTO retail_points_move (partner_id, card_id, retail_store_id, company_id, move_type, date,
                                                points, value, create_uid, create_date, write_uid, write_date)
                SELECT t.partner_id, t.card_id, t.retail_store_id, t.company_id, 'expire', %(now)s, -t.points,
                       -ROUND(t.points * COALESCE(c.retail_points_value, 0) / cur.rounding) * cur.rounding,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM totals t
                  JOIN res_company c ON c.id = t.company_id
                  JOIN res_currency cur ON cur.id = c.currency_id
            ), history AS (
                INSERT INTO loyalty_history (card_id, description, issued, used, create_uid, create_date,
                                             write_uid, write_date)
                SELECT card_id, %(label)s, 0, points, %(uid)s, %(now)s, %(uid)s, %(now)s FROM per_card
            ), cards AS (
                UPDATE loyalty_card c SET points = c.points - per_card.points
                  FROM per_card WHERE c.id = per_card.card_id
            )
            SELECT COALESCE(SUM(earnings), 0) FROM totals
        """, today=today, now=now, uid=self.env.uid,
            label=self.env._("Points expired")))
        expired = int(self.env.cr.fetchone()[0])
        if expired:
            self.env.invalidate_all()
        return expired

    # ------------------------------------------------------------------
    # Accounting: outstanding points are a liability
    # ------------------------------------------------------------------
    @api.model
    def _retail_book_liability(self, company=None):
        """Post one journal entry per store for every ledger move not booked yet.

        Earned points: Dr points cost, Cr points liability. Redeemed or reversed points release
        the liability back to the points cost; expired points release it as breakage income.
        :return: the posted journal entries
        """
        company = (company or self.env.company)._retail_points_accounting()
        if not company.retail_points_journal_id:
            raise UserError(self.env._(
                "Set a points journal and accounts in the Retail settings before booking the points liability."))
        moves = self.sudo().search(
            [("company_id", "=", company.id), ("account_move_id", "=", False), ("value", "!=", 0)])
        if not moves:
            return self.env["account.move"]
        groups = self.sudo()._read_group(
            [("id", "in", moves.ids)], ["retail_store_id", "move_type"], ["value:sum"])
        liability = company.retail_points_liability_account_id
        counterpart = {
            "expire": company.retail_points_breakage_account_id,
        }
        labels = dict(self._fields["move_type"]._description_selection(self.env))
        by_store = {}
        for store, move_type, value in groups:
            amount = company.currency_id.round(value)
            if not amount:
                continue
            other = counterpart.get(move_type, company.retail_points_expense_account_id)
            analytic = {str(store.retail_analytic_account_id.id): 100} if store.retail_analytic_account_id else False
            label = self.env._("Member points %(type)s", type=labels[move_type])
            # value > 0 (earned): Dr cost / Cr liability; value < 0: the reverse
            by_store.setdefault(store, []).extend([
                (0, 0, {"name": label, "account_id": other.id, "analytic_distribution": analytic,
                        "debit": amount if amount > 0 else 0, "credit": -amount if amount < 0 else 0}),
                (0, 0, {"name": label, "account_id": liability.id, "analytic_distribution": analytic,
                        "debit": -amount if amount < 0 else 0, "credit": amount if amount > 0 else 0}),
            ])
        today = fields.Date.context_today(self)
        entries = self.env["account.move"].sudo().create([{
            "move_type": "entry",
            "journal_id": company.retail_points_journal_id.id,
            "company_id": company.id,
            "date": today,
            "ref": self.env._("Member points %(store)s", store=store.name or self.env._("no store")),
            "line_ids": lines,
        } for store, lines in by_store.items()])
        entries.action_post()
        entry_by_store = dict(zip(by_store, entries, strict=True))
        for store, entry in entry_by_store.items():
            moves.filtered(lambda move, store=store: move.retail_store_id == store)._ledger().write(
                {"account_move_id": entry.id})
        return entries

    @api.model
    def _cron_retail_book_liability(self):
        # every company, a few per database
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            if self.sudo().search_count([("company_id", "=", company.id), ("account_move_id", "=", False)], limit=1):
                self.with_company(company)._retail_book_liability(company)

    @api.model
    def _cron_retail_birthday_bonus(self, today=None):
        """Members whose birthday is today get their tier's birthday bonus, once a year."""
        today = today or fields.Date.context_today(self)
        self.flush_model()
        self.env["res.partner"].flush_model(["retail_birthday", "retail_tier_id", "retail_is_member", "active"])
        self.env["retail.member.tier"].flush_model(["birthday_bonus"])
        rows = self.env.execute_query(SQL("""
            SELECT p.id, t.birthday_bonus
              FROM res_partner p JOIN retail_member_tier t ON t.id = p.retail_tier_id
             WHERE p.retail_is_member AND p.active AND t.birthday_bonus > 0
               AND EXTRACT(MONTH FROM p.retail_birthday) = %(month)s
               AND EXTRACT(DAY FROM p.retail_birthday) = %(day)s
               AND NOT EXISTS (SELECT 1 FROM retail_points_move m
                                WHERE m.partner_id = p.id AND m.move_type = 'bonus'
                                  AND m.date >= %(year_start)s)
        """, month=today.month, day=today.day, year_start=today.replace(month=1, day=1)))
        if not rows:
            return 0
        partners = self.env["res.partner"].sudo().browse([row[0] for row in rows])
        label = self.env._("Birthday bonus")
        vals_list = [
            self._retail_prepare_vals(partner, "bonus", bonus, partner.company_id or self.env.company, note=label)
            for partner, (_partner_id, bonus) in zip(partners, rows, strict=True)
        ]
        self._retail_post(vals_list)
        return len(vals_list)
