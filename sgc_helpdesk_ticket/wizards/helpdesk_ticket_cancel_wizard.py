# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketCancelWizard(models.TransientModel):
    _name = "helpdesk.ticket.cancel.wizard"
    _description = "Cancel a helpdesk ticket"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.cancel_reason = self.reason
        self.ticket_id._move_to_state("cancelled")
        return {"type": "ir.actions.act_window_close"}
