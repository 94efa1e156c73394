from odoo import fields, models
from odoo.tools import SQL


class RetailMemberPreferenceReport(models.Model):
    """What members buy: product categories and attribute values (colours, sizes) per member,
    segment and tier, by month, from the paid till orders of members.

    Every order line counts once in a category row (no attribute) and once more for each
    attribute value of its product variant: a report reads either the category rows or the
    rows of one attribute, never both added up.
    """

    _name = "retail.member.preference.report"
    _description = "Member preferences: categories and attribute values"
    _auto = False
    _order = "date desc, amount desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Member", readonly=True)
    retail_store_id = fields.Many2one("stock.warehouse", string="Home Store", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    segment = fields.Selection(
        lambda self: self.env["res.partner"]._fields["retail_rfm_segment"].selection,
        readonly=True, help="The member's RFM segment at the last insight run.")
    tier_id = fields.Many2one("retail.member.tier", readonly=True)
    date = fields.Date(string="Month", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    attribute_id = fields.Many2one(
        "product.attribute", readonly=True,
        help="Empty on the category rows, which count every line once.")
    attribute_value_id = fields.Many2one("product.attribute.value", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit")
    amount = fields.Monetary(readonly=True, help="Amount paid, taxes included; refunds count negative.")
    order_count = fields.Integer(string="Orders", readonly=True, help="Orders with such a line.")

    def init(self):
        self.env.cr.execute(SQL("DROP VIEW IF EXISTS retail_member_preference_report"))
        # The id packs the row's first order line and its attribute value (0 on category rows):
        # unique and stable without a window function, so filters on the member reach the order
        # index instead of aggregating every member's lines.
        self.env.cr.execute(SQL("""
            CREATE VIEW retail_member_preference_report AS (
                SELECT (MIN(l.id)::bigint << 20) | COALESCE(a.value_id, 0) AS id,
                       o.partner_id, p.retail_home_store_id AS retail_store_id, o.company_id,
                       p.retail_rfm_segment AS segment, p.retail_tier_id AS tier_id,
                       date_trunc('month', o.date_order)::date AS date, t.categ_id,
                       a.attribute_id, a.value_id AS attribute_value_id,
                       SUM(l.qty) AS quantity, SUM(l.price_subtotal_incl) AS amount,
                       COUNT(DISTINCT o.id) AS order_count
                  FROM pos_order_line l
                  JOIN pos_order o ON o.id = l.order_id AND o.state IN ('paid', 'done')
                  JOIN res_partner p ON p.id = o.partner_id AND p.retail_is_member
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                 CROSS JOIN LATERAL (
                       SELECT NULL::int AS attribute_id, NULL::int AS value_id
                        UNION ALL
                       SELECT v.attribute_id, v.product_attribute_value_id
                         FROM product_variant_combination c
                         JOIN product_template_attribute_value v ON v.id = c.product_template_attribute_value_id
                        WHERE c.product_product_id = pp.id
                 ) a
                 WHERE NOT EXISTS (
                       SELECT 1 FROM ir_model_data d
                        WHERE d.module = 'retail_members' AND d.name = 'product_points_redemption'
                          AND d.model = 'product.product' AND d.res_id = pp.id)
                 GROUP BY o.partner_id, p.retail_home_store_id, o.company_id, p.retail_rfm_segment,
                          p.retail_tier_id, date_trunc('month', o.date_order), t.categ_id, a.attribute_id,
                          a.value_id
            )
        """))
