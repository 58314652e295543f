# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from odoo.addons.sgc_helpdesk_ticket.tests.common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestTemplate(SgcHelpdeskCase):
    """helpdesk_mgmt_template beside SGC's routing by request type."""

    def test_monitor_classifies_an_intake_ticket(self):
        # A mail ticket waits in the intake team (hotro@'s alias) until classified.
        ticket = self._ticket(category_id=False, team_id=self.team_intake.id)
        self.assertEqual(ticket.team_id, self.team_intake)
        self.assertFalse(self.team_intake.category_ids)
        offered = ticket.with_user(self.monitor).helpdesk_ticket_category_ids
        self.assertIn(self.cat_lab, offered)
        self.assertIn(self.cat_field, offered)
        with Form(ticket.with_user(self.monitor)) as form:
            form.category_id = self.cat_lab
        self.assertEqual(ticket.category_id, self.cat_lab)
        self.assertEqual(ticket.team_id, self.team_ptn)

    def test_misrouted_ticket_gets_another_departments_type(self):
        ticket = self._ticket()
        self.assertEqual(ticket.team_id, self.team_ptn)
        self.assertIn(self.cat_field, ticket.helpdesk_ticket_category_ids)

    def test_template_never_replaces_the_customers_words(self):
        self.cat_field.template_description = "<p>Địa điểm lấy mẫu: ...</p>"
        ticket = self._ticket(category_id=False)
        words = ticket.description
        with Form(ticket.with_user(self.monitor)) as form:
            form.category_id = self.cat_field
        self.assertEqual(ticket.category_id, self.cat_field)
        self.assertEqual(ticket.description, words)

    def test_template_fills_an_empty_description(self):
        self.cat_field.template_description = "<p>Địa điểm lấy mẫu: ...</p>"
        ticket = self._ticket(category_id=False, description="<p></p>")
        with Form(ticket.with_user(self.monitor)) as form:
            form.category_id = self.cat_field
        self.assertIn("Địa điểm lấy mẫu", ticket.description)
