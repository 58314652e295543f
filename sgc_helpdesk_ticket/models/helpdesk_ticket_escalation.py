# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketEscalation(models.Model):
    """An escalation that happened: who was told about which ticket, when."""

    _name = "helpdesk.ticket.escalation"
    _description = "Helpdesk Ticket Escalation"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        comodel_name="helpdesk.escalation.step", ondelete="set null"
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Escalated To")
    level = fields.Integer(required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    _sql_constraints = [
        (
            "ticket_level_unique",
            "unique(ticket_id, level)",
            "Each step of the chain is escalated once per ticket.",
        )
    ]
