# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Zalo OA connector, against a real HTTP server on 127.0.0.1 speaking Zalo's API
contract (zalo_fake_server.py). Nothing is mocked but Zalo's side of HTTP."""

import base64
import hmac
import itertools
import json
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import requests
from freezegun import freeze_time
from markupsafe import Markup

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..models.zalo_oa_account import DEFAULT_ACK_TEXT, ZaloApiError
from .jobs import JobsMixin
from .zalo_fake_server import (
    CS_PATH,
    ERROR_REFRESH,
    PROFILE_PATH,
    TOKEN_PATH,
    FakeZaloServer,
    sign,
)

APP_ID = "2690612931463815168"
APP_SECRET = "app-secret-4b1d"
OA_SECRET = "oa-secret-9c2e"
OA_ID = "579745863508352884"
# Larger than 64 bits on purpose: Zalo's ids must survive as text.
CUSTOMER_ID = "8451296372201863215"
# Now, in milliseconds: older events are refused as replays.
TIMESTAMP = str(int(time.time() * 1000))
TS_LATER = str(int(TIMESTAMP) + 999)
TS_EARLIER = str(int(TIMESTAMP) - 555)
ACK_START = "Thân chào anh/chị"
# A 1x1 PNG: a customer's Zalo profile picture.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)

_msg_ids = itertools.count(1)


def zalo_event(
    text="Cần lấy mẫu khí thải",
    user_id=CUSTOMER_ID,
    event="user_send_text",
    msg_id=None,
    attachments=None,
    timestamp=TIMESTAMP,
):
    message = {"msg_id": msg_id or f"5f1c0a{next(_msg_ids):010d}", "text": text}
    if attachments is not None:
        message["attachments"] = attachments
    return {
        "app_id": APP_ID,
        "user_id_by_app": "5526190436221118402",
        "event_name": event,
        "timestamp": timestamp,
        "sender": {"id": user_id},
        "recipient": {"id": OA_ID},
        "message": message,
    }


class ZaloCaseMixin(JobsMixin):
    """The fake Zalo server, a configured OA account, least-privilege users."""

    @classmethod
    def _setup_zalo(cls):
        cls.fake = FakeZaloServer(app_id=APP_ID, app_secret=APP_SECRET).start()
        cls.addClassCleanup(cls.fake.stop)
        cls.staff = new_test_user(
            cls.env,
            login="zalo_staff",
            name="Zalo Staff",
            groups="sgc_helpdesk_ticket.group_department_user",
        )
        cls.other_staff = new_test_user(
            cls.env,
            login="zalo_other_staff",
            name="Other Department",
            groups="sgc_helpdesk_ticket.group_department_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="zalo_manager",
            name="Zalo Manager",
            groups="sgc_helpdesk_ticket.group_manager",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Zalo test desk", "user_ids": [Command.set(cls.staff.ids)]}
        )
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Other desk", "user_ids": [Command.set(cls.other_staff.ids)]}
        )
        cls.channel = cls.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_channel_zalo")
        cls.env["zalo.oa.account"].with_context(active_test=False).search(
            [("company_id", "=", cls.env.company.id)]
        ).unlink()
        cls.account = cls.env["zalo.oa.account"].create(
            {
                "name": "SGC Zalo OA (test)",
                "app_id": APP_ID,
                "app_secret_key": APP_SECRET,
                "oa_secret_key": OA_SECRET,
                "access_token": "AT-0",
                "refresh_token": "RT-0",
                "access_token_expiry": fields.Datetime.now() + timedelta(hours=20),
                "api_base_url": cls.fake.url,
                "oauth_base_url": cls.fake.url,
                "attachment_hosts": "127.0.0.1",
                "team_id": cls.team.id,
            }
        )
        cls.company_name = cls.env.company.name

    def setUp(self):
        super().setUp()
        self.fake.reset(access_token="AT-0", refresh_token="RT-0")

    def _tickets(self, user_id=CUSTOMER_ID):
        return self.env["helpdesk.ticket"].search(
            [("partner_id.zalo_user_id", "=", user_id)], order="id"
        )


