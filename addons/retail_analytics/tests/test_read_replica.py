import logging
import re
import threading
from contextlib import contextmanager

import psycopg2

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import RetailAnalyticsCase


class CursorModeRecorder(logging.Handler):
    """Keeps the cursor mode of every request the server logs.

    Odoo serves a request on a read-only cursor ("ro": the replica when ``db_replica_host`` is
    set, a read-only connection under ``--dev replica`` and in tests), on the primary ("rw"),
    or first read-only then on the primary when it tried to write ("ro->rw"). It notes the
    mode on the thread serving the request, which is also the thread that logs the request
    once answered.
    """

    def __init__(self):
        super().__init__(logging.INFO)
        self.requests = []

    def emit(self, record):
        self.requests.append((record.getMessage(), getattr(threading.current_thread(), "cursor_mode", None)))

    def modes(self, path):
        """The cursor modes of the logged requests to ``path``, in order."""
        request = re.compile(rf" {re.escape(path)}[ ?#]")
        return [mode for line, mode in self.requests if request.search(line)]


@tagged("post_install", "-at_install")
class TestReadReplica(RetailAnalyticsCase, HttpCase):
    """The heavy reads run through real RPC on a read-only cursor, with the record rules of
    the user who calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell(cls.session_a, cls.cashier_a, cls.at(cls.day), [(cls.milk, 2, 5.0, 0)])
        cls.sell(cls.session_b, cls.manager_b, cls.at(cls.day), [(cls.bread, 10, 4.0, 0)])
        packs = cls.env["retail.close.pack"]._build_packs(cls.day)
        cls.pack_a = packs.filtered(lambda p: p.retail_store_id == cls.store_a)
        cls.pack_b = packs.filtered(lambda p: p.retail_store_id == cls.store_b)
        rule = cls.env["retail.anomaly.rule"].create({"name": "Replica spike", "rule_type": "sales_spike"})
        cls.item_a = cls.env["retail.review.item"]._create_from_hits([{
            "rule_id": rule.id, "date": cls.day, "retail_store_id": cls.store_a.id,
            "product_id": cls.milk.id, "value": 12.0, "baseline": 1.0, "threshold": 10,
        }])

    def setUp(self):
        super().setUp()
        self.authenticate("retail_manager_a", "retail_manager_a")

    @contextmanager
    def served(self):
        """Records the cursor modes of the requests served inside the block."""
        recorder = CursorModeRecorder()
        logger = logging.getLogger("werkzeug")
        level = logger.level
        logger.addHandler(recorder)
        logger.setLevel(logging.INFO)
        try:
            yield recorder
        finally:
            logger.removeHandler(recorder)
            logger.setLevel(level)

    def call_kw(self, model, method, args=(), **kwargs):
        return self.make_jsonrpc_request(self.call_kw_path(model, method), {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs,
        })

    def call_kw_path(self, model, method):
        return f"/web/dataset/call_kw/{model}/{method}"

    def test_dashboard_runs_read_only_and_sees_the_managers_store_only(self):
        with self.served() as served:
            data = self.call_kw("retail.dashboard", "get_kpis", date_to=str(self.day), days=7)
        self.assertEqual(served.modes(self.call_kw_path("retail.dashboard", "get_kpis")), ["ro"])
        self.assertEqual([store["id"] for store in data["stores"]], [self.store_a.id])
        self.assertAlmostEqual(data["periods"]["current"]["sales"], 10.0)
        self.assertEqual(data["periods"]["current"]["tickets"], 1)

    def test_dashboard_of_another_store_is_refused_on_the_read_only_cursor(self):
        with self.served() as served, mute_logger("odoo.http"), \
                self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call_kw("retail.dashboard", "get_kpis", store_id=self.store_b.id, date_to=str(self.day), days=7)
        self.assertEqual(served.modes(self.call_kw_path("retail.dashboard", "get_kpis")), ["ro"])

    def test_a_write_through_the_same_route_runs_on_the_primary(self):
        with self.served() as served:
            self.call_kw("retail.review.item", "action_investigate", [self.item_a.id])
        self.assertEqual(served.modes(self.call_kw_path("retail.review.item", "action_investigate")), ["rw"])
        self.item_a.invalidate_recordset()
        self.assertEqual(self.item_a.state, "investigating")

    def test_the_read_only_cursor_refuses_writes(self):
        with self.registry.cursor(readonly=True) as cr:
            cr.execute("SHOW transaction_read_only")
            self.assertEqual(cr.fetchone(), ("on",))
            with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction), mute_logger("odoo.sql_db"):
                cr.execute("UPDATE retail_review_item SET state = 'closed' WHERE id = %s", [self.item_a.id])
        self.env.cr.execute("SELECT state FROM retail_review_item WHERE id = %s", [self.item_a.id])
        self.assertEqual(self.env.cr.fetchone(), ("new",))

    def test_report_views_group_read_only_within_the_managers_stores(self):
        with self.served() as served:
            groups = self.call_kw("retail.store.sales.report", "formatted_read_group", domain=[],
                                  groupby=["retail_store_id"], aggregates=["sales_amount:sum"])
            rows = self.call_kw("retail.sales.report", "web_search_read", domain=[],
                                specification={"retail_store_id": {}, "sales_amount": {}})
        self.assertEqual(served.modes(self.call_kw_path("retail.store.sales.report", "formatted_read_group")), ["ro"])
        self.assertEqual(served.modes(self.call_kw_path("retail.sales.report", "web_search_read")), ["ro"])
        self.assertEqual([(group["retail_store_id"][0], group["sales_amount:sum"]) for group in groups],
                         [(self.store_a.id, 10.0)])
        self.assertEqual({row["retail_store_id"] for row in rows["records"]}, {self.store_a.id})

    def test_close_pack_preview_runs_read_only_for_the_own_store_only(self):
        preview = "/report/html/retail_analytics.report_retail_close_pack/"
        with self.served() as served:
            own = self.url_open(f"{preview}{self.pack_a.id}")
            with mute_logger("odoo.http"):
                other = self.url_open(f"{preview}{self.pack_b.id}")
        self.assertEqual(served.modes(f"{preview}{self.pack_a.id}"), ["ro"])
        self.assertEqual(served.modes(f"{preview}{self.pack_b.id}"), ["ro"])
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.pack_a.name, own.text)
        self.assertEqual(other.status_code, 403)
        self.assertNotIn(self.pack_b.name, other.text)
