from odoo import api, fields, models


class RetailMemberTierHistory(models.Model):
    _name = "retail.member.tier.history"
    _description = "Member tier change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    old_tier_id = fields.Many2one("retail.member.tier", string="From Tier", ondelete="set null")
    new_tier_id = fields.Many2one("retail.member.tier", string="To Tier", ondelete="set null")
    reason = fields.Selection(
        [("enrol", "Joined"), ("upgrade", "Upgrade"), ("downgrade", "Downgrade"), ("merge", "Merge")],
        required=True,
    )
    rolling_spend = fields.Float()
    home_store_id = fields.Many2one(related="partner_id.retail_home_store_id", string="Home Store")
    notified = fields.Boolean(default=False, index=True, copy=False)

    def write(self, vals):
        if set(vals) - {"notified"}:
            self.check_access("write")
            self.env["retail.points.move"]._retail_refuse_manual_edit()
        return super().write(vals)

    @api.model
    def _retail_notify_pending(self, limit=1000):
        """Tell members about their tier changes: a chatter message and a mail, in batches."""
        changes = self.sudo().search(
            [("notified", "=", False), ("reason", "in", ("upgrade", "downgrade"))], limit=limit)
        if not changes:
            return 0
        template = self.env.ref("retail_members.mail_template_tier_change", raise_if_not_found=False)
        partners = changes.partner_id
        bodies = {}
        for change in changes:
            body = self.env._(
                "Tier changed from %(old)s to %(new)s.",
                old=change.old_tier_id.name or "-", new=change.new_tier_id.name or "-")
            bodies[change.partner_id.id] = body
        partners._message_log_batch(bodies=bodies)
        if template:
            with_email = changes.filtered(lambda change: change.partner_id.email)
            if with_email:
                template.sudo().send_mail_batch(with_email.ids)
        changes.write({"notified": True})
        return len(changes)
