# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.helpdesk_ticket import SATISFACTION_METHODS


class HelpdeskTicketSatisfactionWizard(models.TransientModel):
    """Staff record how the customer confirmed (or refused) satisfaction."""

    _name = "helpdesk.ticket.satisfaction.wizard"
    _description = "Record customer satisfaction"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    satisfied = fields.Boolean(string="Customer is satisfied", default=True)
    method = fields.Selection(
        selection=[m for m in SATISFACTION_METHODS if m[0] != "portal"],
        string="Confirmed Through",
        required=True,
        default="phone",
    )
    note = fields.Text(help="Who confirmed, when, what they said.")

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._record_satisfaction(
            self.method, note=self.note, satisfied=self.satisfied, user=self.env.user
        )
        return {"type": "ir.actions.act_window_close"}
