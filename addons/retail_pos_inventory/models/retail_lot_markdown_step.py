from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# prices within this of the floor or of each other are the same price
PRICE_EPSILON = 0.005


class RetailLotMarkdownStep(models.Model):
    """One step of a lot's markdown: the lot's price in its store from one moment to the next.

    The till loads the approved steps of its store still to come and sells the lot at the step's
    price while the step runs; the server accepts that price for that lot then, and only then.
    """

    _name = "retail.lot.markdown.step"
    _description = "Lot markdown step"
    _inherit = ["pos.load.mixin"]
    _order = "markdown_id, date_from"

    markdown_id = fields.Many2one("retail.lot.markdown", string="Lot Markdown", required=True, index=True,
                                  ondelete="cascade")
    store_id = fields.Many2one(related="markdown_id.store_id", store=True, index=True)
    product_id = fields.Many2one(related="markdown_id.product_id", store=True, index=True)
    lot_name = fields.Char(related="markdown_id.lot_name", store=True, index=True)
    state = fields.Selection(related="markdown_id.state", store=True, index=True)
    currency_id = fields.Many2one(related="markdown_id.currency_id")
    list_price = fields.Monetary(related="markdown_id.list_price")
    date_from = fields.Datetime(string="From", required=True)
    date_to = fields.Datetime(string="Until", required=True)
    price = fields.Monetary(required=True, help="The lot's unit price in the store during this step.")
    rate = fields.Float(string="Markdown", compute="_compute_rate", store=True, digits=(16, 4),
                        help="The reduction from the sales price.")

    @api.depends("price", "markdown_id.list_price")
    def _compute_rate(self):
        for step in self:
            list_price = step.markdown_id.list_price
            step.rate = 1.0 - step.price / list_price if list_price else 0.0

    @api.constrains("date_from", "date_to", "price")
    def _check_step(self):
        for step in self:
            markdown_ = step.markdown_id
            if step.date_to <= step.date_from:
                raise ValidationError(self.env._("A markdown step must end after it starts."))
            if markdown_.expiration_date and step.date_to > markdown_.expiration_date:
                raise ValidationError(self.env._(
                    "Lot %(lot)s expires on %(date)s: no step runs after it expires; an expired lot is "
                    "taken off sale, not marked down.", lot=markdown_.lot_name, date=markdown_.expiration_date))
            if step.price < markdown_.floor_price - PRICE_EPSILON:
                raise ValidationError(self.env._(
                    "%(price).2f is below the margin floor of %(floor).2f for lot %(lot)s.",
                    price=step.price, floor=markdown_.floor_price, lot=markdown_.lot_name))
            if step.price >= markdown_.list_price - PRICE_EPSILON:
                raise ValidationError(self.env._(
                    "A markdown step must lower the price of %(price).2f.", price=markdown_.list_price))
            others = markdown_.step_ids - step
            if any(other.date_from < step.date_to and step.date_from < other.date_to for other in others):
                raise ValidationError(self.env._("The steps of a markdown cannot overlap."))

    # ------------------------------------------------------------------ who may change them

    def _retail_check_changeable(self, markdowns):
        if self.env.su:
            return
        for markdown_ in markdowns:
            if markdown_.state != "proposed":
                raise UserError(self.env._("Only the steps of a proposed markdown can change."))
            if not self.env.user._retail_is_manager_of(markdown_.store_id):
                raise AccessError(self.env._(
                    "Only a manager of %(store)s may change its markdowns.",
                    store=markdown_.store_id.sudo().display_name))

    @api.model_create_multi
    def create(self, vals_list):
        self._retail_check_changeable(self.env["retail.lot.markdown"].browse(
            {vals.get("markdown_id") for vals in vals_list if vals.get("markdown_id")}))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "markdown_id" in vals:
            raise UserError(self.env._("A step stays with its markdown."))
        self._retail_check_changeable(self.markdown_id)
        return super().write(vals)

    def unlink(self):
        self._retail_check_changeable(self.markdown_id)
        return super().unlink()

    # ------------------------------------------------------------------ the till

    @api.model
    def _load_pos_data_domain(self, data, config):
        return [
            ("state", "=", "approved"),
            ("store_id", "=", config.warehouse_id.id),
            ("date_to", ">", fields.Datetime.now()),
        ]

    @api.model
    def _load_pos_data_fields(self, config):
        return ["id", "product_id", "lot_name", "date_from", "date_to", "price", "rate", "write_date"]

    @api.model
    def _load_pos_data_search_read(self, data, config):
        # the till's cashier reads the markdowns of the till's own store, whatever their own stores
        return super(RetailLotMarkdownStep, self.sudo())._load_pos_data_search_read(data, config)
