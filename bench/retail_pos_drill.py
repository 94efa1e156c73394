"""Peak-day drill: tills selling against a multi-worker Odoo server, with faults, then an audit.

    python3 bench/retail_pos_drill.py --short            # the CI form: about 3 minutes, all faults
    python3 bench/retail_pos_drill.py [--stores 4 --tills 8 --seconds 120 --batch 1 ...]
    python3 bench/retail_pos_drill.py --compare          # core point of sale vs the suite, same drill

Everything it needs it starts itself, on localhost only: a throw-away PostgreSQL cluster in
``--workdir`` (``scripts/lib.sh`` ``pg_start``), a database with the modules installed, the drill's
fixture (``bench/retail_pos_drill_odoo.py``: stores, tills, cashiers, store managers with an
approval PIN, members, products with stock, open sessions), and Odoo in prefork mode
(``--workers``, ``--max-cron-threads 1``). Each till is a thread with its own HTTP session: it
logs in as its store's cashier (``/web/session/authenticate``), asks for a manager's approval when
an order needs one (``pos.session.retail_request_approval``, on the suite) and synchronises its
orders with ``pos.order.sync_from_ui`` over JSON-RPC, as the till does. Like the till, it keeps
every order until the server has acknowledged it, and sends it again with the same uuid after a
timeout, a refused connection or a server error.

Faults, spread over the selling time: a prefork worker killed (SIGKILL); PostgreSQL restarted;
calls abandoned by the client after 20 ms and sent again; a till offline that then sends its
backlog in calls of ten orders, as the suite's till does; a session closed from the back office
while its till holds unsynchronised orders (the till shows the server's message, a person opens a
new session, the orders follow); two devices of one till racing for its sequences. Afterwards every
session is closed from the till with its cash counted, and the database is audited: every order
sent exists exactly once with its lines and total, the stock moves match the lines, sessions are
closed with their entries posted and no cash difference, every journal entry balances, the payments
and the sales booked equal the orders, and (with members) each order's points are in the ledger
once and each card's balance is its ledger. Exits 1 when anything is lost, duplicated or
inconsistent; the last line reads ``drill: N orders, 0 lost, 0 duplicated, ...``.
"""

import argparse
import fcntl
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from uuid import uuid4

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_SIDE = os.path.join(ROOT, "bench", "retail_pos_drill_odoo.py")
CORE_MODULES = "point_of_sale,pos_hr,product_expiry"
SUITE_MODULES = "retail_pos,retail_members"
TRANSIENT_MARKERS = (
    "could not obtain lock", "OperationalError", "InterfaceError", "connection", "server closed",
    "terminating connection", "the database system is", "SerializationFailure", "could not serialize",
    "deadlock", "Connection refused", "Session expired", "SessionExpiredException",
    # the same order in two calls at once (a resend while the abandoned call still runs): the second
    # waits for the first and is refused; the till sends it again and the server acknowledges it
    "with this uuid already exists",
)
CLOSED_SESSION_MARKER = "No open session"


