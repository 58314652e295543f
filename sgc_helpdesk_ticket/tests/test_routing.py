# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import SgcHelpdeskCase
from .jobs import JobsMixin


@tagged("post_install", "-at_install")
class TestRouting(JobsMixin, SgcHelpdeskCase):
    def test_category_routes_to_department_and_responsible(self):
        with freeze_time("2026-03-02 02:00:00"):
            ticket = self._ticket(user=self.monitor)
        self.assertEqual(ticket.team_id, self.team_ptn)
        self.assertEqual(ticket.user_id, self.user_ptn)
        self.assertTrue(ticket.is_routed)
        self.assertEqual(str(ticket.routed_date), "2026-03-02 02:00:00")
        self.assertEqual(ticket.routed_by_id, self.monitor)
        self.assertEqual(ticket.state, "new")

    def test_no_category_is_left_for_the_monitor(self):
        ticket = self._ticket(category_id=False)
        self.assertFalse(ticket.team_id.is_department)
        self.assertFalse(ticket.is_routed)
        self.assertFalse(ticket.routed_date)
        unrouted = self.env["helpdesk.ticket"].search([("is_routed", "=", False)])
        self.assertIn(ticket, unrouted)
        # The monitor classifies it later: routing happens then, and is stamped.
        ticket.with_user(self.monitor).category_id = self.cat_field
        self.assertEqual(ticket.team_id, self.team_pkt)
        self.assertEqual(ticket.user_id, self.user_pkt)
        self.assertEqual(ticket.routed_by_id, self.monitor)

    def test_intake_team_ticket_is_routed_by_category(self):
        ticket = self._ticket(team_id=self.team_intake.id, category_id=False)
        self.assertFalse(ticket.is_routed)
        ticket.with_user(self.monitor).category_id = self.cat_lab
        self.assertEqual(ticket.team_id, self.team_ptn)

    def test_category_without_department(self):
        ticket = self._ticket(category_id=self.cat_other.id)
        self.assertFalse(ticket.is_routed)

    def test_department_keeps_ticket_when_category_changes(self):
        ticket = self._ticket()
        ticket.category_id = self.cat_field
        # Already with a department: moving it on is a person's decision.
        self.assertEqual(ticket.team_id, self.team_ptn)

    def test_balanced_assignment(self):
        self.team_ptn.assign_method = "balanced"
        first = self._ticket()
        second = self._ticket()
        self.assertEqual(
            {first.user_id, second.user_id}, {self.user_ptn, self.user_ptn2}
        )

    def test_manual_routing_by_monitor(self):
        ticket = self._ticket(category_id=False)
        ticket.with_user(self.monitor).write(
            {"team_id": self.team_pkt.id, "user_id": self.user_pkt.id}
        )
        self.assertTrue(ticket.is_routed)
        self.assertEqual(ticket.routed_by_id, self.monitor)

    def test_on_behalf_mark(self):
        staff_ticket = self._ticket(user=self.monitor, channel_id=self.channel_phone.id)
        self.assertTrue(staff_ticket.on_behalf)
        self.assertEqual(staff_ticket.channel_id, self.channel_phone)
        # The system user (crons, data) enters nothing on anybody's behalf; the
        # intake channels say so explicitly (test_intake_*).
        self_service = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create({"name": "Web", "description": "x", "partner_id": self.customer.id})
        )
        self.assertFalse(self_service.on_behalf)
        on_behalf = self.env["helpdesk.ticket"].search([("on_behalf", "=", True)])
        self.assertIn(staff_ticket, on_behalf)
        self.assertNotIn(self_service, on_behalf)

    def test_ticket_code_per_company_prefix(self):
        company_b = self.env["res.company"].create(
            {"name": "SGC Hà Nội", "helpdesk_ticket_prefix": "HN"}
        )
        ticket = self._ticket()
        self.assertTrue(ticket.number.startswith("SGC"), ticket.number)
        ticket_b = self.env["helpdesk.ticket"].create(
            {"name": "B", "description": "x", "company_id": company_b.id}
        )
        self.assertTrue(ticket_b.number.startswith("HN"), ticket_b.number)
        company_b.helpdesk_ticket_prefix = "HAN"
        ticket_b2 = self.env["helpdesk.ticket"].create(
            {"name": "B2", "description": "x", "company_id": company_b.id}
        )
        self.assertTrue(ticket_b2.number.startswith("HAN"), ticket_b2.number)
        self.assertEqual(int(ticket_b2.number[3:]), int(ticket_b.number[2:]) + 1)

    def test_monitor_told_of_new_ticket(self):
        ticket = self._ticket(user=self.user_ptn)
        # Told by a job, after the commit.
        self.run_jobs()
        self.assertNotIn(
            self.monitor.partner_id,
            ticket.message_partner_ids,
            "told once, not made a follower of every reply",
        )
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("partner_ids", "in", self.monitor.partner_id.ids),
            ]
        )
        self.assertTrue(notices)
