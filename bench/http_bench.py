# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Measurements over HTTP against real Odoo servers started here, on free ports of
127.0.0.1 (odoo-bin with workers): the website form, helpdesk_mgmt's portal form,
and both under load with wrk. Query counts come from Odoo's own request log line
(the same counter as ``sql_log_count``, per request)."""

import json
import logging
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from urllib.parse import quote

import requests

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
# werkzeug's line with Odoo's perf info: "POST /path HTTP/1.1" 303 - 85 0.045 0.123
LOG_RE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+ '
    r"(?P<queries>\d+) (?P<query_s>[\d.]+) (?P<other_s>[\d.]+)"
)
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """An odoo-bin server of one database, started and stopped by this process."""

    def __init__(
        self, odoo_bin, config, db, work, workers=2, env=None, args=(), name=""
    ):
        self.cmd = shlex.split(odoo_bin)
        self.config, self.db, self.work, self.workers = config, db, work, workers
        self.env = env
        self.args = list(args)
        self.proc = None
        self.port = None
        self.log = work / f"server_{db}{name}.log"

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self, timeout=240):
        self.port = free_port()
        cmd = self.cmd + [
            "-c",
            str(self.config),
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--http-interface={HOST}",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            f"--logfile={self.log}",
            "--log-level=info",
            "--limit-time-real=900",
            "--limit-time-cpu=900",
            "--limit-request=1000000",
            *self.args,
        ]
        env = dict(os.environ, **self.env) if self.env else None
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Odoo server stopped; see {self.log}")
            try:
                if requests.get(self.url + "/web/login", timeout=30).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"the Odoo server did not answer; see {self.log}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0

    def requests_since(self, offset, method, path):
        """Odoo's per-request figures logged since ``offset``, for one route."""
        with self.log.open(encoding="utf-8", errors="replace") as handle:
            handle.seek(offset)
            text = handle.read()
        found = []
        for match in LOG_RE.finditer(text):
            if match["method"] == method and match["path"].split("?")[0] == path:
                found.append(
                    {
                        "status": int(match["status"]),
                        "queries": int(match["queries"]),
                        "server_s": float(match["query_s"]) + float(match["other_s"]),
                    }
                )
        return found


def _token(response):
    match = CSRF_RE.search(response.text)
    if not match:
        raise RuntimeError(f"no CSRF token in {response.url}")
    return match[1]


def _median(values):
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def form_submissions(server, category_id, reps, per_rep, tag):
    """The public form as a visitor: GET (session, CSRF token), then the timed
    POST, which creates the ticket and redirects to the confirmation page."""
    samples = []
    sent = 0
    for rep in range(-1, reps):
        count = 6 if rep < 0 else per_rep
        offset = server.log_size()
        latencies = []
        for _i in range(count):
            sent += 1
            session = requests.Session()
            token = _token(session.get(server.url + FORM_URL, timeout=120))
            data = {
                "csrf_token": token,
                "contact_name": f"Khách {tag} {sent}",
                "company_name": "Công ty Benchmark",
                "email": f"form-{tag}-{sent}@khach-moi.bench.example",
                "phone": "0901 234 567",
                "category_id": str(category_id),
                "subject": "Yêu cầu lấy mẫu khí thải",
                "description": "Chúng tôi cần lấy mẫu khí thải ống khói tuần sau.",
            }
            start = time.perf_counter()
            response = session.post(
                server.url + FORM_URL, data=data, allow_redirects=False, timeout=300
            )
            latencies.append(time.perf_counter() - start)
            location = response.headers.get("Location", "")
            if response.status_code != 303 or "da-tiep-nhan" not in location:
                raise RuntimeError(
                    f"form POST answered {response.status_code}: {response.text[:300]}"
                )
        if rep >= 0:
            samples.append(_http_sample(server, offset, "POST", FORM_URL, latencies))
    return _http_summary(samples)


