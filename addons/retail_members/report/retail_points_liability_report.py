from odoo import fields, models
from odoo.tools import SQL


class RetailPointsLiabilityReport(models.Model):
    """Points liability by store and month, read straight from the points ledger."""

    _name = "retail.points.liability.report"
    _description = "Points liability by store and month"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    retail_store_id = fields.Many2one("stock.warehouse", string="Store", readonly=True)
    move_type = fields.Selection(
        lambda self: self.env["retail.points.move"]._fields["move_type"].selection, string="Type", readonly=True)
    points = fields.Float(readonly=True, digits=(16, 0))
    value = fields.Monetary(string="Liability Change", readonly=True)
    booked_value = fields.Monetary(
        string="Booked", readonly=True, help="Part of the change already in journal entries.")

    def init(self):
        self.env.cr.execute(SQL("DROP VIEW IF EXISTS retail_points_liability_report"))
        self.env.cr.execute(SQL("""
            CREATE VIEW retail_points_liability_report AS (
                SELECT MIN(m.id) AS id,
                       date_trunc('month', m.date)::date AS month,
                       m.company_id, m.retail_store_id, m.move_type,
                       SUM(m.points) AS points,
                       SUM(m.value) AS value,
                       SUM(CASE WHEN m.account_move_id IS NOT NULL THEN m.value ELSE 0 END) AS booked_value
                  FROM retail_points_move m
                 GROUP BY date_trunc('month', m.date), m.company_id, m.retail_store_id, m.move_type
            )
        """))
