"""The first store sells on the delivery platforms too: a shop on 美团外卖 and one on 抖音团购,
and the orders that came in overnight, worked as the platforms' webhooks are."""

import random

from odoo import api, fields, models

# (platform, partner, shop code prefix, receivable account code): each platform owes the chain
# on an account of its own, so that finance sees what each one owes.
PLATFORM_SHOPS = [
    ("meituan", "美团外卖", "MT", "112201", "应收账款—美团外卖"),
    ("douyin", "抖音团购", "DY", "112202", "应收账款—抖音团购"),
]
NIGHT_ORDERS = 3


# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        result = super()._retail_generate_extra(chain)
        if self._retail_demo_has_morning(chain):
            self._run_step(chain, self._retail_demo_platforms)
        return result

    @api.model
    def _retail_demo_platforms(self, chain):
        """A shop per platform for the first store, its partner on a receivable of its own, and
        the orders of the night. Each order is recorded as the webhook records a signed message
        and worked as the platforms' cron works it: it reserves the store's stock and is invoiced
        to the platform. The shops have no platform API address, so nothing is sent to the
        platforms (the local simulator, ``odoo retail_platform_simulator``, serves one)."""
        store = chain["stores"][:1]
        company = chain["company"]
        if not store:
            return
        Account = self.env["account.account"].sudo().with_company(company)
        Shop = self.env["retail.platform.shop"].sudo()
        Message = self.env["retail.platform.message"].sudo()
        quants = self.env["stock.quant"].sudo()._read_group(
            [("location_id", "child_of", store.lot_stock_id.id), ("quantity", ">", 20),
             ("product_id.tracking", "=", "none"), ("product_id.barcode", "!=", False),
             ("product_id.sale_ok", "=", True)],
            ["product_id"], order="product_id")
        products = [product for (product,) in quants][:30]
        if not products:
            return
        rng = random.Random(len(products))
        stamp = int(fields.Datetime.now().timestamp())
        night = chain["end_date"]
        messages = Message.browse()
        for platform, name, prefix, code, account_name in PLATFORM_SHOPS:
            account = Account.search([("code", "=", code), ("company_ids", "in", company.ids)], limit=1) or \
                Account.create({"code": code, "name": account_name, "account_type": "asset_receivable",
                                "reconcile": True})
            partner = self.env["res.partner"].sudo().with_company(company).create({
                "name": name, "is_company": True, "company_id": company.id,
                "property_account_receivable_id": account.id,
            })
            shop = Shop.create({
                "name": f"{store.name} · {name}", "platform": platform, "shop_code": f"{prefix}{store.code}",
                "warehouse_id": store.id, "partner_id": partner.id, "app_key": f"demo-{prefix.lower()}",
                "app_secret": f"demo-{prefix.lower()}-secret", "auto_accept": True,
            })
            for number in range(1, NIGHT_ORDERS + 1):
                lines = rng.sample(products, min(len(products), rng.randint(1, 3)))
                order_ref = f"{prefix}{night:%Y%m%d}{store.code}{number:04d}"
                message, _is_new = Message._record(shop, {
                    "message_id": f"{order_ref}-create", "event": "create", "timestamp": stamp,
                    "order_id": order_ref, "goods_returned": False, "refund_id": "",
                    "lines": [{"sku": product.barcode, "qty": float(rng.randint(1, 2)),
                               "price": round(product.lst_price, 2)} for product in lines],
                })
                messages |= message
        messages._process()
        summary = chain["summary"]
        summary["platform_shops"] = len(PLATFORM_SHOPS)
        summary["platform_orders"] = self.env["retail.platform.order"].sudo().search_count(
            [("warehouse_id", "=", store.id), ("state", "=", "accepted")])
