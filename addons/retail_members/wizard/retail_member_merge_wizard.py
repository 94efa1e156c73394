from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


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
        # the selection as stored, members behind the user's store wall included
        selected = self.sudo().partner_ids.with_env(self.env)
        keep = self.keep_partner_id
        if selected - selected._filtered_access("read") or keep - keep._filtered_access("read"):
            raise AccessError(self.env._("You can merge only the members of your stores."))
        others = selected - keep
        if not keep or keep not in selected:
            raise UserError(self.env._("Choose which of the selected members to keep."))
        if not others:
            raise UserError(self.env._("Select at least two members to merge."))
        if others.filtered(lambda partner: not partner.retail_is_member) or not keep.retail_is_member:
            raise UserError(self.env._("Only members can be merged here."))
        if len({partner.company_id for partner in selected}) > 1:
            raise UserError(self.env._("Only members of the same company can be merged."))
        keep._retail_merge(others)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": keep.id,
            "view_mode": "form",
        }
