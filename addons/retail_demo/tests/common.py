"""The demo chain on its first morning, built once per test class, in Chinese."""

import datetime
import json
import os

import pytz

from odoo import fields
from odoo.tests import HttpCase
from odoo.tools.misc import formatLang

SEED = 7
LANG = "zh_CN"
DEMO_LOGINS = ("manager", "hq", "finance", "cashier")
# The modules whose screens the journeys walk: their Chinese terms only, loading all costs time.
SCREEN_MODULES = ["retail_base", "retail_pos", "retail_inventory", "retail_members", "retail_analytics"]
PAID_STATES = ("paid", "done")


class RetailDemoCase(HttpCase):
    """The ``test`` scale demo chain, its Chinese terms loaded, its users working in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.summary = cls.env["retail.chain.generator"].generate(scale="test", seed=SEED)
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(SCREEN_MODULES, [LANG])
        cls.users = {
            login: cls.env["res.users"].search([("login", "=", login)]) for login in DEMO_LOGINS
        }
        for user in cls.users.values():
            if user.lang != LANG:
                user.lang = LANG
        cls.stores = cls.env["stock.warehouse"].search([("retail_store_type", "=", "store")], order="code")
        cls.s01, cls.s02 = cls.stores[:2]
        cls.zh = cls.env(context={"lang": LANG})
        cls.currency = cls.env.company.currency_id

    # ------------------------------------------------------------------ figures as the stores count them

    @classmethod
    def store_yesterday(cls, store):
        tz = pytz.timezone(store.partner_id.tz or "UTC")
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date() - datetime.timedelta(days=1)

    @classmethod
    def store_orders(cls, store, first_day, last_day):
        """The paid orders of ``store`` on its local days ``first_day`` to ``last_day``."""
        tz = pytz.timezone(store.partner_id.tz or "UTC")
        orders = cls.env["pos.order"].search([
            ("config_id.warehouse_id", "=", store.id), ("state", "in", PAID_STATES),
            ("date_order", ">=", first_day - datetime.timedelta(days=1)),
            ("date_order", "<", last_day + datetime.timedelta(days=2)),
        ])
        return orders.filtered(
            lambda order: first_day <= pytz.utc.localize(order.date_order).astimezone(tz).date() <= last_day)

    def money(self, amount):
        """An amount as the Chinese screens show it."""
        return formatLang(self.zh, amount, currency_obj=self.currency)

    def zh_selection(self, model, field, value):
        return dict(self.zh[model]._fields[field]._description_selection(self.zh))[value]

    # ------------------------------------------------------------------ tours

    def start_tour_with(self, url, tour, login, expected, **kwargs):
        """Run ``tour`` as ``login`` with the figures of ``expected`` in the browser's session
        storage, where its steps read them (``retail_demo_expected``)."""
        options = {
            "stepDelay": 0,
            "keepWatchBrowser": kwargs.get("watch", False),
            "debug": kwargs.get("debug", False),
            "startUrl": url,
            "delayToCheckUndeterminisms": kwargs.pop("delay_to_check_undeterminisms", int(
                os.getenv("ODOO_TOUR_DELAY_TO_CHECK_UNDETERMINISMS", "0")) or 0),
        }
        code = (f"sessionStorage.setItem('retail_demo_expected', {json.dumps(json.dumps(expected))}); "
                f"odoo.startTour({tour!r}, {json.dumps(options)})")
        self.start_tour(url, tour, login=login, code=code, **kwargs)
