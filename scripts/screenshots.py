#!/usr/bin/env python3
# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Take the README's screenshots again, from the SGC demo database.

Each screen is taken as the person who sees it at SGC (password = login in the
demo): the public request form as a visitor, the monitor's overview as the ticket
monitor, a ticket as its department's head, the KPI reconciliation PDF as the KPI
accountant (who first opens and computes the current period), a monthly
customer report PDF as the ticket monitor (who prepares it), and a mail template
written as text as the helpdesk manager. The PDFs are turned
into PNG with pdftoppm. Headless Chromium is driven over the DevTools protocol.

    .venv/bin/python scripts/screenshots.py --url http://localhost:8069 --db sgc

takes them from a running Odoo (``./scripts/start.sh``); without ``--url`` the script
starts Odoo itself with ``--config`` (default ``.odoo-local.conf``, written by
``./scripts/start.sh``) on ``--db``, which is created with the addon, its demo data
and Vietnamese when it does not exist. The PNGs go to ``docs/``.
"""

import argparse
import base64
import configparser
import contextlib
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MONITOR_ACTION = "/odoo/action-sgc_helpdesk_ticket.helpdesk_ticket_action_monitor"
KPI_REPORT = "sgc_helpdesk_ticket.report_helpdesk_kpi_period"
CUSTOMER_REPORT = "sgc_helpdesk_ticket.report_helpdesk_customer_report"
DEMO_TICKET = "Phân tích 5 mẫu nước thải đầu ra"
DEMO_CUSTOMER = "Công ty TNHH Môi trường Xanh"
# name: (file in docs/, what it shows)
SHOTS = {
    "form": ("website_form.png", "the public request form, as a visitor"),
    "monitor": ("monitor_overview.png", "the monitor's overview, as the monitor (my)"),
    "ticket": ("ticket_form.png", "a ticket, as the laboratory's head (toan)"),
    "kpi": ("kpi_report.png", "the KPI reconciliation PDF, as the accountant (ketoan)"),
    "customer_report": (
        "customer_report.png",
        "a monthly customer report PDF, as the monitor (my)",
    ),
    "template": (
        "template_text.png",
        "the web form's acknowledgement written as text, as the manager (ha)",
    ),
}
# The screens of one record's form: (who, model, the record, the form's path, what
# shows it is drawn). The template is opened from the desk's own menu (Helpdesk >
# Configuration), in the manager's language.
RECORD_SHOTS = {
    "ticket": (
        "toan",
        "helpdesk.ticket",
        [("name", "=", DEMO_TICKET)],
        "/odoo/helpdesk.ticket",
        ".o_form_view .o_statusbar_status .o_arrow_button_current",
    ),
    "template": (
        "ha",
        "mail.template",
        [("name", "ilike", "xác nhận tiếp nhận (biểu mẫu web)")],
        "/odoo/action-sgc_helpdesk_ticket.mail_template_action_helpdesk",
        ".o_form_view div[name=sgc_body_text] textarea",
    ),
}
WIDTH, HEIGHT = 1680, 900


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Take the README's screenshots from the SGC demo database.",
        epilog="Screens: "
        + "; ".join(
            f"{name} -> docs/{file}: {what}" for name, (file, what) in SHOTS.items()
        ),
    )
    parser.add_argument(
        "--url",
        help="an Odoo already serving the demo database, e.g. http://localhost:8069 "
        "(./scripts/start.sh); without it, Odoo is started here",
    )
    parser.add_argument("--db", default="sgc", help="the database (default: sgc)")
    parser.add_argument(
        "--config",
        default=str(REPO / ".odoo-local.conf"),
        help="Odoo configuration to start Odoo with, when --url is not given "
        "(default: .odoo-local.conf, written by ./scripts/start.sh)",
    )
    parser.add_argument(
        "--out", default=str(REPO / "docs"), help="folder of the PNGs (default: docs)"
    )
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium") or "/usr/bin/chromium",
        help="the Chromium binary (default: chromium on the PATH)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(SHOTS),
        help="take only these screens (default: all)",
    )
    args = parser.parse_args(argv)
    if args.url:
        args.url = args.url.rstrip("/")
    elif not Path(args.config).is_file():
        parser.error(
            f"no Odoo configuration {args.config}: give --url of a running Odoo, or "
            "run ./scripts/start.sh once (it writes .odoo-local.conf)"
        )
    return args


def log(message):
    print(f"[screenshots] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------------


def _database_exists(config, db):
    import psycopg2  # noqa: PLC0415 (Odoo's own dependency, only needed here)

    options = configparser.ConfigParser()
    options.read(config)
    section = options["options"]

    def opt(key):
        value = section.get(key, "").strip()
        return None if value in ("", "False") else value

    conn = psycopg2.connect(
        dbname="postgres",
        host=opt("db_host"),
        port=opt("db_port"),
        user=opt("db_user"),
        password=opt("db_password"),
    )
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
            return bool(cr.fetchone())
    finally:
        conn.close()


@contextlib.contextmanager
def odoo_server(args):
    """The URL of an Odoo serving ``args.db``: ``args.url``, or one started here."""
    if args.url:
        yield args.url
        return
    odoo = [sys.executable, "-m", "odoo", "-c", args.config, "-d", args.db]
    if not _database_exists(args.config, args.db):
        log(f"creating database {args.db} with the addon, its demo data and Vietnamese")
        subprocess.run(
            [
                *odoo,
                "-i",
                "sgc_helpdesk_ticket",
                "--load-language=vi_VN",
                "--stop-after-init",
                "--http-port=0",
            ],
            check=True,
        )
    port = free_port()
    with tempfile.TemporaryFile() as server_log:
        process = subprocess.Popen(
            [
                *odoo,
                f"--db-filter=^{args.db}$",
                f"--http-port={port}",
                f"--gevent-port={free_port()}",
                "--max-cron-threads=0",
                "--workers=0",
            ],
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        admin = previous = None
        try:
            _wait_http(f"{url}/web/login", process, server_log)
            # wkhtmltopdf fetches the PDFs' letterhead styles from the server:
            # from this one, for the time of the run.
            admin = Odoo(url, args.db, "admin")
            previous = admin.call("ir.config_parameter", "get_param", "report.url")
            admin.call("ir.config_parameter", "set_param", "report.url", url)
            yield url
        finally:
            if admin:
                admin.call(
                    "ir.config_parameter", "set_param", "report.url", previous or False
                )
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_http(url, process, server_log, timeout=180):
    import requests  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server_log.seek(0)
            sys.stderr.write(server_log.read().decode(errors="replace"))
            raise SystemExit("Odoo stopped before serving (its log above)")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(1)
    raise SystemExit(f"Odoo did not answer {url} within {timeout} s")


class Odoo:
    """A logged-in session on the server (JSON-RPC, as the web client does)."""

    def __init__(self, url, db, login):
        import requests  # noqa: PLC0415

        self.url, self.login = url, login
        self.http = requests.Session()
        result = self._json(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": login},
        )
        if not result.get("uid"):
            raise SystemExit(f"cannot log in as {login}: is {db} the SGC demo?")
        self.session_id = self.http.cookies["session_id"]
        # As the web client does: the user's own language and time zone.
        self.context = result.get("user_context") or {}

    def _json(self, path, params):
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            error = body["error"].get("data", {}).get("message") or body["error"]
            raise SystemExit(f"{self.login}: {path}: {error}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self._json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def pdf(self, report, record_id):
        response = self.http.get(
            f"{self.url}/report/pdf/{report}/{record_id}", timeout=300
        )
        response.raise_for_status()
        if not response.content.startswith(b"%PDF"):
            raise SystemExit(f"{report}/{record_id} is not a PDF")
        return response.content


def pdf_to_png(pdf, target):
    """The PDF's first page as a PNG (pdftoppm, poppler-utils)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile"]
            + [str(source), str(Path(tmp) / "page")],
            check=True,
        )
        shutil.copyfile(Path(tmp) / "page.png", target)


