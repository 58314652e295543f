"""Outside-in: the Zalo OA webhook of a running Odoo server.

The admin configures the Zalo account over JSON-RPC with its API and OAuth base URLs
pointing at a Zalo stand-in on 127.0.0.1 (the addon's tests/zalo_fake_server.py,
loaded by path). A webhook call signed the way Zalo signs creates a ticket, and the
acknowledgement reaches the stand-in; a forged one gets 403 and creates nothing.
"""

import importlib.util
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from odoo_rpc import OdooRpc

REPO = Path(__file__).resolve().parent.parent
FAKE_PATH = REPO / "sgc_helpdesk_ticket" / "tests" / "zalo_fake_server.py"

_spec = importlib.util.spec_from_file_location("sgc_zalo_fake_server", FAKE_PATH)
zalo_fake = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(zalo_fake)

APP_ID = "3141592653589793238"
APP_SECRET = "outside-in-app-secret"
OA_SECRET = "outside-in-oa-secret"
ACK_START = "Thân chào anh/chị"


@pytest.fixture(scope="module")
def fake_zalo():
    server = zalo_fake.FakeZaloServer(app_id=APP_ID, app_secret=APP_SECRET).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def admin(odoo_server, fake_zalo):
    """The admin, with the company's Zalo account pointed at the stand-in."""
    rpc = OdooRpc(odoo_server)
    user = rpc.call("res.users", "read", [rpc.uid], ["company_id"])[0]
    company_id = user["company_id"][0]
    vals = {
        "name": "SGC Zalo OA (outside-in)",
        "app_id": APP_ID,
        "app_secret_key": APP_SECRET,
        "oa_secret_key": OA_SECRET,
        "access_token": fake_zalo.access_token,
        "refresh_token": fake_zalo.refresh_token,
        "api_base_url": fake_zalo.url,
        "oauth_base_url": fake_zalo.url,
        "active": True,
    }
    existing = rpc.call(
        "zalo.oa.account",
        "search",
        [("company_id", "=", company_id)],
        context={"active_test": False},
    )
    if existing:
        rpc.call("zalo.oa.account", "write", existing, vals)
    else:
        rpc.call("zalo.oa.account", "create", [dict(vals, company_id=company_id)])
    return rpc


# Now, in milliseconds: the webhook refuses events outside its time window.
TIMESTAMP = str(int(time.time() * 1000))


