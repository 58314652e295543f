"""Outside-in: a request's slow work survives a server stopped before its job
ran. The form's ticket commits with its jobs; a server started later, with its
job runner, sends the acknowledgement, once."""

import os
import re
import time
import uuid

import pytest
import requests
from conftest import start_server
from odoo_rpc import OdooRpc
from test_intake_http import smtp_inbox  # noqa: F401 (fixture)

FORM_URL = "/yeu-cau-ho-tro-dich-vu"


def _started(tmp_path_factory, runner, name):
    db = os.environ.get("SGC_JOBS_DB")
    if not db:
        pytest.fail("SGC_JOBS_DB is not set: run through ./scripts/test.sh")
    servers = start_server(tmp_path_factory, name=name, db=db, runner=runner)
    return servers, next(servers)


def test_acknowledgement_survives_a_server_stop(tmp_path_factory, smtp_inbox):  # noqa: F811
    inbox, port = smtp_inbox
    customer = f"ben.vung.{uuid.uuid4().hex[:8]}@example.com"
    # 1. A server without a job runner takes the request, then stops.
    servers, server = _started(tmp_path_factory, False, "odoo-no-runner")
    try:
        rpc = OdooRpc(server)
        rpc.call(
            "ir.mail_server",
            "create",
            {
                "name": "durable test SMTP",
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_encryption": "none",
                "sequence": 1,
            },
        )
        browser = requests.Session()
        page = browser.get(f"{server.url}{FORM_URL}", timeout=60)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        category = re.search(r'<option value="(\d+)"', page.text).group(1)
        response = browser.post(
            f"{server.url}{FORM_URL}",
            data={
                "csrf_token": csrf,
                "contact_name": "Khách Bền Vững",
                "company_name": "",
                "email": customer,
                "phone": "0901 234 567",
                "category_id": category,
                "subject": "Yêu cầu khi máy chủ dừng",
                "description": "Kiểm tra tác vụ nền.",
                "homepage": "",
            },
            timeout=120,
        )
        assert response.status_code == 200 and "da-tiep-nhan" in response.url
        [ticket] = rpc.call(
            "helpdesk.ticket",
            "search_read",
            [("partner_email", "=", customer)],
            ["sgc_ack_date"],
        )
        assert not ticket["sgc_ack_date"]
        jobs = rpc.call(
            "queue.job",
            "search_read",
            [("method_name", "=", "_sgc_job_intake"), ("state", "=", "pending")],
            ["records"],
        )
        assert jobs, "the acknowledgement waits in the queue"
    finally:
        servers.close()
    time.sleep(2)
    assert not [m for rcpts, m in inbox.messages if customer in rcpts]
    # 2. A server started later, with its runner, does the work, once.
    servers, server = _started(tmp_path_factory, True, "odoo-runner")
    try:
        [mail] = inbox.wait_for(customer, timeout=90)
        assert "Xác nhận tiếp nhận" in str(mail["Subject"])
        rpc = OdooRpc(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            [ticket] = rpc.call(
                "helpdesk.ticket",
                "search_read",
                [("partner_email", "=", customer)],
                ["sgc_ack_date"],
            )
            if ticket["sgc_ack_date"]:
                break
            time.sleep(0.5)
        assert ticket["sgc_ack_date"]
        time.sleep(3)
        assert len([m for rcpts, m in inbox.messages if customer in rcpts]) == 1
    finally:
        servers.close()
