"""Outside-in: the form's rate limit holds under 20 concurrent POSTs on a real
multi-worker (prefork) server, and a forged X-Forwarded-For does not bypass it."""

import re
import threading
import uuid

import pytest
import requests
from conftest import start_server
from odoo_rpc import OdooRpc

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
CONCURRENT = 20


@pytest.fixture(scope="module")
def prefork_server(tmp_path_factory):
    yield from start_server(
        tmp_path_factory, ["--workers=2", "--limit-time-real=300"], "odoo-prefork"
    )


def _ready_sessions(server, count):
    """``count`` visitors, each with the form open (session and CSRF token)."""
    sessions = []
    for _index in range(count):
        browser = requests.Session()
        page = browser.get(f"{server.url}{FORM_URL}", timeout=60)
        assert page.status_code == 200
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        category = re.search(r'<option value="(\d+)"', page.text).group(1)
        sessions.append((browser, csrf, category))
    return sessions


def _post_all_at_once(server, sessions, email_for, headers_for=lambda i: {}):
    barrier = threading.Barrier(len(sessions))
    statuses = [None] * len(sessions)

    def post(index, browser, csrf, category):
        data = {
            "csrf_token": csrf,
            "contact_name": "Khách thử tải",
            "company_name": "",
            "email": email_for(index),
            "phone": "0901 234 567",
            "category_id": category,
            "subject": f"Yêu cầu đồng thời {index}",
            "description": "Kiểm tra giới hạn gửi.",
            "homepage": "",
        }
        barrier.wait()
        response = browser.post(
            f"{server.url}{FORM_URL}",
            data=data,
            headers=headers_for(index),
            timeout=300,
            allow_redirects=False,
        )
        statuses[index] = response.status_code

    threads = [
        threading.Thread(target=post, args=(i, *session))
        for i, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return statuses


def _tickets_of(rpc, emails):
    return rpc.call(
        "helpdesk.ticket", "search_count", [("partner_email", "in", list(emails))]
    )


def _clear_counters(rpc):
    # A fresh window for each case (the counters are the limit's only state).
    ids = rpc.call("helpdesk.intake.counter", "search", [])
    if ids:
        rpc.call("helpdesk.intake.counter", "unlink", ids)


def test_twenty_concurrent_posts_of_one_email_make_five_tickets(prefork_server):
    rpc = OdooRpc(prefork_server)
    rpc.call(
        "ir.config_parameter", "set_param", "sgc_helpdesk_ticket.form_rate_limit", "5"
    )
    _clear_counters(rpc)
    email = f"dong.thoi.{uuid.uuid4().hex[:8]}@example.com"
    sessions = _ready_sessions(prefork_server, CONCURRENT)
    statuses = _post_all_at_once(prefork_server, sessions, lambda i: email)
    assert statuses.count(303) == 5, statuses
    assert statuses.count(429) == CONCURRENT - 5, statuses
    assert _tickets_of(rpc, [email]) == 5
    assert " ERROR " not in prefork_server.log()


def test_forged_forwarded_for_does_not_reset_the_limit(prefork_server):
    rpc = OdooRpc(prefork_server)
    _clear_counters(rpc)
    emails = [f"ip.{i}.{uuid.uuid4().hex[:6]}@example.com" for i in range(CONCURRENT)]
    sessions = _ready_sessions(prefork_server, CONCURRENT)
    statuses = _post_all_at_once(
        prefork_server,
        sessions,
        lambda i: emails[i],
        headers_for=lambda i: {"X-Forwarded-For": f"203.0.113.{i + 1}"},
    )
    # Every POST comes from 127.0.0.1 whatever the header says: five pass.
    assert statuses.count(303) == 5, statuses
    assert _tickets_of(rpc, emails) == 5
