# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketUpdateDay(models.Model):
    """A working day on which a ticket in progress was due a progress update
    before the cut-off, and whether it got one (SOP V.3; counted by the KPI)."""

    _name = "helpdesk.ticket.update.day"
    _description = "Helpdesk Ticket Daily Update Check"
    _order = "day desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Assignee", index=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", string="Department")
    company_id = fields.Many2one(comodel_name="res.company")
    day = fields.Date(required=True, index=True)
    made = fields.Boolean(string="Update Made")

    _sql_constraints = [
        (
            "ticket_day_unique",
            "unique(ticket_id, day)",
            "One daily update check per ticket and day.",
        )
    ]
