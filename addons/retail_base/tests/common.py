import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, TransactionCase, new_test_user


class RetailCase(TransactionCase):
    """Two stores, a distribution centre and one user per role, built once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.region = cls.env["retail.region"].create({"name": "East", "code": "E"})
        cls.dc = Warehouse.create({"name": "Test DC", "code": "TDC", "retail_store_type": "dc"})
        cls.store_a = Warehouse.create({
            "name": "Test Store A", "code": "TSA", "retail_store_type": "store",
            "retail_region_id": cls.region.id,
        })
        cls.store_b = Warehouse.create({
            "name": "Test Store B", "code": "TSB", "retail_store_type": "store",
            "retail_region_id": cls.region.id,
        })
        cls.cashier_a = new_test_user(cls.env, "retail_cashier_a", groups="retail_base.group_retail_staff")
        cls.manager_a = new_test_user(cls.env, "retail_manager_a", groups="retail_base.group_retail_manager")
        cls.manager_b = new_test_user(cls.env, "retail_manager_b", groups="retail_base.group_retail_manager")
        cls.hq_user = new_test_user(cls.env, "retail_hq", groups="retail_base.group_retail_hq")
        cls.cashier_a.retail_store_ids = cls.store_a
        cls.manager_a.retail_store_ids = cls.store_a
        cls.manager_b.retail_store_ids = cls.store_b


class RetailHttpCase(HttpCase):
    """Calls server methods over real HTTP, logged in as a given user, as a till or browser would.

    ``rpc`` goes through ``/web/dataset/call_kw`` (what the web client and the till use),
    ``json2`` through Odoo 19's ``/json/2/<model>/<method>`` with a bearer API key. Both return
    the result or raise ``RetailRpcError`` carrying the server's exception name and message, so
    a test asserts exactly which error a role gets.
    """

    def rpc(self, login, model, method, *args, password=None, context=None, **kwargs):
        """``model.method(*args, **kwargs)`` as ``login`` (its password defaults to the login)."""
        if login is None:
            self.authenticate(None, None)
        elif getattr(self, "_retail_logged_in", None) != login:
            self.authenticate(login, password or login)
        self._retail_logged_in = login
        if context is not None:
            kwargs["context"] = context
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps({
                "id": 0, "jsonrpc": "2.0", "method": "call",
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            }, default=str),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            raise RetailRpcError(f"HTTP {response.status_code}", response.text[:500])
        decoded = response.json()
        if "error" in decoded:
            data = decoded["error"].get("data") or {}
            raise RetailRpcError(data.get("name") or decoded["error"].get("message"), data.get("message") or "")
        return decoded.get("result")

    def assertRpcDenied(self, error_name, login, model, method, *args, **kwargs):
        """The call fails with the exception ``error_name`` (e.g. ``AccessError``)."""
        with self.assertRaises(RetailRpcError) as caught:
            self.rpc(login, model, method, *args, **kwargs)
        self.assertTrue(
            caught.exception.name.endswith(error_name),
            f"{login} calling {model}.{method}: expected {error_name}, got {caught.exception}",
        )
        return caught.exception

    def rights_matrix_mismatches(self, roles, matrix):
        """Every ``(model, operation)`` of ``matrix`` tried by each role through ``self.outcome``;
        the lines where a role got other than ``"ok"`` (allowed) or ``"AccessError"``. HQ comes
        last, as its allowed deletions remove the spare records."""
        wrong = []
        for role in sorted(roles, key=lambda role: role == "hq"):
            for (model, operation), allowed in matrix.items():
                expected = "ok" if role in allowed else "AccessError"
                got = self.outcome(role, model, operation)
                if got != expected:
                    wrong.append(f"{role} {operation} {model}: expected {expected}, got {got}")
        return wrong

    def json2(self, login, model, method, payload=None):
        """``POST /json/2/<model>/<method>`` with an API key of ``login``; returns (status, body)."""
        # An API key call carries no session: a browser session of another user would be refused.
        self.opener.cookies.clear()
        self._retail_logged_in = None
        user = self.env["res.users"].search([("login", "=", login)])
        key = self.env["res.users.apikeys"].with_user(user)._generate(
            None, f"{login} test key", datetime.now() + timedelta(days=1))
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload or {}),
            headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        return response.status_code, body


class RetailRpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name or ""
        self.message = message or ""
