"""Outside-in: the website form and the hotro@ mail gateway of a running server, and
the acknowledgements leaving through a real SMTP server on 127.0.0.1."""

import re
import threading
import time
import uuid
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

import pytest
import requests
from aiosmtpd.controller import Controller
from conftest import free_port
from odoo_rpc import OdooRpc

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
TIME_FORMAT = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2} (?:AM|PM)\b")


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, recipient, timeout=60, trigger=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [m for rcpts, m in self.messages if recipient in rcpts]
            if found:
                return found
            if trigger:
                trigger()
            time.sleep(1)
        pytest.fail(f"no mail to {recipient} reached the SMTP server in {timeout} s")


def html_text(message):
    part = message.get_body(preferencelist=("html", "plain"))
    return part.get_content()


@pytest.fixture(scope="module")
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def intake(odoo_server, smtp_inbox):
    """The server sends through the test's SMTP server; hotro@ has a mail domain."""
    inbox, port = smtp_inbox
    rpc = OdooRpc(odoo_server)
    mail_server_id = rpc.call(
        "ir.mail_server",
        "create",
        {
            "name": "SGC intake test SMTP",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )
    domains = rpc.call("mail.alias.domain", "search_read", [], ["name"], limit=1)
    if domains:
        domain_id, domain = domains[0]["id"], domains[0]["name"]
    else:
        domain = "sgc-intake.test"
        domain_id = rpc.call("mail.alias.domain", "create", {"name": domain})
    company_id = rpc.call("res.users", "read", [rpc.uid], ["company_id"])[0][
        "company_id"
    ][0]
    rpc.call("res.company", "write", [company_id], {"alias_domain_id": domain_id})
    team_id = rpc.xmlid("sgc_helpdesk_ticket", "helpdesk_ticket_team_intake")
    [team] = rpc.call("helpdesk.ticket.team", "read", [team_id], ["alias_id"])
    rpc.call(
        "mail.alias", "write", [team["alias_id"][0]], {"alias_domain_id": domain_id}
    )
    try:
        yield rpc, inbox, f"hotro@{domain}"
    finally:
        rpc.call("ir.mail_server", "unlink", [mail_server_id])


def expected_time(rpc, ticket_id):
    [ticket] = rpc.call("helpdesk.ticket", "read", [ticket_id], ["received_date"])
    received = datetime.strptime(ticket["received_date"], "%Y-%m-%d %H:%M:%S")
    local = received.replace(tzinfo=timezone.utc).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh")
    )
    return local.strftime("%d/%m/%Y %I:%M ") + ("AM" if local.hour < 12 else "PM")


def test_form_post_creates_ticket_and_acknowledgement_leaves_by_smtp(
    odoo_server, intake
):
    rpc, inbox, _hotro = intake
    customer = f"khach.web.{uuid.uuid4().hex[:8]}@example.com"
    browser = requests.Session()
    page = browser.get(f"{odoo_server.url}{FORM_URL}", timeout=60)
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    category = re.search(
        r'<option value="(\d+)"[^>]*>Sample analysis and testing</option>', page.text
    ).group(1)
    response = browser.post(
        f"{odoo_server.url}{FORM_URL}",
        data={
            "csrf_token": csrf,
            "contact_name": "Phạm Minh Khoa",
            "company_name": "Công ty CP Nước Sạch",
            "email": customer,
            "phone": "0283 999 8888",
            "category_id": category,
            "subject": "Phân tích mẫu nước cấp",
            "description": "Cần phân tích 4 mẫu nước cấp <b>trong tuần</b>.",
            "homepage": "",
        },
        files=[
            ("attachments", ("yeu-cau.txt", "Danh sách mẫu".encode(), "text/plain"))
        ],
        timeout=120,
    )
    assert response.status_code == 200
    assert response.url.endswith(f"{FORM_URL}/da-tiep-nhan")
    code = re.search(
        r'class="o_sgc_ticket_number">([^<]+)</strong>', response.text
    ).group(1)
    assert code.startswith("SGC")
    [ticket] = rpc.call(
        "helpdesk.ticket",
        "search_read",
        [("number", "=", code)],
        ["name", "partner_email", "channel_id", "attachment_ids", "description"],
    )
    assert ticket["name"] == "Phân tích mẫu nước cấp"
    assert ticket["partner_email"] == customer
    assert ticket["channel_id"][1] == "Web"
    assert len(ticket["attachment_ids"]) == 1
    assert "&lt;b&gt;trong tuần&lt;/b&gt;" in ticket["description"]

    # The acknowledgement is a job: the server's job runner sends it.
    [mail] = inbox.wait_for(customer)
    assert (
        str(mail["Subject"])
        == "[SGC]: Xác nhận tiếp nhận yêu cầu của Quý Khách từ kênh Web Support!"
    )
    body = html_text(mail)
    assert code in body
    assert TIME_FORMAT.search(body)
    assert expected_time(rpc, ticket["id"]) in body
    assert "Phạm Minh Khoa" in body
    assert "<b>trong tuần</b>" not in body


def raw_mail(to, message_id, sender):
    message = EmailMessage()
    message["From"] = f"Lý Thu Hà <{sender}>"
    message["To"] = to
    message["Subject"] = "Yêu cầu quan trắc khí thải – nhà máy Bình Dương"
    message["Message-ID"] = message_id
    message["Date"] = "Fri, 02 May 2025 09:15:00 +0700"
    message.set_content("Kính gửi SGC,\nChúng tôi cần quan trắc khí thải quý 2.\n")
    message.add_attachment(
        "STT;Điểm đo\n1;Ống khói lò hơi\n".encode(),
        maintype="text",
        subtype="csv",
        filename="diem-do.csv",
    )
    return message.as_string()


def test_mail_gateway_creates_one_ticket_and_acknowledges_by_smtp(intake):
    rpc, inbox, hotro = intake
    sender = f"khach.mail.{uuid.uuid4().hex[:8]}@example.com"
    raw = raw_mail(hotro, make_msgid(domain="khach.example.com"), sender)
    ticket_id = rpc.execute_kw("mail.thread", "message_process", [False, raw])
    assert ticket_id
    tickets = rpc.call(
        "helpdesk.ticket",
        "search_read",
        [("partner_email", "ilike", sender)],
        ["number", "name", "channel_id", "partner_id", "attachment_ids"],
    )
    assert [t["id"] for t in tickets] == [ticket_id]
    [ticket] = tickets
    assert ticket["name"] == "Yêu cầu quan trắc khí thải – nhà máy Bình Dương"
    assert ticket["channel_id"][1] == "Email"
    assert ticket["partner_id"][1] == "Lý Thu Hà"
    attachments = rpc.call(
        "ir.attachment", "read", ticket["attachment_ids"], ["name", "datas"]
    )
    assert [a["name"] for a in attachments] == ["diem-do.csv"]

    # The same mail delivered again (same Message-Id): nothing new.
    assert not rpc.execute_kw("mail.thread", "message_process", [False, raw])
    assert (
        rpc.call(
            "helpdesk.ticket", "search_count", [("partner_email", "ilike", sender)]
        )
        == 1
    )

    [mail] = inbox.wait_for(sender)
    code = ticket["number"]
    assert str(mail["Subject"]) == f"[{code}] Cảm ơn quý khách đã liên hệ với SGC!"
    body = html_text(mail)
    assert f"<strong>{code}</strong>" in body
    assert f"<strong>{expected_time(rpc, ticket_id)}</strong>" in body
    assert "Quý khách có thể phản hồi email này" in body
