from odoo import fields, models


class RetailPointsLot(models.Model):
    """The part of an earning not yet redeemed, reversed or expired.

    Redemption takes points from a member's lots oldest first; expiry deletes the lots past their
    date. Keeping them apart from the ledger leaves the ledger append-only, and consuming or
    expiring points touches these narrow rows instead of rewriting ledger rows and their indexes.
    """

    _name = "retail.points.lot"
    _description = "Member points not used yet"
    _order = "date, id"
    _log_access = False

    move_id = fields.Many2one("retail.points.move", string="Earning", required=True, readonly=True,
                              ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    date = fields.Datetime(required=True, readonly=True)
    expiry_date = fields.Date(required=True, readonly=True, index=True)
    remaining = fields.Float(required=True, readonly=True, digits=(16, 0))

    _move_uniq = models.Constraint("UNIQUE(move_id)", "An earning has one lot of remaining points.")
    _remaining_positive = models.Constraint("CHECK(remaining > 0)", "A lot holds points; empty lots are removed.")
