# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestAccess(SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A ticket of PKT, a department the PTN user does not belong to.
        cls.pkt_ticket = cls._ticket(category_id=cls.cat_field.id)
        cls.portal_a = new_test_user(
            cls.env, login="sgc_portal_a", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env, login="sgc_portal_b", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b

    def _can(self, user, operation):
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        ticket = self.pkt_ticket.with_user(user)
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
                if operation == "read":
                    ticket.read(["name"])
                elif operation == "write":
                    ticket.write({"name": "changed"})
                elif operation == "create":
                    Ticket.create(
                        {
                            "name": "new PKT",
                            "description": "x",
                            "team_id": self.team_pkt.id,
                            "partner_id": self.customer.id,
                        }
                    )
            return True
        except AccessError:
            return False

    def test_access_matrix_on_another_departments_ticket(self):
        expected = {
            # Any staff member may enter a request for another department on the
            # customer's behalf (SOP IV, way 2); they follow what they created, but
            # see nothing else of that department.
            "department user": (self.user_ptn, {"read": 0, "write": 0, "create": 1}),
            "ticket monitor": (self.monitor, {"read": 1, "write": 1, "create": 1}),
            "manager": (self.manager, {"read": 1, "write": 1, "create": 1}),
            "KPI accountant": (self.accountant, {"read": 1, "write": 0, "create": 0}),
            "portal (other customer)": (
                self.portal_b,
                {"read": 0, "write": 0, "create": 0},
            ),
        }
        for label, (user, rights) in expected.items():
            for operation, allowed in rights.items():
                with self.subTest(who=label, operation=operation):
                    self.assertEqual(self._can(user, operation), bool(allowed))

    def test_department_user_sees_own_department(self):
        ptn_ticket = self._ticket()
        visible = self.env["helpdesk.ticket"].with_user(self.user_ptn).search([])
        self.assertIn(ptn_ticket, visible)
        self.assertNotIn(self.pkt_ticket, visible)
        self.assertTrue(self._can(self.user_pkt, "write"))

    def test_portal_sees_only_own_company_tickets(self):
        own = self._ticket(partner_id=self.customer.id)
        other = self._ticket(partner_id=self.customer_b.id)
        visible = self.env["helpdesk.ticket"].with_user(self.portal_a).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)

    def test_children_follow_ticket_visibility(self):
        self._to_state(self.pkt_ticket, "in_progress")
        self.env["helpdesk.ticket.progress"].with_user(self.user_pkt).create(
            {"ticket_id": self.pkt_ticket.id, "note": "Đang đo đạc"}
        )
        Progress = self.env["helpdesk.ticket.progress"]
        of_pkt = [("ticket_id", "=", self.pkt_ticket.id)]
        self.assertFalse(Progress.with_user(self.user_ptn).search(of_pkt))
        self.assertTrue(Progress.with_user(self.accountant).search(of_pkt))
        self.assertTrue(Progress.with_user(self.user_pkt).search(of_pkt))
        with self.assertRaises(AccessError):
            Progress.with_user(self.accountant).create(
                {"ticket_id": self.pkt_ticket.id, "note": "x"}
            )

    def test_department_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.team_ptn.with_user(self.user_ptn).write({"code": "X"})
        with self.assertRaises(AccessError):
            self.cat_lab.with_user(self.monitor).write({"team_id": self.team_pkt.id})
        self.cat_lab.with_user(self.manager).write({"sequence": 11})
