from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    retail_is_member_program = fields.Boolean(
        string="Member Programme", copy=False, readonly=True,
        help="The points of this programme are earned, redeemed and expired by the member "
        "ledger on the server; the till never sets them.",
    )

    @api.model
    def _retail_create_member_program(self, company):
        return self.sudo().with_context(loyalty_skip_reward_check=True).create({
            "name": self.env._("Members"),
            "program_type": "loyalty",
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "retail_is_member_program": True,
            "pos_ok": False,
            "rule_ids": [(5, 0, 0)],
            "reward_ids": [(5, 0, 0), (0, 0, {
                "reward_type": "discount",
                "discount_mode": "per_point",
                "discount": company.retail_points_value,
                "discount_applicability": "order",
                "required_points": 1,
                "description": self.env._("Member points"),
            })],
        })

    def write(self, vals):
        if "pos_ok" in vals and vals["pos_ok"] and any(self.mapped("retail_is_member_program")):
            raise UserError(self.env._(
                "The member programme is handled by the member ledger and cannot be used by the till's loyalty rules."))
        return super().write(vals)
