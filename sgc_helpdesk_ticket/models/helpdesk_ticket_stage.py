# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

TICKET_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("paused", "Paused"),
    ("done", "Done (closed)"),
    ("cancelled", "Cancelled"),
]


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    state = fields.Selection(
        selection=TICKET_STATES,
        required=True,
        default="new",
        index=True,
        help="SOP state this stage stands for. Several stages may share a state; "
        "the allowed moves between tickets' stages follow their states.",
    )
