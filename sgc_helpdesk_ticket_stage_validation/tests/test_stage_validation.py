# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.sgc_helpdesk_ticket.tests.common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestStageValidation(SgcHelpdeskCase):
    """SGC's staff start, pause and close tickets with stage validation on."""

    def test_department_user_starts_ticket(self):
        ticket = self._ticket()
        self.assertFalse(self.stages["in_progress"].validate_field_ids)
        ticket.with_user(self.user_ptn).action_start()
        self.assertEqual(ticket.state, "in_progress")
        ticket.with_user(self.user_ptn).action_pause()
        self.assertEqual(ticket.state, "paused")

    def test_monitor_and_manager_start_tickets(self):
        for user in (self.monitor, self.manager):
            with self.subTest(user=user.login):
                ticket = self._ticket()
                ticket.with_user(user).action_start()
                self.assertEqual(ticket.state, "in_progress")

    def test_listed_fields_still_validated(self):
        """A stage that lists fields keeps helpdesk_mgmt_stage_validation's check."""
        resolution = self.env["ir.model.fields"]._get("helpdesk.ticket", "resolution")
        self.stages["paused"].validate_field_ids = [Command.set(resolution.ids)]
        ticket = self._ticket()
        ticket.with_user(self.user_ptn).action_start()
        with self.assertRaisesRegex(ValidationError, "following fields are set"):
            ticket.with_user(self.user_ptn).action_pause()
        ticket.resolution = "Đã lấy mẫu"
        ticket.with_user(self.user_ptn).action_pause()
        self.assertEqual(ticket.state, "paused")
