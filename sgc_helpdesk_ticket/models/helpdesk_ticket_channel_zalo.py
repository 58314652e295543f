# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


# Kept apart from helpdesk_ticket_channel.py: the Zalo connector's part.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    @api.model
    def _sgc_acknowledge_by_zalo(self, ticket, template):
        """Send the acknowledgement through the Zalo OA connector; without a
        configured account (or a Zalo user), fall back to the note for staff."""
        sent = self.env["zalo.message"]._acknowledge_ticket(ticket)
        if sent or ticket.sudo().zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == "ack"
        ):
            return sent
        return super()._sgc_acknowledge_by_zalo(ticket, template)
