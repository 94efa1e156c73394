"""``odoo retail_platform_simulator --odoo http://localhost:8069 --platform douyin --shop S01-DY
--secret demo``: the local delivery platform of the tests, for the demo (the shop's app key is
``--app-key``, ``demo`` by default: it signs Meituan's and Ele.me's calls and obtains Ele.me's and
Douyin's access tokens).

It serves the platform's API (set the shop's *Platform API URL* and, for Ele.me and Douyin, its
*Access Token URL* to the addresses it prints), sends the shop a scenario of webhooks — an order,
the same message again, a forged one, a replayed one, a cancellation before its order, the order
itself afterwards, an order that is delivered, a partial refund — printing each answer, and then
serves the callbacks and the stock feed until interrupted. Each platform's pushes are in its own
format (``tools/payload.py``); the body names the store by the shop code given."""

import argparse
import time
import uuid

import requests

# Odoo loads an addon's command as odoo.cli.<name>, where a relative import would not reach the addon
from odoo.addons.retail_platform.tools.simulator import PlatformSimulator  # pylint: disable=odoo-addons-relative-import
from odoo.cli.command import Command


class Retail_platform_simulator(Command):
    """Serve a simulated delivery platform on 127.0.0.1 and send a shop a scenario of webhooks."""

    name = "retail_platform_simulator"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog=self.prog, description=self.__doc__)
        parser.add_argument("--odoo", default="http://localhost:8069", help="the Odoo server's address")
        parser.add_argument("--platform", choices=["meituan", "eleme", "douyin"], default="douyin")
        parser.add_argument("--shop", required=True, help="the shop code")
        parser.add_argument("--secret", required=True, help="the shop's app secret")
        parser.add_argument("--app-key", default="demo",
                            help="the shop's app key: the calls name it and are checked with its secret")
        parser.add_argument("--sku", action="append", help="a SKU to order (a barcode or a listed SKU)")
        parser.add_argument("--port", type=int, default=8071)
        options = parser.parse_args(cmdargs)
        # the app key signs Meituan's and Ele.me's calls and obtains the tokens; the shop code the
        # simple API's (Douyin's stock feed)
        secrets = {options.app_key: options.secret, options.shop: options.secret}
        simulator = PlatformSimulator(options.platform, secrets, port=options.port).start()
        print(f"Platform API: {simulator.url}")  # pylint: disable=print-used
        if options.platform != "meituan":
            print(f"Access token URL: {simulator.token_url}")  # pylint: disable=print-used
        url = f"{options.odoo.rstrip('/')}/retail_platform/webhook/{options.platform}/{options.shop}"
        skus = options.sku or ["SKU-1"]
        order_a = {"order_id": f"D{uuid.uuid4().hex[:10]}",
                   "lines": [{"sku": sku, "qty": 1, "price": 10.0} for sku in skus]}
        order_b = {"order_id": f"D{uuid.uuid4().hex[:10]}", "lines": order_a["lines"]}
        scenario = [
            ("a new order", options.secret, "create", order_a, uuid.uuid4().hex, None),
            ("the same message again", None, None, None, None, None),
            ("a forged order", "not-the-secret", "create", order_a, uuid.uuid4().hex, None),
            ("a replayed order", options.secret, "create", order_a, uuid.uuid4().hex, time.time() - 3600),
            ("a cancellation before its order", options.secret, "cancel", {"order_id": order_b["order_id"]},
             uuid.uuid4().hex, None),
            ("that order afterwards", options.secret, "create", order_b, uuid.uuid4().hex, None),
            ("the first order delivered", options.secret, "delivered", {"order_id": order_a["order_id"]},
             uuid.uuid4().hex, None),
            ("a partial refund, goods kept", options.secret, "refund",
             {"order_id": order_a["order_id"], "refund_id": "R1", "lines": [{"sku": skus[0], "qty": 1}]},
             uuid.uuid4().hex, None),
        ]
        for label, secret, event, order, message_id, timestamp in scenario:
            # in the platform's own format; a Meituan push goes to the address of its kind
            if event:
                address, data, headers = simulator.webhook(url, secret, event, order, message_id, timestamp)
            answer = requests.post(address, data=data, headers=headers, timeout=10)
            print(f"{label}: HTTP {answer.status_code} {answer.text}")  # pylint: disable=print-used
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            simulator.stop()
            print("Platform simulator stopped.")  # pylint: disable=print-used