# ---------------------------------------------------------------------------------------------
# Pure helpers (tested in tests/test_retail_pos_drill.py)
# ---------------------------------------------------------------------------------------------
def percentile(values, fraction):
    """Nearest-rank percentile of ``values`` (0 < fraction <= 1); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without math
    return ordered[int(rank) - 1]


def is_transient(message):
    """Whether a refusal is the server's trouble (retry the same orders) rather than the order's."""
    return any(marker.lower() in message.lower() for marker in TRANSIENT_MARKERS)


def order_kind(index, suite, rng):
    """The mix of a peak day: one order in 12 a return, one in 10 a discount a manager approves
    (on the suite), one in 3 for a member."""
    return {
        "refund": index % 12 == 11,
        "approval": suite and index % 10 == 4,
        "member": index % 3 == 0,
        "discount": rng.choice([0.0, 0.0, 0.0, 5.0, 10.0]),
    }


def build_lines(products, rng, discount, approved_discount):
    """3 to 5 lines; with ``approved_discount`` the first line carries it (above the store limit)."""
    lines = []
    for position, product in enumerate(rng.sample(products, rng.randint(3, 5))):
        qty = float(rng.randint(1, 3))
        line_discount = approved_discount if (approved_discount and position == 0) else discount
        subtotal = round(product["price"] * qty * (1 - line_discount / 100.0), 2)
        lines.append({
            "uuid": str(uuid4()), "product_id": product["id"], "qty": qty, "price_unit": product["price"],
            "discount": line_discount, "price_subtotal": subtotal, "price_subtotal_incl": subtotal,
            "tax_ids": [(6, 0, [])], "pack_lot_ids": [],
        })
    return lines


def order_payload(till, uuid, reference, lines, partner_id=False):
    total = round(sum(line["price_subtotal_incl"] for line in lines), 2)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "uuid": uuid, "name": f"Order {reference}", "pos_reference": reference, "sequence_number": 0,
        "session_id": till["session_id"], "pricelist_id": till["pricelist_id"], "date_order": now,
        "lines": [(0, 0, line) for line in lines],
        "payment_ids": [(0, 0, {"amount": total, "name": now, "payment_method_id": till["payment_method_id"]})],
        "amount_paid": total, "amount_total": total, "amount_tax": 0.0, "amount_return": 0.0,
        "state": "paid", "user_id": till["user_id"], "partner_id": partner_id,
        "last_order_preparation_change": "{}", "to_invoice": False,
    }


def summary_of(payload):
    lines = {}
    for _command, _id, line in payload["lines"]:
        key = str(line["product_id"])
        lines[key] = lines.get(key, 0.0) + line["qty"]
    return {"lines": lines, "total": payload["amount_total"]}


def summary_line(report):
    faults = report["faults"]
    parts = [
        f"drill: {report['orders']} orders", f"{report['lost']} lost", f"{report['duplicated']} duplicated",
        f"{report['inconsistencies']} inconsistent",
        f"{report['orders_per_second']:.1f} orders/s",
        "p50/p95/p99 " + "/".join(
            f"{value * 1000:.0f}" if value is not None else "-" for value in report["latency"]) + " ms",
        f"{report['lock_refusals']} lock refusals",
        "faults: " + ", ".join(f"{name} {count}" for name, count in faults.items()),
    ]
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# The till
# ---------------------------------------------------------------------------------------------
class Till(threading.Thread):

    def __init__(self, drill, data, seed):
        super().__init__(name=f"till-{data['index']}", daemon=True)
        self.drill, self.data = drill, dict(data)
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.pending = []      # payloads built, not yet acknowledged by the server
        self.sold_lines = []   # (line id, product id, price, discount) of acknowledged sales
        # lines taken into sold_lines once: the server's answer carries again the lines of orders
        # it already had (a call sent again) and of the receipts a return refers to
        self.seen_line_ids = set()
        self.sent = {}         # uuid -> summary, every order this till made
        self.latencies = []
        self.timed = []        # (when, latency) of the same calls
        self.number = 0
        self.messages = []     # what the till showed a person (refusals that need one)
        self.counts = {"retries": 0, "timeouts_resent": 0, "lock_refusals": 0, "calls": 0, "backlog": 0,
                       "recovered": 0}
        self.was_offline = False
        self.hold_until = 0.0  # offline until then (the orders wait on the till)
        self.closed_session_event = None

    # -- HTTP --------------------------------------------------------------------------------
    def call(self, model, method, args, kwargs=None, timeout=60):
        url = f"{self.drill.base_url}/web/dataset/call_kw/{model}/{method}"
        body = {"jsonrpc": "2.0", "method": "call", "id": self.counts["calls"], "params": {
            "model": model, "method": method, "args": args, "kwargs": {"context": {"lang": "en_US"}, **(kwargs or {})},
        }}
        self.counts["calls"] += 1
        response = self.http.post(url, json=body, timeout=timeout)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} {response.text[:200]}")
        answer = response.json()
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise RemoteError(data.get("name", ""), data.get("message") or answer["error"].get("message", ""))
        return answer.get("result")  # Odoo leaves out a result of None

    def login(self):
        self.until_ok(lambda: self._login())

    def _login(self):
        response = self.http.post(f"{self.drill.base_url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "db": self.drill.database, "login": self.data["login"], "password": self.data["password"]}},
            timeout=60)
        answer = response.json()
        if "error" in answer or not answer.get("result", {}).get("uid"):
            raise RemoteError("login", json.dumps(answer.get("error"))[:300])

    def until_ok(self, function, deadline=180):
        """Call ``function`` until it succeeds, as the till does: the server's trouble (a killed
        worker, a restarting database, a timeout) is waited out; a refusal of the order is not."""
        started = time.monotonic()
        delay = 0.2
        while True:
            try:
                return function()
            except (requests.RequestException, RuntimeError) as error:
                message = str(error)
            except RemoteError as error:
                message = str(error)
                if "could not obtain lock" in message:
                    self.counts["lock_refusals"] += 1
                if "Session expired" in message or "SessionExpired" in error.name:
                    self._login()
                if not is_transient(message):
                    raise
            if time.monotonic() - started > deadline:
                raise RemoteError("drill", f"gave up after {deadline} s: {message[:300]}")
            self.counts["retries"] += 1
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

    # -- orders ------------------------------------------------------------------------------
    def new_order(self, online=True):
        index = self.number
        self.number += 1
        # offline, a manager's approval cannot be signed by the server: none asked for
        kind = order_kind(index, self.drill.fixture["suite"] and online, self.rng)
        uuid = str(uuid4())
        year = datetime.now(UTC).strftime("%y")
        reference = f"{year}{self.data['index'] + 1}-{self.data['config_id']}-{index + 1:06d}"
        if kind["refund"] and self.sold_lines:
            line_id, product_id, price, discount = self.sold_lines.pop(self.rng.randrange(len(self.sold_lines)))
            subtotal = round(-price * (1 - discount / 100.0), 2)
            lines = [{
                "uuid": str(uuid4()), "product_id": product_id, "qty": -1.0, "price_unit": price,
                "discount": discount, "price_subtotal": subtotal, "price_subtotal_incl": subtotal,
                "tax_ids": [(6, 0, [])], "pack_lot_ids": [], "refunded_orderline_id": line_id,
            }]
        else:
            lines = build_lines(self.drill.fixture["products"], self.rng, kind["discount"],
                                20.0 if kind["approval"] else 0.0)
        partner = self.rng.choice(self.data["members"]) if kind["member"] and not kind["refund"] else False
        payload = order_payload(self.data, uuid, reference, lines, partner)
        if kind["approval"] and not kind["refund"]:
            answer = self.until_ok(lambda: self.call("pos.session", "retail_request_approval", [
                [self.data["session_id"]], "discount", uuid,
                [{"line_uuid": lines[0]["uuid"], "new_value": str(lines[0]["discount"]), "original_value": "0"}],
                self.data["manager_employee_id"], self.data["manager_pin"],
            ]))
            if not answer.get("ok"):
                raise RemoteError("approval", answer.get("message", ""))
            payload["retail_approval_payload"] = json.dumps(answer["approvals"])
        self.sent[uuid] = summary_of(payload)
        self.pending.append(payload)
        return payload

    def sync(self, payloads, abandon_first=False, measure=True):
        """Send ``payloads`` until acknowledged. ``abandon_first``: give up the first call after
        20 ms, as a till whose network is slow, and send the same orders again."""
        if abandon_first:
            try:
                self.call("pos.order", "sync_from_ui", [payloads], timeout=0.02)
            except requests.Timeout:
                self.counts["timeouts_resent"] += 1
            except (requests.RequestException, RuntimeError, RemoteError):
                pass
        started = time.monotonic()
        result = self.until_ok(lambda: self.call("pos.order", "sync_from_ui", [payloads]))
        elapsed = time.monotonic() - started
        acknowledged = {order["uuid"] for order in result["pos.order"]}
        missing = [payload["uuid"] for payload in payloads if payload["uuid"] not in acknowledged]
        if missing:
            raise RemoteError("drill", f"the server did not acknowledge {missing}")
        order_of_id = {order["id"]: order for order in result["pos.order"]}
        for line in result["pos.order.line"]:
            order = order_of_id.get(line["order_id"])
            if order and line["qty"] > 0 and not line.get("refunded_orderline_id") \
                    and line["id"] not in self.seen_line_ids:
                self.seen_line_ids.add(line["id"])
                self.sold_lines.append((line["id"], line["product_id"], line["price_unit"], line["discount"]))
        for order in result["pos.order"]:
            if order["session_id"] != self.data["session_id"]:
                self.drill.note(f"till {self.data['index'] + 1}: order {order['pos_reference']} recorded in "
                                f"session {order['session_id']}")
        sent = {payload["uuid"] for payload in payloads}
        self.pending = [payload for payload in self.pending if payload["uuid"] not in sent]
        if measure:
            self.latencies.append(elapsed)
            self.timed.append((time.monotonic(), elapsed))
        return elapsed

    def run(self):
        try:
            try:
                self.login()
            finally:
                self.drill.logged_in.release()
            self.drill.start_event.wait()
            batch = self.drill.args.batch
            while time.monotonic() < self.drill.stop_at:
                offline = time.monotonic() < self.hold_until
                self.new_order(online=not offline)
                if offline:
                    self.was_offline = True
                    time.sleep(self.drill.args.offline_pace)  # the cashier still sells, offline
                    continue
                if self.closed_session_event is not None:
                    self.resume_after_closed_session()
                elif self.was_offline:
                    self.was_offline = False
                    self.counts["backlog"] += len(self.pending)
                    self.send_backlog()
                elif len(self.pending) >= batch:
                    abandon = bool(self.drill.args.abandon_every) and self.number % self.drill.args.abandon_every == 7
                    self.sync(list(self.pending), abandon_first=abandon)
            if self.closed_session_event is not None:
                self.resume_after_closed_session()
            if self.pending:
                self.send_backlog()
        except Exception as error:  # the drill reports every failure of a till
            self.drill.fail(f"till {self.data['index'] + 1}: {type(error).__name__}: {error}")

    def preload(self, count, batch=50):
        """A busy till's day: ``count`` orders, synchronised ``batch`` per call."""
        try:
            self.login()
            while len(self.sent) < count:
                for _index in range(min(batch, count - len(self.sent))):
                    self.new_order()
                self.sync(list(self.pending), measure=False)
        except Exception as error:
            self.drill.fail(f"till {self.data['index'] + 1}: {type(error).__name__}: {error}")

    def send_backlog(self):
        """What the till holds, as the suite's till sends it: calls of its orders per
        synchronisation (``retail_sync_batch_size``, 10 by default)."""
        step = self.drill.args.backlog_batch
        backlog = list(self.pending)
        for start in range(0, len(backlog), step):
            self.sync(backlog[start:start + step], measure=False)

    def resume_after_closed_session(self):
        """The till comes back after its session was closed behind its back: the server refuses its
        orders with a message; a person opens a new session and the till sends them again."""
        self.closed_session_event.wait(300)
        try:
            self.call("pos.order", "sync_from_ui", [list(self.pending)])
        except RemoteError as error:
            if CLOSED_SESSION_MARKER.lower() not in str(error).lower():
                raise
            self.messages.append(str(error))
            self.drill.faults["closed session message shown"] += 1
        else:
            raise RemoteError("drill", "orders for a closed session were taken without a word")
        config_id = self.data["config_id"]
        self.until_ok(lambda: self.call("pos.config", "open_ui", [[config_id]]))
        config = self.until_ok(lambda: self.call("pos.config", "read", [[config_id], ["current_session_id"]]))[0]
        session_id = config["current_session_id"][0]
        self.until_ok(lambda: self.call("pos.session", "set_opening_control", [[session_id], 0, ""]))
        self.data["session_id"] = session_id
        # the orders keep the session they were sold in: the server puts them in the open one
        self.counts["recovered"] += len(self.pending)
        self.send_backlog()
        self.closed_session_event = None


