# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestPortal(HttpCase, SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env,
            login="sgc_portal_a",
            password="sgc_portal_a",
            groups="base.group_portal",
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env,
            login="sgc_portal_b",
            password="sgc_portal_b",
            groups="base.group_portal",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.ticket_a = cls._ticket(partner_id=cls.portal_a.partner_id.id)
        cls.ticket_a.write({"stage_id": cls.stages["in_progress"].id})
        cls.ticket_a.write({"resolution": "Đã xong"})
        cls.ticket_a.action_mark_work_done()

    def _page_csrf(self, url="/my"):
        """The session's CSRF token, as the page gives it to the browser."""
        text = self.url_open(url).text
        match = re.search(r'csrf_token: "([^"]+)"', text) or re.search(
            r'name="csrf_token" value="([^"]+)"', text
        )
        return match.group(1)

    def test_owner_sees_ticket_other_customer_gets_nothing(self):
        self.authenticate("sgc_portal_a", "sgc_portal_a")
        resp = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertIn(self.ticket_a.number, resp.text)
        self.authenticate("sgc_portal_b", "sgc_portal_b")
        resp = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertNotIn(self.ticket_a.number, resp.text)
        forged = self.url_open(
            f"/my/ticket/{self.ticket_a.id}?access_token=forged-token-0000"
        )
        self.assertNotIn(self.ticket_a.number, forged.text)

    def test_close_route_checks_owner(self):
        done = self.stages["done"]
        done.close_from_portal = True
        close = {"ticket_id": self.ticket_a.id, "stage_id": done.id}
        self.authenticate("sgc_portal_b", "sgc_portal_b")
        resp = self.url_open(
            "/ticket/close", data=dict(close, csrf_token=self._page_csrf())
        )
        self.assertEqual(resp.status_code, 404)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.state, "in_progress")
        self.assertEqual(self.ticket_a.satisfaction_state, "pending")
        # The owner closing means confirming satisfaction.
        self.authenticate("sgc_portal_a", "sgc_portal_a")
        self.url_open("/ticket/close", data=dict(close, csrf_token=self._page_csrf()))
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.satisfaction_state, "confirmed")
        self.assertEqual(self.ticket_a.satisfaction_method, "portal")
        self.assertEqual(self.ticket_a.state, "done")

    def test_customer_confirms_satisfaction(self):
        self.authenticate("sgc_portal_a", "sgc_portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertIn("confirm-satisfied", page.text)
        resp = self.url_open(
            f"/my/ticket/{self.ticket_a.id}/satisfaction",
            data={"csrf_token": self._page_csrf(), "satisfied": "yes", "note": "Tốt"},
        )
        self.assertEqual(resp.status_code, 200)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.satisfaction_state, "confirmed")
        self.assertEqual(self.ticket_a.satisfaction_method, "portal")
        self.assertFalse(self.ticket_a.satisfaction_user_id)
        self.assertEqual(self.ticket_a.state, "done")

    def test_other_customer_cannot_confirm(self):
        self.authenticate("sgc_portal_b", "sgc_portal_b")
        # B's own session token: a valid form post, aimed at A's ticket.
        token = self._page_csrf()
        resp = self.url_open(
            f"/my/ticket/{self.ticket_a.id}/satisfaction",
            data={"csrf_token": token, "satisfied": "yes"},
        )
        self.assertEqual(resp.status_code, 404)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.satisfaction_state, "pending")

    def test_confirm_without_csrf_is_refused(self):
        self.authenticate("sgc_portal_a", "sgc_portal_a")
        resp = self.url_open(
            f"/my/ticket/{self.ticket_a.id}/satisfaction", data={"satisfied": "yes"}
        )
        self.assertEqual(resp.status_code, 400)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.satisfaction_state, "pending")


@tagged("post_install", "-at_install")
class TestBackendTour(HttpCase, SgcHelpdeskCase):
    def test_department_user_walks_ticket_to_done(self):
        ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.user_ptn)
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "sgc_ticket_backend_tour",
            login="sgc_ptn",
        )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.state, "done")
        self.assertEqual(ticket.satisfaction_method, "phone")
        self.assertEqual(len(ticket.progress_ids), 1)
