# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, datetime

from freezegun import freeze_time
from lxml import html

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import SgcHelpdeskCase

D = datetime
SUBJECT = "GIÁM SÁT DỊCH VỤ KHÁCH HÀNG THÁNG 05/2025"


def _stamp(env, ticket, **cols):
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE helpdesk_ticket SET %s WHERE id = %s",
            SQL(", ").join(
                SQL("%s = %s", SQL.identifier(col), value)
                for col, value in cols.items()
            ),
            ticket.id,
        )
    )
    env.invalidate_all()
    return ticket


@tagged("post_install", "-at_install")
class TestCustomerReport(SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.helpdesk_customer_report_auto_send = True
        cls.company.email = "hotro@hsevn.com.vn"
        cls.Report = cls.env["helpdesk.customer.report"]
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Chị Lan",
                "email": "lan@xanh.example.com",
                "parent_id": cls.customer.id,
            }
        )
        done = cls.stages["done"]
        progress = cls.stages["in_progress"]

        def ticket(partner, received, stage, **cols):
            record = cls._ticket(partner_id=partner.id)
            return _stamp(
                cls.env,
                record,
                received_date=received,
                stage_id=stage.id,
                state=stage.state,
                **cols,
            )

        # 01/05/2025 00:00 in Vietnam: May's first request.
        cls.a1 = ticket(
            cls.customer,
            D(2025, 4, 30, 17, 0, 0),
            done,
            job_code="CV-2025-051",
            resolution="Đã trả kết quả phân tích.",
            work_done_date=D(2025, 5, 2, 3, 0),
            closed_date=D(2025, 5, 2, 4, 0),
        )
        cls.a2 = ticket(
            cls.contact,
            D(2025, 5, 15, 3, 0),
            progress,
            name="Lấy mẫu khí thải ống khói",
            category_id=cls.cat_field.id,
            team_id=cls.team_pkt.id,
        )
        # 01/06/2025 00:00 and 30/04/2025 23:59:59 in Vietnam: not May's.
        cls.a3 = ticket(cls.customer, D(2025, 5, 31, 17, 0, 0), progress)
        cls.a0 = ticket(cls.customer, D(2025, 4, 30, 16, 59, 59), progress)
        cls.b1 = ticket(
            cls.customer_b,
            D(2025, 5, 20, 2, 0),
            done,
            resolution="Đã đo đạc xong.",
            work_done_date=D(2025, 5, 21, 2, 0),
            closed_date=D(2025, 5, 21, 3, 0),
        )

    def _content(self, report):
        return base64.b64decode(report.attachment_id.datas).decode()

    def _mails(self, report):
        self.env.flush_all()
        return report.message_ids.filtered(lambda m: m.subject and SUBJECT in m.subject)

    def _run_cron(self, moment="2025-06-01 00:00:00"):
        with freeze_time(moment):
            self.Report._cron_monthly_reports()
            self.env.cr.precommit.run()
        return self.Report.search(
            [("month", "=", date(2025, 5, 1)), ("company_id", "=", self.company.id)]
        )

    def test_month_end_reports_content(self):
        company = self._letterhead_company()
        reports = self._run_cron()
        self.assertEqual(reports.partner_id, self.customer | self.customer_b)
        report_a = reports.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(report_a.ticket_ids, self.a1 | self.a2)
        self.assertEqual(report_a.ticket_count, 2)
        self.assertEqual(report_a.month_label, "05/2025")
        content = self._content(report_a)
        self.assertIn(SUBJECT, content)
        for text in (
            self.a1.number,
            self.a2.number,
            "CV-2025-051",
            "Đã trả kết quả phân tích.",
            "Lấy mẫu khí thải ống khói",
            self.team_pkt.name,
            self.cat_field.name,
            "01/05/2025 12:00 AM",
            "Công ty Môi trường Xanh",
        ):
            self.assertIn(text, content)
        for other in (self.a0, self.a3, self.b1):
            self.assertNotIn(other.number, content)
        self.assertLetterhead(content, company)

    def test_email_and_missing_job_code(self):
        reports = self._run_cron()
        report_a = reports.filtered(lambda r: r.partner_id == self.customer)
        report_b = reports.filtered(lambda r: r.partner_id == self.customer_b)
        # A is complete: mailed at once, with its report attached.
        self.assertEqual(report_a.state, "sent")
        self.assertEqual(report_a.sent_date, D(2025, 6, 1, 0, 0))
        message = self._mails(report_a)
        self.assertEqual(len(message), 1)
        self.assertIn("Kính gửi Quý khách", message.body)
        self.assertIn("Công ty Môi trường Xanh", message.body)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertIn("hotro@hsevn.com.vn", message.email_from)
        self.assertEqual(message.attachment_ids, report_a.attachment_id)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        # B's finished request has no job code: it waits, listed for staff.
        self.assertEqual(report_b.state, "draft")
        self.assertFalse(self._mails(report_b))
        self.assertEqual(report_b.missing_job_code_ids, self.b1)
        missing = self.env["helpdesk.ticket"].search(
            [("missing_job_code", "=", True), ("id", "in", (self.a1 | self.b1).ids)]
        )
        self.assertEqual(missing, self.b1)
        staff_b = report_b.with_user(self.monitor)
        with self.assertUserError(self.b1.number):
            staff_b.action_send()
        self.b1.job_code = "CV-2025-099"
        staff_b.action_regenerate()
        self.assertIn("CV-2025-099", self._content(report_b))
        staff_b.action_send()
        self.env.cr.precommit.run()
        self.assertEqual(report_b.state, "sent")
        self.assertEqual(len(self._mails(report_b)), 1)
        # Staff resend one customer's report; the cron does not send twice.
        report_a.with_user(self.monitor).action_send()
        self.assertEqual(len(self._mails(report_a)), 2)
        again = self._run_cron("2025-06-02 00:00:00")
        self.assertEqual(again, reports)
        self.assertEqual(len(self._mails(report_a)), 2)
        self.assertEqual(len(self._mails(report_b)), 1)

    def test_preview_and_access(self):
        reports = self._run_cron()
        action = reports[0].with_user(self.monitor).action_preview()
        self.assertEqual(
            action["report_name"], "sgc_helpdesk_ticket.report_helpdesk_customer_report"
        )
        self.assertFalse(self.Report.with_user(self.user_ptn).has_access("read"))
        self.assertEqual(self.Report.with_user(self.accountant).search_count([]), 2)

    def test_ticket_without_request_type_keeps_its_columns(self):
        self.a2.category_id = False
        reports = self._run_cron()
        report_a = reports.filtered(lambda r: r.partner_id == self.customer)
        page = html.fromstring(self._content(report_a))
        headers = page.xpath("//table/thead/tr/th")
        rows = page.xpath("//table/tbody/tr")
        self.assertEqual(len(rows), 2)
        for row in rows:
            cells = row.xpath("./td")
            self.assertEqual(len(cells), len(headers))
        [row_a2] = [
            r for r in rows if r.xpath("./td")[0].text_content() == self.a2.number
        ]
        column = {th.text_content().strip(): i for i, th in enumerate(headers)}
        cells = row_a2.xpath("./td")
        self.assertEqual(cells[column["Loại yêu cầu"]].text_content().strip(), "")
        self.assertEqual(
            cells[column["Tiêu đề"]].text_content(), "Lấy mẫu khí thải ống khói"
        )


