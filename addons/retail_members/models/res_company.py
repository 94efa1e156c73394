from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    retail_points_per_currency = fields.Float(
        string="Points per Currency Unit", default=1.0,
        help="Base earning rate: points earned per unit of currency paid, before the tier multiplier.",
    )
    retail_points_value = fields.Float(
        string="Value per Point", default=0.01, digits=(16, 4),
        help="What one point is worth when redeemed; also the value at which outstanding points "
        "are booked as a liability.",
    )
    retail_points_expiry_months = fields.Integer(
        string="Points Expire After (months)", default=12,
        help="Points expire first in, first out, this many months after they were earned.",
    )
    retail_member_program_id = fields.Many2one(
        "loyalty.program", string="Member Programme",
        domain="[('program_type', '=', 'loyalty')]",
        help="The loyalty programme whose cards hold the members' points balances.",
    )
    retail_points_journal_id = fields.Many2one(
        "account.journal", string="Points Journal", domain="[('type', '=', 'general')]",
        help="Journal of the points liability, redemption and breakage entries.",
    )
    retail_points_liability_account_id = fields.Many2one(
        "account.account", string="Points Liability Account",
        help="Credited with the value of points when earned, debited when redeemed or expired.",
    )
    retail_points_expense_account_id = fields.Many2one(
        "account.account", string="Points Cost Account",
        help="Debited with the value of points earned (revenue deferred to the liability) and "
        "credited back when points are redeemed or reversed.",
    )
    retail_points_breakage_account_id = fields.Many2one(
        "account.account", string="Points Breakage Account",
        help="Income recognised when points expire unused.",
    )

    def _retail_member_program(self):
        self.ensure_one()
        program = self.sudo().retail_member_program_id
        if program:
            return program
        program = self.env["loyalty.program"].sudo().search(
            [("retail_is_member_program", "=", True), ("company_id", "in", [self.id, False])], limit=1)
        if not program:
            program = self.env["loyalty.program"].sudo()._retail_create_member_program(self)
        self.sudo().retail_member_program_id = program
        return program

    def _retail_points_accounting(self):
        """Accounts and journal of the points liability, created the first time they are needed
        when the company has a chart of accounts."""
        self.ensure_one()
        company = self.sudo()
        if (company.retail_points_journal_id and company.retail_points_liability_account_id
                and company.retail_points_expense_account_id and company.retail_points_breakage_account_id):
            return company
        Account = self.env["account.account"].sudo().with_company(company)
        if not Account.search_count([("company_ids", "in", company.id)], limit=1):
            return company

        def account(code, name, account_type):
            existing = Account.search([("company_ids", "in", company.id), ("code", "=", code)], limit=1)
            return existing or self._retail_create_named(Account, {
                "code": code, "account_type": account_type, "company_ids": [(6, 0, company.ids)],
            }, name)

        vals = {}
        if not company.retail_points_liability_account_id:
            vals["retail_points_liability_account_id"] = account(
                "219100", lambda env: env._("Member Points Liability"), "liability_current").id
        if not company.retail_points_expense_account_id:
            vals["retail_points_expense_account_id"] = account(
                "619100", lambda env: env._("Member Points Cost"), "expense").id
        if not company.retail_points_breakage_account_id:
            vals["retail_points_breakage_account_id"] = account(
                "719100", lambda env: env._("Member Points Breakage"), "income_other").id
        if not company.retail_points_journal_id:
            Journal = self.env["account.journal"].sudo()
            journal = Journal.search([("company_id", "=", company.id), ("code", "=", "PTS")], limit=1)
            vals["retail_points_journal_id"] = (journal or self._retail_create_named(Journal, {
                "code": "PTS", "type": "general", "company_id": company.id,
            }, lambda env: env._("Member Points"))).id
        company.write(vals)
        return company

    def _retail_create_named(self, model, vals, name):
        """Create a record of ``model`` whose translated name reads right in every installed
        language: ``name`` gives the name in the language of the environment it is handed."""
        record = model.with_context(lang="en_US").create({**vals, "name": name(model.with_context(lang="en_US").env)})
        for code, _label in self.env["res.lang"].get_installed():
            if code != "en_US":
                localized = record.with_context(lang=code)
                localized.name = name(localized.env)
        return record
