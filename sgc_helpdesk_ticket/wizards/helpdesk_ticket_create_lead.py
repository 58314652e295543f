# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketCreateLead(models.TransientModel):
    _inherit = "helpdesk.ticket.create.lead"

    def _prepare_vals(self):
        vals = super()._prepare_vals()
        self.ticket_id.partner_id._sgc_ensure_customer_code()
        code = self.ticket_id.partner_customer_code
        if code:
            vals["name"] = f"[{code}] {vals['name']}"
        return vals

    def action_helpdesk_ticket_to_lead(self):
        """After helpdesk_mgmt_crm creates the opportunity, a quotation request
        notifies the customer and closes (SOP V, quotation notice)."""
        action = super().action_helpdesk_ticket_to_lead()
        ticket = self.ticket_id
        if ticket.category_id.is_quotation:
            ticket._sgc_after_crm_handoff(ticket.lead_ids.sorted("id")[-1:])
        return action
