from odoo import api, fields, models
from odoo.exceptions import AccessError

# The tills the server holds to the retail checks: those of the stores of this type.
ENFORCED_STORE_TYPE = "store"


class PosConfig(models.Model):
    _inherit = "pos.config"

    retail_scan_first = fields.Boolean(
        string="Scan First",
        help="Products that have a barcode can only be added by scanning it. Adding one by "
        "tapping or searching needs a store manager's approval (PIN or badge).",
    )
    retail_max_line_discount = fields.Float(
        string="Maximum Line Discount (%)",
        default=100.0,
        help="Highest discount a cashier may give on one line. A higher discount needs a store "
        "manager's approval; the server refuses orders that exceed it without one.",
    )
    retail_max_order_discount = fields.Float(
        string="Maximum Order Discount (%)",
        default=100.0,
        help="Highest discount over the whole order (all line discounts weighted by amount). A "
        "higher one needs a store manager's approval at payment.",
    )
    retail_price_override_allowed = fields.Boolean(
        string="Cashiers May Lower Prices",
        default=True,
        help="When unticked, a unit price below the pricelist price needs a store manager's "
        "approval, in the till and again on the server when the order is synchronised.",
    )
    retail_return_without_receipt = fields.Boolean(
        string="Returns Without Receipt",
        default=True,
        help="When unticked, returning goods without the original receipt needs a store "
        "manager's approval. Returns against a receipt are always limited to what the receipt "
        "sold minus earlier returns.",
    )
    retail_return_approval_amount = fields.Float(
        string="Return Approval Above",
        help="Returns without receipt worth more than this amount need a store manager's "
        "approval. Zero means no amount limit.",
    )
    retail_cash_out_limit = fields.Float(
        string="Cash-Out Limit",
        help="Largest amount a cashier may take out of the drawer in one move without a store "
        "manager's approval. Zero means no limit.",
    )
    retail_cash_drop_witness = fields.Boolean(
        string="Cash Drops Witnessed",
        help="Cash drops (surplus cash moved from the drawer to the safe) are never held to the "
        "cash-out limit, since the money stays in the company's custody. When ticked, each drop "
        "also needs a store manager's PIN or badge at the till, as a witness; the manager is "
        "recorded on the drop.",
    )
    retail_blind_closing = fields.Boolean(
        string="Blind Closing",
        help="At closing the cashier counts the cash without seeing the expected amount; the "
        "difference is recorded per cashier and session for the store manager.",
    )

    retail_sync_batch_size = fields.Integer(
        string="Orders per Synchronisation",
        default=10,
        help="A till with several orders waiting (after being offline, or after a failed "
        "synchronisation) sends them in calls of up to this many orders instead of one call each. "
        "The server records a call whole or not at all; when it refuses one, the till sends its "
        "orders again one by one. 1 sends every order in its own call, as Odoo does.",
    )

    retail_receipt_store_name = fields.Char(string="Store on Receipt", compute="_compute_retail_receipt_store")
    retail_receipt_store_address = fields.Char(
        string="Store Address on Receipt", compute="_compute_retail_receipt_store"
    )
    retail_receipt_tax_id = fields.Char(string="Tax ID on Receipt", compute="_compute_retail_receipt_store")

    _retail_max_line_discount_range = models.Constraint(
        "CHECK(retail_max_line_discount >= 0 AND retail_max_line_discount <= 100)",
        "The maximum line discount must be between 0 and 100%.",
    )
    _retail_max_order_discount_range = models.Constraint(
        "CHECK(retail_max_order_discount >= 0 AND retail_max_order_discount <= 100)",
        "The maximum order discount must be between 0 and 100%.",
    )

    _retail_sync_batch_size_range = models.Constraint(
        "CHECK(retail_sync_batch_size >= 1 AND retail_sync_batch_size <= 100)",
        "The orders per synchronisation must be between 1 and 100.",
    )

    @api.depends("warehouse_id.name", "warehouse_id.partner_id", "company_id.vat")
    def _compute_retail_receipt_store(self):
        for config in self:
            warehouse = config.sudo().warehouse_id if config.warehouse_id.retail_store_type else False
            partner = warehouse.partner_id if warehouse else False
            config.retail_receipt_store_name = warehouse.name if warehouse else False
            config.retail_receipt_store_address = (
                ", ".join(filter(None, [partner.street, partner.street2, partner.city, partner.zip]))
                if partner else False
            ) or False
            config.retail_receipt_tax_id = (partner and partner.vat) or config.company_id.vat or False

    @api.model
    def _retail_policy_fields(self):
        return [
            "retail_scan_first", "retail_max_line_discount", "retail_max_order_discount",
            "retail_price_override_allowed", "retail_return_without_receipt",
            "retail_return_approval_amount", "retail_cash_out_limit", "retail_cash_drop_witness",
            "retail_blind_closing", "retail_sync_batch_size",
        ]

    def _create_sequences(self):
        result = super()._create_sequences()
        self._retail_use_standard_sequences()
        return result

    def _retail_till_sequences(self):
        return self.order_seq_id | self.order_backend_seq_id | self.order_line_seq_id | self.device_seq_id

    def _retail_use_standard_sequences(self):
        """Number the tills' orders, order lines and devices from PostgreSQL sequences.

        Core makes these four sequences ``no_gap``: every order and every order line takes
        ``SELECT ... FOR UPDATE NOWAIT`` on its till's sequence row and keeps the lock until its
        transaction ends, so a second synchronisation of the same till meanwhile fails at once
        with "could not obtain lock on row in relation ir_sequence" (and again after the
        request's retries). A ``standard`` sequence is PostgreSQL's ``nextval``, which takes no
        row lock. The numbers continue where they were; a synchronisation that is rolled back
        leaves a gap in the till's ticket numbers. The order's identity is its uuid, and the
        gapless numbering the books need is the journal entries' own.
        """
        sequences = self.sudo()._retail_till_sequences().filtered(lambda seq: seq.implementation != "standard")
        if sequences:
            sequences.write({"implementation": "standard"})

    def write(self, vals):
        if not self.env.su and set(vals) & set(self._retail_policy_fields()):
            self._retail_check_policy_access()
        return super().write(vals)

    def _retail_check_policy_access(self):
        user = self.env.user
        if user.has_group("point_of_sale.group_pos_manager") or user.has_group(
            "retail_base.group_retail_hq"
        ):
            return
        for config in self:
            if not user._retail_is_manager_of(config.warehouse_id):
                raise AccessError(self.env._(
                    "Only a manager of the store %(store)s may change the retail policy of "
                    "the till %(till)s.",
                    store=config.warehouse_id.display_name, till=config.display_name,
                ))

    def _retail_price_exempt_products(self):
        """Products whose lines are not held to the price list: core's special products (their
        price is set at the till by design) and the till's tip product (checked as a tip)."""
        self.ensure_one()
        return self._get_special_products() | self.tip_product_id

    def _retail_enforced(self):
        """Whether the server holds this till's orders to the retail checks: the tills of retail
        stores. Other tills of the database keep core's behaviour."""
        self.ensure_one()
        return self.sudo().warehouse_id.retail_store_type == ENFORCED_STORE_TYPE

    def _retail_policy(self):
        """The policy as plain data for the checks in ``tools.policy``."""
        self.ensure_one()
        return {
            "max_line_discount": self.retail_max_line_discount,
            "max_order_discount": self.retail_max_order_discount,
            "price_override_allowed": self.retail_price_override_allowed,
            "return_without_receipt_allowed": self.retail_return_without_receipt,
            "return_approval_amount": self.retail_return_approval_amount,
        }
