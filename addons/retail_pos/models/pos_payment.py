from odoo import api, models

RECORDED_PAYMENT_FIELDS = frozenset({"pos_order_id", "amount", "payment_method_id", "is_change"})


class PosPayment(models.Model):
    _inherit = "pos.payment"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            order_ids = {vals.get("pos_order_id") for vals in vals_list if vals.get("pos_order_id")}
            self.env["pos.order"].browse(order_ids)._retail_check_recorded(RECORDED_PAYMENT_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and RECORDED_PAYMENT_FIELDS & vals.keys():
            self.pos_order_id._retail_check_recorded(RECORDED_PAYMENT_FIELDS)
            if vals.get("pos_order_id"):
                self.env["pos.order"].browse(vals["pos_order_id"])._retail_check_recorded(RECORDED_PAYMENT_FIELDS)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.pos_order_id._retail_check_recorded(RECORDED_PAYMENT_FIELDS)
        return super().unlink()
