# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Requests mailed to hotro@ through Odoo's mail gateway, and the acknowledgements."""

import base64
import email
import email.policy

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import email_normalize, mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .jobs import JobsMixin

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

PLAIN_MAIL = """From: {sender}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
Date: Fri, 02 May 2025 15:29:00 +0700
MIME-Version: 1.0
{extra}Content-Type: multipart/mixed; boundary="SGCBOUNDARY"

--SGCBOUNDARY
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Kính gửi SGC, chúng tôi cần lấy mẫu khí thải ống khói vào tuần sau.
--SGCBOUNDARY
Content-Type: application/pdf; name="so-do-nha-may.pdf"
Content-Disposition: attachment; filename="so-do-nha-may.pdf"
Content-Transfer-Encoding: base64

{pdf}
--SGCBOUNDARY--
"""

# A part declaring a charset Python does not know, an attachment with broken
# base64, and a readable part: the readable part and the attachment must survive.
BROKEN_MAIL = """From: {sender}
To: {to}
Subject: Mau nuoc thai
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BROKEN"

--BROKEN
Content-Type: text/plain; charset=utf-8

Phan doc duoc: can phan tich 3 mau nuoc thai.
--BROKEN
Content-Type: text/plain; charset="x-sgc-unknown-charset"

phan bi hong \xe9\xe8
--BROKEN
Content-Type: application/pdf; name="hong.pdf"
Content-Disposition: attachment; filename="hong.pdf"
Content-Transfer-Encoding: base64

!!!! day khong phai base64 @@@@
--BROKEN--
"""

