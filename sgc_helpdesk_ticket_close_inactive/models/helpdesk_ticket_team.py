# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .helpdesk_ticket import CLOSING_STAGE_KEY


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    def close_team_inactive_tickets(self):
        """One team at a time, each move through SGC's state machine: the
        tickets the SOP does not let close are skipped (helpdesk.ticket.write)."""
        teams = self or self.search([("close_inactive_tickets", "=", True)])
        result = {"warning_email_ids": [], "closing_email_ids": []}
        for team in teams:
            team_result = super(
                HelpdeskTicketTeam,
                team.with_context(**{CLOSING_STAGE_KEY: team.closing_ticket_stage.id}),
            ).close_team_inactive_tickets()
            for key, ids in team_result.items():
                result.setdefault(key, []).extend(ids)
        return result
