import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import forecast, replenishment

HISTORY_DAYS = 180
HORIZON = 28


class RetailReplenishment(models.Model):
    """Orderpoints computed from the demand forecast: a preview against today's, then approval.

    Computing reads each store's sales history, forecasts every product 28 days ahead with its
    error, and proposes a reorder point (the orderpoint's minimum) and an order-up-to level (its
    maximum) per store and product for the lead time, review period and service level given.
    Nothing changes in the stores until headquarters approves; approving writes the orderpoints
    in batches.
    """

    _name = "retail.replenishment"
    _description = "Replenishment levels from the forecast"
    _inherit = ["mail.thread", "retail.guarded.mixin"]
    _order = "id desc"
    _retail_guarded_fields = ("state", "approved_by_id", "computed_at", "origin")

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    state = fields.Selection([("draft", "Draft"), ("approved", "Approved"), ("cancel", "Cancelled")],
                             default="draft", required=True, readonly=True, copy=False, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    origin = fields.Selection(
        [("manual", "By Hand"), ("nightly", "Nightly Planning")], default="manual", required=True,
        readonly=True, copy=False,
        help="Nightly: computed by the night's planning for one store, with the settings last approved "
             "for it; the next night replaces it if it is still a draft.")
    store_ids = fields.Many2many(
        "stock.warehouse", string="Stores", domain="[('retail_store_type', '=', 'store')]",
        help="Stores to compute. Leave empty for every store.")
    lead_days = fields.Float(
        string="Lead Time (days)", default=2.0, required=True,
        help="Days from the order to the goods on the shelf.")
    review_days = fields.Float(
        string="Review Period (days)", default=7.0, required=True,
        help="Days between two looks at the stock: 1 when replenishment runs every day.")
    service_level = fields.Float(
        default=0.95, required=True, digits=(16, 3),
        help="Share of replenishment cycles that should not run out: 0.95 for 95 %.")
    computed_at = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_ids = fields.One2many("retail.replenishment.line", "replenishment_id", string="Levels")
    line_count = fields.Integer(compute="_compute_line_count")
    changed_count = fields.Integer(string="Changes", compute="_compute_line_count")

    @api.constrains("lead_days", "review_days", "service_level")
    def _check_settings(self):
        for proposal in self:
            if proposal.lead_days < 0 or proposal.review_days <= 0 or not 0 < proposal.service_level < 1:
                raise ValidationError(self.env._(
                    "The lead time cannot be negative, the review period must be positive and the "
                    "service level is a share between 0 and 1, such as 0.95."))

    @api.depends("line_ids.changed")
    def _compute_line_count(self):
        for proposal in self:
            proposal.line_count = len(proposal.line_ids)
            proposal.changed_count = len(proposal.line_ids.filtered("changed"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("retail.replenishment") or "/"
        return super().create(vals_list)

    def _check_draft(self):
        if any(proposal.state != "draft" for proposal in self):
            raise UserError(self.env._("Only a draft replenishment can be changed."))

    def action_compute(self):
        """Forecast every product of the stores and replace the draft levels."""
        self.ensure_one()
        self.check_access("write")
        self._check_draft()
        if self.lead_days + self.review_days > HORIZON:
            raise UserError(self.env._(
                "Lead time and review period together cannot exceed the %(days)s days the forecast "
                "looks ahead.", days=HORIZON))
        stores = self.store_ids or self.env["stock.warehouse"].search(
            [("retail_store_type", "=", "store"), ("company_id", "=", self.company_id.id)])
        history = self.env["retail.dispatch.proposal"]._retail_sales_history(stores, HISTORY_DAYS)
        sold, censored = history["sold"], history["censored"]
        selling = sold.sum(axis=1) > 0
        product_ids = history["product"][selling].tolist()
        store_ids = history["store"][selling].tolist()
        category_of = {product.id: product.categ_id.id
                       for product in self.env["product.product"].browse(set(product_ids))}
        self.line_ids.sudo().unlink()
        if product_ids:
            result = forecast.forecast(
                sold[selling], censored[selling], horizon=HORIZON,
                first_weekday=history["first_day"].weekday(),
                groups=np.array([category_of[product] for product in product_ids], dtype=np.int64))
            reorder, up_to, safety = replenishment.levels(
                result.mean, result.sigma, self.lead_days, self.review_days, self.service_level)
            current = self._retail_current_orderpoints(store_ids, product_ids)
            values = []
            for index, (store_id, product_id) in enumerate(zip(store_ids, product_ids, strict=True)):
                orderpoint = current.get((store_id, product_id))
                values.append({
                    "replenishment_id": self.id,
                    "store_id": store_id,
                    "product_id": product_id,
                    "orderpoint_id": orderpoint.id if orderpoint else False,
                    "current_min_qty": orderpoint.product_min_qty if orderpoint else 0.0,
                    "current_max_qty": orderpoint.product_max_qty if orderpoint else 0.0,
                    "forecast_daily": float(result.mean[index].mean()),
                    "forecast_error": float(result.sigma[index]),
                    "method": forecast.METHODS[result.method[index]],
                    "safety_stock": float(safety[index]),
                    "min_qty": float(reorder[index]),
                    "max_qty": float(up_to[index]),
                })
            self.env["retail.replenishment.line"].sudo().create(values)
        self.sudo().write({"computed_at": fields.Datetime.now()})
        return True

    def _retail_current_orderpoints(self, store_ids, product_ids):
        """Today's orderpoint of each store and product at the store's stock location, archived or
        manual ones included: Odoo allows one per product and location."""
        stores = self.env["stock.warehouse"].browse(set(store_ids))
        orderpoints = self.env["stock.warehouse.orderpoint"].with_context(active_test=False).search([
            ("warehouse_id", "in", stores.ids), ("product_id", "in", list(set(product_ids))),
            ("location_id", "in", stores.lot_stock_id.ids),
        ])
        return {(orderpoint.warehouse_id.id, orderpoint.product_id.id): orderpoint for orderpoint in orderpoints}

    def action_approve(self):
        """Write the changed levels to the orderpoints: one write per distinct pair of levels,
        one create for the products that have none yet. Approved orderpoints are automatic."""
        self.ensure_one()
        self.check_access("write")
        self._check_draft()
        changed = self.line_ids.filtered("changed")
        if not changed:
            raise UserError(self.env._("There is nothing to approve: every level is already in place."))
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo()
        existing = changed.filtered("orderpoint_id")
        by_levels = {}
        for line in existing:
            by_levels.setdefault((line.min_qty, line.max_qty), Orderpoint)
            by_levels[line.min_qty, line.max_qty] |= line.orderpoint_id
        for (min_qty, max_qty), orderpoints in by_levels.items():
            orderpoints.write({"product_min_qty": min_qty, "product_max_qty": max_qty, "trigger": "auto",
                               "active": True})
        Orderpoint.create([{
            "warehouse_id": line.store_id.id,
            "location_id": line.store_id.lot_stock_id.id,
            "product_id": line.product_id.id,
            "trigger": "auto",
            "product_min_qty": line.min_qty,
            "product_max_qty": line.max_qty,
            "company_id": line.store_id.company_id.id,
        } for line in changed - existing])
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid})
        return True

    def action_cancel(self):
        self.ensure_one()
        self.check_access("write")
        self._check_draft()
        self.sudo().write({"state": "cancel"})
        return True


class RetailReplenishmentLine(models.Model):
    _name = "retail.replenishment.line"
    _description = "Replenishment level of a store and product"
    _order = "changed desc, store_id, product_id"

    replenishment_id = fields.Many2one("retail.replenishment", required=True, ondelete="cascade", index=True)
    store_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", readonly=True)
    current_min_qty = fields.Float(string="Current Min", readonly=True, digits="Product Unit")
    current_max_qty = fields.Float(string="Current Max", readonly=True, digits="Product Unit")
    forecast_daily = fields.Float(string="Forecast / Day", readonly=True, digits=(16, 2))
    forecast_error = fields.Float(string="Error / Day", readonly=True, digits=(16, 2),
                                  help="The forecast's error per day in its backtest (RMSE).")
    method = fields.Char(readonly=True)
    safety_stock = fields.Float(readonly=True, digits="Product Unit")
    min_qty = fields.Float(string="Reorder Point", readonly=True, digits="Product Unit",
                           help="The orderpoint's minimum: lead-time demand plus safety stock.")
    max_qty = fields.Float(string="Order Up To", readonly=True, digits="Product Unit",
                           help="The orderpoint's maximum: demand over lead time and review period plus safety stock.")
    changed = fields.Boolean(compute="_compute_changed", store=True)

    @api.depends("min_qty", "max_qty", "current_min_qty", "current_max_qty", "orderpoint_id")
    def _compute_changed(self):
        for line in self:
            line.changed = not line.orderpoint_id or (line.min_qty, line.max_qty) != (
                line.current_min_qty, line.current_max_qty)
