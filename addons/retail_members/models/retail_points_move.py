import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import points as points_tools

LEDGER_CONTEXT = "retail_points_ledger"


class RetailPointsMove(models.Model):
    """Every movement of member points. Written only through the methods below."""

    _name = "retail.points.move"
    _inherit = ["retail.store.mixin"]
    _description = "Member points movement"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, index=True, readonly=True,
                                 ondelete="restrict")
    card_id = fields.Many2one("loyalty.card", string="Card", readonly=True, index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_type = fields.Selection([
        ("earn", "Earned"),
        ("redeem", "Redeemed"),
        ("expire", "Expired"),
        ("adjust", "Adjustment"),
        ("refund", "Refund Reversal"),
        ("bonus", "Birthday Bonus"),
    ], string="Type", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    points = fields.Float(readonly=True, digits=(16, 0), help="Positive when earned, negative when used.")
    remaining = fields.Float(
        readonly=True, digits=(16, 0),
        help="Points of this earning not yet redeemed, reversed or expired (first in, first out).",
    )
    expiry_date = fields.Date(readonly=True, index=True)
    value = fields.Monetary(
        readonly=True, help="Points valued at the company's value per point when the movement was made.")
    order_id = fields.Many2one("pos.order", string="Order", readonly=True, index=True, ondelete="restrict")
    account_move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, index=True,
                                      copy=False, ondelete="set null")
    note = fields.Char(readonly=True)

    _order_once = models.UniqueIndex(
        "(order_id, move_type) WHERE order_id IS NOT NULL AND move_type IN ('earn', 'redeem', 'refund')",
        "An order earns, redeems and reverses points only once.",
    )
    _remaining_index = models.Index("(expiry_date) WHERE remaining > 0")

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
            "remaining": points if move_type in ("earn", "bonus", "adjust") and points > 0 else 0,
            "value": company.currency_id.round(points * value_per_point),
            "order_id": order.id if order else False,
            "retail_store_id": (store.id if store else False) or partner.retail_home_store_id.id,
            "note": note,
            "date": date or fields.Datetime.now(),
        }
        if vals["remaining"]:
            vals["expiry_date"] = fields.Date.to_date(vals["date"]) + relativedelta(
                months=company.retail_points_expiry_months or 12)
        return vals

    @api.model
    def _retail_consume_fifo(self, partner, quantity, first=None):
        """Take ``quantity`` points out of the member's open earnings, oldest first.

        ``first`` (an earning) is consumed before the others (a refund takes back its own points).
        :return: points that could not be taken (balance too low)
        """
        earnings = self.sudo().search(
            [("partner_id", "=", partner.id), ("remaining", ">", 0)], order="date, id")
        if first:
            earnings = first.filtered(lambda move: move.remaining > 0) | (earnings - first)
        taken, left = points_tools.fifo_consume(earnings.mapped("remaining"), quantity)
        updates = [
            (move.id, move.remaining - take)
            for move, take in zip(earnings, taken.tolist(), strict=True) if take
        ]
        if updates:
            self.flush_model()
            self.env.cr.execute(SQL(
                "UPDATE retail_points_move m SET remaining = v.remaining FROM unnest(%s::int[], %s::numeric[]) "
                "AS v(id, remaining) WHERE m.id = v.id",
                [u[0] for u in updates], [u[1] for u in updates]))
            self.invalidate_model(["remaining"])
        return left

    @api.model
    def _retail_post(self, vals_list):
        """Create ledger moves, mirror them in the loyalty card history and refresh balances."""
        moves = self._ledger().create(vals_list)
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
    def _cron_retail_expire_points(self, today=None):
        """Expire, first in first out, every earning past its expiry date, for all members at once:
        one read through the expiry index, one update of the earnings, one insert of the expiry
        moves (per member and store), one update of the balances.

        :return: number of earnings expired
        """
        today = today or fields.Date.context_today(self)
        self.flush_model()
        self.env["res.partner"].flush_model(["retail_points_balance"])
        self.env.cr.execute(SQL("""
            SELECT id, partner_id, COALESCE(card_id, 0), COALESCE(retail_store_id, 0), company_id, remaining
              FROM retail_points_move
             WHERE remaining > 0 AND expiry_date <= %s AND move_type IN ('earn', 'bonus', 'adjust')
        """, today))
        rows = self.env.cr.fetchall()
        if not rows:
            return 0
        data = np.array(rows, dtype=np.float64)
        move_ids = data[:, 0].astype(np.int64)
        keys = data[:, 1:5].astype(np.int64)
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        points = np.bincount(inverse, weights=data[:, 5], minlength=len(groups))
        values = {company.id: company.retail_points_value
                  for company in self.env["res.company"].sudo().browse(np.unique(groups[:, 3]).tolist())}
        group_values = np.round(points * np.array([values[c] for c in groups[:, 3].tolist()]), 2)
        now = fields.Datetime.now()
        self.env.cr.execute(SQL(
            "UPDATE retail_points_move SET remaining = 0 WHERE id = ANY(%s)", move_ids.tolist()))
        self.env.cr.execute(SQL("""
            INSERT INTO retail_points_move (partner_id, card_id, retail_store_id, company_id, move_type, date,
                                            points, remaining, value, create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, NULLIF(v.card_id, 0), NULLIF(v.store_id, 0), v.company_id, 'expire', %(now)s,
                   -v.points, 0, -v.value, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(partners)s::int[], %(cards)s::int[], %(stores)s::int[], %(companies)s::int[],
                          %(points)s::numeric[], %(values)s::numeric[])
                   AS v(partner_id, card_id, store_id, company_id, points, value)
        """, now=now, uid=self.env.uid, partners=groups[:, 0].tolist(), cards=groups[:, 1].tolist(),
            stores=groups[:, 2].tolist(), companies=groups[:, 3].tolist(), points=points.tolist(),
            values=group_values.tolist()))
        cards = groups[:, 1] > 0
        if cards.any():
            self.env.cr.execute(SQL("""
                INSERT INTO loyalty_history (card_id, description, issued, used, create_uid, create_date,
                                             write_uid, write_date)
                SELECT v.card_id, %(label)s, 0, v.points, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(cards)s::int[], %(points)s::numeric[]) AS v(card_id, points)
            """, label=self.env._("Points expired"), uid=self.env.uid, now=now,
                cards=groups[cards, 1].tolist(), points=points[cards].tolist()))
        partners, partner_inverse = np.unique(groups[:, 0], return_inverse=True)
        deltas = np.bincount(partner_inverse.reshape(-1), weights=points, minlength=len(partners))
        self.env.cr.execute(SQL("""
            WITH changed AS (
                UPDATE res_partner p SET retail_points_balance = COALESCE(p.retail_points_balance, 0) - v.delta
                  FROM unnest(%(ids)s::int[], %(deltas)s::numeric[]) AS v(id, delta)
                 WHERE p.id = v.id AND p.id = ANY(%(ids)s)
             RETURNING p.retail_loyalty_card_id AS card_id, p.retail_points_balance AS balance
            )
            UPDATE loyalty_card c SET points = changed.balance FROM changed WHERE c.id = changed.card_id
        """, ids=partners.tolist(), deltas=deltas.tolist()))
        self.env.invalidate_all()
        return len(move_ids)

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
        for company in self.env["res.company"].sudo().search([]):
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
