from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    retail_store_type = fields.Selection(
        [("store", "Store"), ("dc", "Distribution Centre")],
        string="Retail Role",
        help="A store sells through its point of sale; a distribution centre supplies stores "
        "and sells nothing. Leave empty for warehouses outside the retail chain.",
    )
    retail_region_id = fields.Many2one("retail.region", string="Region", index=True)
    retail_user_ids = fields.Many2many(
        "res.users",
        "retail_store_user_rel",
        "warehouse_id",
        "user_id",
        string="Staff",
        help="Users who work in this store. They see this store's records.",
    )
    retail_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        copy=False,
        help="Journal entries of this store carry this analytic account, so finance gets a "
        "profit and loss per store.",
    )
    retail_opening_date = fields.Date(string="Opened On")
    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses.filtered(
            lambda w: w.retail_store_type and not w.retail_analytic_account_id
        )._retail_create_analytic_accounts()
        return warehouses

    def write(self, vals):
        result = super().write(vals)
        if vals.get("retail_store_type"):
            self.filtered(
                lambda w: not w.retail_analytic_account_id
            )._retail_create_analytic_accounts()
        return result

    def _retail_create_analytic_accounts(self):
        if not self:
            return
        plan = self.env.ref("retail_base.analytic_plan_stores", raise_if_not_found=False)
        if not plan:
            return
        accounts = self.env["account.analytic.account"].sudo().create(
            [self._prepare_retail_analytic_account_vals(plan, warehouse) for warehouse in self]
        )
        for warehouse, account in zip(self, accounts, strict=True):
            warehouse.retail_analytic_account_id = account

    @api.model
    def _prepare_retail_analytic_account_vals(self, plan, warehouse):
        return {
            "name": warehouse.name,
            "code": warehouse.code,
            "plan_id": plan.id,
            "company_id": warehouse.company_id.id,
        }

    @api.model
    def _retail_store_domain(self):
        return [("retail_store_type", "=", "store")]