def wait_until(check, timeout=60):
    """The webhook only stores the event: the job runner makes the ticket and
    sends the acknowledgement shortly after. Wait for what ``check`` returns."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def _event(user_id, msg_id, text):
    return {
        "app_id": APP_ID,
        "user_id_by_app": "7382910048213341123",
        "event_name": "user_send_text",
        "timestamp": TIMESTAMP,
        "sender": {"id": user_id},
        "recipient": {"id": "579745863508352884"},
        "message": {"msg_id": msg_id, "text": text},
    }


def _post_webhook(server, body, signature):
    headers = {"Content-Type": "application/json"}
    if signature:
        headers["X-ZEvent-Signature"] = signature
    return requests.post(
        f"{server.url}/zalo/webhook", data=body, headers=headers, timeout=30
    )


def _new_ids():
    return str(uuid.uuid4().int)[:19], uuid.uuid4().hex


def test_signed_webhook_creates_ticket_and_ack_reaches_zalo(
    odoo_server, admin, fake_zalo
):
    # The connector itself: the triage suggests but routes nothing here (the
    # ticket stays with the intake desk, whose messages the admin reads).
    [company] = admin.call("res.company", "search", [])[:1]
    admin.call("res.company", "write", [company], {"sgc_triage_threshold": 2.0})
    user_id, msg_id = _new_ids()
    body = json.dumps(
        _event(user_id, msg_id, "Cần quan trắc khí thải lò hơi\nTại Bình Dương")
    ).encode()
    signature = zalo_fake.sign(APP_ID, body, TIMESTAMP, OA_SECRET)

    response = _post_webhook(odoo_server, body, signature)

    assert response.status_code == 200, response.text

    def acked():
        return [
            m
            for m in fake_zalo.sent_messages
            if m["recipient"] == {"message_id": msg_id}
        ]

    wait_until(acked)
    tickets = admin.call(
        "helpdesk.ticket",
        "search_read",
        [("partner_id.zalo_user_id", "=", user_id)],
        ["name", "channel_id", "number"],
    )
    assert len(tickets) == 1
    assert tickets[0]["name"] == "Cần quan trắc khí thải lò hơi"
    assert tickets[0]["channel_id"][1] == "Zalo OA"
    acks = [
        m for m in fake_zalo.sent_messages if m["recipient"] == {"message_id": msg_id}
    ]
    assert len(acks) == 1
    assert acks[0]["message"]["text"].startswith(ACK_START)
    logged = admin.call(
        "zalo.message",
        "search_read",
        [("ticket_id", "=", tickets[0]["id"]), ("direction", "=", "out")],
        ["kind", "state", "text"],
    )
    assert [(m["kind"], m["state"]) for m in logged] == [("ack", "sent")]
    assert logged[0]["text"] == acks[0]["message"]["text"]

    # Zalo re-sends a call it thinks was lost: still one ticket, one ack.
    again = _post_webhook(odoo_server, body, signature)
    assert again.status_code == 200
    assert (
        admin.call(
            "helpdesk.ticket",
            "search_count",
            [("partner_id.zalo_user_id", "=", user_id)],
        )
        == 1
    )
    assert (
        len(
            [
                m
                for m in fake_zalo.sent_messages
                if m["recipient"] == acks[0]["recipient"]
            ]
        )
        == 1
    )


def test_forged_webhook_refused_and_nothing_created(odoo_server, admin, fake_zalo):
    user_id, msg_id = _new_ids()
    body = json.dumps(_event(user_id, msg_id, "Forged request")).encode()
    tickets_before = admin.call("helpdesk.ticket", "search_count", [])
    messages_before = admin.call("zalo.message", "search_count", [])
    requests_before = len(fake_zalo.requests)
    forged = {
        "signed with another key": zalo_fake.sign(
            APP_ID, body, TIMESTAMP, "guessed-key"
        ),
        "garbage": "mac=" + "f" * 64,
        "missing": None,
    }
    for signature in forged.values():
        response = _post_webhook(odoo_server, body, signature)
        assert response.status_code == 403
    assert admin.call("helpdesk.ticket", "search_count", []) == tickets_before
    assert admin.call("zalo.message", "search_count", []) == messages_before
    assert (
        admin.call("res.partner", "search_count", [("zalo_user_id", "=", user_id)]) == 0
    )
    assert len(fake_zalo.requests) == requests_before


def test_concurrent_expired_token_refreshed_once(odoo_server, admin, fake_zalo):
    """Several webhook calls find the access token expired at the same time: the
    row lock lets one worker spend the refresh token (Zalo refuses it a second
    time), the others use the pair it stored, and every customer gets the ack."""
    fake_zalo.expire_access_token()
    token_requests_before = len(fake_zalo.token_requests)
    calls = []
    for _ in range(4):
        user_id, msg_id = _new_ids()
        body = json.dumps(_event(user_id, msg_id, "Cần tư vấn hồ sơ môi trường"))
        body = body.encode()
        signature = zalo_fake.sign(APP_ID, body, TIMESTAMP, OA_SECRET)
        calls.append((msg_id, body, signature))

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        responses = list(
            pool.map(lambda c: _post_webhook(odoo_server, c[1], c[2]), calls)
        )

    assert [r.status_code for r in responses] == [200] * len(calls)

    def all_acked():
        acked = {
            m["recipient"].get("message_id")
            for m in fake_zalo.sent_messages
            if m["message"]["text"].startswith(ACK_START)
        }
        return {msg_id for msg_id, _body, _sig in calls} <= acked

    wait_until(all_acked)
    token_requests = fake_zalo.token_requests[token_requests_before:]
    assert [r["answer"] for r in token_requests] == [0]
    acked = {
        m["recipient"].get("message_id")
        for m in fake_zalo.sent_messages
        if m["message"]["text"].startswith(ACK_START)
    }
    assert {msg_id for msg_id, _body, _sig in calls} <= acked
    account = admin.call(
        "zalo.oa.account", "search_read", [("app_id", "=", APP_ID)], ["access_token"]
    )
    assert account[0]["access_token"] == fake_zalo.access_token