# ---------------------------------------------------------------------------------
# Chromium over the DevTools protocol
# ---------------------------------------------------------------------------------


class Browser:
    def __init__(self, chromium):
        import websocket  # noqa: PLC0415 (websocket-client)

        self.profile = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--lang=vi-VN",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile.name}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # The browser's own words (a file input's button) in Vietnamese too.
            env={**os.environ, "LANGUAGE": "vi", "LANG": "vi_VN.UTF-8"},
        )
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"{chromium} did not start")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        import requests  # noqa: PLC0415

        pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self._id = 0
        self.send("Page.enable")
        self.send("Network.enable")

    def send(self, method, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise SystemExit(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def shoot(self, url, target, wait_for, cookies=(), full_page=False):
        self.send("Network.clearBrowserCookies")
        for name, value in cookies:
            self.send("Network.setCookie", name=name, value=value, url=url)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Page.navigate", url=url)
        selector = json.dumps(wait_for)
        deadline = time.monotonic() + 60
        while not self.evaluate(f"!!document.querySelector({selector})"):
            if time.monotonic() > deadline:
                raise SystemExit(f"{url}: {wait_for} never appeared")
            time.sleep(0.5)
        time.sleep(2)  # fonts, images and the last renderings
        if full_page:
            height = self.evaluate("document.documentElement.scrollHeight") or HEIGHT
            self.send(
                "Emulation.setDeviceMetricsOverride",
                width=WIDTH,
                height=min(int(height), 2400),
                deviceScaleFactor=1,
                mobile=False,
            )
            time.sleep(1)
        shot = self.send("Page.captureScreenshot", format="png")
        Path(target).write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.profile.cleanup()


# ---------------------------------------------------------------------------------
# The screens
# ---------------------------------------------------------------------------------


def _current_period(url, db):
    """The KPI accountant opens the current period and computes its figures."""
    accountant = Odoo(url, db, "ketoan")
    action = accountant.call("helpdesk.kpi.period", "action_open_current_period", [])
    period_id = action["res_id"]
    [period] = accountant.call("helpdesk.kpi.period", "read", [period_id], ["state"])
    if period["state"] == "draft":
        accountant.call("helpdesk.kpi.period", "action_compute", [period_id])
    return accountant, period_id


def _customer_report(url, db):
    """The monitor prepares this month's report of the demo's customer company."""
    monitor = Odoo(url, db, "my")
    [partner_id] = monitor.call(
        "res.partner", "search", [("name", "=", DEMO_CUSTOMER)], limit=1
    )
    month = datetime.date.today().replace(day=1).isoformat()
    report_ids = monitor.call(
        "helpdesk.customer.report",
        "search",
        [("partner_id", "=", partner_id), ("month", "=", month)],
        limit=1,
    )
    if not report_ids:
        ticket_ids = monitor.call(
            "helpdesk.ticket", "search", [("partner_id", "child_of", partner_id)]
        )
        report_ids = [
            monitor.call(
                "helpdesk.customer.report",
                "create",
                {
                    "partner_id": partner_id,
                    "month": month,
                    "ticket_ids": [(6, 0, ticket_ids)],
                },
            )
        ]
    return monitor, report_ids[0]


def take(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = args.only or list(SHOTS)
    with odoo_server(args) as url:
        browser = None
        try:
            for name in wanted:
                target = out / SHOTS[name][0]
                log(f"{name}: {SHOTS[name][1]} -> {target}")
                if name == "kpi":
                    accountant, period_id = _current_period(url, args.db)
                    pdf_to_png(accountant.pdf(KPI_REPORT, period_id), target)
                    continue
                if name == "customer_report":
                    monitor, report_id = _customer_report(url, args.db)
                    pdf_to_png(monitor.pdf(CUSTOMER_REPORT, report_id), target)
                    continue
                browser = browser or Browser(args.chromium)
                if name == "form":
                    browser.shoot(
                        f"{url}/yeu-cau-ho-tro-dich-vu",
                        target,
                        "form.o_sgc_ticket_form",
                        cookies=[("frontend_lang", "vi_VN")],
                        full_page=True,
                    )
                elif name == "monitor":
                    monitor = Odoo(url, args.db, "my")
                    browser.shoot(
                        url + MONITOR_ACTION,
                        target,
                        ".o_kanban_group .o_kanban_record",
                        cookies=[("session_id", monitor.session_id)],
                    )
                else:
                    login, model, domain, path, wait_for = RECORD_SHOTS[name]
                    person = Odoo(url, args.db, login)
                    [record_id] = person.call(model, "search", domain, limit=1)
                    browser.shoot(
                        f"{url}{path}/{record_id}",
                        target,
                        wait_for,
                        cookies=[("session_id", person.session_id)],
                    )
        finally:
            if browser:
                browser.close()
    log(f"done: {', '.join(SHOTS[name][0] for name in wanted)} in {out}")


def main(argv=None):
    take(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
