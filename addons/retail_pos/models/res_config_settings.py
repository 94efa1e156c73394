from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_retail_scan_first = fields.Boolean(related="pos_config_id.retail_scan_first", readonly=False)
    pos_retail_max_line_discount = fields.Float(
        related="pos_config_id.retail_max_line_discount", readonly=False
    )
    pos_retail_max_order_discount = fields.Float(
        related="pos_config_id.retail_max_order_discount", readonly=False
    )
    pos_retail_price_override_allowed = fields.Boolean(
        related="pos_config_id.retail_price_override_allowed", readonly=False
    )
    pos_retail_return_without_receipt = fields.Boolean(
        related="pos_config_id.retail_return_without_receipt", readonly=False
    )
    pos_retail_return_approval_amount = fields.Float(
        related="pos_config_id.retail_return_approval_amount", readonly=False
    )
    pos_retail_cash_out_limit = fields.Float(
        related="pos_config_id.retail_cash_out_limit", readonly=False
    )
    pos_retail_cash_drop_witness = fields.Boolean(
        related="pos_config_id.retail_cash_drop_witness", readonly=False
    )
    pos_retail_blind_closing = fields.Boolean(
        related="pos_config_id.retail_blind_closing", readonly=False
    )
    pos_retail_sync_batch_size = fields.Integer(
        related="pos_config_id.retail_sync_batch_size", readonly=False
    )
