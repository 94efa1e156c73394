from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

DEFAULT_LIMIT = 20
DEFAULT_WINDOW_MINUTES = 5
# a member of another store found at the till may be sold to by that user for this long
GRANT_HOURS = 24
KEEP_DAYS = 2


class RetailMemberLookup(models.Model):
    """One member lookup at the till: counts towards the user's limit, and lets the user sell to
    the member found although the store wall hides them."""

    _name = "retail.member.lookup"
    _description = "Member Lookup at the Till"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    partner_ids = fields.Many2many(
        "res.partner", "retail_member_lookup_partner_rel", "lookup_id", "partner_id",
        string="Members Found", readonly=True)
    latest = fields.Boolean(
        string="Latest Lookup", readonly=True,
        help="The user's latest lookup. The next lookup of the user locks and clears it, so that two "
        "lookups of one user at the same time are counted one after the other.")

    _user_date_idx = models.Index("(user_id, create_date)")
    _user_latest_idx = models.Index("(user_id) WHERE latest")

    @api.model
    def _retail_limits(self):
        """(lookups allowed, window in minutes), from the system parameters."""
        params = self.env["ir.config_parameter"].sudo()

        def positive(key, default):
            try:
                return max(1, int(params.get_param(key, default)))
            except (TypeError, ValueError):
                return default

        return (positive("retail_members.member_lookup_limit", DEFAULT_LIMIT),
                positive("retail_members.member_lookup_window_minutes", DEFAULT_WINDOW_MINUTES))

    @api.model
    def _retail_take_attempt(self):
        """Count one lookup of the current user, or return False when the user reached the limit.

        Nothing is written on a refusal. Under repeatable read, two lookups of the same user at the
        same time would each count without the other; both lock the user's latest lookup, and the
        one that clears it first makes the other fail with a serialization error, which Odoo retries
        with a fresh snapshot that counts the first.
        """
        limit, minutes = self._retail_limits()
        uid = self.env.uid
        self.flush_model()
        latest = [row[0] for row in self.env.execute_query(SQL(
            "SELECT id FROM retail_member_lookup WHERE user_id = %s AND latest FOR UPDATE", uid))]
        since = self.env.cr.now() - timedelta(minutes=minutes)
        count = self.env.execute_query(SQL(
            "SELECT COUNT(*) FROM retail_member_lookup WHERE user_id = %s AND create_date >= %s", uid, since))[0][0]
        if count >= limit:
            return False
        if latest:
            self.sudo().browse(latest).write({"latest": False})
        return self.sudo().create({"user_id": uid, "company_id": self.env.company.id, "latest": True})

    @api.model
    def _retail_granted_partner_ids(self, partner_ids):
        """Those of ``partner_ids`` the current user found at the till in the last ``GRANT_HOURS``."""
        if not partner_ids:
            return set()
        self.flush_model()
        rows = self.env.execute_query(SQL("""
            SELECT DISTINCT rel.partner_id
              FROM retail_member_lookup l
              JOIN retail_member_lookup_partner_rel rel ON rel.lookup_id = l.id
             WHERE l.user_id = %s AND l.company_id = %s AND l.create_date >= %s AND rel.partner_id = ANY(%s)
        """, self.env.uid, self.env.company.id, self.env.cr.now() - timedelta(hours=GRANT_HOURS),
            list(partner_ids)))
        return {row[0] for row in rows}

    @api.autovacuum
    def _gc_retail_member_lookups(self):
        # the latest lookup of each user stays: it is what concurrent lookups lock
        self.sudo().search([
            ("create_date", "<", self.env.cr.now() - timedelta(days=KEEP_DAYS)), ("latest", "=", False),
        ]).unlink()