class TestZalo(ZaloCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The token refresh commits on a cursor of its own; in test mode that
        # cursor works inside the test's transaction.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls._setup_zalo()
        # The connector itself: the triage suggests but routes nothing here
        # (test_triage.py tests its routing).
        cls.env.company.sgc_triage_threshold = 2.0

    # -- helpers ------------------------------------------------------------

    def _receive(self, payload):
        """The webhook's part (store the event), then the jobs it queued."""
        record = (
            self.env["zalo.message"]
            .sudo()
            ._process_webhook_event(self.account, payload)
        )
        self.run_jobs()
        return record

    def _zalo_ticket(self, text="Cần báo giá quan trắc định kỳ"):
        """A ticket opened by a Zalo message (acknowledged), then forget the
        requests it made."""
        self._receive(zalo_event(text=text))
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.fake.reset(access_token=self.fake.access_token, refresh_token="RT-0")
        return ticket

    def _reply(self, ticket, body, user=None):
        message = ticket.with_user(user or self.staff).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.run_jobs()
        return message

    def _out(self, ticket, kind="reply"):
        return ticket.zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == kind
        ).sorted("id")

    # -- incoming ------------------------------------------------------------

    def test_text_message_creates_ticket_and_acknowledges(self):
        record = self._receive(
            zalo_event(text="Báo giá <b>quan trắc</b>\nCho 3 điểm xả thải")
        )
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(record.ticket_id, ticket)
        self.assertEqual(ticket.channel_id, self.channel)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.name, "Báo giá <b>quan trắc</b>")
        self.assertIn("Báo giá &lt;b&gt;quan trắc&lt;/b&gt;", ticket.description)
        self.assertIn("Cho 3 điểm xả thải", ticket.description)
        self.assertEqual(ticket.partner_id.name, f"Zalo user {CUSTOMER_ID}")
        self.assertEqual(ticket.partner_id.zalo_user_id, CUSTOMER_ID)
        # The acknowledgement reached Zalo as a reply to the incoming message.
        sent = self.fake.sent_messages
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["recipient"], {"message_id": record.msg_id})
        ack = self._out(ticket, "ack")
        self.assertEqual(ack.state, "sent")
        self.assertEqual(sent[0]["message"]["text"], ack.text)
        self.assertTrue(ack.msg_id)
        self.assertEqual(
            self.fake.requests_to(CS_PATH)[0]["headers"]["access_token"], "AT-0"
        )
        self.assertFalse(ticket.zalo_send_failed)

    def test_profile_names_the_customer_and_the_greeting(self):
        avatar = self.fake.add_file("ava-lan.png", PNG, "image/png")
        self.fake.add_profile(CUSTOMER_ID, "Nguyễn Thị Lan", avatar=avatar)
        self._receive(zalo_event(text="Cần báo giá quan trắc khí thải"))
        ticket = self._tickets()
        partner = ticket.partner_id
        self.assertEqual(partner.name, "Nguyễn Thị Lan")
        self.assertEqual(base64.b64decode(partner.image_1920)[:8], PNG[:8])
        self.assertTrue(partner.zalo_profile_date)
        # The acknowledgement greets the customer by the profile's name.
        text = self.fake.sent_messages[0]["message"]["text"]
        self.assertTrue(text.startswith(f"{ACK_START} Nguyễn Thị Lan"), text)
        self.assertNotIn(CUSTOMER_ID, text)
        # Read once and kept on the contact: the next message asks nothing.
        self.assertEqual(len(self.fake.requests_to(PROFILE_PATH)), 1)
        self._receive(zalo_event(text="Bổ sung: 3 ống khói"))
        self.assertEqual(len(self.fake.requests_to(PROFILE_PATH)), 1)
        # A contact with a real name keeps it.
        self.assertEqual(ticket.partner_id.name, "Nguyễn Thị Lan")

    def test_profile_unreachable_is_read_later_by_a_job(self):
        self.fake.profile_down = True
        self._receive(zalo_event(text="Cần lấy mẫu nước thải"))
        partner = self._tickets().partner_id
        # Not held back by Zalo's profile API: the ticket and its greeting.
        self.assertEqual(partner.name, f"Zalo user {CUSTOMER_ID}")
        self.assertEqual(len(self.fake.sent_messages), 1)
        job = self._pending_jobs(
            [("method_name", "=", "_job_read_profile")], due_only=False
        )
        self.assertEqual(len(job), 1)
        self.fake.profile_down = False
        self.fake.add_profile(CUSTOMER_ID, "Trần Văn Minh")
        job.eta = fields.Datetime.now()
        self.run_jobs([("method_name", "=", "_job_read_profile")])
        self.assertEqual(job.state, "done")
        self.assertEqual(partner.name, "Trần Văn Minh")
        self.assertTrue(partner.zalo_profile_date)

    def test_connect_exchanges_the_code_once_with_its_verifier(self):
        self.account.write({"access_token": False, "refresh_token": False})
        self.assertFalse(self.account.connected)
        with self.assertRaises(UserError):
            self.account.with_user(self.staff).action_connect()
        action = self.account.with_user(self.manager).action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith(self.fake.url + "/v4/oa/permission?"))
        # Zalo's consent page sends the manager back with a code and the state.
        consent = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302)
        back = urlsplit(consent.headers["Location"])
        self.assertEqual(back.path, "/zalo/oauth/callback")
        query = {k: v[0] for k, v in parse_qs(back.query).items()}
        Account = self.env["zalo.oa.account"]
        self.assertFalse(Account._oauth_account_for_state("forged-state"))
        account = Account._oauth_account_for_state(query["state"])
        self.assertEqual(account, self.account)
        account._oauth_complete(query["code"], oa_id=query["oa_id"])
        self.account.invalidate_recordset()
        self.assertTrue(self.account.connected)
        self.assertEqual(self.account.access_token, self.fake.access_token)
        self.assertEqual(self.account.refresh_token, self.fake.refresh_token)
        self.assertEqual(self.account.oa_id, self.fake.oa_id)
        self.assertTrue(self.account.access_token_expiry)
        # The state is spent, and Zalo takes a code once.
        self.assertFalse(Account._oauth_account_for_state(query["state"]))
        self.account.with_user(self.manager).action_connect()
        # (Not in assertRaises, whose savepoint would undo the error's record.)
        try:
            self.account._oauth_complete(query["code"])
        except ZaloApiError as exc:
            self.assertIn("Invalid authorization code", str(exc))
        else:
            self.fail("a spent authorization code was accepted")
        self.assertIn("Invalid authorization code", self.account.last_error)
        # A state older than its window is refused.
        action = self.account.with_user(self.manager).action_connect()
        state = parse_qs(urlsplit(action["url"]).query)["state"][0]
        self.account.oauth_state_date = fields.Datetime.now() - timedelta(hours=1)
        self.assertFalse(Account._oauth_account_for_state(state))

    def test_duplicate_msg_id_is_ignored(self):
        payload = zalo_event()
        first = self._receive(payload)
        again = self._receive(payload)
        self.assertTrue(first)
        self.assertFalse(again)
        self.assertEqual(len(self._tickets()), 1)
        self.assertEqual(len(self.fake.sent_messages), 1)
        self.assertEqual(
            self.env["zalo.message"].search_count(
                [("direction", "=", "in"), ("msg_id", "=", first.msg_id)]
            ),
            1,
        )

    def test_closed_ticket_gets_a_new_one(self):
        ticket = self._zalo_ticket()
        cancelled = self.env["helpdesk.ticket.stage"].search(
            [("state", "=", "cancelled")], limit=1
        )
        ticket.write({"cancel_reason": "Khách hủy", "stage_id": cancelled.id})
        self.assertEqual(ticket.state, "cancelled")
        self._receive(zalo_event(text="Yêu cầu mới"))
        tickets = self._tickets()
        self.assertEqual(len(tickets), 2)
        self.assertEqual(tickets[1].name, "Yêu cầu mới")
        self.assertEqual(len(self.fake.sent_messages), 1, "the new one is acknowledged")

    def test_attachments_downloaded_from_allowed_host_only(self):
        image = b"\x89PNG\r\n\x1a\nfake image bytes"
        url = self.fake.add_file("anh-mau.png", image, "image/png")
        foreign = "https://files.example.com/hoa-don.pdf"
        self._receive(
            zalo_event(
                event="user_send_image",
                text="",
                attachments=[
                    {"type": "image", "payload": {"url": url, "thumbnail": url}},
                    {"type": "file", "payload": {"url": foreign, "name": "hd.pdf"}},
                ],
            )
        )
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(url, ticket.description)
        self.assertIn(foreign, ticket.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["anh-mau.png"])
        self.assertEqual(base64.b64decode(attachments.datas), image)

    def test_file_on_open_ticket_is_posted_with_attachment(self):
        ticket = self._zalo_ticket()
        url = self.fake.add_file("bien-ban.pdf", b"%PDF-1.4 test", "application/pdf")
        record = self._receive(
            zalo_event(
                event="user_send_file",
                text="Biên bản lấy mẫu",
                attachments=[
                    {"type": "file", "payload": {"url": url, "name": "bien-ban.pdf"}}
                ],
            )
        )
        self.assertEqual(self._tickets(), ticket)
        self.assertEqual(record.mail_message_id.model, "helpdesk.ticket")
        self.assertEqual(record.mail_message_id.res_id, ticket.id)
        self.assertEqual(record.mail_message_id.author_id, ticket.partner_id)
        self.assertEqual(
            record.mail_message_id.attachment_ids.mapped("name"), ["bien-ban.pdf"]
        )
        self.assertEqual(self.fake.sent_messages, [], "no second acknowledgement")

    def test_unhandled_events_are_kept_not_acted_on(self):
        record = self._receive(zalo_event(event="user_send_sticker", text=""))
        self.assertEqual(record.state, "ignored")
        self.assertFalse(self._tickets())
        self.assertEqual(self.fake.requests, [])

    # -- acknowledgement text ------------------------------------------------

    def _zalo_template(self, template):
        """Make ``template`` the Zalo acknowledgement template, wherever the
        intake looks it up (the channel's template and the xmlid)."""
        if "ack_template_id" in self.channel._fields:
            vals = {"ack_template_id": template.id if template else False}
            if "ack_medium" in self.channel._fields:
                vals["ack_medium"] = "zalo"
            self.channel.write(vals)
        imd = self.env["ir.model.data"].search(
            [
                ("module", "=", "sgc_helpdesk_ticket"),
                ("name", "=", "mail_template_ack_zalo"),
            ]
        )
        if template and imd:
            imd.res_id = template.id
        elif template:
            self.env["ir.model.data"].create(
                {
                    "module": "sgc_helpdesk_ticket",
                    "name": "mail_template_ack_zalo",
                    "model": "mail.template",
                    "res_id": template.id,
                    "noupdate": True,
                }
            )
        else:
            imd.unlink()
        self.env.registry.clear_cache()

    def test_no_template_means_no_acknowledgement(self):
        self._zalo_template(None)
        self._receive(zalo_event())
        self.assertEqual(len(self._tickets()), 1)
        self.assertEqual(self.fake.sent_messages, [])

    def test_ack_fallback_text_when_the_template_renders_empty(self):
        template = self.env["mail.template"].create(
            {
                "name": "Zalo ack (empty)",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "body_html": "<p></p>",
            }
        )
        self._zalo_template(template)
        self.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "zalo_user_id": CUSTOMER_ID}
        )
        self._receive(zalo_event())
        text = self.fake.sent_messages[0]["message"]["text"]
        self.assertTrue(text.startswith(f"{ACK_START} Nguyễn Văn An, "), text)
        self.assertIn(f"giúp {self.company_name}!", text)
        self.assertNotIn("ITS", DEFAULT_ACK_TEXT)

    def test_ack_uses_mail_template_as_plain_text(self):
        template = self.env["mail.template"].create(
            {
                "name": "Zalo ack (test)",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "body_html": "<p>Chào <strong>"
                '<t t-out="object.partner_id.name"/></strong>,</p>'
                '<p><t t-out="object.company_id.name"/> đã ghi nhận '
                '<a href="https://hsevn.com.vn/yc">yêu cầu</a>.</p>',
            }
        )
        self._zalo_template(template)
        self._receive(zalo_event())
        self.assertEqual(
            self.fake.sent_messages[0]["message"]["text"],
            f"Chào Zalo user {CUSTOMER_ID},\n{self.company_name} đã ghi nhận "
            "yêu cầu (https://hsevn.com.vn/yc).",
        )

    def test_ack_addressed_to_user_when_not_replying(self):
        self.account.reply_with_message_id = False
        self._receive(zalo_event())
        self.assertEqual(
            self.fake.sent_messages[0]["recipient"], {"user_id": CUSTOMER_ID}
        )

    def test_channel_acknowledgement_does_not_send_twice(self):
        ticket = self._zalo_ticket()
        Channel = self.env["helpdesk.ticket.channel"]
        Channel._sgc_acknowledge_by_zalo(ticket, self.env["mail.template"])
        self.assertEqual(self.fake.requests, [])
        self.assertEqual(len(self._out(ticket, "ack")), 1)

    # -- staff replies -------------------------------------------------------

    def test_staff_reply_sent_to_customer_zalo(self):
        ticket = self._zalo_ticket()
        message = self._reply(
            ticket, Markup("<p>Chào anh,</p><p>Kết quả <b>đạt</b> QCVN 40.</p>")
        )
        self.assertEqual(
            self.fake.sent_messages,
            [
                {
                    "recipient": {"user_id": CUSTOMER_ID},
                    "message": {"text": "Chào anh,\nKết quả đạt QCVN 40."},
                }
            ],
        )
        out = self._out(ticket)
        self.assertEqual(out.state, "sent")
        self.assertEqual(out.mail_message_id, message)
        self.assertEqual(out.attempts, 1)

    def _reply_with_files(self, ticket, files, body="Gửi anh kết quả"):
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": content,
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
                for name, content in files
            ]
        )
        message = ticket.with_user(self.staff).message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
        self.run_jobs()
        return message

    def test_staff_reply_carries_its_image_and_file(self):
        ticket = self._zalo_ticket()
        pdf = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF"
        self._reply_with_files(
            ticket, [("mau-lay.png", PNG), ("ket-qua-QCVN40.pdf", pdf)]
        )
        sent = self.fake.sent_messages
        self.assertEqual(len(sent), 3)
        self.assertEqual(sent[0]["message"], {"text": "Gửi anh kết quả"})
        image = sent[1]["message"]["attachment"]
        self.assertEqual(image["payload"]["elements"][0]["media_type"], "image")
        uploaded = self.fake.uploads[image["payload"]["elements"][0]["attachment_id"]]
        self.assertEqual(uploaded, ("image", "mau-lay.png", PNG))
        document = sent[2]["message"]["attachment"]
        self.assertEqual(document["type"], "file")
        self.assertEqual(
            self.fake.uploads[document["payload"]["token"]],
            ("file", "ket-qua-QCVN40.pdf", pdf),
        )
        out = self._out(ticket)
        self.assertEqual(out.mapped("state"), ["sent"] * 3)
        self.assertEqual(
            out.mapped("attachment_id.name"), ["mau-lay.png", "ket-qua-QCVN40.pdf"]
        )

    def test_attachment_zalo_does_not_take_is_said_on_the_ticket(self):
        ticket = self._zalo_ticket()
        big = PNG + b"\0" * (1024 * 1024)
        self._reply_with_files(
            ticket, [("anh-lon.png", big), ("bang-tinh.exe", b"MZ\x90\0")]
        )
        # The text went; neither file was uploaded, and staff are told why.
        self.assertEqual(len(self.fake.sent_messages), 1)
        self.assertFalse(self.fake.uploads)
        note = ticket.message_ids.filtered(
            lambda m: "Not sent on Zalo" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("anh-lon.png is larger than Zalo's 1 MB.", note.body)
        self.assertIn("bang-tinh.exe: Zalo takes images", note.body)

    def test_upload_refused_by_zalo_is_a_visible_failure(self):
        ticket = self._zalo_ticket()
        # Zalo's own limit is lower than the one set on the account.
        self.account.upload_image_max_size = 3
        self._reply_with_files(
            ticket, [("anh-2mb.png", PNG + b"\0" * (2 * 1024 * 1024))], body=""
        )
        out = self._out(ticket)
        self.assertEqual(len(out), 1)
        self.assertEqual(out.state, "failed")
        self.assertIn("-32", out.error)
        self.assertTrue(out.next_attempt_date)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "could not be delivered" in (m.body or "")
            )
        )

    def test_notes_and_customer_messages_not_sent(self):
        ticket = self._zalo_ticket()
        ticket.with_user(self.staff).message_post(
            body="Nội bộ: chờ PTN", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self._receive(zalo_event(text="Anh cần gấp"))
        self.assertEqual(len(self._tickets()), 1)
        self.assertIn("Anh cần gấp", ticket.message_ids[0].body)
        self.assertEqual(self.fake.requests, [])
        self.assertFalse(self._out(ticket))

    def test_reply_on_other_channel_not_sent(self):
        partner = self.env["res.partner"].create(
            {"name": "Khách web", "zalo_user_id": "111222333444555666777"}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Web request",
                "description": "<p>x</p>",
                "partner_id": partner.id,
                "team_id": self.team.id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_web"
                ).id,
            }
        )
        self._reply(ticket, "Chào anh")
        self.assertEqual(self.fake.requests, [])

    def test_long_reply_split_under_limit(self):
        ticket = self._zalo_ticket()
        words = [f"từ{i}" for i in range(700)]
        text = " ".join(words)
        self.assertGreater(len(text), 4000)
        self._reply(ticket, Markup("<p>%s</p>") % text)
        texts = [m["message"]["text"] for m in self.fake.sent_messages]
        self.assertEqual(len(texts), 3)
        self.assertTrue(all(len(t) <= 2000 for t in texts))
        self.assertEqual(" ".join(texts).split(), words)
        self.assertEqual(self._out(ticket).mapped("state"), ["sent"] * 3)

    def test_expired_token_refreshed_then_sent(self):
        ticket = self._zalo_ticket()
        self.fake.expire_access_token()
        self._reply(ticket, "Đã có lịch lấy mẫu")
        calls = [(r["path"], r["answer"]) for r in self.fake.requests]
        self.assertEqual(calls, [(CS_PATH, -216), (TOKEN_PATH, 0), (CS_PATH, 0)])
        self.assertEqual(self.fake.token_requests[0]["form"]["refresh_token"], "RT-0")
        account = self.account.sudo()
        self.assertEqual(account.access_token, self.fake.access_token)
        self.assertEqual(account.refresh_token, self.fake.refresh_token)
        self.assertNotEqual(account.refresh_token, "RT-0")
        self.assertAlmostEqual(
            account.access_token_expiry,
            fields.Datetime.now() + timedelta(seconds=90000),
            delta=timedelta(minutes=5),
        )
        self.assertEqual(
            self.fake.requests[2]["headers"]["access_token"], account.access_token
        )
        self.assertEqual(self._out(ticket).state, "sent")

    def test_token_refused_twice_is_a_failure(self):
        ticket = self._zalo_ticket()
        self.fake.fail_next("expired", "expired")
        self._reply(ticket, "Chào anh")
        out = self._out(ticket)
        self.assertEqual(out.state, "failed")
        self.assertIn("-216", out.error)
        self.assertEqual(len(self.fake.token_requests), 1, "refreshed only once")

    def test_quota_error_visible_then_retried_by_cron(self):
        ticket = self._zalo_ticket()
        now = fields.Datetime.now()
        self.fake.fail_next("quota")
        with freeze_time(now):
            self._reply(ticket, "Mời anh xác nhận kết quả")
        out = self._out(ticket)
        self.assertEqual(out.state, "failed")
        self.assertIn("-211", out.error)
        self.assertIn("Out of quota", out.error)
        self.assertTrue(ticket.zalo_send_failed)
        self.assertTrue(
            self.env["helpdesk.ticket"].search(
                [("id", "=", ticket.id), ("zalo_send_failed", "=", True)]
            )
        )
        note = ticket.message_ids.filtered(lambda m: "could not be delivered" in m.body)
        self.assertEqual(len(note), 1)
        self.assertTrue(note.is_internal or note.subtype_id.internal)
        self.assertEqual(len(self.fake.requests_to(CS_PATH)), 1)
        # Not yet due: the cron leaves it.
        with freeze_time(now + timedelta(minutes=5)):
            self.env["zalo.oa.account"]._cron_zalo()
        self.assertEqual(out.state, "failed")
        self.assertEqual(len(self.fake.requests_to(CS_PATH)), 1)
        # Due (first retry after 15 minutes): sent.
        with freeze_time(now + timedelta(minutes=16)):
            self.env["zalo.oa.account"]._cron_zalo()
        self.assertEqual(out.state, "sent")
        self.assertEqual(out.attempts, 2)
        self.assertFalse(ticket.zalo_send_failed)
        self.assertEqual(
            self.fake.sent_messages[-1]["message"]["text"], "Mời anh xác nhận kết quả"
        )
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "was delivered" in m.body)
        )

    def test_network_error_recorded_and_retried(self):
        ticket = self._zalo_ticket()
        self.fake.fail_next("disconnect")
        self._reply(ticket, "Chào anh")
        out = self._out(ticket)
        self.assertEqual(out.state, "failed")
        self.assertIn("Network error", out.error)
        out.action_retry()
        self.assertEqual(out.state, "sent")
        self.assertEqual(out.attempts, 2)

    def test_http_error_recorded(self):
        ticket = self._zalo_ticket()
        self.fake.fail_next("http500")
        self._reply(ticket, "Chào anh")
        self.assertIn("HTTP 500", self._out(ticket).error)

    def test_retries_bounded_then_handed_to_person(self):
        ticket = self._zalo_ticket()
        ticket.user_id = self.staff
        self.account.write({"max_send_attempts": 3, "retry_delay": 1})
        self.fake.fail_always("quota")
        now = fields.Datetime.now()
        with freeze_time(now):
            self._reply(ticket, "Chào anh")
        out = self._out(ticket)
        for minutes in (2, 5, 60, 600):
            with freeze_time(now + timedelta(minutes=minutes)):
                self.env["zalo.oa.account"]._cron_zalo()
        self.assertEqual(len(self.fake.requests_to(CS_PATH)), 3)
        self.assertEqual(out.attempts, 3)
        self.assertEqual(out.state, "failed")
        self.assertFalse(out.next_attempt_date)
        self.assertTrue(ticket.zalo_send_failed)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "will not be retried" in m.body)
        )
        activity = ticket.activity_ids.filtered(
            lambda a: a.summary == "Zalo message not delivered"
        )
        self.assertEqual(activity.user_id, self.staff)
        # A person handles it: the ticket stops showing the failure.
        out.with_user(self.manager).action_cancel()
        self.assertEqual(out.state, "cancelled")
        self.assertFalse(ticket.zalo_send_failed)

    def test_ticket_retry_button(self):
        ticket = self._zalo_ticket()
        self.fake.fail_next("quota")
        self._reply(ticket, "Chào anh")
        self.assertTrue(ticket.zalo_send_failed)
        ticket.with_user(self.staff).action_zalo_retry()
        self.assertFalse(ticket.zalo_send_failed)
        self.assertEqual(self._out(ticket).state, "sent")

    # -- tokens --------------------------------------------------------------

    def test_refresh_token_rotation_is_done_once(self):
        first = self.account._refresh_access_token(stale_token="AT-0")
        # A second worker that also saw AT-0 refused waits for the lock, re-reads
        # the row and uses the new token instead of spending RT-0 again.
        second = self.account._refresh_access_token(stale_token="AT-0")
        self.assertEqual(first, second)
        self.assertEqual(len(self.fake.token_requests), 1)
        account = self.account.sudo()
        self.assertEqual(account.access_token, first)
        self.assertEqual(account.refresh_token, self.fake.refresh_token)
        # Zalo (like the fake) refuses a refresh token used twice.
        spent = requests.post(
            self.fake.url + TOKEN_PATH,
            headers={"secret_key": APP_SECRET},
            data={
                "refresh_token": "RT-0",
                "app_id": APP_ID,
                "grant_type": "refresh_token",
            },
            timeout=10,
        ).json()
        self.assertEqual(spent["error"], ERROR_REFRESH)

    def test_token_refreshed_before_expiry(self):
        now = fields.Datetime.now()
        self.account.write(
            {
                "access_token_expiry": now + timedelta(hours=25),
                "token_refresh_margin": 60,
            }
        )
        with freeze_time(now + timedelta(hours=23)):
            self.assertEqual(self.account._get_access_token(), "AT-0")
            self.env["zalo.oa.account"]._cron_zalo()
        self.assertEqual(self.fake.token_requests, [])
        with freeze_time(now + timedelta(hours=24, minutes=10)):
            self.env["zalo.oa.account"]._cron_zalo()
            token = self.account._get_access_token()
        self.assertEqual(len(self.fake.token_requests), 1)
        self.assertEqual(token, self.fake.access_token)
        self.assertNotEqual(token, "AT-0")
        self.assertEqual(
            self.account.access_token_expiry,
            now + timedelta(hours=24, minutes=10) + timedelta(seconds=90000),
        )

    def test_refresh_refused_is_recorded(self):
        self.account.sudo().app_secret_key = "wrong"
        # Not assertRaises: it rolls back to a savepoint, and the point is what
        # the refresh's own transaction kept.
        try:
            self.account._refresh_access_token(force=True)
        except ZaloApiError as exc:
            error = exc
        else:
            error = None
        self.assertIsInstance(error, ZaloApiError)
        self.assertEqual(error.code, -14002)
        account = self.account.sudo()
        self.assertIn("secret key", account.last_error)
        self.assertEqual(account.access_token, "AT-0")
        self.assertEqual(account.refresh_token, "RT-0")

    # -- security ------------------------------------------------------------

    def test_secrets_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.staff).read(["name"])
        as_manager = self.account.with_user(self.manager)
        self.assertEqual(as_manager.oa_secret_key, OA_SECRET)
        self.assertEqual(as_manager.refresh_token, "RT-0")

    def test_department_users_read_messages_of_their_tickets(self):
        ticket = self._zalo_ticket()
        Message = self.env["zalo.message"]
        mine = Message.with_user(self.staff).search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(mine), 2)  # the customer's message, the ack
        theirs = Message.with_user(self.other_staff).search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertFalse(theirs)
        with self.assertRaises(AccessError):
            mine.with_user(self.staff).write({"text": "changed"})
        with self.assertRaises(AccessError):
            mine[0].with_user(self.staff).read(["payload"])


