from odoo import fields, models
from odoo.tools import SQL


class RetailMemberCohortReport(models.Model):
    """Retention of members by join month: share of each cohort buying N months after joining."""

    _name = "retail.member.cohort.report"
    _description = "Member retention by join month"
    _auto = False
    _order = "cohort desc, months_since"

    cohort = fields.Date(string="Join Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    months_since = fields.Integer(string="Months Since Joining", readonly=True)
    active_members = fields.Integer(readonly=True)
    cohort_size = fields.Integer(string="Members in Cohort", readonly=True, aggregator="max")
    retention = fields.Float(string="Retention (%)", readonly=True, aggregator="avg", digits=(16, 1))

    def init(self):
        self.env.cr.execute(SQL("DROP VIEW IF EXISTS retail_member_cohort_report"))
        self.env.cr.execute(SQL("""
            CREATE VIEW retail_member_cohort_report AS (
                WITH members AS (
                    SELECT id, company_id, date_trunc('month', retail_join_date)::date AS cohort
                      FROM res_partner WHERE retail_is_member AND retail_join_date IS NOT NULL
                ), sizes AS (
                    SELECT cohort, company_id, COUNT(*) AS size FROM members GROUP BY cohort, company_id
                ), activity AS (
                    SELECT DISTINCT m.id, m.cohort, m.company_id, date_trunc('month', o.date_order)::date AS month
                      FROM members m
                      JOIN pos_order o ON o.partner_id = m.id AND o.state IN ('paid', 'done', 'invoiced')
                )
                SELECT row_number() OVER (ORDER BY a.cohort, a.company_id, a.months_since) AS id,
                       a.cohort, a.company_id, a.months_since,
                       COUNT(*) AS active_members, MAX(s.size) AS cohort_size,
                       ROUND(COUNT(*) * 100.0 / MAX(s.size), 1) AS retention
                  FROM (SELECT *, (EXTRACT(YEAR FROM age(month, cohort)) * 12
                                   + EXTRACT(MONTH FROM age(month, cohort)))::int AS months_since
                          FROM activity WHERE month >= cohort) a
                  JOIN sizes s ON s.cohort = a.cohort AND s.company_id IS NOT DISTINCT FROM a.company_id
                 GROUP BY a.cohort, a.company_id, a.months_since
            )
        """))
