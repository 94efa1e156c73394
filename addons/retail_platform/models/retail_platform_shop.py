import json
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import outbound
from ..tools.signature import douyin_signature

PLATFORMS = [
    ("meituan", "Meituan Waimai (美团外卖)"),
    ("eleme", "Ele.me (饿了么)"),
    ("douyin", "Douyin Group Buying (抖音团购)"),
]
STOCK_FEED_OVERLAP = timedelta(minutes=2)


class RetailPlatformShop(models.Model):
    """One store on one platform: where its webhooks land, whom they are booked to, and how the
    addon answers the platform."""

    _name = "retail.platform.shop"
    _description = "Delivery platform shop"
    _order = "platform, name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    platform = fields.Selection(PLATFORMS, required=True)
    shop_code = fields.Char(
        required=True,
        help="The shop's identifier on the platform; the webhook address ends with it.")
    warehouse_id = fields.Many2one(
        "stock.warehouse", "Store", required=True, index=True, domain="[('retail_store_type', '=', 'store')]",
        help="Orders of this shop reserve and deduct this store's stock and are booked to its analytic account.")
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", "Platform Partner", required=True,
        help="The platform as a customer: invoices of its orders go to it, on its receivable account, "
        "and its payouts settle them.")
    receivable_account_id = fields.Many2one(
        related="partner_id.property_account_receivable_id", string="Platform Receivable")
    app_key = fields.Char(groups="base.group_system", copy=False)
    app_secret = fields.Char(groups="base.group_system", copy=False)
    # the token call carries the app secret: only those who may read the secret say where it goes
    token_url = fields.Char(
        "Access Token URL", groups="base.group_system", copy=False,
        help="Where Ele.me and Douyin give the shop's app its access token; empty: the platform's production "
        "address (Ele.me https://open-api.shop.ele.me/token, Douyin https://open.douyin.com/oauth/client_token/).")
    access_token = fields.Char(groups="base.group_system", copy=False, readonly=True)
    access_token_expiry = fields.Datetime("Access Token Expires", groups="base.group_system", copy=False,
                                          readonly=True)
    refresh_token = fields.Char(groups="base.group_system", copy=False, readonly=True)
    api_url = fields.Char(
        "Platform API URL",
        help="Where order status callbacks and the stock feed are sent: the base address of the platform's API, "
        "its paths appended (Meituan: https://waimaiopen.meituan.com/api/v1/, Ele.me: "
        "https://open-api.shop.ele.me/api/v1/, Douyin: https://open.douyin.com).")
    auto_accept = fields.Boolean(
        default=True, help="Accept new orders as they arrive; otherwise a store manager accepts or rejects each.")
    sale_journal_id = fields.Many2one(
        "account.journal", "Sales Journal", domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Journal of the invoices of platform orders; the company's first sales journal when empty.")
    settlement_journal_id = fields.Many2one(
        "account.journal", "Payout Journal",
        domain="[('type', 'in', ('bank', 'general')), ('company_id', '=', company_id)]",
        help="Journal of the payout entries; its default account receives the net payout.")
    commission_account_id = fields.Many2one(
        "account.account", "Commission Expense Account", domain="[('account_type', 'like', 'expense')]")
    last_stock_push = fields.Datetime("Stock Sent Up To", readonly=True, copy=False)
    webhook_url = fields.Char("Webhook Address", compute="_compute_webhook_url")
    order_count = fields.Integer(compute="_compute_order_count")

    _shop_code_uniq = models.Constraint(
        "UNIQUE(platform, shop_code)", "A shop code is used once per platform.")

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for shop in self:
            path = f"/retail_platform/webhook/{shop.platform}/{shop.shop_code}"
            shop.webhook_url = base + path if shop.platform else ""

    def _compute_order_count(self):
        counts = dict(self.env["retail.platform.order"]._read_group(
            [("shop_id", "in", self.ids)], ["shop_id"], ["__count"]))
        for shop in self:
            shop.order_count = counts.get(shop, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("api_url") for vals in vals_list):
            self._check_can_set_api_url()
        return super().create(vals_list)

    def write(self, vals):
        if "api_url" in vals and any(shop.api_url != (vals["api_url"] or False) for shop in self):
            self._check_can_set_api_url()
        return super().write(vals)

    def _check_can_set_api_url(self):
        """The platform API address receives the shop's signed calls and its access token: whoever
        could change it could have them sent to another server. Only those who may read the
        credentials say where they go."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._(
                "Only an administrator sets the platform API address of a shop: the shop's calls and "
                "access token are sent there."))

    @api.constrains("warehouse_id")
    def _check_warehouse_is_store(self):
        for shop in self:
            if shop.warehouse_id.retail_store_type != "store":
                raise UserError(self.env._("The shop %(shop)s must sell from a store.", shop=shop.name))

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("retail_platform.retail_platform_order_action")
        action["domain"] = [("shop_id", "=", self.id)]
        return action

    def action_full_stock_resync(self):
        """Send the available quantity of every listed product of the shop now."""
        self._check_can_push_stock()
        self.sudo()._push_stock(full=True)

    def _check_can_push_stock(self):
        if not self.env.user.has_group("retail_base.group_retail_hq"):
            raise AccessError(self.env._("Only headquarters sends the stock feed of a shop."))

    # -- signing -------------------------------------------------------------------------
    def _sign_outbound(self, body):
        """The signature header of a JSON request of the addon's own simple API (Douyin's stock
        feed), signed the Douyin way: ``sha1(secret + body)``."""
        self.ensure_one()
        return {"X-Douyin-Signature": douyin_signature(self.sudo().app_secret or "", body)}

    # -- the stock feed ------------------------------------------------------------------
    def _changed_products(self, full=False):
        """Listed products of the shop whose stock moved since the last push (all when ``full``)."""
        self.ensure_one()
        listed = self.env["retail.platform.product"].search(
            [("platform", "=", self.platform), ("company_id", "in", [False, self.company_id.id])])
        if full or not self.last_stock_push:
            return listed
        location = self.warehouse_id.view_location_id
        moved = self.env["stock.move"]._read_group(
            [("product_id", "in", listed.product_id.ids), ("write_date", ">", self.last_stock_push),
             "|", ("location_id", "child_of", location.id), ("location_dest_id", "child_of", location.id)],
            ["product_id"])
        moved_products = self.env["product.product"].browse([product.id for (product,) in moved])
        return listed.filtered(lambda row: row.product_id in moved_products or row.write_date > self.last_stock_push)

    def _push_stock(self, full=False):
        """Send the free quantity of the shop's changed listed products, in the batches of the
        platform's adapter (``tools/outbound.py``).

        The next push starts from a little before this one began: a move committed meanwhile by
        a longer transaction carries an earlier time, and sending a quantity twice is harmless."""
        for shop in self:
            if not shop.api_url:
                continue
            started = self.env.cr.now() - STOCK_FEED_OVERLAP
            rows = shop._changed_products(full=full)
            if rows:
                quantities = {
                    product.id: product.free_qty
                    for product in rows.product_id.with_context(warehouse_id=shop.warehouse_id.id)
                }
                items = [{"sku": row.platform_sku, "qty": max(quantities[row.product_id.id], 0.0)} for row in rows]
                for request in outbound.stock_requests(shop.platform, shop.shop_code, items):
                    ok, _answer = shop._send("stock", request)
                    if not ok:
                        break
                else:
                    shop.last_stock_push = started
            else:
                shop.last_stock_push = started

    @api.model
    def _cron_push_stock(self):
        shops = self.search([("api_url", "!=", False)])
        self.env["ir.cron"]._commit_progress(remaining=len(shops))
        for shop in shops:
            shop._push_stock()
            self.env["ir.cron"]._commit_progress(1)

    # -- access tokens ------------------------------------------------------------------
    def _access_token(self):
        """``(token, message)``: the stored access token of the shop's app, fetched first when there
        is none or it expires within the margin; ``None`` and the platform's refusal otherwise."""
        self.ensure_one()
        shop = self.sudo()
        margin = timedelta(seconds=outbound.TOKEN_MARGIN_SECONDS)
        if shop.access_token and shop.access_token_expiry and shop.access_token_expiry > fields.Datetime.now() + margin:
            return shop.access_token, ""
        return self._fetch_token()

    def _fetch_token(self):
        """Ask the platform for a token (Ele.me: by the refresh token first when there is one), store
        it on the shop and return ``(token, message)``; each call is in the call log, masked."""
        self.ensure_one()
        shop = self.sudo()
        token, message = None, ""
        if shop.refresh_token:
            token, message = self._token_call(shop.refresh_token)
        if token is None:
            token, message = self._token_call()
        if token is None:
            if shop.access_token or shop.refresh_token:
                shop.write({"access_token": False, "access_token_expiry": False, "refresh_token": False})
            return None, message
        shop.write({
            "access_token": token.access_token,
            "access_token_expiry": fields.Datetime.now() + timedelta(seconds=token.expires_in),
            "refresh_token": token.refresh_token or False,
        })
        return token.access_token, ""

    def _drop_token(self):
        self.sudo().write({"access_token": False, "access_token_expiry": False})

    def _token_call(self, refresh_token=None):
        import requests  # noqa: PLC0415 - one of Odoo's requirements, only outbound calls need it

        shop = self.sudo()
        call = outbound.token_request(self.platform, shop.token_url, shop.app_key, shop.app_secret, refresh_token)
        began = time.monotonic()
        status, text, token = 0, "", None
        try:
            response = requests.post(call.url, data=call.data, headers=call.headers, timeout=10)
            status, text = response.status_code, response.text[:2000]
            token, message = outbound.read_token(self.platform, status, text)
            outcome = "ok" if token else "refused"
        except requests.RequestException as error:
            label = dict(self._fields["platform"].selection)[self.platform]
            text, outcome = str(error)[:2000], "unreachable"
            message = f"{label}: the access token could not be obtained: {text}"
        self.env["retail.platform.log"]._write_separately({
            "direction": "out", "kind": "token", "shop_id": self.id, "url": call.url, "http_status": status,
            "outcome": outcome, "request_body": call.logged, "response_body": outbound.mask_tokens(text),
            "duration_ms": int((time.monotonic() - began) * 1000),
        })
        return token, message

    # -- outbound requests ---------------------------------------------------------------
    def _send(self, kind, request, order=None):
        """Make ``request`` (an ``outbound.OutboundRequest``) to the platform, signed, with the
        shop's access token when it carries one; logged whatever happens. Returns ``(ok, message)``:
        a refusal in the platform's format is a failure whatever its HTTP status, its message the
        platform's error code and text. An answer that the token is invalid or expired drops it,
        and the request is made once more with a new one; a token the platform refuses to give
        fails the request."""
        self.ensure_one()
        if not request.with_token:
            ok, message, _code = self._call(kind, request, order)
            return ok, message
        token, message = self._access_token()
        if not token:
            return False, message
        ok, message, code = self._call(kind, request, order, token)
        if not ok and outbound.token_rejected(self.platform, code):
            self._drop_token()
            token, refused = self._fetch_token()
            if not token:
                return False, refused
            ok, message, code = self._call(kind, request, order, token)
        return ok, message

    def _call(self, kind, request, order=None, token=None):
        """One HTTP request, logged with the token masked; ``(ok, message, error code)``."""
        import requests  # noqa: PLC0415 - one of Odoo's requirements, only outbound calls need it

        shop = self.sudo()
        base = self.api_url.rstrip("/")
        url = f"{base}/{request.path.lstrip('/')}" if request.path else self.api_url
        if request.protocol == "meituan":
            params = outbound.meituan_signed(url, request.params, shop.app_key, shop.app_secret, time.time())
            if request.method == "GET":
                call = {"params": params}
            else:
                call = {"data": params, "headers": {"Content-Type": request.content_type}}
            logged = "&".join(f"{name}={value}" for name, value in params.items() if name != "sig")
        elif request.protocol == "eleme":
            body = outbound.eleme_body(request, shop.app_key, shop.app_secret, token, time.time())
            raw = json.dumps(body, ensure_ascii=False).encode()
            call = {"data": raw, "headers": {"Content-Type": request.content_type}}
            logged = json.dumps({**body, "token": outbound.MASK}, ensure_ascii=False)
        else:
            raw = json.dumps(request.body, ensure_ascii=False, sort_keys=True).encode()
            if request.protocol == "douyin":
                headers, query = {"access-token": token or ""}, {}
            else:
                headers, query = self._sign_outbound(raw), {}
            headers["Content-Type"] = request.content_type
            call = {"data": raw, "headers": headers, "params": query}
            logged = raw.decode()
        began = time.monotonic()
        status, text, ok, message, error_code = 0, "", False, "", ""
        try:
            response = requests.request(request.method, url, timeout=10, **call)
            status, text = response.status_code, response.text[:2000]
            ok, message, error_code = outbound.read_answer(request.protocol, status, text)
            outcome = "ok" if ok else "refused"
        except requests.RequestException as error:
            text, outcome = str(error)[:2000], "unreachable"
            message = text
        self.env["retail.platform.log"]._write_separately({
            "direction": "out", "kind": kind, "shop_id": self.id, "order_ref": order or "",
            "url": url, "http_status": status, "outcome": outcome, "error_code": error_code or False,
            "request_body": outbound.mask_tokens(logged, [token])[:4000],
            "response_body": outbound.mask_tokens(text, [token]),
            "duration_ms": int((time.monotonic() - began) * 1000),
        })
        return ok, message, error_code
