# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from lxml import html

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class SgcHelpdeskCase(TransactionCase):
    """Least-privilege users, SGC's departments (data, not demo) and factories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        ref = cls.env.ref
        cls.team_ptn = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_ptn")
        cls.team_pkt = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_pkt")
        cls.team_pkd = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_pkd")
        cls.team_intake = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake")
        cls.cat_lab = ref("sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis")
        cls.cat_field = ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_category_field_sampling"
        )
        cls.cat_quote = ref("sgc_helpdesk_ticket.helpdesk_ticket_category_quotation")
        cls.cat_other = ref("sgc_helpdesk_ticket.helpdesk_ticket_category_other")
        cls.channel_phone = ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.stages = {
            stage.state: stage
            for stage in cls.env["helpdesk.ticket.stage"].search([], order="id desc")
        }
        dept = "sgc_helpdesk_ticket.group_department_user"
        cls.user_ptn = new_test_user(
            cls.env, login="sgc_ptn", groups=dept, name="PTN Tester"
        )
        cls.user_ptn2 = new_test_user(
            cls.env, login="sgc_ptn2", groups=dept, name="PTN Second"
        )
        cls.user_pkt = new_test_user(
            cls.env, login="sgc_pkt", groups=dept, name="PKT Tester"
        )
        cls.monitor = new_test_user(
            cls.env,
            login="sgc_monitor",
            groups="sgc_helpdesk_ticket.group_ticket_monitor",
            name="Monitor Tester",
        )
        cls.manager = new_test_user(
            cls.env,
            login="sgc_manager",
            groups="sgc_helpdesk_ticket.group_manager",
            name="Manager Tester",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="sgc_kpi",
            groups="sgc_helpdesk_ticket.group_kpi_accountant",
            name="KPI Tester",
        )
        cls.team_ptn.write(
            {
                "user_ids": [Command.set([cls.user_ptn.id, cls.user_ptn2.id])],
                "responsible_user_id": cls.user_ptn.id,
                "assign_method": "responsible",
            }
        )
        cls.team_pkt.write(
            {
                "user_ids": [Command.set([cls.user_pkt.id])],
                "responsible_user_id": cls.user_pkt.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Công ty Môi trường Xanh", "email": "xanh@example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Other Customer", "email": "other@example.com"}
        )

    @contextmanager
    def assertUserError(self, pattern):
        """assertRaises (which rolls back to a savepoint in Odoo) with a regex."""
        with self.assertRaises(UserError) as ctx:
            yield ctx
        self.assertRegex(str(ctx.exception), pattern)

    @classmethod
    def _ticket(cls, user=None, **vals):
        values = {
            "name": "Phân tích mẫu nước thải",
            "description": "<p>Cần phân tích 5 mẫu nước thải.</p>",
            "partner_id": cls.customer.id,
            "category_id": cls.cat_lab.id,
        }
        values.update(vals)
        model = cls.env["helpdesk.ticket"]
        if user:
            model = model.with_user(user)
        return model.create(values)

    def _to_state(self, ticket, state):
        ticket.write({"stage_id": self.stages[state].id})
        return ticket

    def _ready_to_close(self, ticket):
        """Fill what closing needs: resolution and a staff-recorded confirmation."""
        ticket.resolution = "Đã trả kết quả phân tích."
        ticket._record_satisfaction("phone", note="Khách xác nhận qua điện thoại")
        return ticket

    def _letterhead_company(self):
        """The company with every field of its letterhead filled."""
        company = self.env.company
        company.write(
            {
                "street": "Tầng 6, 25 Nguyễn Văn Trỗi",
                "city": "Thành phố Hồ Chí Minh",
                "helpdesk_hotline": "1900 1713",
                "helpdesk_support_email": "hotro@hsevn.com.vn",
                "website": "https://hsevn.com.vn",
            }
        )
        return company

    def assertLetterhead(self, report_html, company):
        """The company's letterhead opens the page itself (a header of
        web.external_layout is not drawn by wkhtmltopdf with unpatched Qt)."""
        page = html.fromstring(report_html)
        self.assertFalse(page.xpath("//div[hasclass('header')]"))
        [article] = page.xpath("//div[hasclass('article')]")[:1]
        [letterhead] = article.xpath("./table[hasclass('o_sgc_letterhead')]")
        text = " ".join(letterhead.text_content().split())
        for expected in (
            company.name,
            company._sgc_address_line(),
            "Hotline: 1900 1713",
            "hotro@hsevn.com.vn",
            "https://hsevn.com.vn",
        ):
            self.assertIn(expected, text)
        if company.logo:
            [logo] = letterhead.xpath(".//img")
            self.assertTrue(logo.get("src").startswith("data:image/"))