REPLY_MAIL = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-ID: {msg_id}
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bổ sung: nhà máy ở KCN Sóng Thần.
"""


@tagged("post_install", "-at_install")
class TestIntakeMail(JobsMixin, MockEmail, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "SGC Test Company",
                "helpdesk_ticket_prefix": "SGC",
                "helpdesk_hotline": "1900 1713",
                "helpdesk_support_email": "hotro@hsevn.com.vn",
                "helpdesk_form_url": "https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu",
            }
        )
        cls.team_intake = cls.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake")
        cls.team_intake.alias_id.alias_domain_id = cls.mail_alias_domain
        # The intake itself: the triage suggests but routes nothing here
        # (test_triage.py tests its routing).
        cls.company.sgc_triage_threshold = 2.0
        cls.hotro = cls.team_intake.alias_id.alias_full_name
        cls.channel_email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.channel_web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.staff = new_test_user(
            cls.env,
            login="sgc_intake_staff",
            groups="sgc_helpdesk_ticket.group_ticket_monitor",
            name="Intake Staff",
        )

    def _mail(
        self,
        template=PLAIN_MAIL,
        sender="Nguyễn Văn An <an@khach-hang.vn>",
        subject="=?utf-8?b?WcOqdSBj4bqndSBs4bqleSBt4bqrdSBraMOtIHRo4bqjaQ==?=",
        msg_id="<lay-mau-1@khach-hang.vn>",
        extra="",
        **kw,
    ):
        return template.format(
            sender=sender,
            to=self.hotro,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            pdf=base64.b64encode(PDF_BYTES).decode(),
            **kw,
        )

    def _process(self, raw):
        """Deliver ``raw`` as the mailgate script does, then run the jobs it
        queued, as the job runner does after the commit."""
        with self.mock_mail_gateway():
            result = self.env["mail.thread"].message_process(False, raw)
            self.env.cr.precommit.run()
            self.run_jobs()
        return result

    def _mails_to(self, email):
        return [
            mail
            for mail in self._mails
            if email in [email_normalize(address) for address in mail["email_to"]]
        ]

    # ---------------------------------------------------
    # New request by mail
    # ---------------------------------------------------

    @freeze_time("2025-05-02 08:30:00")
    def test_mail_creates_one_email_ticket_and_acknowledges(self):
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "an@khach-hang.vn")])
        )
        ticket_id = self._process(self._mail())
        tickets = self.Ticket.search([("partner_email", "ilike", "an@khach-hang.vn")])
        self.assertEqual(tickets.ids, [ticket_id])
        ticket = tickets
        self.assertEqual(ticket.name, "Yêu cầu lấy mẫu khí thải")
        self.assertEqual(ticket.channel_id, self.channel_email)
        self.assertEqual(ticket.team_id, self.team_intake)
        self.assertIn("cần lấy mẫu khí thải ống khói", ticket.description)
        # The sender became a contact, with the name of the From header.
        self.assertEqual(ticket.partner_id.email, "an@khach-hang.vn")
        self.assertEqual(ticket.partner_id.name, "Nguyễn Văn An")
        self.assertEqual(ticket.partner_name, "Nguyễn Văn An")
        # The attachment is kept on the ticket, byte for byte.
        attachment = ticket.attachment_ids.filtered(
            lambda a: a.name == "so-do-nha-may.pdf"
        )
        self.assertEqual(base64.b64decode(attachment.datas), PDF_BYTES)
        # The incoming mail is on the ticket, authored by the customer.
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, ticket.partner_id)

        acks = self._mails_to("an@khach-hang.vn")
        self.assertEqual(len(acks), 1)
        ack = acks[0]
        code = ticket.number
        self.assertTrue(code.startswith("SGC"))
        self.assertEqual(
            ack["subject"], f"[{code}] Cảm ơn quý khách đã liên hệ với SGC!"
        )
        body = ack["body"]
        self.assertIn("Kính chào quý khách Nguyễn Văn An", body)
        self.assertIn(f"Mã yêu cầu: <strong>{code}</strong>", body)
        # 08:30 UTC is 03:30 PM in Ho Chi Minh City (UTC+7).
        self.assertIn("Thời gian yêu cầu: <strong>02/05/2025 03:30 PM</strong>", body)
        self.assertIn("Tiêu đề: <strong>Yêu cầu lấy mẫu khí thải</strong>", body)
        self.assertIn("Loại yêu cầu: <strong>Chưa phân loại</strong>", body)
        self.assertIn("Quý khách có thể phản hồi email này", body)
        self.assertIn("1900 1713", body)
        self.assertIn("hotro@hsevn.com.vn", ack["email_from"])
        # Logged on the ticket, after the customer's mail, and it is not the
        # first contact by staff.
        ack_message = ticket.message_ids.filtered(
            lambda m: m.message_type == "auto_comment"
        )
        self.assertEqual(len(ack_message), 1)
        self.assertGreater(ack_message.id, incoming.id)
        self.assertFalse(ticket.first_contact_date)

    def test_known_sender_is_linked_not_duplicated(self):
        partner = self.env["res.partner"].create(
            {"name": "Công ty Xanh - Chị Lan", "email": "lan@xanh.vn"}
        )
        ticket_id = self._process(
            self._mail(sender="Lan <lan@xanh.vn>", msg_id="<known@xanh.vn>")
        )
        ticket = self.Ticket.browse(ticket_id)
        self.assertEqual(ticket.partner_id, partner)
        self.assertEqual(
            self.env["res.partner"].search_count([("email", "=", "lan@xanh.vn")]), 1
        )
        self.assertEqual(len(self._mails_to("lan@xanh.vn")), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_same_message_id_twice_creates_one_ticket(self):
        raw = self._mail(msg_id="<twice@khach-hang.vn>")
        first = self._process(raw)
        self.assertTrue(first)
        count = self.Ticket.search_count([])
        second = self._process(raw)
        self.assertFalse(second)
        self.assertEqual(self.Ticket.search_count([]), count)
        self.assertEqual(self._mails_to("an@khach-hang.vn"), [])

    def test_reply_lands_on_the_same_ticket(self):
        ticket = self.Ticket.browse(self._process(self._mail()))
        ack = ticket.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        count = self.Ticket.search_count([])
        reply = REPLY_MAIL.format(
            sender="Nguyễn Văn An <an@khach-hang.vn>",
            to=self.hotro,
            subject="Cảm ơn",
            msg_id="<reply-1@khach-hang.vn>",
            parent=ack.message_id,
        )
        self.assertEqual(self._process(reply), ticket.id)
        self.assertEqual(self.Ticket.search_count([]), count)
        posted = ticket.message_ids.filtered(
            lambda m: m.message_id == "<reply-1@khach-hang.vn>"
        )
        self.assertIn("KCN Sóng Thần", posted.body)
        self.assertEqual(posted.author_id, ticket.partner_id)
        # A public message (a reply to the acknowledgement is not a note)...
        self.assertFalse(posted.subtype_id.internal)
        # ...and no second acknowledgement.
        self.assertEqual(self._mails_to("an@khach-hang.vn"), [])

    def test_automated_mail_gets_a_ticket_but_no_acknowledgement(self):
        cases = {
            "auto-reply": "Auto-Submitted: auto-replied\n",
            "auto-generated": "Auto-Submitted: auto-generated\n",
            "bulk": "Precedence: bulk\n",
            "list": "Precedence: list\n",
            "junk": "Precedence: junk\n",
            "outlook": "X-Auto-Response-Suppress: All\n",
        }
        for index, (name, header) in enumerate(cases.items()):
            with self.subTest(name):
                sender = f"auto{index}@khach-hang.vn"
                ticket_id = self._process(
                    self._mail(
                        sender=sender, msg_id=f"<auto-{index}@x.vn>", extra=header
                    )
                )
                self.assertTrue(self.Ticket.browse(ticket_id).exists())
                self.assertEqual(self._mails_to(sender), [])
        with self.subTest("postmaster"):
            ticket_id = self._process(
                self._mail(sender="postmaster@khach-hang.vn", msg_id="<pm@x.vn>")
            )
            self.assertTrue(ticket_id)
            self.assertEqual(self._mails_to("postmaster@khach-hang.vn"), [])
        # A person's mail that says it is not automated is acknowledged.
        with self.subTest("Auto-Submitted: no"):
            self._process(
                self._mail(
                    sender="person@khach-hang.vn",
                    msg_id="<person@x.vn>",
                    extra="Auto-Submitted: no\n",
                )
            )
            self.assertEqual(len(self._mails_to("person@khach-hang.vn")), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mail_from_the_desks_own_address_creates_nothing(self):
        before = self.Ticket.search_count([])
        for sender in (self.hotro, "hotro@hsevn.com.vn"):
            with self.subTest(sender=sender):
                self._process(self._mail(sender=sender, msg_id=f"<own-{sender}>"))
                self.assertEqual(self.Ticket.search_count([]), before)
                self.assertEqual(self._mails_to(sender), [])

    def test_one_sender_cannot_open_unlimited_tickets(self):
        # sudo: test set-up and inspection, no user input
        self.env["ir.config_parameter"].sudo().set_param(
            "sgc_helpdesk_ticket.mail_rate_limit", 2
        )
        sender = "flood@khach-hang.vn"
        ids = [
            self._process(self._mail(sender=sender, msg_id=f"<flood-{i}@x.vn>"))
            for i in range(4)
        ]
        tickets = self.Ticket.search([("partner_email", "=", sender)])
        self.assertEqual(len(tickets), 2)
        # Past the limit the mail is kept on the latest ticket, not lost.
        self.assertEqual(ids[2], tickets[0].id)
        self.assertEqual(
            len(tickets[0].message_ids.filtered(lambda m: m.message_type == "email")),
            3,
        )
        acks = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("message_type", "=", "auto_comment"),
            ]
        )
        self.assertEqual(len(acks), 2)

    def test_bounce_creates_nothing(self):
        count = self.Ticket.search_count([])
        self._process(
            self._mail(sender="MAILER-DAEMON@mx.khach-hang.vn", msg_id="<b@x.vn>")
        )
        self.assertEqual(self.Ticket.search_count([]), count)
        self.assertEqual(self._mails_to("mailer-daemon@mx.khach-hang.vn"), [])

    @mute_logger("odoo.addons.sgc_helpdesk_ticket.models.mail_thread")
    def test_broken_mime_part_still_creates_the_ticket(self):
        raw = BROKEN_MAIL.format(
            sender="Trần Bình <binh@khach-hang.vn>",
            to=self.hotro,
            msg_id="<broken@khach-hang.vn>",
        )
        ticket = self.Ticket.browse(self._process(raw))
        self.assertTrue(ticket.exists())
        self.assertEqual(ticket.name, "Mau nuoc thai")
        self.assertIn("can phan tich 3 mau nuoc thai", ticket.description)
        # The part in an unknown charset is read as far as it goes.
        self.assertIn("phan bi hong", ticket.description)
        self.assertIn("hong.pdf", ticket.attachment_ids.mapped("name"))
        self.assertEqual(len(self._mails_to("binh@khach-hang.vn")), 1)

    # ---------------------------------------------------
    # Acknowledgements
    # ---------------------------------------------------

    def test_staff_created_ticket_is_acknowledged_only_on_request(self):
        customer = self.env["res.partner"].create(
            {"name": "Khách Gọi Điện", "email": "goi@khach-hang.vn"}
        )
        with self.mock_mail_gateway():
            ticket = self.Ticket.with_user(self.staff).create(
                {
                    "name": "Khách gọi hỏi báo giá",
                    "description": "<p>Hỏi báo giá quan trắc định kỳ.</p>",
                    "partner_id": customer.id,
                    "channel_id": self.channel_email.id,
                }
            )
            self.env.cr.precommit.run()
            self.run_jobs()
        self.assertTrue(ticket.on_behalf)
        self.assertEqual(self._mails_to("goi@khach-hang.vn"), [])
        with self.mock_mail_gateway():
            ticket.with_user(self.staff).action_sgc_send_acknowledgement()
            self.run_jobs()
        acks = self._mails_to("goi@khach-hang.vn")
        self.assertEqual(len(acks), 1)
        self.assertIn(ticket.number, acks[0]["subject"])
        self.assertTrue(ticket.sgc_ack_date)
        # Asked twice: refused, nothing sent again.
        with self.assertRaisesRegex(UserError, "already acknowledged"):
            ticket.with_user(self.staff).action_sgc_send_acknowledgement()

    @freeze_time("2025-05-02 01:05:00")
    def test_web_acknowledgement_content(self):
        category = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis"
        )
        customer = self.env["res.partner"].create(
            {"name": "Lê Thị Hoa", "email": "hoa@khach-hang.vn"}
        )
        ticket = self.Ticket.sudo().create(
            {
                "name": "Phân tích mẫu đất",
                "description": "<p>Cần phân tích 2 mẫu đất &lt;b&gt;gấp&lt;/b&gt;.</p>",
                "partner_id": customer.id,
                "category_id": category.id,
                "channel_id": self.channel_web.id,
            }
        )
        with self.mock_mail_gateway():
            self.env["helpdesk.ticket.channel"]._sgc_deliver_acknowledgement(ticket)
        [ack] = self._mails_to("hoa@khach-hang.vn")
        self.assertEqual(
            ack["subject"],
            "[SGC]: Xác nhận tiếp nhận yêu cầu của Quý Khách từ kênh Web Support!",
        )
        body = ack["body"]
        self.assertIn("Kính gửi quý khách <strong>Lê Thị Hoa</strong>", body)
        self.assertIn(
            "SGC đã nhận được yêu cầu của Quý khách qua kênh Web Support", body
        )
        self.assertIn(f"Mã yêu cầu: <strong>{ticket.number}</strong>", body)
        self.assertIn(f"Loại yêu cầu: <strong>{category.complete_name}</strong>", body)
        self.assertIn("Cần phân tích 2 mẫu đất &lt;b&gt;gấp&lt;/b&gt;.", body)
        # 01:05 UTC is 08:05 AM in Ho Chi Minh City.
        self.assertIn(
            "Thời gian nhận yêu cầu: <strong>02/05/2025 08:05 AM</strong>", body
        )
        self.assertIn("Cổng Ticket: https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu", body)

    def test_company_settings_fill_the_templates(self):
        """Nothing of the company is written in the templates' text."""
        self.company.write(
            {
                "helpdesk_ticket_prefix": "ACME",
                "helpdesk_hotline": "028 1234 5678",
                "helpdesk_form_url": "https://acme.example/ho-tro",
                # The mail layout's footer shows the company's own phone (the
                # demo company's is 1900 1713): not a template's text.
                "phone": "028 1234 5678",
            }
        )
        ticket = self.Ticket.sudo().create(
            {
                "name": "Hỏi đáp",
                "description": "<p>Hỏi</p>",
                "partner_email": "q@khach-hang.vn",
                "channel_id": self.channel_web.id,
            }
        )
        with self.mock_mail_gateway():
            self.env["helpdesk.ticket.channel"]._sgc_deliver_acknowledgement(ticket)
        [ack] = self._mails_to("q@khach-hang.vn")
        self.assertTrue(ack["subject"].startswith("[ACME]: "))
        self.assertIn("028 1234 5678", ack["body"])
        self.assertIn("https://acme.example/ho-tro", ack["body"])
        self.assertNotIn("1900 1713", ack["body"])
        broadcast = self.env.ref("sgc_helpdesk_ticket.mail_template_zalo_broadcast")
        text = broadcast._sgc_render_text(self.company)
        self.assertIn("🎯 ACME THÔNG BÁO", text)
        self.assertIn("📞 Hotline: 028 1234 5678", text)

    @mute_logger("odoo.addons.queue_job.controllers.main")
    def test_failed_acknowledgement_is_shown_retried_then_handed_to_a_person(self):
        self.channel_web.ack_template_id.body_html = (
            '<p>Xin chào <t t-out="object.name.sgc_no_such_method()"/></p>'
        )
        ticket = self.Ticket.sudo().create(
            {
                "name": "Yêu cầu",
                "description": "<p>Nội dung</p>",
                "partner_email": "fail@khach-hang.vn",
                "channel_id": self.channel_web.id,
            }
        )

        def notes(text):
            return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

        # The ticket's job tries once, says so and hands the acknowledgement to
        # its own job; the rest of the ticket's job (SLA, notices) is done.
        with self.mock_mail_gateway():
            ran = self.run_jobs()
        [intake_job] = ran.filtered(
            lambda j: j.method_name == "_sgc_job_intake" and j.records == ticket
        )
        self.assertEqual(intake_job.state, "done", intake_job.exc_info)
        self.assertEqual(
            intake_job.result, "notified, acknowledgement queued for a retry"
        )
        self.assertTrue(ticket.sgc_staff_notified)
        self.assertTrue(ticket.exists())
        self.assertEqual(self._mails_to("fail@khach-hang.vn"), [])
        self.assertFalse(ticket.sgc_ack_date)
        # Postponed with backoff, and said on the ticket.
        job = self._pending_jobs(
            [("method_name", "=", "_sgc_job_acknowledge")], due_only=False
        )
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "pending")
        self.assertGreater(job.eta, fields.Datetime.now())
        self.assertEqual(len(notes("it is retried automatically")), 1)
        # Still failing at every retry: after the last one, a person is told.
        with self.mock_mail_gateway():
            for _attempt in range(job.max_retries):
                self.run_jobs(due_only=False)
        self.assertEqual(job.state, "failed")
        self.assertEqual(len(notes("failed after its retries")), 1)
        self.assertTrue(
            ticket.activity_ids.filtered(lambda a: a.summary == "Automatic task failed")
        )
        # Fixed and requeued: sent once, and once only even if run again.
        self.channel_web.ack_template_id.body_html = "<p>Xin chào</p>"
        with self.mock_mail_gateway():
            job.requeue()
            self.run_jobs(due_only=False)
            job.requeue()
            self.run_jobs(due_only=False)
        self.assertEqual(len(self._mails_to("fail@khach-hang.vn")), 1)
        self.assertTrue(ticket.sgc_ack_date)

    def test_zalo_acknowledgement_is_plain_text(self):
        zalo = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_channel_zalo")
        self.assertEqual(zalo.ack_medium, "zalo")
        customer = self.env["res.partner"].create({"name": "Anh Tuấn"})
        ticket = self.Ticket.sudo().create(
            {
                "name": "Zalo",
                "description": "<p>Xin hỗ trợ</p>",
                "partner_id": customer.id,
                "channel_id": zalo.id,
            }
        )
        self.assertEqual(
            zalo.ack_template_id._sgc_render_text(ticket),
            "Thân chào anh/chị Anh Tuấn, SGC đã ghi nhận yêu cầu hỗ trợ của anh/chị, "
            "phòng kỹ thuật sẽ liên hệ để hỗ trợ trong thời gian sớm nhất. "
            "Anh/chị vui lòng đợi ít phút giúp SGC!",
        )

    def test_zalo_broadcast_stays_under_400_characters(self):
        broadcast = self.env.ref("sgc_helpdesk_ticket.mail_template_zalo_broadcast")
        text = broadcast._sgc_render_text(self.company)
        self.assertLess(len(text), 400)
        self.assertIn("🌐 https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu", text)
        self.assertIn("✉️ Email: hotro@hsevn.com.vn", text)
        self.assertNotIn("<", text)
        with self.assertRaisesRegex(ValidationError, "limit of 399 characters"):
            broadcast.body_html = broadcast.body_html + "<p>%s</p>" % ("Thêm. " * 10)
        # A company whose settings make the text too long cannot keep the template
        # either: the check renders it for the current company.
        self.company.helpdesk_form_url = "https://hsevn.com.vn/" + "x" * 60
        with self.assertRaises(ValidationError):
            broadcast.sgc_max_chars = 400

    def test_vietnamese_subject_keeps_its_spaces_on_the_wire(self):
        subject = "[SGC]: Xác nhận tiếp nhận yêu cầu của Quý Khách từ kênh Web Support!"
        message = self.env["ir.mail_server"].build_email(
            "hotro@hsevn.com.vn", ["khach@example.com"], subject, "<p>x</p>"
        )
        raw = message.as_bytes()
        self.assertTrue(raw.isascii())
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        self.assertEqual(str(parsed["Subject"]), subject)
        # ASCII subjects keep Python's folding.
        message = self.env["ir.mail_server"].build_email(
            "hotro@hsevn.com.vn", ["khach@example.com"], "Plain subject", "<p>x</p>"
        )
        self.assertIn(b"Subject: Plain subject\r\n", message.as_bytes())
