import json
import time
from uuid import uuid4

from odoo import Command
from odoo.addons.retail_base.tests.common import RetailCase, RetailHttpCase
from odoo.tests import new_test_user

from ..tools.simulator import PlatformSimulator, build_webhook

DY_SECRET = "douyin-shop-secret"
MT_SECRET = "meituan-shop-secret"
EL_SECRET = "eleme-shop-secret"
SECRETS = {"douyin": DY_SECRET, "meituan": MT_SECRET, "eleme": EL_SECRET}
COLA_BARCODE = "6901234567892"


class PlatformCase(RetailCase, RetailHttpCase):
    """Store A sells on Douyin, store B on Meituan (and on Ele.me when a test asks); each
    platform a simulator on 127.0.0.1 receiving the callbacks and the stock feed in its own API,
    checking Meituan's ``sig`` and Ele.me's ``signature`` with the secret of the shop's app key, and
    Ele.me's and Douyin's access tokens, which it gives. Both stores hold 10 colas (by barcode) and 10
    chips (listed as a platform SKU); the cola's price includes 13 % VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        # the shop code signs Douyin's simple stock feed, the app key (client_key) obtains its token
        cls.douyin = PlatformSimulator("douyin", {"DY-A": DY_SECRET, "dy-key": DY_SECRET}).start()
        cls.addClassCleanup(cls.douyin.stop)
        cls.meituan = PlatformSimulator("meituan", {"mt-key": MT_SECRET}).start()
        cls.addClassCleanup(cls.meituan.stop)
        cls.eleme = PlatformSimulator("eleme", {"el-key": EL_SECRET}).start()
        cls.addClassCleanup(cls.eleme.stop)
        Account = env["account.account"]
        cls.receivable = {
            name: Account.create({"name": f"Receivable {name}", "code": code, "account_type": "asset_receivable",
                                  "reconcile": True})
            for name, code in (("douyin", "112201"), ("meituan", "112202"))
        }
        cls.partners = {
            name: env["res.partner"].create({"name": label, "is_company": True,
                                             "property_account_receivable_id": cls.receivable[name].id})
            for name, label in (("douyin", "抖音团购"), ("meituan", "美团外卖"))
        }
        cls.commission_account = Account.create({"name": "Platform commission", "code": "660101",
                                                 "account_type": "expense"})
        cls.payout_journal = env["account.journal"].create({"name": "Platform payouts", "code": "PPAY",
                                                            "type": "bank"})
        cls.vat13 = env["account.tax"].create({
            "name": "VAT 13 % incl.", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "price_include_override": "tax_included", "company_id": company.id,
        })
        cls.cola = env["product.product"].create({
            "name": "可口可乐 330ml", "barcode": COLA_BARCODE, "is_storable": True, "lst_price": 3.0,
            "taxes_id": [Command.set(cls.vat13.ids)],
        })
        cls.chips = env["product.product"].create({"name": "乐事薯片", "is_storable": True, "lst_price": 8.0,
                                                   "taxes_id": [Command.clear()]})
        env["retail.platform.product"].create([
            {"platform": "douyin", "platform_sku": "DY-CHIPS", "product_id": cls.chips.id},
            {"platform": "meituan", "platform_sku": "MT-CHIPS", "product_id": cls.chips.id},
            {"platform": "douyin", "platform_sku": COLA_BARCODE, "product_id": cls.cola.id},
        ])
        Quant = env["stock.quant"]
        for store in (cls.store_a, cls.store_b):
            for product in (cls.cola, cls.chips):
                Quant._update_available_quantity(product, store.lot_stock_id, 10.0)
        common = {"settlement_journal_id": cls.payout_journal.id, "commission_account_id": cls.commission_account.id}
        cls.shop_dy = env["retail.platform.shop"].create({
            "name": "抖音 · A", "platform": "douyin", "shop_code": "DY-A", "warehouse_id": cls.store_a.id,
            "partner_id": cls.partners["douyin"].id, "app_key": "dy-key", "app_secret": DY_SECRET,
            "api_url": cls.douyin.url, "token_url": cls.douyin.token_url, **common,
        })
        cls.shop_mt = env["retail.platform.shop"].create({
            "name": "美团 · B", "platform": "meituan", "shop_code": "MT-B", "warehouse_id": cls.store_b.id,
            "partner_id": cls.partners["meituan"].id, "app_key": "mt-key", "app_secret": MT_SECRET,
            "api_url": cls.meituan.url, **common,
        })
        cls.finance = new_test_user(env, "plat_finance", groups="account.group_account_manager")

    def setUp(self):
        super().setUp()
        self.douyin.state.requests.clear()
        self.meituan.state.requests.clear()
        self.eleme.state.requests.clear()
        for simulator in (self.douyin, self.meituan, self.eleme):
            state = simulator.state
            state.fail_next = state.refuse_next = state.refuse_tokens = 0
            state.token_calls.clear()
            state.revoke_tokens()

    # -- what a platform does ------------------------------------------------------------
    def path(self, shop):
        return f"/retail_platform/webhook/{shop.platform}/{shop.shop_code}"

    def send(self, shop, event, order, message_id=None, secret=None, timestamp=None, shop_code=None,
             body_shop_code=None):
        """POST a signed webhook of ``shop``'s platform over HTTP, in the platform's own format;
        returns the response. ``shop_code`` changes the address, ``body_shop_code`` the store the
        body names (by default the shop of the address)."""
        path = f"/retail_platform/webhook/{shop.platform}/{shop_code or shop.shop_code}"
        url, data, headers = build_webhook(shop.platform, self.base_url() + path, secret or SECRETS[shop.platform],
                                           event, order, message_id or uuid4().hex, timestamp=timestamp,
                                           shop_code=body_shop_code)
        return self.url_open(url, data=data, headers=headers)

    def place(self, shop, lines=None, order_id=None, **kwargs):
        """A new order of ``lines`` (``[(sku, qty, price)]``); returns (response, order id)."""
        order_id = order_id or f"P{uuid4().hex[:12]}"
        lines = lines or [(COLA_BARCODE, 2, 3.0), (self.chips_sku(shop), 1, 8.0)]
        order = {"order_id": order_id, "lines": [{"sku": sku, "qty": qty, "price": price} for sku, qty, price in lines]}
        return self.send(shop, "create", order, **kwargs), order_id

    def eleme_shop(self):
        """Store B on Ele.me too, its shop code Ele.me's numeric shop id, its app ``el-key``."""
        shop = self.shop_mt.copy({"name": "饿了么 · B", "platform": "eleme", "shop_code": "508098428",
                                  "api_url": self.eleme.url})
        shop.write({"app_key": "el-key", "app_secret": EL_SECRET, "token_url": self.eleme.token_url})
        self.env["retail.platform.product"].create(
            {"platform": "eleme", "platform_sku": "MT-CHIPS", "product_id": self.chips.id})
        return shop

    def chips_sku(self, shop):
        return "DY-CHIPS" if shop.platform == "douyin" else "MT-CHIPS"

    def process(self):
        """What the crons do after the commit: the messages, then the callbacks."""
        self.env["retail.platform.message"]._process_pending()
        self.env["retail.platform.callback"]._send_due()

    def order(self, shop, order_id):
        return self.env["retail.platform.order"].search(
            [("shop_id", "=", shop.id), ("platform_order_ref", "=", order_id)])

    def available(self, store, product):
        return product.with_context(warehouse_id=store.id).free_qty

    def on_hand(self, store, product):
        return product.with_context(warehouse_id=store.id).qty_available

    def counts(self):
        """How many of each business record exist, to assert that nothing was written."""
        env = self.env
        return {
            "orders": env["retail.platform.order"].search_count([]),
            "messages": env["retail.platform.message"].search_count([]),
            "pickings": env["stock.picking"].search_count([]),
            "moves": env["account.move"].search_count([]),
        }

    def assertAnswer(self, response, status, platform="douyin", ok=True):
        self.assertEqual(response.status_code, status, response.text)
        body = json.loads(response.text)
        if platform == "douyin":
            self.assertEqual(body["err_no"] == 0, ok, body)
        elif platform == "eleme":
            self.assertEqual(body["message"] == "ok", ok, body)
        else:
            self.assertEqual(body["data"] == "ok", ok, body)
        return body

    @staticmethod
    def now():
        return int(time.time())