class RemoteError(Exception):

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name


# ---------------------------------------------------------------------------------------------
# The drill
# ---------------------------------------------------------------------------------------------
def shell(script, env=None, check=True):
    """Run ``script`` in bash after sourcing scripts/lib.sh; returns its stdout."""
    completed = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/lib.sh"\n{script}'], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, check=False)
    if check and completed.returncode:
        raise RuntimeError(f"{script.strip().splitlines()[0]} failed: {completed.stderr[-2000:]}")
    return completed.stdout


def odoo_bin():
    """Odoo's own launcher: prefork re-executes it for its long-polling process, so it must be a file."""
    source = subprocess.run([sys.executable, "-c", "import odoo.release, os; print(os.path.dirname(os.path.dirname("
                             "os.path.abspath(odoo.release.__file__))))"], capture_output=True, text=True, check=True)
    launcher = os.path.join(source.stdout.strip(), "odoo-bin")
    return launcher if os.path.isfile(launcher) else shutil.which("odoo")


class Drill:

    def __init__(self, args):
        self.args = args
        self.workdir = os.path.abspath(args.workdir)
        self.pg_dir = os.path.join(self.workdir, "pg")
        # Odoo reads PGHOST and PGPORT before its configuration file: every Odoo the drill starts
        # (install, fixture, server, audit) must meet the drill's own cluster, not one the
        # caller's environment names
        os.environ.update(self.pg_env())
        self.failures, self.notes = [], []
        self.lock = threading.Lock()
        self.faults = dict.fromkeys((
            "worker killed", "postgresql restarted", "calls abandoned and resent", "offline backlog orders",
            "closed session message shown", "orders recovered after a closed session", "sequence race tills",
            "server restarted by its supervisor"), 0)
        self.server = None

    def fail(self, message):
        with self.lock:
            self.failures.append(message)
        print(f"FAIL {message}", file=sys.stderr, flush=True)

    def note(self, message):
        with self.lock:
            self.notes.append(message)

    def log(self, message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # -- infrastructure ----------------------------------------------------------------------
    def pg_env(self):
        return {"PGHOST": self.pg_dir, "PGPORT": str(self.args.pg_port), "PGUSER": "odoo"}

    def start_pg(self):
        shell(f'pg_start "{self.pg_dir}" {self.args.pg_port} throwaway')

    def restart_pg(self):
        shell(f'pg_stop "{self.pg_dir}"; pg_start "{self.pg_dir}" {self.args.pg_port} throwaway')

    def stop_pg(self):
        shell(f'pg_stop "{self.pg_dir}"', check=False)

    def write_config(self):
        addons = shell("addons_path").strip()
        self.conf = os.path.join(self.workdir, "odoo.conf")
        with open(self.conf, "w") as conf:
            conf.write("[options]\n" + "\n".join([
                f"addons_path = {addons}", f"data_dir = {os.path.join(self.workdir, 'data')}",
                f"db_host = {self.pg_dir}", f"db_port = {self.args.pg_port}", "db_user = odoo",
                "http_interface = 127.0.0.1", "list_db = False", f"admin_passwd = {uuid4().hex}",
                "limit_time_real = 300", "limit_time_cpu = 300",
            ]) + "\n")

    def odoo(self, *arguments, **popen):
        return subprocess.Popen([sys.executable, odoo_bin(), *arguments], **popen)

    def prepare_database(self, variant):
        """A template database per variant, installed once per work folder; the drill runs on a copy."""
        modules = CORE_MODULES if variant == "core" else self.args.modules
        template = f"drill_tpl_{variant}_{modules.replace(',', '_')}"[:63]
        database = f"drill_{variant}"
        existing = shell("psql -d postgres -tAc \"SELECT datname FROM pg_database\"", env=self.pg_env()).split()
        if template not in existing:
            self.log(f"installing {modules} into {template}")
            started = time.monotonic()
            shell(f"createdb {template}", env=self.pg_env())
            with open(os.path.join(self.workdir, f"install_{variant}.log"), "w") as log:
                code = self.odoo("-c", self.conf, "-d", template, "-i", modules, "--stop-after-init",
                                 "--log-level", "warn", stdout=log, stderr=subprocess.STDOUT).wait()
            if code:
                shell(f"dropdb {template}", env=self.pg_env(), check=False)
                raise RuntimeError(f"installing {modules} failed, see {log.name}")
            self.log(f"installed in {time.monotonic() - started:.0f} s")
        shell(f"dropdb --if-exists {database} && createdb -T {template} {database}", env=self.pg_env())
        self.database = database
        started = time.monotonic()
        output = subprocess.run(
            [sys.executable, ODOO_SIDE, "fixture", "-c", self.conf, "-d", database, "--stores", str(self.args.stores),
             "--tills", str(self.args.tills), "--stock", self.args.stock],
            capture_output=True, text=True, check=False)
        if output.returncode:
            raise RuntimeError(f"fixture failed: {output.stderr[-3000:]}")
        self.fixture = json.loads(output.stdout.strip().splitlines()[-1])
        self.log(f"fixture: {self.args.stores} stores, {self.args.tills} tills, "
                 f"{len(self.fixture['products'])} products in {time.monotonic() - started:.0f} s")

    def start_server(self, fresh=True):
        self.base_url = f"http://127.0.0.1:{self.args.http_port}"
        self.server_log = os.path.join(self.workdir, f"server_{self.database}.log")
        if fresh and os.path.exists(self.server_log):
            os.remove(self.server_log)
        if fresh:
            self.server_output = open(self.server_log + ".out", "w")  # open while the server runs
        self.server = self.odoo(
            "server", "-c", self.conf, "-d", self.database, "--db-filter", f"^{self.database}$",
            "--workers", str(self.args.workers), "--max-cron-threads", "1", "--http-port", str(self.args.http_port),
            "--gevent-port", str(self.args.http_port + 1), "--logfile", self.server_log, "--log-level", "info",
            start_new_session=True, stdout=self.server_output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base_url}/web/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.server.poll() is not None:
                break
            time.sleep(0.5)
        raise RuntimeError(f"Odoo did not start, see {self.server_log}")

    def supervise(self):
        """What systemd's ``Restart=always`` does for a production server: Odoo's prefork master
        exits when it must respawn a worker while PostgreSQL refuses connections (it checks the
        registry first), so a server that exits during the day is started again."""
        while not self.supervisor_stop.wait(0.5):
            server = self.server
            if server is not None and server.poll() is not None:
                self.faults["server restarted by its supervisor"] += 1
                self.log(f"Odoo exited with {server.returncode}; starting it again")
                try:
                    self.start_server(fresh=False)
                except RuntimeError as error:
                    self.fail(str(error))

    def stop_server(self):
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        self.server = None

    def busiest_worker(self):
        """The server's prefork worker that has used the most CPU: an HTTP worker serving the tills
        (the cron worker and the long-polling process idle)."""
        busiest = None
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/cmdline") as cmdline:
                    command = cmdline.read()
            except OSError:
                continue
            if int(fields[1]) != self.server.pid or "gevent" in command.split("\0"):
                continue
            cpu = int(fields[11]) + int(fields[12])
            if busiest is None or cpu > busiest[0]:
                busiest = (cpu, int(entry))
        return busiest and busiest[1]

    # -- the day -----------------------------------------------------------------------------
    def run_day(self, faults):
        args = self.args
        tills = [Till(self, data, seed=args.seed * 1000 + data["index"]) for data in self.fixture["tills"]]
        self.faults["sequence race tills"] = sum(
            1 for till in tills if sum(t.data["config_id"] == till.data["config_id"] for t in tills) > 1)
        # every till logs in (and so every worker loads the registry) before the day starts
        self.logged_in, self.start_event = threading.Semaphore(0), threading.Event()
        self.stop_at = float("inf")
        for till in tills:
            till.start()
        for _till in tills:
            self.logged_in.acquire(timeout=180)
        started = time.monotonic()
        self.stop_at = started + args.seconds
        seconds = args.seconds
        if faults and len(tills) >= 3:
            tills[2].hold_until = started + 0.55 * seconds  # offline from the start, then its backlog
        closing_till = next((till for till in tills[3:] if sum(
            t.data["config_id"] == till.data["config_id"] for t in tills) == 1), None) if faults else None
        self.start_event.set()
        events = []
        if faults:
            events = [(0.25, self.kill_worker), (0.45, self.restart_pg_fault)]
            if closing_till:
                events.append((0.65, lambda: self.close_behind_till(closing_till)))
        for fraction, action in events:
            time.sleep(max(0.0, started + fraction * seconds - time.monotonic()))
            try:
                action()
            except Exception as error:
                self.fail(f"fault {action}: {error}")
        for till in tills:
            till.join(timeout=args.seconds + 400)
            if till.is_alive():
                self.fail(f"{till.name} did not finish")
        elapsed = time.monotonic() - started
        self.faults["offline backlog orders"] = sum(till.counts["backlog"] for till in tills)
        self.faults["orders recovered after a closed session"] = sum(till.counts["recovered"] for till in tills)
        return tills, elapsed

    def kill_worker(self):
        worker = self.busiest_worker()
        if not worker:
            raise RuntimeError("no worker found to kill")
        os.kill(worker, signal.SIGKILL)
        self.faults["worker killed"] += 1
        self.log(f"killed worker {worker}")

    def restart_pg_fault(self):
        started = time.monotonic()
        self.restart_pg()
        self.faults["postgresql restarted"] += 1
        self.log(f"restarted PostgreSQL in {time.monotonic() - started:.1f} s")

    def close_behind_till(self, till):
        """The till loses the network; meanwhile the store closes its session from the back office."""
        till.hold_until = float("inf")
        till.closed_session_event = threading.Event()
        try:
            time.sleep(1.0)
            office = Till(self, till.data, seed=0)
            office.login()
            session_id = till.data["session_id"]
            self.close_session(office, session_id)
            self.log(f"closed session {session_id} behind till {till.data['index'] + 1} "
                     f"({len(till.pending)} orders held)")
        finally:
            till.hold_until = 0.0
            till.closed_session_event.set()

    def close_session(self, client, session_id):
        fields = ["state", "cash_register_balance_end"]
        session = client.until_ok(lambda: client.call("pos.session", "read", [[session_id], fields]))[0]
        if session["state"] == "closed":
            return
        expected = session["cash_register_balance_end"]
        for method, arguments in (("post_closing_cash_details", [expected]),
                                  ("update_closing_control_state_session", ["drill"]),
                                  ("close_session_from_ui", [])):
            answer = client.until_ok(lambda m=method, a=arguments: client.call("pos.session", m, [[session_id], *a]))
            if isinstance(answer, dict) and answer.get("successful") is False:
                raise RuntimeError(f"session {session_id}: {method}: {answer.get('message')}")

    def close_all(self, tills):
        started = time.monotonic()
        sessions = {}
        for till in tills:
            sessions.setdefault(till.data["session_id"], till)
        for session_id, till in sessions.items():
            try:
                self.close_session(till, session_id)
            except Exception as error:
                self.fail(f"closing session {session_id}: {error}")
        return time.monotonic() - started

    def audit(self, tills):
        sent = {}
        for till in tills:
            sent.update(till.sent)
        path = os.path.join(self.workdir, f"sent_{self.database}.json")
        with open(path, "w") as sent_file:
            json.dump(sent, sent_file)
        output = subprocess.run([sys.executable, ODOO_SIDE, "audit", "-c", self.conf, "-d", self.database,
                                 "--sent", path], capture_output=True, text=True, check=False)
        if output.returncode:
            raise RuntimeError(f"audit failed: {output.stderr[-3000:]}")
        return json.loads(output.stdout.strip().splitlines()[-1])

    def server_lock_errors(self):
        with open(self.server_log, errors="replace") as log:
            return sum("could not obtain lock on row" in line for line in log)

    def close_at_peak(self):
        """Sessions with a day of orders each close at once while other tills sell."""
        sessions, orders = self.args.close_peak
        everyone = [Till(self, data, seed=self.args.seed * 1000 + data["index"]) for data in self.fixture["tills"]]
        alone = [till for till in everyone if sum(t.data["config_id"] == till.data["config_id"] for t in everyone) == 1]
        closers = alone[:sessions]
        sellers = [till for till in everyone if till not in closers]
        self.log(f"loading {sessions} sessions with {orders} orders each (50 per call)")
        started = time.monotonic()
        loaders = [threading.Thread(target=till.preload, args=(orders,)) for till in closers]
        for loader in loaders:
            loader.start()
        for loader in loaders:
            loader.join()
        loading = time.monotonic() - started
        self.log(f"loaded {sum(len(t.sent) for t in closers)} orders in {loading:.0f} s")
        self.logged_in, self.start_event = threading.Semaphore(0), threading.Event()
        self.stop_at = float("inf")
        for till in sellers:
            till.start()
        for _till in sellers:
            self.logged_in.acquire(timeout=180)
        self.start_event.set()
        time.sleep(5)  # the sellers' ordinary latency first
        durations = {}

        def close(till):
            began = time.monotonic()
            try:
                self.close_session(till, till.data["session_id"])
            except Exception as error:
                self.fail(f"closing session {till.data['session_id']}: {error}")
            durations[till.data["session_id"]] = time.monotonic() - began

        closing_started = time.monotonic()
        threads = [threading.Thread(target=close, args=(till,)) for till in closers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        closing_ended = time.monotonic()
        closing = closing_ended - closing_started
        self.stop_at = time.monotonic()
        for till in sellers:
            till.join(timeout=300)
        during = [value for till in sellers for when, value in till.timed if closing_started <= when <= closing_ended]
        self.close_peak_report = {
            "sessions": sessions, "orders_per_session": orders, "closing_seconds": closing,
            "slowest_close": max(durations.values()) if durations else None,
            "sellers": len(sellers), "seller_orders_during_close": len(during),
            "seller_latency_during_close": [percentile(during, f) for f in (0.5, 0.95, 0.99)],
        }
        self.log(f"closed {sessions} sessions in {closing:.1f} s")
        # the throughput reported is the loading's: the busy tills' orders, 50 per call
        return everyone, loading * sum(len(till.sent) for till in everyone) / max(sum(len(t.sent) for t in closers), 1)

    def run(self, variant, faults):
        self.prepare_database(variant)
        self.start_server()
        self.log(f"server up: {self.args.workers} workers + cron, {self.base_url}; selling for {self.args.seconds} s")
        self.supervisor_stop = threading.Event()
        supervisor = threading.Thread(target=self.supervise, daemon=True)
        supervisor.start()
        try:
            if self.args.close_peak:
                tills, elapsed = self.close_at_peak()
            else:
                tills, elapsed = self.run_day(faults)
            close_seconds = self.close_all(tills)
        finally:
            self.supervisor_stop.set()
            supervisor.join()
            self.stop_server()
        audit = self.audit(tills)
        latencies = [value for till in tills for value in till.latencies]
        orders = sum(len(till.sent) for till in tills)
        for till in tills:
            self.faults["calls abandoned and resent"] += till.counts["timeouts_resent"]
        report = {
            "variant": variant, "orders": orders, "lost": audit["lost"], "duplicated": audit["duplicated"],
            "inconsistencies": audit["problem_count"] + len(self.failures) + audit["unknown"],
            "orders_per_second": orders / elapsed if elapsed else 0.0,
            "latency": [percentile(latencies, fraction) for fraction in (0.5, 0.95, 0.99)],
            "lock_refusals": sum(till.counts["lock_refusals"] for till in tills),
            "server_lock_errors": self.server_lock_errors(),
            "retries": sum(till.counts["retries"] for till in tills),
            "faults": {name: count for name, count in self.faults.items() if faults or name == "sequence race tills"},
            "close_seconds": close_seconds, "audit": audit, "failures": self.failures,
            "messages": [message for till in tills for message in till.messages],
            "batch": self.args.batch, "stock": self.args.stock, "workers": self.args.workers,
            "close_peak": getattr(self, "close_peak_report", None),
        }
        return report


def print_report(report):
    audit = report["audit"]
    print(f"\n## {report['variant']}: {report['orders']} orders, {report['workers']} workers + cron, "
          f"{report['batch']} order(s) per call when online, stock `{report['stock']}`")
    print(f"- throughput {report['orders_per_second']:.1f} orders/s; sync latency p50/p95/p99 "
          + "/".join(f"{value * 1000:.0f}" if value is not None else "-" for value in report["latency"]) + " ms")
    print(f"- lock refusals seen by tills: {report['lock_refusals']}; lock errors in the server log: "
          f"{report['server_lock_errors']}; calls retried by the tills: {report['retries']}")
    print(f"- sessions closed from the tills: {audit['sessions']} in {report['close_seconds']:.1f} s")
    print(f"- audit: {audit['orders_found']} of {audit['orders_sent']} found, {audit['lost']} lost, "
          f"{audit['duplicated']} duplicated, {audit['unknown']} unknown, payments {audit['payments']}, "
          f"sales booked {audit['income']}, points {audit['points']}")
    if report["close_peak"]:
        peak = report["close_peak"]
        print(f"- close at peak: {peak['sessions']} sessions x {peak['orders_per_session']} orders closed at once in "
              f"{peak['closing_seconds']:.1f} s (slowest {peak['slowest_close']:.1f} s) while {peak['sellers']} tills "
              f"sold {peak['seller_orders_during_close']} orders, their latency p50/p95/p99 "
              + "/".join(f"{value * 1000:.0f}" if value is not None else "-"
                         for value in peak["seller_latency_during_close"]) + " ms")
    for message in report["messages"]:
        print(f"- the till showed: {message}")
    for problem in audit["problems"] + report["failures"]:
        print(f"- PROBLEM {problem}")


def main():
    # a stopped drill still stops its server and its cluster
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the CI form: 2 stores, 5 tills, 30 s, every fault")
    parser.add_argument("--compare", action="store_true", help="core point of sale, then the suite, no faults")
    parser.add_argument("--rounds", type=int, default=1, help="with --compare: pairs of runs, alternating")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--stores", type=int, default=3)
    parser.add_argument("--tills", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--batch", type=int, default=1, help="orders per call when the till is online")
    parser.add_argument("--backlog-batch", type=int, default=10,
                        help="orders per call when a till sends its backlog (the till's Orders per Synchronisation)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stock", default="closing", choices=["closing", "real"])
    parser.add_argument("--modules", default=SUITE_MODULES, help="the suite's modules to install")
    parser.add_argument("--abandon-every", type=int, default=25, help="abandon one call in N after 20 ms")
    parser.add_argument("--offline-pace", type=float, default=0.3, help="seconds between orders made offline")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=os.path.join(ROOT, ".drill"))
    parser.add_argument("--pg-port", type=int, default=28432)
    parser.add_argument("--http-port", type=int, default=28069)
    parser.add_argument("--close-peak", metavar="SESSIONS:ORDERS",
                        type=lambda text: tuple(int(part) for part in text.split(":")),
                        help="close SESSIONS sessions of ORDERS orders each at once while the other tills sell "
                        "(e.g. 20:2000; --tills must exceed SESSIONS)")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running (and its templates)")
    parser.add_argument("--json", help="write the reports to this file")
    args = parser.parse_args()
    if args.short:
        args.stores, args.tills, args.seconds = 2, 5, 30
    os.makedirs(args.workdir, exist_ok=True)
    # one drill per work folder: a second one would sell into the first one's server
    lock = open(os.path.join(args.workdir, "lock"), "w")  # held until the process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(f"another drill is running in {args.workdir}")
    reports = []
    drill = Drill(args)
    drill.start_pg()
    try:
        drill.write_config()
        variants = [("suite", not (args.no_faults or args.close_peak))]
        if args.compare:
            # alternate which goes first: the machine's other load drifts between runs
            variants = [pair for index in range(args.rounds)
                        for pair in ((("core", False), ("suite", False)) if index % 2 == 0
                                     else (("suite", False), ("core", False)))]
        for variant, faults in variants:
            drill.failures, drill.notes = [], []
            drill.faults = dict.fromkeys(drill.faults, 0)
            report = drill.run(variant, faults)
            print_report(report)
            reports.append(report)
    finally:
        if drill.server:
            drill.stop_server()
        if not args.keep:
            drill.stop_pg()
    if args.json:
        with open(args.json, "w") as output:
            json.dump(reports, output, indent=1)
    if args.compare:
        ratios = []
        for index in range(0, len(reports) - 1, 2):
            pair = {report["variant"]: report for report in reports[index:index + 2]}
            ratios.append(pair["suite"]["orders_per_second"] / pair["core"]["orders_per_second"])
            print(f"round {index // 2 + 1}: suite {pair['suite']['orders_per_second']:.1f}, core "
                  f"{pair['core']['orders_per_second']:.1f} orders/s, {ratios[-1]:.2f}x")
        print(f"\nsuite / core throughput, median of {len(ratios)} rounds: {statistics.median(ratios):.2f}x")
    failed = any(report["lost"] or report["duplicated"] or report["inconsistencies"] for report in reports)
    for report in reports:
        print(summary_line(report))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
