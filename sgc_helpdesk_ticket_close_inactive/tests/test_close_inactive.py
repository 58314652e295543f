# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.sgc_helpdesk_ticket.tests.common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestCloseInactive(SgcHelpdeskCase):
    """helpdesk_ticket_close_inactive closes what the SOP allows and skips the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_ptn.write(
            {
                "close_inactive_tickets": True,
                "inactive_tickets_day_limit_warning": 7,
                "inactive_tickets_day_limit_closing": 14,
                "ticket_stage_ids": [
                    Command.set([cls.stages["new"].id, cls.stages["in_progress"].id])
                ],
                "closing_ticket_stage": cls.stages["done"].id,
                "close_inactive_mail_template_id": cls.env.ref(
                    "helpdesk_mgmt.closed_ticket_template"
                ).id,
            }
        )

    def _inactive(self, ticket, days=15):
        ticket.last_stage_update = datetime.now() - timedelta(days=days)
        return ticket

    def _notes(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "closed automatically" in (m.body or "")
        )

    def test_refused_tickets_skipped_the_rest_closed(self):
        new = self._inactive(self._ticket())
        unconfirmed = self._ticket()
        self._to_state(unconfirmed, "in_progress")
        self._inactive(unconfirmed)
        ready = self._ticket()
        self._to_state(ready, "in_progress")
        self._ready_to_close(ready)
        self._inactive(ready)
        # The cron's call: every team with the option on.
        result = self.env["helpdesk.ticket.team"].close_team_inactive_tickets()
        self.assertEqual(new.state, "new")  # SOP V.3: New -> Done is not a move
        self.assertEqual(unconfirmed.state, "in_progress")  # SOP V.4
        self.assertEqual(ready.state, "done")
        self.assertFalse(self._notes(new) | self._notes(unconfirmed))
        self.assertTrue(self._notes(ready))
        mails = self.env["mail.mail"].browse(result["closing_email_ids"])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.res_id, ready.id)

    def test_departments_have_a_warning_template(self):
        """The departments existed before the sibling: the glue gave them its
        warning template, without which its run fails."""
        template = self.env.ref(
            "helpdesk_ticket_close_inactive.warning_inactive_ticket_template"
        )
        for team in (self.team_ptn, self.team_pkt, self.team_intake):
            self.assertEqual(team.warning_inactive_mail_template_id, template)

    def test_warning_still_sent(self):
        ticket = self._ticket()
        self._to_state(ticket, "in_progress")
        self._inactive(ticket, days=7)
        result = self.team_ptn.close_team_inactive_tickets()
        self.assertTrue(result["warning_email_ids"])
        self.assertEqual(ticket.state, "in_progress")
