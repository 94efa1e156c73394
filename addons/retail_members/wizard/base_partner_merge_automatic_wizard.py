from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Command


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _retail_merge_members(self, src_partners, dst_partner):
        """Core's merge of contacts, for members: every reference to ``src_partners`` moves to
        ``dst_partner`` as ``_merge`` moves it, but the merged-away members are kept.

        ``_merge`` deletes the source contacts; a merged-away member stays, archived, as the
        record of the number and card they held, so this runs the steps of ``_merge`` but the
        deletion: its checks that keep the data sound (no contact merged with its parent, one
        user at most), the bank accounts, the foreign keys (orders, points ledger and lots, tier
        history, lookups, ...; ``loyalty`` merges the cards there), the reference fields and
        messages. The values of the kept member are left as they are: the one who merges chose
        it. Its e-mail check and its limit of three contacts are for the contacts' own merge,
        whose caller is only checked by access rights; the member merge wizard checks who asks.
        """
        partners = src_partners | dst_partner
        Partner = self.env["res.partner"]
        for partner in partners:
            if (Partner.search([("id", "child_of", partner.id)]) - partner) & partners:
                raise UserError(self.env._("You cannot merge a contact with one of his parent."))
        if len(partners.with_context(active_test=False).user_ids) > 1:
            raise UserError(self.env._(
                "You cannot merge contacts linked to more than one user even if only one is active."))
        if dst_partner.company_id:
            partners.user_ids.sudo().write({
                "company_ids": [Command.link(dst_partner.company_id.id)],
                "company_id": dst_partner.company_id.id,
            })
        self._merge_bank_accounts(src_partners, dst_partner)
        self._update_foreign_keys(src_partners, dst_partner)
        self._update_reference_fields(src_partners, dst_partner)
        # the foreign keys were moved in SQL, the merged-away members' own commercial entity too
        self.env.invalidate_all()
        self.env.add_to_compute(Partner._fields["partner_share"], dst_partner)
        self.env.add_to_compute(Partner._fields["commercial_partner_id"], src_partners)
