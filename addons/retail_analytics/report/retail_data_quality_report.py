from odoo import fields, models, tools
from odoo.tools import SQL

# A contact's phone is suspicious when it has characters other than digits, spaces, dots,
# dashes, brackets and a leading +, or fewer than 6 or more than 15 digits (ITU E.164).
PHONE_OK = r"^\+?[0-9 ().\-]+$"


class RetailDataQualityReport(models.Model):
    """One row per data problem that hurts the till or the reports."""

    _name = "retail.data.quality.report"
    _description = "Retail Data Quality Problems"
    _auto = False
    _order = "problem, id"
    _rec_name = "detail"

    problem = fields.Selection(
        [
            ("no_barcode", "Product without barcode"),
            ("no_category", "Product without category"),
            ("duplicate_barcode", "Duplicate barcode"),
            ("invalid_phone", "Contact with an invalid phone"),
            ("price_below_cost", "Sales price below cost"),
        ],
        readonly=True,
    )
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    detail = fields.Char(readonly=True)
    value = fields.Float(readonly=True, help="The sales price for prices below cost.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %s AS (
                WITH sellable AS (
                    SELECT p.id, p.barcode, pt.categ_id, pt.list_price, pt.company_id,
                           p.standard_price, COALESCE(pt.name ->> 'en_US', '') AS name
                      FROM product_product p
                      JOIN product_template pt ON pt.id = p.product_tmpl_id
                     WHERE p.active AND pt.active AND pt.sale_ok AND pt.type <> 'combo'
                ), normalized AS (
                    SELECT id, barcode, company_id,
                           NULLIF(ltrim(replace(barcode, ' ', ''), '0'), '') AS code
                      FROM sellable WHERE barcode IS NOT NULL AND barcode <> ''
                )
                SELECT id * 10 + 1 AS id, 'no_barcode' AS problem, id AS product_id,
                       NULL::integer AS partner_id, company_id, name AS detail, NULL::float AS value
                  FROM sellable WHERE barcode IS NULL OR barcode = ''
                UNION ALL
                SELECT id * 10 + 2, 'no_category', id, NULL, company_id, name, NULL
                  FROM sellable WHERE categ_id IS NULL
                UNION ALL
                SELECT n.id * 10 + 3, 'duplicate_barcode', n.id, NULL, n.company_id, n.barcode, NULL
                  FROM normalized n
                 WHERE EXISTS (SELECT 1 FROM normalized o
                                WHERE o.code = n.code AND o.id <> n.id
                                  AND (o.company_id IS NULL OR n.company_id IS NULL
                                       OR o.company_id = n.company_id))
                UNION ALL
                SELECT rp.id * 10 + 4, 'invalid_phone', NULL, rp.id, rp.company_id, rp.phone, NULL
                  FROM res_partner rp
                 WHERE rp.active AND rp.phone IS NOT NULL AND rp.phone <> ''
                   AND (rp.phone !~ %s
                        OR length(regexp_replace(rp.phone, '[^0-9]', '', 'g')) NOT BETWEEN 6 AND 15)
                UNION ALL
                SELECT s.id * 10 + 5, 'price_below_cost', s.id, NULL, s.company_id,
                       s.name, s.list_price
                  FROM sellable s
                  JOIN res_company c ON c.id = COALESCE(s.company_id, (SELECT MIN(id) FROM res_company))
                 WHERE s.list_price < COALESCE((s.standard_price ->> c.id::text)::numeric, 0)
            )
        """, SQL.identifier(self._table), PHONE_OK))
