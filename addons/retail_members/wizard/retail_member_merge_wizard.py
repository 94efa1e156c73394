from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class RetailMemberMergeWizard(models.TransientModel):
    _name = "retail.member.merge.wizard"
    _description = "Merge duplicate members"

    partner_ids = fields.Many2many("res.partner", string="Members", domain="[('retail_is_member', '=', True)]")
    keep_partner_id = fields.Many2one(
        "res.partner", string="Keep", domain="[('id', 'in', partner_ids)]",
        help="The member that stays. The others' points ledger, orders and tier history move onto it "
        "and they stop being members.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        active_ids = self.env.context.get("active_ids") or []
        if self.env.context.get("active_model") == "res.partner" and active_ids:
            values["partner_ids"] = [(6, 0, active_ids)]
            values["keep_partner_id"] = min(active_ids)
        return values

    def action_merge(self):
        self.ensure_one()
        if not self.env.user.has_group("retail_base.group_retail_manager"):
            raise UserError(self.env._("Only store managers and headquarters may merge members."))
        keep = self.keep_partner_id
        others = self.partner_ids - keep
        if not keep or keep not in self.partner_ids:
            raise UserError(self.env._("Choose which of the selected members to keep."))
        if not others:
            raise UserError(self.env._("Select at least two members to merge."))
        if others.filtered(lambda partner: not partner.retail_is_member) or not keep.retail_is_member:
            raise UserError(self.env._("Only members can be merged here."))
        keep._retail_merge(others)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": keep.id,
            "view_mode": "form",
        }


class ResPartnerMerge(models.Model):
    _inherit = "res.partner"

    def _retail_merge(self, others):
        """Move the points ledger, orders and tier history of ``others`` onto this member."""
        self.ensure_one()
        keep = self.sudo()
        others = others.sudo()
        self.env["retail.points.move"].flush_model()
        self.env["pos.order"].flush_model(["partner_id"])
        self.env.cr.execute(SQL(
            "UPDATE retail_points_move SET partner_id = %s, card_id = %s WHERE partner_id = ANY(%s)",
            keep.id, keep.retail_loyalty_card_id.id or None, others.ids))
        self.env.cr.execute(SQL("UPDATE pos_order SET partner_id = %s WHERE partner_id = ANY(%s)", keep.id, others.ids))
        self.env.cr.execute(SQL(
            "UPDATE retail_member_tier_history SET partner_id = %s WHERE partner_id = ANY(%s)", keep.id, others.ids))
        self.env.invalidate_all()
        lifetime = sum(others.mapped("retail_lifetime_spend"))
        names = ", ".join(f"{other.name} ({other.retail_member_number})" for other in others)
        others.write({"retail_is_member": False, "retail_mobile": False, "active": False})
        keep.retail_lifetime_spend += lifetime
        (keep | others)._retail_sync_points_balance()
        self.env["retail.member.tier"]._retail_evaluate(
            company=keep.company_id or self.env.company, partner_ids=keep.ids, allow_downgrade=False)
        keep.message_post(body=self.env._("Merged members: %(names)s.", names=names))
        return keep
