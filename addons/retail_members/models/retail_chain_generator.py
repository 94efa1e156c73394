from odoo import api, models


class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        """Demo members get a card, a tier and a history of points."""
        result = super()._retail_generate_extra(chain)
        members = chain.get("members") or self.env["res.partner"]
        stores = chain.get("stores") or self.env["stock.warehouse"]
        company = chain.get("company") or self.env.company
        if not members:
            return result
        rng = chain["rng"]
        new = members.filtered(lambda partner: not partner.retail_is_member)
        store_ids = stores.ids or [False]
        for index, partner in enumerate(new):
            partner.write({"retail_is_member": True, "retail_home_store_id": store_ids[index % len(store_ids)]})
        Move = self.env["retail.points.move"]
        members = members.filtered("retail_is_member")
        amounts = rng.integers(20, 2000, size=len(members))
        Move._retail_post([
            Move._retail_prepare_vals(member, "adjust", int(amount), company, note="demo")
            for member, amount in zip(members, amounts.tolist(), strict=True)
        ])
        changes = self.env["retail.member.tier"]._retail_evaluate(company=company)
        chain.setdefault("summary", {})["retail_members"] = len(members)
        chain["summary"]["retail_member_tier_changes"] = changes
        return result
