# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public request form /yeu-cau-ho-tro-dich-vu, through real HTTP requests."""

import re

import pytz
from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .jobs import JobsMixin

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
DONE_URL = "/yeu-cau-ho-tro-dich-vu/da-tiep-nhan"
SCRIPT = "<script>alert('sgc')</script>"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestIntakeWeb(JobsMixin, MockEmail, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.website = cls.env["website"].get_current_website()
        cls.company = cls.website.company_id
        cls.company.write(
            {
                "helpdesk_ticket_prefix": "SGC",
                "helpdesk_hotline": "1900 1713",
                "helpdesk_support_email": "hotro@hsevn.com.vn",
            }
        )
        cls.category = cls.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis"
        )
        cls.category.show_in_portal = True
        cls.hidden_category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Staff-only category", "show_in_portal": False}
        )
        cls.channel_web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        params = cls.env["ir.config_parameter"].sudo()
        for key, value in {
            "form_rate_limit": 5,
            "form_rate_window_minutes": 60,
            "form_max_attachments": 5,
            "form_max_attachment_mb": 10,
            "form_allowed_extensions": "pdf,jpg,png,docx,xlsx,txt",
        }.items():
            params.set_param(f"sgc_helpdesk_ticket.{key}", value)
        cls.Ticket = cls.env["helpdesk.ticket"]

    # ---------------------------------------------------
    # Helpers
    # ---------------------------------------------------

    def _get_form(self):
        response = self.url_open(FORM_URL)
        self.assertEqual(response.status_code, 200)
        return response

    def _csrf(self):
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', self._get_form().text
        ).group(1)
        return token

    def _data(self, **values):
        data = {
            "contact_name": "Nguyễn Thị Mai",
            "company_name": "Công ty TNHH Môi trường Xanh",
            "email": "mai@moitruongxanh.vn",
            "phone": "0901 234 567",
            "category_id": str(self.category.id),
            "subject": "Phân tích mẫu nước thải",
            "description": "Cần phân tích 5 mẫu nước thải.\nLấy mẫu ngày 10/05.",
            "homepage": "",
        }
        data.update(values)
        return data

    def _post(self, files=None, csrf=True, **values):
        data = self._data(**values)
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(FORM_URL, data=data, files=files)

    def _new_tickets(self, before):
        return self.Ticket.search([("id", "not in", before.ids)])

    def _new_tickets_after_jobs(self, before):
        """The new tickets once their job ran: a new customer's contact is
        created by the ticket's job, not by the visitor's request."""
        tickets = self._new_tickets(before)
        self.run_jobs([("model_name", "=", "helpdesk.ticket")])
        return tickets

    def _field_error(self, response, name):
        """The error shown under the field ``name`` (empty when none)."""
        tree = html.fromstring(response.text)
        block = tree.xpath(f'//*[@data-sgc-field="{name}"]')
        self.assertEqual(len(block), 1, f"no block for field {name}")
        return " ".join(
            node.text_content().strip()
            for node in block[0].xpath('.//*[contains(@class, "invalid-feedback")]')
        )

    # ---------------------------------------------------
    # Form
    # ---------------------------------------------------

    def test_form_renders(self):
        response = self._get_form()
        tree = html.fromstring(response.text)
        [form] = tree.xpath('//form[hasclass("o_sgc_ticket_form")]')
        self.assertEqual(form.get("method"), "post")
        self.assertEqual(form.get("enctype"), "multipart/form-data")
        self.assertTrue(form.xpath('.//input[@name="csrf_token"]/@value')[0])
        for name in ("contact_name", "company_name", "email", "phone", "subject"):
            self.assertEqual(len(form.xpath(f'.//input[@name="{name}"]')), 1, name)
        self.assertEqual(len(form.xpath('.//textarea[@name="description"]')), 1)
        self.assertEqual(
            form.xpath('.//input[@name="attachments"]/@multiple'), ["multiple"]
        )
        options = form.xpath('.//select[@name="category_id"]/option/@value')
        self.assertIn(str(self.category.id), options)
        self.assertNotIn(str(self.hidden_category.id), options)
        # The honeypot is there, hidden from people.
        honeypot = form.xpath('.//input[@name="homepage"]')[0]
        self.assertIn("d-none", honeypot.getparent().get("class"))
        # Mobile-friendly website page.
        self.assertIn('name="viewport"', response.text)

    def test_post_creates_ticket_partner_and_acknowledgement(self):
        before = self.Ticket.search([])
        with self.mock_mail_gateway():
            response = self._post(
                files=[
                    ("attachments", ("so-do.pdf", PDF_BYTES, "application/pdf")),
                    ("attachments", ("ghi-chu.txt", "Ghi chú".encode(), "text/plain")),
                ]
            )
            ticket = self._new_tickets(before)
            # Nothing slow ran in the request: it waits in the job queue.
            self.assertFalse(ticket.sgc_ack_date)
            self.assertFalse(
                ticket.message_ids.filtered(lambda m: m.message_type == "auto_comment")
            )
            jobs = self.run_jobs()
            self.assertEqual(
                set(jobs.mapped("method_name")),
                {"_sgc_job_intake"},
            )
            self.assertTrue(ticket.sla_ids)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(DONE_URL), response.url)
        ticket = self._new_tickets(before)
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.number, response.text)
        self.assertTrue(ticket.number.startswith("SGC"))
        self.assertEqual(ticket.channel_id, self.channel_web)
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.name, "Phân tích mẫu nước thải")
        self.assertEqual(
            ticket.description,
            "<p>Cần phân tích 5 mẫu nước thải.<br>Lấy mẫu ngày 10/05.</p>",
        )
        self.assertEqual(ticket.partner_name, "Nguyễn Thị Mai")
        self.assertEqual(ticket.partner_email, "mai@moitruongxanh.vn")
        self.assertEqual(ticket.partner_phone, "0901 234 567")
        self.assertEqual(ticket.display_name, f"{ticket.number} - {ticket.name}")
        self.assertEqual(
            self.env["helpdesk.ticket"]
            .with_context(lang="vi_VN")
            .new({"name": False})
            .display_name,
            "Ticket mới",
        )
        self.assertEqual(ticket.intake_ip, "127.0.0.1")
        self.assertEqual(ticket.company_id, self.company)
        self.assertFalse(ticket.on_behalf)
        partner = ticket.partner_id
        self.assertEqual(partner.name, "Nguyễn Thị Mai")
        self.assertEqual(partner.email, "mai@moitruongxanh.vn")
        self.assertEqual(partner.phone, "0901 234 567")
        self.assertIn(partner, ticket.message_partner_ids)
        self.assertEqual(
            sorted(ticket.attachment_ids.mapped("name")), ["ghi-chu.txt", "so-do.pdf"]
        )
        # What the customer typed that is not on the ticket is noted on it.
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: (
                    "Công ty TNHH Môi trường Xanh" in (m.body or "")
                    and "0901 234 567" in m.body
                )
            )
        )
        # The web acknowledgement, to the customer only, with code and time.
        ack = ticket.message_ids.filtered(lambda m: m.message_type == "auto_comment")
        self.assertEqual(len(ack), 1)
        self.assertEqual(
            ack.subject,
            "[SGC]: Xác nhận tiếp nhận yêu cầu của Quý Khách từ kênh Web Support!",
        )
        self.assertEqual(ack.notification_ids.res_partner_id, partner)
        local = pytz.utc.localize(ticket.received_date).astimezone(
            pytz.timezone("Asia/Ho_Chi_Minh")
        )
        expected_time = local.strftime("%d/%m/%Y %I:%M ") + (
            "AM" if local.hour < 12 else "PM"
        )
        self.assertIn(f"<strong>{expected_time}</strong>", ack.body)
        self.assertIn(f"<strong>{ticket.number}</strong>", ack.body)
        self.assertIn("Kính gửi quý khách <strong>Nguyễn Thị Mai</strong>", ack.body)
        self.assertIn("Cần phân tích 5 mẫu nước thải.", ack.body)
        # Queued for the customer (the outside-in test sees it leave by SMTP).
        outgoing = self._new_mails.filtered(lambda m: partner in m.recipient_ids)
        self.assertEqual(len(outgoing), 1)
        self.assertEqual(outgoing.subject, ack.subject)
        self.assertEqual(outgoing.mail_message_id, ack)

    def test_existing_contact_is_found_by_email_never_by_phone_alone(self):
        by_email = self.env["res.partner"].create(
            {"name": "Chị Mai (cũ)", "email": "Mai@MoiTruongXanh.vn"}
        )
        by_phone = self.env["res.partner"].create(
            {
                "name": "Anh Hùng",
                "email": "hung@cong-ty-a.vn",
                "mobile": "+84 912 345 678",
            }
        )
        before = self.Ticket.search([])
        self._post()
        ticket = self._new_tickets(before)
        self.assertEqual(ticket.partner_id, by_email)
        # A visitor does not change an existing contact.
        self.assertEqual(by_email.name, "Chị Mai (cũ)")
        # The same phone with another email claims nobody's identity: a new
        # contact, and the phone's owner shown to staff as a possible match.
        before = self.Ticket.search([])
        self._post(email="hung.moi@example.com", phone="0912.345.678")
        ticket = self._new_tickets(before)
        # The request stores what was typed; the contact comes with the job.
        self.assertFalse(ticket.partner_id)
        self.assertEqual(ticket.partner_email, "hung.moi@example.com")
        self.run_jobs([("model_name", "=", "helpdesk.ticket")])
        self.assertNotEqual(ticket.partner_id, by_phone)
        self.assertEqual(ticket.partner_id.email, "hung.moi@example.com")
        self.assertEqual(ticket.sgc_possible_partner_id, by_phone)
        self.assertNotIn(by_phone, ticket.message_partner_ids)
        self.assertEqual(by_phone.email, "hung@cong-ty-a.vn")
        self.assertEqual(ticket.partner_email, "hung.moi@example.com")

    def test_new_contact_is_linked_to_its_company(self):
        before = self.Ticket.search([])
        self._post(company_name="  Công ty TNHH   Môi trường Xanh ")
        first = self._new_tickets_after_jobs(before)
        company = first.partner_id.parent_id
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "Công ty TNHH Môi trường Xanh")
        # The same company named again: the same company partner.
        before = self.Ticket.search([])
        self._post(
            email="lan@moitruongxanh.vn", company_name="công ty tnhh môi trường xanh"
        )
        second = self._new_tickets_after_jobs(before)
        self.assertEqual(second.partner_id.parent_id, company)
        # No name given: the company whose email domain the contact shares.
        company.email = "info@moitruongxanh.vn"
        before = self.Ticket.search([])
        self._post(email="tuan@moitruongxanh.vn", company_name="")
        third = self._new_tickets_after_jobs(before)
        self.assertEqual(third.partner_id.parent_id, company)
        # A public mail domain says nothing of a company.
        self.env["res.partner"].create(
            {"name": "Gmail Fan Co", "is_company": True, "email": "fan@gmail.com"}
        )
        before = self.Ticket.search([])
        self._post(email="someone@gmail.com", company_name="")
        fourth = self._new_tickets_after_jobs(before)
        self.assertFalse(fourth.partner_id.parent_id)

    def test_validation_errors_keep_what_was_typed(self):
        before = self.Ticket.search([])
        response = self._post(
            email="khong-phai-email",
            phone="abc",
            category_id=str(self.hidden_category.id),
            subject="",
            company_name="Công ty A & B",
            description="Chi tiết <b>đậm</b>\ndòng 2",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_tickets(before))
        self.assertIn("valid email address", self._field_error(response, "email"))
        self.assertIn("valid phone number", self._field_error(response, "phone"))
        self.assertIn("from the list", self._field_error(response, "category_id"))
        self.assertIn("title", self._field_error(response, "subject"))
        self.assertEqual(self._field_error(response, "contact_name"), "")
        tree = html.fromstring(response.text)
        form = tree.xpath('//form[hasclass("o_sgc_ticket_form")]')[0]

        def value(name):
            return form.xpath(f'.//input[@name="{name}"]/@value')[0]

        self.assertEqual(value("contact_name"), "Nguyễn Thị Mai")
        self.assertEqual(value("company_name"), "Công ty A & B")
        self.assertEqual(value("email"), "khong-phai-email")
        self.assertEqual(value("phone"), "abc")
        self.assertEqual(
            form.xpath('.//textarea[@name="description"]')[0].text,
            "Chi tiết <b>đậm</b>\ndòng 2",
        )
        self.assertIn("Chi tiết &lt;b&gt;đậm&lt;/b&gt;", response.text)
        # Valid input, a fresh CSRF token: accepted.
        response = self._post()
        self.assertTrue(response.url.endswith(DONE_URL))
        self.assertEqual(len(self._new_tickets(before)), 1)

    def test_missing_csrf_token_is_refused(self):
        before = self.Ticket.search([])
        response = self._post(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_tickets(before))

    def test_honeypot_pretends_success_and_creates_nothing(self):
        before = self.Ticket.search([])
        partners = self.env["res.partner"].search_count([])
        response = self._post(homepage="http://spam.example", email="bot@spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(DONE_URL))
        self.assertIn("we have received your request", response.text)
        self.assertNotIn("o_sgc_ticket_number", response.text)
        self.assertFalse(self._new_tickets(before))
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_rate_limit_per_ip_and_per_email(self):
        # sudo: test set-up and inspection, no user input
        self.env["ir.config_parameter"].sudo().set_param(
            "sgc_helpdesk_ticket.form_rate_limit", 2
        )
        before = self.Ticket.search([])
        for index in range(2):
            response = self._post(email=f"other{index}@example.com")
            self.assertTrue(response.url.endswith(DONE_URL))
        response = self._post(subject="Lần thứ ba")
        self.assertEqual(response.status_code, 429)
        self.assertIn("2 requests in the last 60 minutes", response.text)
        self.assertIn("1900 1713", response.text)
        self.assertEqual(len(self._new_tickets(before)), 2)
        # What was typed is still there.
        self.assertIn('value="Lần thứ ba"', response.text)
        # Counted per email too, whatever the address: the counters say so.
        Counter = self.env["helpdesk.intake.counter"].sudo()
        counts = {c.key: c.hits for c in Counter.search([])}
        self.assertEqual(counts["form:ip:127.0.0.1"], 3)
        self.assertEqual(counts["form:email:mai@moitruongxanh.vn"], 1)
        # Once the window has passed, accepted again.
        Counter.search([]).unlink()
        response = self._post()
        self.assertTrue(response.url.endswith(DONE_URL))
        self.assertEqual(len(self._new_tickets(before)), 3)

    def test_control_characters_and_bad_emails_are_a_clear_400(self):
        before = self.Ticket.search([])
        response = self._post(subject="Mẫu\x00 nước", contact_name="An\x00")
        self.assertEqual(response.status_code, 400)
        self.assertIn("control characters", self._field_error(response, "subject"))
        # The text is kept, without the NUL.
        self.assertIn('value="Mẫu nước"', response.text)
        for email in ("a@b", "a@b.", "x@@y.vn", "two@a.vn, three@b.vn"):
            with self.subTest(email=email):
                response = self._post(email=email)
                self.assertEqual(response.status_code, 400)
                self.assertIn("valid email", self._field_error(response, "email"))
        self.assertFalse(self._new_tickets(before))

    def test_a_request_larger_than_every_file_allowed_is_413(self):
        # sudo: test set-up and inspection, no user input
        self.env["ir.config_parameter"].sudo().set_param(
            "sgc_helpdesk_ticket.form_max_attachment_mb", 1
        )
        # sudo: test set-up and inspection, no user input
        self.env["ir.config_parameter"].sudo().set_param(
            "sgc_helpdesk_ticket.form_max_attachments", 2
        )
        before = self.Ticket.search([])
        huge = PDF_BYTES + b"0" * (4 * 1024 * 1024)
        response = self._post(
            files=[("attachments", ("lon.pdf", huge, "application/pdf"))]
        )
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self._new_tickets(before))

    def test_oversized_attachment_is_refused(self):
        # sudo: test set-up and inspection, no user input
        self.env["ir.config_parameter"].sudo().set_param(
            "sgc_helpdesk_ticket.form_max_attachment_mb", 1
        )
        big = PDF_BYTES + b"0" * (1024 * 1024)
        before = self.Ticket.search([])
        response = self._post(
            files=[("attachments", ("ket-qua.pdf", big, "application/pdf"))],
            subject="Có tệp lớn",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_tickets(before))
        self.assertIn(
            "ket-qua.pdf is larger than 1 MB",
            self._field_error(response, "attachments"),
        )
        self.assertIn("please attach them again", response.text)
        self.assertIn('value="Có tệp lớn"', response.text)

    def test_disallowed_file_types_are_refused(self):
        before = self.Ticket.search([])
        cases = {
            "setup.exe": (b"MZ\x90\x00" + b"\x00" * 64, "not accepted"),
            "bao-cao.pdf": (b"MZ\x90\x00" + b"\x00" * 64, "content is not a .pdf"),
            "trang.txt": (b"<html><body>hi</body></html>", "content is not a .txt"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name):
                response = self._post(
                    files=[("attachments", (name, content, "application/pdf"))]
                )
                self.assertEqual(response.status_code, 400)
                error = self._field_error(response, "attachments")
                self.assertIn(name, error)
                self.assertIn(message, error)
        files = [
            ("attachments", (f"tep-{index}.txt", b"noi dung", "text/plain"))
            for index in range(6)
        ]
        response = self._post(files=files)
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 5 files", self._field_error(response, "attachments"))
        self.assertFalse(self._new_tickets(before))

    def test_script_in_every_field_is_text(self):
        before = self.Ticket.search([])
        escaped = "&lt;script&gt;alert(&#39;sgc&#39;)&lt;/script&gt;"
        # Refused (email and phone cannot hold it): re-rendered as text only.
        response = self._post(
            **{name: SCRIPT for name in ("contact_name", "company_name", "email")},
            phone=SCRIPT,
            subject=SCRIPT,
            description=SCRIPT,
            category_id=SCRIPT,
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn(SCRIPT, response.text)
        self.assertGreaterEqual(response.text.count(escaped), 6)
        self.assertFalse(self._new_tickets(before))
        # Accepted where it is only text: stored as text, shown escaped.
        response = self._post(
            contact_name=SCRIPT,
            company_name=SCRIPT,
            subject=SCRIPT,
            description=SCRIPT,
        )
        self.assertTrue(response.url.endswith(DONE_URL))
        self.assertNotIn(SCRIPT, response.text)
        ticket = self._new_tickets_after_jobs(before)
        self.assertEqual(ticket.name, SCRIPT)
        self.assertEqual(ticket.partner_name, SCRIPT)
        self.assertEqual(ticket.partner_id.name, SCRIPT)
        self.assertNotIn("<script", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        for message in ticket.message_ids:
            self.assertNotIn("<script", message.body or "")
        page = self.url_open(
            f"/my/ticket/{ticket.id}?access_token={ticket._portal_ensure_token()}"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn(escaped, page.text)
        self.assertNotIn(SCRIPT, page.text)

    def test_logged_in_customer_reaches_the_form_from_the_portal(self):
        customer = new_test_user(
            self.env,
            login="sgc_portal_customer",
            groups="base.group_portal",
            name="Khách Cổng Thông Tin",
            email="portal.khach@example.com",
        )
        self.authenticate("sgc_portal_customer", "sgc_portal_customer")
        tickets_page = self.url_open("/my/tickets")
        self.assertEqual(tickets_page.status_code, 200)
        link = html.fromstring(tickets_page.text).xpath(
            '//a[hasclass("o_sgc_ticket_form_link")]/@href'
        )
        self.assertEqual(link, [FORM_URL])
        form = html.fromstring(self._get_form().text)
        self.assertEqual(
            form.xpath('//input[@name="contact_name"]/@value'), ["Khách Cổng Thông Tin"]
        )
        self.assertEqual(
            form.xpath('//input[@name="email"]/@value'), ["portal.khach@example.com"]
        )
        before = self.Ticket.search([])
        response = self._post(
            contact_name="Khách Cổng Thông Tin",
            email="portal.khach@example.com",
            subject="Yêu cầu từ cổng",
        )
        ticket = self._new_tickets(before)
        self.assertIn(ticket.number, response.text)
        self.assertIn("See my tickets", response.text)
        self.assertEqual(ticket.partner_id, customer.partner_id)
        # The new request is among the customer's tickets.
        self.assertIn("Yêu cầu từ cổng", self.url_open("/my/tickets").text)

    def test_browser_tour_fills_and_submits_the_form(self):
        before = self.Ticket.search([])
        self.start_tour(FORM_URL, "sgc_website_form_tour")
        ticket = self._new_tickets_after_jobs(before)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Phân tích mẫu nước mặt - tour")
        self.assertEqual(ticket.partner_id.email, "tour.khach@example.com")
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["ghi-chu-tour.txt"])
