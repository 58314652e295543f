"""Fixtures for the outside-in tests: a real Odoo server on a free port of 127.0.0.1.

scripts/test.sh exports SGC_ODOO_CONF (the generated configuration), SGC_SERVER_DB (a
database with sgc_helpdesk_ticket installed, reserved for these tests) and SGC_ODOO_BIN.
"""

import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run the outside-in tests through ./scripts/test.sh, "
            "which installs the addon into a database and exports it",
            pytrace=False,
        )
    return value


class OdooServer:
    def __init__(self, url, db, process, log_path):
        self.url = url
        self.db = db
        self.process = process
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace")


def start_server(
    tmp_path_factory, extra_args=(), name="odoo-server", db=None, runner=True
):
    """Start Odoo on a free port of 127.0.0.1 on the reserved database (or
    ``db``), with queue_job's runner unless ``runner`` is False; yields the
    running server and stops it afterwards."""
    conf = _require_env("SGC_ODOO_CONF")
    db = db or _require_env("SGC_SERVER_DB")
    default_bin = f"{sys.executable} -m odoo"
    odoo_bin = shlex.split(os.environ.get("SGC_ODOO_BIN") or default_bin)
    port = free_port()
    log_path = tmp_path_factory.mktemp(name) / "odoo.log"
    cmd = [
        *odoo_bin,
        "-c",
        conf,
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        "--max-cron-threads=0",
        f"--logfile={log_path}",
        *extra_args,
    ]
    # This server runs queue_job's runner, as a real one does (scripts/test.sh
    # turns it off for the Odoo tests, which run their jobs themselves).
    channels = "root:2,root.sgc_intake:2" if runner else "root:0"
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=channels)
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(
            cmd, stdout=devnull, stderr=subprocess.STDOUT, env=env
        )
    url = f"http://127.0.0.1:{port}"
    server = OdooServer(url, db, process, log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"Odoo exited with {process.returncode}:\n{server.log()}")
            try:
                if requests.get(f"{url}/web/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Odoo did not answer in 120 s:\n{server.log()}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    yield from start_server(tmp_path_factory)
