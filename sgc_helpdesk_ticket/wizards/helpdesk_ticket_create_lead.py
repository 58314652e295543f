# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

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
        ticket = self.ticket_id
        last_message_id = max(ticket.message_ids.ids, default=0)
        action = super().action_helpdesk_ticket_to_lead()
        lead = ticket.lead_ids.sorted("id")[-1:]
        self._sgc_reword_conversion_note(lead, last_message_id)
        if ticket.category_id.is_quotation:
            ticket._sgc_after_crm_handoff(lead)
        return action

    def _sgc_reword_conversion_note(self, lead, after_message_id):
        """Write helpdesk_mgmt_crm's note "This ticket has been converted to the
        opportunity ..." in the addon's words, in the user's language.

        Odoo reads the translations of a module's Python strings only from that
        module's own i18n folder, and helpdesk_mgmt_crm ships no Vietnamese: an
        entry in this addon's vi.po would never reach its note.
        """
        ticket = self.ticket_id
        # sudo: the note is OdooBot's (helpdesk_mgmt_crm posts it as superuser);
        # only its body changes, to the addon's fixed text and the lead's link.
        note = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", ticket._name),
                    ("res_id", "=", ticket.id),
                    ("id", ">", after_message_id),
                    ("author_id", "=", self.env.ref("base.partner_root").id),
                    ("body", "ilike", f'data-oe-id="{lead.id}"'),
                ],
                order="id desc",
                limit=1,
            )
        )
        if not (lead and note):
            return False
        note.body = Markup(
            self.env._(
                "Ticket %(number)s was handed to sales as the opportunity "
                "%(lead_link)s.",
                number=ticket.number,
                lead_link=lead._get_html_link(title=lead.name),
            )
        )
        return True