def portal_submissions(
    server, login, password, category_id, reps, per_rep, sgc_form=False
):
    """A logged-in portal user's request: helpdesk_mgmt's portal form
    (/submitted/ticket) on the baseline; on the addon, whose portal has one way
    to create a ticket, SGC's form (helpdesk_mgmt's is redirected to it)."""
    session = requests.Session()
    token = _token(session.get(server.url + "/web/login", timeout=120))
    response = session.post(
        server.url + "/web/login",
        data={"login": login, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code not in (302, 303):
        raise RuntimeError(f"portal login failed: {response.status_code}")
    samples = []
    for rep in range(-1, reps):
        count = 6 if rep < 0 else per_rep
        offset = server.log_size()
        latencies = []
        path = FORM_URL if sgc_form else "/submitted/ticket"
        for i in range(count):
            page = FORM_URL if sgc_form else "/new/ticket"
            token = _token(session.get(server.url + page, timeout=120))
            data = {
                "csrf_token": token,
                "category": str(category_id),
                "subject": f"Yêu cầu qua cổng khách hàng {rep}-{i}",
                "description": "Chúng tôi cần phân tích ba mẫu nước thải.",
            }
            if sgc_form:
                data.update(
                    category_id=str(category_id),
                    contact_name="Khách cổng thông tin",
                    company_name="",
                    email=f"{login}@portal.bench.example",
                    phone="0901 234 567",
                )
            start = time.perf_counter()
            response = session.post(
                server.url + path,
                data=data,
                allow_redirects=False,
                timeout=300,
            )
            latencies.append(time.perf_counter() - start)
            expected = "da-tiep-nhan" if sgc_form else "/my/ticket/"
            if response.status_code not in (302, 303) or expected not in (
                response.headers.get("Location", "")
            ):
                raise RuntimeError(
                    f"portal POST answered {response.status_code}: "
                    f"{response.text[:300]}"
                )
        if rep >= 0:
            samples.append(_http_sample(server, offset, "POST", path, latencies))
    return _http_summary(samples)


def _http_sample(server, offset, method, path, latencies):
    logged = server.requests_since(offset, method, path)
    return {
        "tickets": len(latencies),
        "wall_s": sum(latencies) / len(latencies),
        "tickets_per_s": len(latencies) / sum(latencies),
        "queries": _median([r["queries"] for r in logged]),
        "server_s": _median([r["server_s"] for r in logged]),
    }


def _http_summary(samples):
    keys = ("wall_s", "tickets_per_s", "queries", "server_s")
    result = {k: _median([s[k] for s in samples if s[k] is not None]) for k in keys}
    result["runs"] = len(samples)
    result["samples"] = samples
    return result


# ---------------------------------------------------------------------------
# 2. Under load: wrk
# ---------------------------------------------------------------------------

LUA_DONE = """
function done(summary, latency, requests)
  local f = io.open("%(out)s", "w")
  f:write(string.format(
    '{"requests": %%d, "duration_s": %%f, "p50_ms": %%f, "p95_ms": %%f, ' ..
    '"p99_ms": %%f, "max_ms": %%f, "connect_errors": %%d, "read_errors": %%d, ' ..
    '"write_errors": %%d, "http_errors": %%d, "timeouts": %%d}',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  f:close()
end
"""
# Each of wrk's threads cycles through the prepared visitor sessions; every POST
# is a new request with its own email address.
LUA_FORM = """
local sessions = {%(sessions)s}
local counter = 0
function setup(thread)
  thread:set("tid", (wrk_tid or 0) + 1)
  wrk_tid = (wrk_tid or 0) + 1
end
function request()
  counter = counter + 1
  local s = sessions[(counter + tid * 7) %% #sessions + 1]
  local body = "csrf_token=" .. s[2] ..
    "&contact_name=Load+Tester&company_name=Load+Co&email=load-" .. tid .. "-" ..
    counter .. "%%40khach-tai.bench.example&phone=0901+234+567&category_id=" ..
    "%(category)s&subject=Load+test&description=Can+lay+mau+khi+thai"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "session_id=" .. s[1]}, body)
end
"""


def wrk_available():
    return shutil.which("wrk") is not None


def _run_wrk(server, path, script, seconds, connections, work, name):
    out = work / f"wrk_{name}.json"
    lua = work / f"wrk_{name}.lua"
    lua.write_text(script + LUA_DONE % {"out": str(out)})
    offset = server.log_size()
    subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "-s",
            str(lua),
            server.url + path,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=seconds + 300,
    )
    result = json.loads(out.read_text())
    result["errors"] = sum(
        result[k]
        for k in (
            "connect_errors",
            "read_errors",
            "write_errors",
            "http_errors",
            "timeouts",
        )
    )
    result["requests_per_s"] = result["requests"] / result["duration_s"]
    method = "POST" if "POST" in script else "GET"
    logged = server.requests_since(offset, method, path)
    result["server_queries_median"] = _median([r["queries"] for r in logged])
    result["server_s_median"] = _median([r["server_s"] for r in logged])
    result["statuses"] = sorted({r["status"] for r in logged})
    return result


def form_load(server, category_id, seconds, connections, work):
    """``connections`` visitors posting the form without pause for ``seconds``,
    then GET /web/login the same way as the reference."""
    sessions = []
    for _i in range(connections):
        session = requests.Session()
        token = _token(session.get(server.url + FORM_URL, timeout=120))
        sessions.append((session.cookies.get("session_id"), token))
    table = ", ".join(f'{{"{sid}", "{quote(token)}"}}' for sid, token in sessions)
    form = _run_wrk(
        server,
        FORM_URL,
        LUA_FORM % {"sessions": table, "category": category_id},
        seconds,
        connections,
        work,
        "form",
    )
    login = _run_wrk(server, "/web/login", "", seconds, connections, work, "login")
    return {"form": form, "login": login, "connections": connections}


def ack_latency(odoo_bin, config, db, work, category_id, count=20, timeout=180):
    """From the form's answer to the acknowledgement reaching an SMTP sink on
    127.0.0.1, with queue_job's runner on, as in production: ``count``
    visitors, one after the other. Returns the latencies' median, p95 and max."""
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every SMTP command at INFO: keep the bench's output readable.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    received = {}
    lock = threading.Lock()

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with lock:
                for rcpt in envelope.rcpt_tos:
                    received.setdefault(rcpt.lower(), time.monotonic())
            return "250 OK"

    port = free_port()
    controller = Controller(Sink(), hostname=HOST, port=port)
    controller.start()
    server = Server(
        odoo_bin,
        config,
        db,
        work,
        env={"ODOO_QUEUE_JOB_CHANNELS": "root:2,root.sgc_intake:2"},
        args=[f"--smtp={HOST}", f"--smtp-port={port}"],
        name="_runner",
    )
    answered = {}
    try:
        server.start()
        for i in range(count):
            email = f"ack-{i}-{int(time.time())}@khach-moi.bench.example"
            session = requests.Session()
            token = _token(session.get(server.url + FORM_URL, timeout=120))
            response = session.post(
                server.url + FORM_URL,
                data={
                    "csrf_token": token,
                    "contact_name": f"Khách xác nhận {i}",
                    "company_name": "",
                    "email": email,
                    "phone": "0901 234 567",
                    "category_id": str(category_id),
                    "subject": "Yêu cầu quan trắc định kỳ",
                    "description": "Xin báo giá quan trắc môi trường định kỳ.",
                },
                allow_redirects=False,
                timeout=300,
            )
            if response.status_code != 303:
                raise RuntimeError(f"form POST answered {response.status_code}")
            answered[email] = time.monotonic()
            time.sleep(0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with lock:
                if all(email in received for email in answered):
                    break
            time.sleep(0.2)
    finally:
        server.stop()
        controller.stop()
    latencies = sorted(
        received[email] - at for email, at in answered.items() if email in received
    )
    p95 = (
        latencies[max(0, int(round(0.95 * len(latencies))) - 1)] if latencies else None
    )
    return {
        "tickets": len(answered),
        "acknowledged": len(latencies),
        "p50_s": _median(latencies),
        "p95_s": p95,
        "max_s": latencies[-1] if latencies else None,
    }
