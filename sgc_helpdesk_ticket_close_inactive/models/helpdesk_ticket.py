# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

# Set by helpdesk.ticket.team.close_team_inactive_tickets() to the team's closing
# stage while helpdesk_ticket_close_inactive closes that team's inactive tickets.
CLOSING_STAGE_KEY = "sgc_close_inactive_stage_id"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _sgc_inactive_close_skipped(self):
        """During the inactivity run: this ticket's move to the closing stage
        was refused (it is not in that stage)."""
        stage_id = self.env.context.get(CLOSING_STAGE_KEY)
        return bool(stage_id) and len(self) == 1 and self.stage_id.id != stage_id

    def write(self, vals):
        """The inactivity run moves one ticket at a time: a move that the SOP
        refuses is rolled back and logged instead of aborting the whole run."""
        stage_id = self.env.context.get(CLOSING_STAGE_KEY)
        if not stage_id or len(self) != 1 or vals.get("stage_id") != stage_id:
            return super().write(vals)
        try:
            with self.env.cr.savepoint():
                return super().write(vals)
        except (AccessError, UserError, ValidationError) as error:
            _logger.info("Inactive ticket %s left open: %s", self.number, error.args[0])
            return False

    def message_post(self, **kwargs):
        """No "closed automatically" note on a ticket that was not closed."""
        if self._sgc_inactive_close_skipped():
            return self.env["mail.message"]
        return super().message_post(**kwargs)
