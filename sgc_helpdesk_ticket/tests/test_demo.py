# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo database is SGC out of the box.

These tests read the demo records themselves (the point is what the demo ships), so
they run only in a database installed with demo data.
"""

import unittest
from datetime import timedelta

from lxml import etree, html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .jobs import JobsMixin

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
SGC_TEAMS = ("intake", "ptn", "pkt", "pkd", "pktoan")
HELPDESK_MGMT_DEMO = {
    "helpdesk.ticket": [f"helpdesk_mgmt.helpdesk_ticket_{n}" for n in range(1, 9)],
    "helpdesk.ticket.team": [f"helpdesk_mgmt.helpdesk_team_{n}" for n in range(1, 4)],
    "helpdesk.ticket.category": [
        f"helpdesk_mgmt.helpdesk_category_{n}" for n in range(1, 6)
    ],
    "helpdesk.ticket.tag": [f"helpdesk_mgmt.helpdesk_tag_{n}" for n in range(1, 4)],
}
RAW_MAIL = """Return-Path: <an@khach-hang.vn>
To: hotro@hsevn.com.vn
From: =?utf-8?b?Tmd1eeG7hW4gVsSDbiBBbg==?= <an@khach-hang.vn>
Subject: =?utf-8?b?WcOqdSBj4bqndSBs4bqleSBt4bqrdSBraMOtIHRo4bqjaQ==?=
Message-ID: <demo-hotro-1@khach-hang.vn>
Date: Mon, 02 Mar 2026 09:15:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Kính gửi SGC, chúng tôi cần lấy mẫu khí thải lò hơi trong tháng này.
"""


class SgcDemoMixin:
    @classmethod
    def _sgc_demo_refs(cls):
        if not cls.env.ref(
            "sgc_helpdesk_ticket.res_users_hoang_demo", raise_if_not_found=False
        ):
            raise unittest.SkipTest("the database has no demo data")
        ref = cls.env.ref
        cls.company = ref("base.main_company")
        cls.sgc_teams = cls.env["helpdesk.ticket.team"].browse(
            [ref(f"sgc_helpdesk_ticket.helpdesk_ticket_team_{t}").id for t in SGC_TEAMS]
        )
        cls.base_demo = {
            model: cls.env[model]
            .with_context(active_test=False)
            .browse([ref(xmlid).id for xmlid in xmlids])
            for model, xmlids in HELPDESK_MGMT_DEMO.items()
        }


@tagged("post_install", "-at_install")
class TestSgcDemo(JobsMixin, SgcDemoMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sgc_demo_refs()
        ref = cls.env.ref
        cls.hoang = ref("sgc_helpdesk_ticket.res_users_hoang_demo")
        cls.monitor = ref("sgc_helpdesk_ticket.res_users_my_demo")
        cls.quote_ticket = ref("sgc_helpdesk_ticket.helpdesk_ticket_quote_demo")

    def test_main_company_is_sgc(self):
        company = self.company
        self.assertIn("SGC", company.name)
        self.assertIn("Sài Gòn", company.name)
        self.assertEqual(company.country_id, self.env.ref("base.vn"))
        self.assertEqual(company.state_id, self.env.ref("base.state_vn_VN-SG"))
        # Ward, district, then the province: Hồ Chí Minh named once.
        self.assertEqual(company.city, "Quận Phú Nhuận")
        self.assertEqual(company._sgc_address_line().count("Hồ Chí Minh"), 1)
        self.assertEqual(company.phone, "1900 1713")
        self.assertEqual(company.email, "hotro@hsevn.com.vn")
        self.assertEqual(company.website, "https://hsevn.com.vn")
        self.assertEqual(company.currency_id, self.env.ref("base.VND"))
        self.assertTrue(company.currency_id.active)
        self.assertTrue(company.logo)
        self.assertEqual(company.helpdesk_hotline, "1900 1713")
        self.assertEqual(company.helpdesk_support_email, "hotro@hsevn.com.vn")
        self.assertEqual(
            company.helpdesk_form_url, "https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu"
        )
        self.assertEqual(company.alias_domain_id.name, "hsevn.com.vn")
        website = self.env.ref("website.default_website")
        self.assertEqual(website.company_id, company)
        self.assertEqual(website.name, "SGC")
        self.assertEqual(website.logo, company.logo)
        # SGC's people read Vietnamese.
        self.assertEqual(self.hoang.lang, "vi_VN")
        self.assertEqual(self.monitor.lang, "vi_VN")

    def test_mail_to_hotro_becomes_an_intake_ticket(self):
        alias = self.env["mail.alias"].search(
            [("alias_full_name", "=", "hotro@hsevn.com.vn")]
        )
        self.assertEqual(
            alias,
            self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake").alias_id,
        )
        ticket_id = self.env["mail.thread"].message_process(None, RAW_MAIL)
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        # The triage runs in the ticket's job, after the mail gateway's commit.
        self.run_jobs([("model_name", "=", "helpdesk.ticket")])
        self.assertEqual(ticket._name, "helpdesk.ticket")
        self.assertEqual(ticket.name, "Yêu cầu lấy mẫu khí thải")
        # A sampling request: the triage routed it to the field department.
        field = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_category_field_sampling"
        )
        self.assertEqual(ticket.sgc_suggested_category_id, field)
        self.assertEqual(
            ticket.team_id,
            field.team_id
            if ticket.sgc_auto_routed
            else self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake"),
        )
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email"),
        )
        self.assertEqual(ticket.partner_id.email, "an@khach-hang.vn")
        self.assertEqual(ticket.company_id, self.company)
        self.assertRegex(ticket.number, r"^SGC\d+$")

    def test_helpdesk_mgmt_demo_is_archived(self):
        for model, records in self.base_demo.items():
            self.assertEqual(len(records), len(HELPDESK_MGMT_DEMO[model]))
            self.assertFalse(any(records.mapped("active")), model)
        # Their team aliases take no more mail.
        self.assertFalse(
            any(self.base_demo["helpdesk.ticket.team"].mapped("alias_id.alias_name"))
        )
        self.assertFalse(
            self.env["mail.alias"].search_count(
                [("alias_name", "like", "general-alias")]
            )
        )

    def test_monitor_overview_shows_sgc_departments_only(self):
        Team = self.env["helpdesk.ticket.team"].with_user(self.monitor)
        self.assertEqual(Team.search([]), self.sgc_teams)
        action = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_action_monitor")
        Ticket = self.env["helpdesk.ticket"].with_user(self.monitor)
        tickets = Ticket.search(safe_eval(action.domain))
        self.assertTrue(tickets)
        self.assertFalse(tickets & self.base_demo["helpdesk.ticket"])
        groups = Ticket.read_group(
            [("id", "in", tickets.ids)], ["team_id"], ["team_id"]
        )
        teams = self.env["helpdesk.ticket.team"].browse(
            [g["team_id"][0] for g in groups if g["team_id"]]
        )
        self.assertTrue(teams)
        self.assertLessEqual(teams, self.sgc_teams)

    def test_archived_demo_out_of_sla_jobs(self):
        Sla = self.env["helpdesk.ticket.sla"].with_context(
            sgc_sla_now=fields.Datetime.now() + timedelta(days=1)
        )
        base_tickets = self.base_demo["helpdesk.ticket"]
        # Without the archive, helpdesk_mgmt's urgent tickets would escalate and
        # its assigned new ones would be reminded.
        self.assertTrue(
            base_tickets.filtered(
                lambda t: t.priority in ("2", "3") and t.state == "in_progress"
            )
        )
        Sla._cron_sla_check()
        escalated = (
            # sudo: test set-up and inspection, no user input
            self.env["helpdesk.ticket.escalation"].sudo().search([]).mapped("ticket_id")
        )
        self.assertIn(
            self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_field_demo"), escalated
        )
        self.assertFalse(escalated & base_tickets)
        self.assertFalse(any(base_tickets.mapped("escalation_level")))
        self.assertFalse(any(base_tickets.mapped("start_reminder_sent")))

    def test_archived_demo_out_of_kpi(self):
        period = self.env["helpdesk.kpi.period"]._period_for(fields.Datetime.now())
        lines = self.env["helpdesk.kpi.line"]._compute_figures(period)
        teams = self.env["helpdesk.ticket.team"].browse(
            [v["team_id"] for v in lines if v["scope"] == "department" and v["team_id"]]
        )
        self.assertTrue(teams)
        self.assertLessEqual(teams, self.sgc_teams)
        categories = self.env["helpdesk.ticket.category"].browse(
            [
                v["category_id"]
                for v in lines
                if v["scope"] == "category" and v["category_id"]
            ]
        )
        self.assertFalse(categories & self.base_demo["helpdesk.ticket.category"])
        [total] = [v for v in lines if v["scope"] == "company"]
        received = self.env["helpdesk.ticket"].search_count(
            [
                ("company_id", "=", period.company_id.id),
                ("received_date", ">=", period.date_start),
                ("received_date", "<=", period.date_end),
            ]
        )
        self.assertEqual(total.get("received_count", 0), received)

    # ---------------------------------------------------
    # The PKD head hands a quotation request to sales
    # ---------------------------------------------------

    def _customer_mails(self, partner, before_ids):
        # sudo: test set-up and inspection, no user input
        mails = self.env["mail.mail"].sudo().search([("id", "not in", before_ids)])
        return mails.filtered(
            lambda m: partner in m.recipient_ids or partner.email in (m.email_to or "")
        )

    def test_demo_chatter_is_vietnamese(self):
        """The demo's progress update reads as SGC's staff logged it."""
        ticket = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_lab_demo")
        subtype = self.env.ref("sgc_helpdesk_ticket.mt_ticket_progress")
        bodies = ticket.message_ids.filtered(lambda m: m.subtype_id == subtype).mapped(
            "body"
        )
        self.assertTrue(bodies)
        self.assertTrue(all("Cập nhật tiến độ" in body for body in bodies), bodies)
        self.assertFalse([body for body in bodies if "Progress update" in body])

    def test_pkd_head_hands_quotation_to_sales(self):
        ticket = self.quote_ticket
        customer = ticket.partner_id
        self.assertTrue(ticket.is_quotation)
        self.assertEqual(ticket.user_id, self.hoang)
        self.assertEqual(ticket.state, "new")
        # The form shows one way to the CRM: the addon's button.
        arch = etree.fromstring(
            ticket.with_user(self.hoang).get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
        )
        crm_action = self.env.ref(
            "helpdesk_mgmt_crm.helpdesk_ticket_create_lead_action"
        )
        [crm_button] = arch.xpath(f"//button[@name='{crm_action.id}']")
        self.assertEqual(crm_button.get("invisible"), "True")
        self.assertTrue(arch.xpath("//button[@name='action_handoff_to_crm']"))

        # sudo: test set-up and inspection, no user input
        before = self.env["mail.mail"].sudo().search([]).ids
        # As the web client calls it: as her, in her language.
        as_hoang = self.env(user=self.hoang, context={"lang": self.hoang.lang})
        action = ticket.with_env(as_hoang).action_handoff_to_crm()
        wizard = (
            as_hoang[action["res_model"]].with_context(**action["context"]).create({})
        )
        wizard.action_helpdesk_ticket_to_lead()
        # The stage's mail is sent by tracking, at commit time.
        self.env.cr.precommit.run()

        lead = ticket.lead_ids
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, customer)
        self.assertEqual(lead.user_id, self.hoang)
        self.assertRegex(lead.name, r"^\[KH-\d{4}\] ")
        self.assertEqual(ticket.state, "done")
        self.assertIn(lead.name, ticket.resolution)
        mails = self._customer_mails(customer, before)
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn("Yêu cầu báo giá đã được chuyển", mails.subject)
        self.assertIn("tránh trùng lặp", mails.body_html)
        # The chatter says it in Vietnamese, once.
        bodies = ticket.message_ids.mapped("body")
        converted = [
            b for b in bodies if "bộ phận Kinh doanh thành cơ hội" in (b or "")
        ]
        self.assertEqual(len(converted), 1)
        self.assertIn(f'data-oe-id="{lead.id}"', converted[0])
        self.assertFalse([b for b in bodies if "has been converted" in (b or "")])

    def test_department_user_without_sales_rights_cannot_hand_off(self):
        toan = self.env.ref("sgc_helpdesk_ticket.res_users_toan_demo")
        self.assertFalse(toan.has_group("sales_team.group_sale_salesman"))
        ticket = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_lab_demo")
        arch = etree.fromstring(
            ticket.with_user(toan).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertFalse(arch.xpath("//button[@name='action_handoff_to_crm']"))
        with self.assertRaises(AccessError):
            ticket.with_user(toan).action_handoff_to_crm()


@tagged("post_install", "-at_install")
class TestSgcDemoWebsite(SgcDemoMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sgc_demo_refs()

    def test_public_form_and_footer_are_sgc(self):
        response = self.url_open(FORM_URL)
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.content)
        offered = self.env["helpdesk.ticket.category"].browse(
            [
                int(value)
                for value in page.xpath("//select[@name='category_id']/option/@value")
                if value
            ]
        )
        self.assertIn(
            self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_category_quotation"),
            offered,
        )
        self.assertFalse(offered & self.base_demo["helpdesk.ticket.category"])
        options = " ".join(page.xpath("//select[@name='category_id']/option/text()"))
        for name in ("Software", "Wifi", "Odoo", "Hardware", "Laptops"):
            self.assertNotIn(name, options)
        # Header and footer: the company's contacts, not website's placeholders.
        text = response.text
        for placeholder in ("555-555-5556", "yourcompany", "Company name"):
            self.assertNotIn(placeholder, text)
        self.assertIn('href="mailto:hotro@hsevn.com.vn"', text)
        self.assertIn('href="tel:1900 1713"', text)
        [copyright_name] = page.xpath(
            "//span[contains(@class, 'o_footer_copyright_name')]"
        )
        self.assertIn(self.company.name, copyright_name.text_content())
