# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketPause(models.Model):
    """One stay of a ticket in a paused stage: SLA time does not run meanwhile."""

    _name = "helpdesk.ticket.pause"
    _description = "Helpdesk Ticket Pause"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    date_start = fields.Datetime(string="Paused On", required=True)
    date_end = fields.Datetime(string="Resumed On")
    reason = fields.Text(help="Why the work stopped, as staff gave it.")
    duration_hours = fields.Float(
        string="Duration (hours)", compute="_compute_duration_hours", store=True
    )

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for pause in self:
            pause.duration_hours = self.env["helpdesk.ticket"]._sgc_hours_between(
                pause.date_start, pause.date_end
            )
