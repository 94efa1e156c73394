from odoo import api, fields, models

from .retail_platform_shop import PLATFORMS


class RetailPlatformProduct(models.Model):
    """A product as a platform lists it: its SKU there, and the product it is.

    An order line's SKU is read first as a barcode of a product, then through this table; the
    stock feed sends the products listed here."""

    _name = "retail.platform.product"
    _description = "Platform product listing"
    _order = "platform, platform_sku"

    platform = fields.Selection(PLATFORMS, required=True)
    platform_sku = fields.Char("Platform SKU", required=True)
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade",
                                 domain="[('type', '=', 'consu')]")
    company_id = fields.Many2one("res.company", index=True)

    _platform_sku_uniq = models.Constraint(
        "UNIQUE(platform, platform_sku)", "A platform SKU is listed once per platform.")

    @api.model
    def _resolve(self, platform, skus):
        """``{sku: product}`` for the SKUs a platform sent: barcodes first, then this table.
        One query each; SKUs that match nothing are left out."""
        skus = list(set(skus))
        found = {product.barcode: product for product in self.env["product.product"].search(
            [("barcode", "in", skus)])}
        missing = [sku for sku in skus if sku not in found]
        if missing:
            for row in self.search([("platform", "=", platform), ("platform_sku", "in", missing)]):
                found[row.platform_sku] = row.product_id
        return found