@tagged("post_install", "-at_install")
class TestCustomerReportPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "Khách hàng A", "is_company": True, "email": "a@example.com"}
        )
        cls.customer_b = Partner.create(
            {"name": "Khách hàng B", "is_company": True, "email": "b@example.com"}
        )
        cls.portal_a = new_test_user(
            cls.env, login="sgc_portal_a", groups="base.group_portal"
        )
        cls.portal_b = new_test_user(
            cls.env, login="sgc_portal_b", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b.partner_id.parent_id = cls.customer_b
        Ticket = cls.env["helpdesk.ticket"]
        Report = cls.env["helpdesk.customer.report"]
        cls.reports = {}
        for key, partner in (("a", cls.customer_a), ("b", cls.customer_b)):
            ticket = Ticket.create(
                {
                    "name": f"Yêu cầu của {partner.name}",
                    "description": "<p>Phân tích mẫu.</p>",
                    "partner_id": partner.id,
                }
            )
            report = Report.create(
                {
                    "partner_id": partner.id,
                    "month": date(2025, 5, 1),
                    "ticket_ids": [Command.set(ticket.ids)],
                }
            )
            report._render_attachment()
            report.state = "sent"
            cls.reports[key] = report
        # A draft (not sent yet) is not the customer's to see.
        cls.draft_a = Report.create(
            {"partner_id": cls.customer_a.id, "month": date(2025, 6, 1)}
        )
        cls.draft_a._render_attachment()

    def test_customer_sees_only_own_reports(self):
        report_a, report_b = self.reports["a"], self.reports["b"]
        self.authenticate("sgc_portal_a", "sgc_portal_a")
        resp = self.url_open(f"/my/customer-reports/{report_a.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertIn(
            "GIÁM SÁT DỊCH VỤ KHÁCH HÀNG THÁNG 05/2025", resp.content.decode()
        )
        self.assertIn("Yêu cầu của Khách hàng A", resp.content.decode())
        resp = self.url_open(f"/my/customer-reports/{report_b.id}")
        self.assertEqual(resp.status_code, 404)
        self.assertNotIn("Khách hàng B", resp.content.decode())
        resp = self.url_open(f"/my/customer-reports/{self.draft_a.id}")
        self.assertEqual(resp.status_code, 404)
        listing = self.url_open("/my/customer-reports")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(f"/my/customer-reports/{report_a.id}", listing.content.decode())
        self.assertNotIn(
            f"/my/customer-reports/{report_b.id}", listing.content.decode()
        )
        self.assertNotIn(
            f"/my/customer-reports/{self.draft_a.id}", listing.content.decode()
        )
        # The other customer, likewise.
        self.authenticate("sgc_portal_b", "sgc_portal_b")
        self.assertEqual(
            self.url_open(f"/my/customer-reports/{report_a.id}").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/my/customer-reports/{report_b.id}").status_code, 200
        )

    def test_access_token(self):
        report_b = self.reports["b"]
        report_b._portal_ensure_token()
        url = f"/my/customer-reports/{report_b.id}"
        self.assertEqual(self.url_open(f"{url}?access_token=wrong").status_code, 404)
        resp = self.url_open(f"{url}?access_token={report_b.access_token}")
        self.assertEqual(resp.status_code, 200)
        self.assertIn("Khách hàng B", resp.content.decode())