@tagged("post_install", "-at_install")
class TestZaloWebhook(ZaloCaseMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_zalo()

    def _post(
        self,
        payload=None,
        raw=None,
        timestamp=TIMESTAMP,
        headers=None,
        signature=None,
        key=OA_SECRET,
    ):
        body = raw if raw is not None else json.dumps(payload).encode()
        all_headers = {"Content-Type": "application/json"}
        if signature is None:
            signature = sign(APP_ID, body, timestamp, key)
        if signature:
            all_headers["X-ZEvent-Signature"] = signature
        all_headers.update(headers or {})
        response = self.url_open("/zalo/webhook", data=body, headers=all_headers)
        self.env.invalidate_all()
        self.run_jobs()
        return response

    def _counts(self):
        return (
            self.env["zalo.message"].search_count([]),
            self.env["helpdesk.ticket"].search_count([]),
            self.env["res.partner"].search_count([("zalo_user_id", "!=", False)]),
        )

    def test_signed_webhook_creates_ticket_and_ack_reaches_zalo(self):
        payload = zalo_event(text="Cần lấy mẫu nước thải\nTại KCN Tân Bình")
        response = self._post(payload)
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Cần lấy mẫu nước thải")
        self.assertEqual(ticket.channel_id, self.channel)
        self.assertEqual(ticket.state, "new")
        sent = self.fake.sent_messages
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent[0]["recipient"], {"message_id": payload["message"]["msg_id"]}
        )
        self.assertTrue(sent[0]["message"]["text"].startswith(ACK_START))
        ack = ticket.zalo_message_ids.filtered(lambda m: m.kind == "ack")
        self.assertEqual(ack.state, "sent")
        self.assertEqual(ack.text, sent[0]["message"]["text"])

    def test_oauth_callback_connects_for_a_manager_only(self):
        self.account.write({"access_token": False, "refresh_token": False})
        action = self.account.with_user(self.manager).action_connect()
        consent = requests.get(action["url"], allow_redirects=False, timeout=10)
        location = consent.headers["Location"]
        path = location[location.index("/zalo/oauth/callback") :]
        self.authenticate("zalo_staff", "zalo_staff")
        self.assertEqual(self.url_open(path).status_code, 403)
        self.account.invalidate_recordset()
        self.assertFalse(self.account.connected)
        self.authenticate("zalo_manager", "zalo_manager")
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Zalo OA connected", response.text)
        self.account.invalidate_recordset()
        self.assertTrue(self.account.connected)
        self.assertEqual(self.account.access_token, self.fake.access_token)
        # The link is spent: opened again, it is refused and nothing changes.
        response = self.url_open(path)
        self.assertEqual(response.status_code, 400)
        self.assertIn("start again", response.text)
        self.assertEqual(self.account.access_token, self.fake.access_token)

    def test_same_msg_id_twice_gives_one_ticket(self):
        payload = zalo_event()
        self.assertEqual(self._post(payload).status_code, 200)
        self.assertEqual(self._post(payload).status_code, 200)
        self.assertEqual(len(self._tickets()), 1)
        self.assertEqual(len(self.fake.sent_messages), 1)

    def test_forged_or_missing_signature_refused(self):
        payload = zalo_event()
        body = json.dumps(payload).encode()
        before = self._counts()
        forged = {
            "missing": {"signature": ""},
            "wrong mac": {"signature": "mac=" + "0" * 64},
            "other key": {"key": "not-the-oa-secret"},
            "body changed": {
                "raw": body.replace(b"user_send_text", b"user_send_file"),
                "signature": sign(APP_ID, body, TIMESTAMP, OA_SECRET),
            },
            "hmac instead of sha256": {
                "signature": "mac="
                + hmac.new(OA_SECRET.encode(), body, "sha256").hexdigest()
            },
            "not json": {"raw": b"app_id=" + APP_ID.encode()},
        }
        for name, kwargs in forged.items():
            with self.subTest(name):
                kwargs = dict(kwargs)
                raw = kwargs.pop("raw", body)
                response = self._post(raw=raw, **kwargs)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(self._counts(), before)
        unknown_app = dict(payload, app_id="999")
        response = self._post(unknown_app)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.fake.requests, [])

    def test_timestamp_from_body_field(self):
        payload = zalo_event(timestamp=TS_LATER)
        # Signed over a header timestamp the account does not use: refused.
        refused = self._post(
            payload,
            timestamp=TS_EARLIER,
            headers={"X-ZEvent-Timestamp": TS_EARLIER},
        )
        self.assertEqual(refused.status_code, 403)
        self.assertFalse(self._tickets())
        accepted = self._post(payload, timestamp=TS_LATER)
        self.assertEqual(accepted.status_code, 200)
        self.assertEqual(len(self._tickets()), 1)

    def test_timestamp_from_header(self):
        self.account.signature_timestamp_source = "header"
        self.env.flush_all()
        payload = zalo_event(timestamp=TS_LATER)
        refused = self._post(payload, timestamp=TS_LATER)
        self.assertEqual(refused.status_code, 403, "no header: nothing to verify")
        self.assertFalse(self._tickets())
        accepted = self._post(
            payload,
            timestamp=TS_EARLIER,
            headers={"X-ZEvent-Timestamp": TS_EARLIER},
        )
        self.assertEqual(accepted.status_code, 200)
        self.assertEqual(len(self._tickets()), 1)

    def test_second_message_goes_to_open_ticket(self):
        self._post(zalo_event(text="Cần báo giá"))
        self._post(zalo_event(text="Bổ sung: 5 mẫu <script>x()</script>"))
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        last = ticket.message_ids.filtered(lambda m: "Bổ sung" in (m.body or ""))
        self.assertEqual(len(last), 1)
        self.assertEqual(last.author_id, ticket.partner_id)
        self.assertNotIn("<script>", last.body)
        self.assertIn("&lt;script&gt;", last.body)
        self.assertEqual(len(self.fake.sent_messages), 1, "one acknowledgement")
        self.assertEqual(
            self.env["zalo.message"].search_count(
                [("ticket_id", "=", ticket.id), ("direction", "=", "in")]
            ),
            2,
        )

    def test_webhook_answers_without_calling_zalo(self):
        """The webhook stores the event and answers: the ticket, the download of
        the customer's file and the acknowledgement wait for the job, so a slow
        Zalo cannot delay the answer Zalo waits for."""
        self.fake.delay = 5
        payload = zalo_event(text="Gửi ảnh hiện trường")
        image = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
        )
        url = self.fake.add_file("hien-truong.png", image, "image/png")
        payload["message"]["attachments"] = [
            {"type": "image", "payload": {"url": url, "name": "hien-truong.png"}}
        ]
        body = json.dumps(payload).encode()
        started = time.monotonic()
        response = self.url_open(
            "/zalo/webhook",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-ZEvent-Signature": sign(APP_ID, body, TIMESTAMP, OA_SECRET),
            },
        )
        elapsed = time.monotonic() - started
        self.assertEqual(response.status_code, 200)
        self.assertLess(elapsed, 2.0)
        self.assertEqual(self.fake.requests, [])
        self.env.invalidate_all()
        self.assertFalse(self._tickets())
        [record] = self.env["zalo.message"].search([("direction", "=", "in")])
        self.assertEqual(record.state, "received")
        # Then the job does the work.
        self.fake.delay = 0
        self.run_jobs()
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["hien-truong.png"])
        self.assertEqual(len(self.fake.sent_messages), 1)

    def test_replayed_follow_and_stale_events_are_refused(self):
        follow = {
            "app_id": APP_ID,
            "oa_id": OA_ID,
            "event_name": "follow",
            "timestamp": TIMESTAMP,
            "follower": {"id": "7000000000000000009"},
        }
        for _attempt in range(3):
            self.assertEqual(self._post(follow).status_code, 200)
        self.assertEqual(
            self.env["zalo.message"].search_count([("event_name", "=", "follow")]), 1
        )
        stale = str(int(TIMESTAMP) - 3 * 24 * 3600 * 1000)
        before = self._counts()
        response = self._post(zalo_event(timestamp=stale), timestamp=stale)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._counts(), before)

    def test_follow_and_unfollow(self):
        follower = "7000000000000000001"
        payload = {
            "app_id": APP_ID,
            "oa_id": OA_ID,
            "event_name": "follow",
            "timestamp": TIMESTAMP,
            "source": "oa_profile",
            "follower": {"id": follower},
        }
        self.assertEqual(self._post(payload).status_code, 200)
        partner = self.env["res.partner"].search([("zalo_user_id", "=", follower)])
        self.assertEqual(len(partner), 1)
        self.assertTrue(partner.zalo_followed)
        self.assertEqual(
            self._post(dict(payload, event_name="unfollow")).status_code, 200
        )
        partner.invalidate_recordset()
        self.assertFalse(partner.zalo_followed)
        self.assertEqual(partner.zalo_user_id, follower)
        self.assertFalse(self._tickets(follower))

    def test_big_integer_ids_kept_exactly(self):
        big = 2**70 + 12345
        raw = json.dumps(zalo_event(user_id="__BIG__")).replace('"__BIG__"', str(big))
        self.assertEqual(self._post(raw=raw.encode()).status_code, 200)
        ticket = self._tickets(str(big))
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id.zalo_user_id, "1180591620717411315769")
