"""The demo chain's books: one posted entry per closed session, with its taxes and analytic lines."""

import datetime

import numpy as np

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import chain_catalogue


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    # ------------------------------------------------------------------ accounting

    def _write_accounting(self, chain):
        """One posted entry per closed session: sales per income account against each payment method.

        Written set-based, as the ORM would post them: a sequence per journal and month, lines
        of type ``product``, residuals on cash accounts, and the analytic lines of the store.
        """
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        configs = chain["pos_configs"]
        company = chain["company"]
        sessions = chain["sessions"]
        orders, lines = history["orders"], history["lines"]
        n_sessions = len(sessions["ids"])
        category_income = [c.property_account_income_categ_id or company.income_account_id
                           for c in chain["product_categories"]]
        income_accounts = sorted({a.id for a in category_income})
        account_of_category = np.array([income_accounts.index(a.id) for a in category_income])
        product_category = np.array([p["category"] for p in data["products"]])
        line_session = sessions["order_session"][lines[:, 0]]
        # revenue net of tax per income account and tax (the last column of a row: no tax)
        taxes, product_tax, line_tax = chain["taxes"], chain["product_tax"], chain["line_tax"]
        n_taxes = len(taxes) + 1
        line_tax_index = np.where(product_tax[lines[:, 1]] < 0, n_taxes - 1, product_tax[lines[:, 1]])
        line_group = account_of_category[product_category[lines[:, 1]]] * n_taxes + line_tax_index
        revenue = np.zeros((n_sessions, len(income_accounts) * n_taxes), dtype=np.int64)
        np.add.at(revenue, (line_session, line_group), history["line_subtotal"] - line_tax)
        tax_amount = np.zeros((n_sessions, n_taxes), dtype=np.int64)
        np.add.at(tax_amount, (line_session, line_tax_index), line_tax)
        tax_base = np.zeros((n_sessions, n_taxes), dtype=np.int64)
        np.add.at(tax_base, (line_session, line_tax_index), history["line_subtotal"] - line_tax)
        tax_repartition = [tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax")[:1]
                           for tax in taxes]
        if any(not line.account_id for line in tax_repartition):
            raise UserError(self.env._("Each sale tax of the generated products needs a tax account."))
        n_methods = len(chain_catalogue.PAYMENT_METHODS)
        paid = np.zeros((n_sessions, n_methods), dtype=np.int64)
        np.add.at(paid, (sessions["order_session"], orders[:, 4]), history["order_total"])
        method_accounts = np.array([
            [m.journal_id.default_account_id.id for m in chain["payment_methods"][store.id]] for store in stores])
        analytic = np.array([store.retail_analytic_account_id.id or 0 for store in stores])
        journal = configs[:1].journal_id
        if any(config.journal_id != journal for config in configs):
            raise UserError(self.env._("The generated tills must share one sales journal."))

        # entries: numbered per month in date order, after any entry already in the journal
        s_day = sessions["day"]
        s_store = sessions["store"]
        dates = [chain["start_date"] + datetime.timedelta(days=int(d)) for d in range(int(s_day.max()) + 1)]
        month = np.array([dates[d].year * 100 + dates[d].month for d in s_day.tolist()])
        order = np.lexsort((s_store, s_day))
        move_ids = np.empty(n_sessions, dtype=np.int64)
        move_ids[order] = self._reserve_ids("account_move", n_sessions)
        number = np.empty(n_sessions, dtype=np.int64)
        sorted_month = month[order]
        first = np.r_[0, np.nonzero(np.diff(sorted_month))[0] + 1]
        number[order] = np.arange(n_sessions) - np.repeat(first, np.diff(np.r_[first, n_sessions])) + 1
        self.env.cr.execute(SQL(
            "SELECT sequence_prefix, max(sequence_number) FROM account_move WHERE journal_id = %s GROUP BY 1",
            journal.id))
        already = dict(self.env.cr.fetchall())
        prefixes = {m: f"{journal.code}/{m // 100}/{m % 100:02d}/" for m in np.unique(month).tolist()}
        number += np.array([already.get(prefixes[m], 0) for m in month.tolist()], dtype=np.int64)
        total = paid.sum(axis=1)
        self._temp_table("retail_gen_move_entry", [
            ("rid", "int"), ("session_id", "int"), ("day", "int"), ("number", "int"), ("total", "numeric"),
            ("prefix", "text"), ("ref", "text")], [
            move_ids, sessions["ids"], s_day, number, total / 100.0, [prefixes[m] for m in month.tolist()],
            [f"{stores[s].code}/{dates[d].strftime('%Y%m%d')}" for s, d in zip(
                s_store.tolist(), s_day.tolist(), strict=True)]])
        start = chain["start_date"]
        self._insert("account_move", SQL("""
            INSERT INTO account_move (id, sequence_number, sequence_prefix, name, journal_id, company_id, currency_id,
                                      ref, state, move_type, auto_post, payment_state, invoice_partner_display_name,
                                      date, invoice_date_due, invoice_currency_rate, amount_untaxed, amount_tax,
                                      amount_total, amount_residual, amount_untaxed_signed,
                                      amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                                      amount_total_in_currency_signed, amount_residual_signed, always_tax_exigible,
                                      checked, posted_before, made_sequence_gap, is_manually_modified,
                                      create_uid, write_uid, create_date, write_date)
            SELECT rid, number, prefix, prefix || lpad(number::text, 4, '0'), %(journal)s, %(company)s,
                   %(currency)s, ref, 'posted', 'entry', 'no', 'not_paid', %(creator)s,
                   %(start)s::date + day::int, %(start)s::date + day::int, 0, 0, 0, round(total::numeric, 2),
                   0, 0, 0, 0, round(total::numeric, 2), round(total::numeric, 2), 0, true, true, true, false, false,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM retail_gen_move_entry""",
            journal=journal.id, company=company.id, currency=company.currency_id.id, start=start,
            uid=self.env.uid, creator=f"#Created by: {self.env.user.name}"))

        # lines: credit the income accounts net of tax (with the store's analytic account and the
        # tax of their goods), credit each tax, debit each payment method
        session_idx, group_idx = np.nonzero(revenue)
        tax_session, tax_idx = np.nonzero(tax_amount[:, :-1])
        pay_session, pay_method = np.nonzero(paid)
        method_names = ["Sales"] + [en for _c, _zh, en, _s, _cash in chain_catalogue.PAYMENT_METHODS]
        n_income, n_tax, n_pay = len(session_idx), len(tax_session), len(pay_session)
        zeros = np.zeros
        tax_ids = np.array([*taxes.ids, 0], dtype=np.int64)
        move_line_ids = self._reserve_ids("account_move_line", n_income + n_tax + n_pay)
        self._temp_table("retail_gen_move_line", [
            ("rid", "int"), ("move_id", "int"), ("account_id", "int"), ("balance", "numeric"), ("analytic", "int"),
            ("label", "text"), ("kind", "text"), ("base_tax", "int"), ("tax_line", "int"), ("repartition", "int"),
            ("tax_base", "numeric")], [
            move_line_ids,
            np.concatenate([move_ids[session_idx], move_ids[tax_session], move_ids[pay_session]]),
            np.concatenate([np.array(income_accounts)[group_idx // n_taxes],
                            np.array([line.account_id.id for line in tax_repartition] or [0])[tax_idx],
                            method_accounts[s_store[pay_session], pay_method]]),
            np.concatenate([-revenue[session_idx, group_idx], -tax_amount[tax_session, tax_idx],
                            paid[pay_session, pay_method]]) / 100.0,
            np.concatenate([analytic[s_store[session_idx]], zeros(n_tax + n_pay, dtype=np.int64)]),
            [method_names[0]] * n_income + [taxes[t].name for t in tax_idx.tolist()]
            + [method_names[m + 1] for m in pay_method.tolist()],
            ["product"] * n_income + ["tax"] * n_tax + ["product"] * n_pay,
            np.concatenate([tax_ids[group_idx % n_taxes], zeros(n_tax + n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income, dtype=np.int64), tax_ids[tax_idx], zeros(n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income, dtype=np.int64),
                            np.array([line.id for line in tax_repartition] or [0])[tax_idx],
                            zeros(n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income), tax_base[tax_session, tax_idx] / 100.0, zeros(n_pay)])])
        self._insert("account_move_line", SQL("""
            INSERT INTO account_move_line (id, move_id, journal_id, company_id, company_currency_id, sequence,
                                           account_id, tax_line_id, tax_repartition_line_id, tax_group_id,
                                           tax_base_amount,
                                           currency_id, move_name, parent_state, ref, name, display_type, date,
                                           analytic_distribution, debit, credit, balance, amount_currency,
                                           amount_residual, amount_residual_currency, quantity, price_unit,
                                           price_subtotal, price_total, discount, is_storno, reconciled,
                                           no_followup, deductible_amount, create_uid, write_uid, create_date,
                                           write_date)
            SELECT l.rid, m.id, m.journal_id, m.company_id, m.currency_id, 100, l.account_id,
                   NULLIF(l.tax_line, 0), NULLIF(l.repartition, 0), x.tax_group_id, round(l.tax_base::numeric, 2),
                   m.currency_id,
                   m.name, 'posted', m.ref, l.label, l.kind, m.date,
                   CASE WHEN l.analytic > 0 THEN jsonb_build_object(l.analytic::text, 100.0) END,
                   greatest(b.amount, 0), greatest(-b.amount, 0), b.amount, b.amount,
                   CASE WHEN a.reconcile OR a.account_type IN ('asset_cash', 'liability_credit_card')
                        THEN b.amount ELSE 0 END,
                   CASE WHEN a.reconcile OR a.account_type IN ('asset_cash', 'liability_credit_card')
                        THEN b.amount ELSE 0 END,
                   1, 0, b.amount, b.amount, 0, false, false, true, 100, m.create_uid, m.create_uid,
                   m.create_date, m.create_date
              FROM retail_gen_move_line l
              CROSS JOIN LATERAL (SELECT round(l.balance::numeric, 2) AS amount) b
              JOIN account_move m ON m.id = l.move_id
              JOIN account_account a ON a.id = l.account_id
         LEFT JOIN account_tax x ON x.id = l.tax_line"""))
        if taxes:
            self._insert("account_move_line_account_tax_rel", SQL("""
                INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id)
                SELECT rid, base_tax FROM retail_gen_move_line WHERE base_tax > 0"""))
        plan = self.env.ref("retail_base.analytic_plan_stores", raise_if_not_found=False)
        if plan:
            self._insert("account_analytic_line", SQL("""
                INSERT INTO account_analytic_line (name, category, date, amount, unit_amount, general_account_id,
                                                   journal_id, move_line_id, ref, company_id, currency_id, user_id,
                                                   %(plan_column)s, create_uid, write_uid, create_date, write_date)
                SELECT l.name, 'other', l.date, -l.balance, 1, l.account_id, l.journal_id, l.id, l.ref,
                       l.company_id, l.company_currency_id, l.create_uid, (k.key)::int, l.create_uid,
                       l.create_uid, l.create_date, l.create_date
                  FROM account_move_line l
                  CROSS JOIN LATERAL jsonb_each(l.analytic_distribution) k
                 WHERE l.move_id = ANY(%(moves)s) AND l.analytic_distribution IS NOT NULL""",
                plan_column=SQL.identifier(plan._column_name()), moves=move_ids.tolist()))
        self._insert("pos_session", SQL("""
            UPDATE pos_session s SET move_id = m.rid FROM retail_gen_move_entry m WHERE s.id = m.session_id"""))
        chain["session_moves"] = self.env["account.move"].browse(move_ids.tolist())
