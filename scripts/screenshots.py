"""Takes the README's screenshots from a running suite with the demo chain.

    python3 scripts/screenshots.py --url http://localhost:8069 --db retail_demo --out docs/screenshots

Drives headless Chromium through the DevTools protocol (websocket-client): logs in as the
given user, opens each screen in English and in Chinese, and saves a PNG of it.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

# (file name, login, URL path after /odoo/, seconds to wait for the screen to settle)
SCREENS = [
    ("dashboard", "manager", "action-retail_analytics.retail_dashboard_action", 6),
    ("close_pack", "hq", "action-retail_analytics.retail_close_pack_action/1", 5),
    ("review_item", "hq", "action-retail_analytics.retail_review_item_action/1", 5),
    ("chain_stock", "hq", "action-retail_inventory.retail_stock_report_action", 5),
    ("dispatch_proposals", "hq", "action-retail_inventory.retail_dispatch_proposal_action", 4),
    ("expiry_watch", "hq", "action-retail_inventory.retail_expiry_report_action", 4),
    ("members", "hq", "action-retail_members.res_partner_action_retail_members", 4),
    ("member_tiers", "hq", "action-retail_members.retail_member_tier_action", 4),
    ("stores", "hq", "action-retail_base.stock_warehouse_action_retail", 4),
]


class Browser:
    def __init__(self, width=1440, height=900):
        self.profile = tempfile.mkdtemp()
        chrome = shutil.which("chromium") or shutil.which("google-chrome") or shutil.which("chromium-browser")
        self.process = subprocess.Popen(
            [chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--window-size={width},{height}", "--remote-debugging-port=9333",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json", timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
        self.counter = 0
        self.call("Page.enable")

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def goto(self, url, settle):
        self.call("Page.navigate", url=url)
        time.sleep(settle)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, awaitPromise=True)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def rpc(url, path, params, cookie=None):
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = f"session_id={cookie}"
    request = urllib.request.Request(
        f"{url}{path}", data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers.get("Set-Cookie"), json.load(response)


def login(browser, url, db, user, lang):
    """Signs in through JSON-RPC in ``lang`` and hands the session cookie to the browser."""
    set_cookie, answer = rpc(url, "/web/session/authenticate", {"db": db, "login": user, "password": user})
    cookie = set_cookie.split(";")[0].split("=", 1)[1]
    rpc(url, "/web/dataset/call_kw/res.users/write", {
        "model": "res.users", "method": "write",
        "args": [[answer["result"]["uid"]], {"lang": lang}], "kwargs": {},
    }, cookie)
    # A session keeps the language it was opened with: open a new one in ``lang``.
    set_cookie, answer = rpc(url, "/web/session/authenticate", {"db": db, "login": user, "password": user})
    cookie = set_cookie.split(";")[0].split("=", 1)[1]
    browser.call("Network.enable")
    browser.call("Network.clearBrowserCookies")
    browser.call("Network.setCookie", name="session_id", value=cookie, url=url)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="retail_demo")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", nargs="*", help="names of the screens to take")
    args = parser.parse_args()
    browser = Browser()
    try:
        for lang, suffix in (("en_US", "en"), ("zh_CN", "zh_CN")):
            current_user = None
            for name, user, path, settle in SCREENS:
                if args.only and name not in args.only:
                    continue
                if user != current_user:
                    login(browser, args.url, args.db, user, lang)
                    current_user = user
                browser.goto(f"{args.url}/odoo/{path}", settle)
                browser.screenshot(f"{args.out}/{name}_{suffix}.png")
                print(f"{args.out}/{name}_{suffix}.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
