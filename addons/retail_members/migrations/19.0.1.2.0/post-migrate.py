"""A member's number now lives in the member mobile only: members' core phone numbers move there
(normalised, where the member has none and no other member of the company has it) and core's phone
of every member is cleared, so that no user who sees the contact reads the number there."""

import logging

from odoo.addons.retail_members.tools import phone

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("""
        SELECT COALESCE(company_id, 0), retail_mobile FROM res_partner
         WHERE retail_is_member AND retail_mobile IS NOT NULL
    """)
    taken = set(cr.fetchall())
    cr.execute("""
        SELECT id, COALESCE(company_id, 0), phone FROM res_partner
         WHERE retail_is_member AND retail_mobile IS NULL AND COALESCE(phone, '') <> ''
         ORDER BY id
    """)
    moved = {}
    for partner_id, company_id, number in cr.fetchall():
        mobile = phone.normalise_mobile(number)
        if mobile and (company_id, mobile) not in taken:
            taken.add((company_id, mobile))
            moved[partner_id] = mobile
    if moved:
        cr.execute("""
            UPDATE res_partner p SET retail_mobile = v.mobile
              FROM unnest(%s::int[], %s::text[]) AS v(id, mobile)
             WHERE p.id = v.id
        """, [list(moved), list(moved.values())])
    cr.execute("""
        UPDATE res_partner SET phone = NULL, phone_sanitized = NULL
         WHERE retail_is_member AND (phone IS NOT NULL OR phone_sanitized IS NOT NULL)
    """)
    # counts only: the server log is read by more people than the members' data
    _logger.info("Members' phone numbers: %s moved to the member mobile, %s cleared in all.", len(moved), cr.rowcount)
