from uuid import uuid4

from odoo import Command, fields
from odoo.addons.retail_base.tests.common import RetailCase
from odoo.tests import new_test_user

from ..tools.simulator import Simulator

APP_ID = "retail-test-app"
APP_SECRET = "s3cret-of-the-provider"
SELLER_TAX_ID = "91350100M000100Y43"
COMPANY_TAX_ID = "91110000600037341L"


class EinvoiceCase(RetailCase):
    """Two stores with a till each, a 13 % product, finance, and a provider: the SOAP simulator
    serving on 127.0.0.1 for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The call log is written on a cursor of its own (see ``_log_exchange``); in test mode the
        # registry's new cursors share the test's transaction, so the tests see the log and roll
        # it back with everything else. HTTP test cases are in that mode already.
        if not cls._registry_patched:
            cls.registry_enter_test_mode_cls()
        cls.simulator = Simulator({APP_ID: APP_SECRET}).start()
        cls.addClassCleanup(cls.simulator.stop)
        env = cls.env
        company = env.company
        cls.provider = env["retail.einvoice.provider"].create({
            "name": "Simulated provider", "wsdl_url": cls.simulator.wsdl_url, "app_id": APP_ID,
            "app_secret": APP_SECRET, "seller_tax_id": SELLER_TAX_ID,
            # the least Odoo's test runner lets a request wait (it raises shorter timeouts to 10 s)
            "timeout": 10,
        })
        cls.finance = new_test_user(env, "einv_finance", groups="account.group_account_manager")
        cls.portal_user = new_test_user(env, "einv_portal", groups="base.group_portal")
        cls.vat13 = env["account.tax"].create({
            "name": "VAT 13 %", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": company.id,
        })
        cls.cola = env["product.product"].create({
            "name": "可口可乐 330ml", "lst_price": 100.0, "available_in_pos": True,
            "taxes_id": [Command.set(cls.vat13.ids)],
        })
        cls.sessions = {}
        for store, code in ((cls.store_a, "EVA"), (cls.store_b, "EVB")):
            journal = env["account.journal"].create({"name": f"Cash {code}", "code": code, "type": "cash"})
            method = env["pos.payment.method"].create({"name": f"Cash {code}", "journal_id": journal.id})
            config = env["pos.config"].create({
                "name": f"Till {code}", "warehouse_id": store.id, "picking_type_id": store.pos_type_id.id,
                "payment_method_ids": [Command.set(method.ids)],
            })
            config.open_ui()
            config.current_session_id.set_opening_control(0, None)
            cls.sessions[store] = config.current_session_id

    @classmethod
    def make_order(cls, store=None, qty=2.0, price=100.0):
        """A paid till order of ``qty`` colas at ``price`` plus 13 % VAT, synchronised as a till does."""
        session = cls.sessions[store or cls.store_a]
        untaxed = round(qty * price, 2)
        total = round(untaxed * 1.13, 2)
        uuid = str(uuid4())
        cls.env["pos.order"].sync_from_ui([{
            "uuid": uuid, "name": f"Order {uuid[:8]}", "pos_reference": f"{uuid[:8]}-1-000001",
            "session_id": session.id,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "lines": [Command.create({
                "uuid": str(uuid4()), "product_id": cls.cola.id, "qty": qty, "price_unit": price, "discount": 0.0,
                "price_subtotal": untaxed, "price_subtotal_incl": total,
                "tax_ids": [Command.set(cls.vat13.ids)],
            })],
            "payment_ids": [Command.create({
                "amount": total, "name": fields.Datetime.now(),
                "payment_method_id": session.config_id.payment_method_ids[:1].id,
            })],
            "amount_paid": total, "amount_total": total, "amount_tax": round(total - untaxed, 2),
            "amount_return": 0.0, "state": "paid", "user_id": cls.env.uid, "last_order_preparation_change": "{}",
        }])
        return cls.env["pos.order"].search([("uuid", "=", uuid)])

    def request_for(self, order, user=None, **buyer):
        values = {"pos_order_id": order.id, "buyer_kind": "personal", "buyer_title": "张三", **buyer}
        return self.env["retail.einvoice"].with_user(user or self.cashier_a).create(values)

    def issued_count(self):
        return self.simulator.state.issued_count

    def run_cron(self, xmlid):
        self.env.ref(xmlid).method_direct_trigger()

    def make_due(self, requests):
        """Bring the planned automatic retries of ``requests`` to now, as the clock would."""
        requests.filtered("retry_at").sudo()._as_server().write({"retry_at": fields.Datetime.now()})
