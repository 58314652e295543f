# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SOP's journeys in a real browser, each as the demo user whose job it is
(static/tests/tours/sgc_journey_tours.js), on the Vietnamese screens; then what
the journey must have left in the database.

They need the demo data (SGC's people, customers and requests): without it they
are skipped, and the demo tests say why.
"""

import unittest

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .jobs import JobsMixin

UNROUTED_MAIL = """Return-Path: <binh.nguyen@dongnai-food.example.com>
To: hotro@hsevn.com.vn
From: =?utf-8?b?Tmd1eeG7hW4gVGhhbmggQsOsbmg=?= <binh.nguyen@dongnai-food.example.com>
Subject: =?utf-8?b?Q+G6p24gaOG7lyB0cuG7oyBo4buTIHPGoSB0aMOhbmcgdHLGsOG7m2M=?=
Message-ID: <tour-monitor-1@dongnai-food.example.com>
Date: Wed, 02 Dec 2026 08:30:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Chào SGC, nhờ anh chị liên hệ lại giúp tôi về hồ sơ tháng trước.
"""
UNROUTED_SUBJECT = "Cần hỗ trợ hồ sơ tháng trước"


@tagged("post_install", "-at_install")
class TestJourneyTours(JobsMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        if not ref("sgc_helpdesk_ticket.res_users_my_demo", raise_if_not_found=False):
            raise unittest.SkipTest("the database has no demo data")
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.team_intake = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake")
        cls.team_ptn = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_ptn")
        cls.cat_lab = ref("sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis")
        cls.toan = ref("sgc_helpdesk_ticket.res_users_toan_demo")
        cls.monitor = ref("sgc_helpdesk_ticket.res_users_my_demo")
        cls.hoang = ref("sgc_helpdesk_ticket.res_users_hoang_demo")
        cls.accountant = ref("sgc_helpdesk_ticket.res_users_kpi_demo")

    def _new_tickets(self, before):
        return self.Ticket.search([("id", "not in", before.ids)])

    def _customer_mails(self, partner, before_ids):
        # sudo: test inspection of the outgoing mails, no user input
        mails = self.env["mail.mail"].sudo().search([("id", "not in", before_ids)])
        return mails.filtered(
            lambda m: partner in m.recipient_ids or partner.email in (m.email_to or "")
        )

    def test_a_customer_sends_the_public_form(self):
        before = self.Ticket.search([])
        self.start_tour("/vi/yeu-cau-ho-tro-dich-vu", "sgc_tour_customer_form")
        ticket = self._new_tickets(before)
        # The new customer's contact is made by the ticket's job.
        self.run_jobs([("model_name", "=", "helpdesk.ticket")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Phân tích 3 mẫu nước giếng khoan")
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(ticket.category_id, self.cat_lab)
        self.assertEqual(ticket.team_id, self.team_ptn)
        self.assertEqual(ticket.user_id, self.toan)
        partner = ticket.partner_id
        self.assertEqual(partner.email, "khach.tour@nuocsach.example.com")
        self.assertEqual(partner.parent_id.name, "Công ty Cổ phần Nước Sạch Tour")
        self.assertEqual(ticket.partner_phone, "0912 345 678")

    def test_b_monitor_routes_a_mail_ticket(self):
        ticket = self.Ticket.browse(
            self.env["mail.thread"].message_process(None, UNROUTED_MAIL)
        )
        self.assertEqual(ticket.name, UNROUTED_SUBJECT)
        self.assertEqual(ticket.team_id, self.team_intake, "no type: the monitor's")
        self.assertFalse(ticket.is_routed)
        self.assertFalse(ticket.user_id, "nobody until routed (not the mail robot)")
        self.start_tour(
            "/odoo/action-sgc_helpdesk_ticket.helpdesk_ticket_action_monitor",
            "sgc_tour_monitor_routes_mail",
            login="my",
        )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.category_id, self.cat_lab)
        self.assertEqual(ticket.team_id, self.team_ptn)
        self.assertEqual(ticket.user_id, self.toan)
        self.assertTrue(ticket.is_routed)
        self.assertEqual(ticket.routed_by_id, self.monitor)
        self.assertEqual(ticket.state, "new")

    def test_c_department_head_takes_a_ticket_to_done(self):
        customer = self.env.ref("sgc_helpdesk_ticket.res_partner_xanh_demo")
        ticket = self.Ticket.create(
            {
                "name": "Phân tích 3 mẫu nước thải sau xử lý",
                "description": "<p>Cần kết quả trước ngày 15.</p>",
                "partner_id": customer.id,
                "category_id": self.cat_lab.id,
            }
        )
        self.assertEqual(ticket.user_id, self.toan)
        # sudo: test inspection of the outgoing mails, no user input
        before = self.env["mail.mail"].sudo().search([]).ids
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "sgc_tour_department_new_to_done",
            login="toan",
        )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.state, "done")
        self.assertTrue(ticket.closed_date)
        self.assertEqual(ticket.satisfaction_state, "confirmed")
        self.assertEqual(ticket.satisfaction_method, "phone")
        self.assertEqual(ticket.satisfaction_user_id, self.toan)
        self.assertEqual(ticket.progress_ids.user_id, self.toan)
        self.assertEqual(len(ticket.pause_ids), 1)
        self.assertIn("mẫu thứ ba", ticket.pause_ids.reason)
        self.assertTrue(ticket.pause_ids.date_end)
        self.assertIn("3 mẫu nước thải", ticket.resolution)
        # One closing mail, in Vietnamese, with the resolution and SGC's signature.
        company = ticket.company_id
        closing = self._customer_mails(customer, before).filtered(
            lambda m: "đã được xử lý xong" in (m.subject or "")
        )
        self.assertEqual(len(closing), 1)
        self.assertEqual(
            closing.subject, f"[SGC] Yêu cầu {ticket.number} đã được xử lý xong"
        )
        body = closing.body_html
        for expected in (
            "Kính gửi Quý khách",
            ticket.resolution,
            "Nguyễn Văn Toàn",
            "Cảm ơn Quý khách đã xác nhận hài lòng",
            "Trân trọng",
            company.name,
            # In the customer's language: the country's name is translated.
            company.with_context(lang=customer.lang)._sgc_address_line(),
            "Hotline: 1900 1713",
            "hotro@hsevn.com.vn",
            "https://hsevn.com.vn",
        ):
            self.assertIn(expected, body)
        self.assertNotIn("YourCompany", body)
        self.assertNotIn("has been closed", body)

    def test_d_pkd_head_hands_a_quotation_to_sales(self):
        ticket = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_quote_demo")
        customer = ticket.partner_id
        self.assertEqual(ticket.user_id, self.hoang)
        # sudo: test inspection of the outgoing mails, no user input
        before = self.env["mail.mail"].sudo().search([]).ids
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}", "sgc_tour_pkd_handoff", login="hoang"
        )
        ticket.invalidate_recordset()
        lead = ticket.lead_ids
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, customer)
        self.assertEqual(lead.user_id, self.hoang)
        self.assertRegex(lead.name, r"^\[KH-\d{4}\] ")
        self.assertEqual(ticket.state, "done")
        mails = self._customer_mails(customer, before)
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn("Yêu cầu báo giá đã được chuyển", mails.subject)

    def test_e_portal_customer_confirms_the_resolution(self):
        ticket = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_resolved_demo")
        self.assertEqual(ticket.satisfaction_state, "pending")
        self.start_tour("/my/tickets", "sgc_tour_portal_confirms", login="thuy")
        ticket.invalidate_recordset()
        self.assertEqual(ticket.satisfaction_state, "confirmed")
        self.assertEqual(ticket.satisfaction_method, "portal")
        self.assertEqual(ticket.satisfaction_note, "Rất hài lòng, cảm ơn SGC")
        self.assertEqual(ticket.state, "done")

    def test_f_kpi_accountant_closes_the_current_period(self):
        Period = self.env["helpdesk.kpi.period"]
        company = self.env.ref("base.main_company")
        now = fields.Datetime.now()
        year, month = Period._closing_month_of(company, now)
        start, end = Period._bounds(company, year, month)
        self.assertFalse(
            Period.search(
                [("company_id", "=", company.id), ("date_start", "=", start)]
            ).filtered(lambda p: p.state == "closed"),
            "the current period is open",
        )
        self.start_tour(
            "/odoo/action-sgc_helpdesk_ticket.helpdesk_kpi_period_action",
            "sgc_tour_kpi_period",
            login="ketoan",
        )
        period = Period.search(
            [("company_id", "=", company.id), ("date_start", "=", start)]
        )
        self.assertEqual(len(period), 1)
        self.assertEqual(period.date_end, end)
        self.assertTrue(start <= now <= end)
        # The period closes on the cut-off day, the 25th, company time.
        self.assertEqual(company._sgc_now_local(end).day, 25)
        self.assertEqual(period.state, "closed")
        self.assertEqual(period.computed_by_id, self.accountant)
        company_line = period.line_ids.filtered(lambda line: line.scope == "company")
        self.assertEqual(len(company_line), 1)
        # Frozen for her.
        as_accountant = period.with_user(self.accountant)
        with self.assertRaises(AccessError):
            as_accountant.action_reopen()
        with self.assertRaises(AccessError):
            as_accountant.write({"state": "draft"})
        self.assertEqual(period.state, "closed")
