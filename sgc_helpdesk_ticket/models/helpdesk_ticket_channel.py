# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# Key of the precommit data holding the tickets whose acknowledgement is due.
ACK_PENDING_KEY = "sgc_helpdesk_ticket.ack_pending"


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    ack_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Acknowledgement Template",
        domain="[('model', '=', 'helpdesk.ticket')]",
        ondelete="set null",
        help="Sent to the customer as soon as a request arriving by this channel "
        "becomes a ticket. Empty: no acknowledgement.",
    )
    ack_medium = fields.Selection(
        selection=[("email", "Email"), ("zalo", "Zalo message")],
        string="Acknowledge By",
        default="email",
        required=True,
        help="Email: the template is posted on the ticket and mailed to the "
        "customer. Zalo message: the template's text is sent to the customer's "
        "Zalo by the Zalo OA connector.",
    )

    @api.model
    def _sgc_acknowledge_on_commit(self, tickets):
        """Acknowledge ``tickets`` when the current transaction commits.

        Deferred so that the acknowledgement follows what the customer sent (the
        incoming email is posted on the ticket after the ticket is created) and is
        never sent for a ticket whose creation is rolled back.
        """
        if not tickets:
            return
        precommit = self.env.cr.precommit
        if ACK_PENDING_KEY not in precommit.data:
            precommit.add(self.sudo()._sgc_acknowledge_pending)
        precommit.data.setdefault(ACK_PENDING_KEY, set()).update(tickets.ids)

    def _sgc_acknowledge_pending(self):
        ticket_ids = self.env.cr.precommit.data.pop(ACK_PENDING_KEY, set())
        tickets = self.env["helpdesk.ticket"].sudo().browse(sorted(ticket_ids))
        self._sgc_acknowledge(tickets.exists())

    @api.model
    def _sgc_acknowledge(self, tickets):
        """Send each ticket's acknowledgement now, by its channel's medium.

        A failure is logged and noted on the ticket: it never loses the ticket.
        """
        for ticket in tickets:
            channel = ticket.channel_id
            template = channel.ack_template_id
            if not template:
                continue
            deliver = getattr(self, f"_sgc_acknowledge_by_{channel.ack_medium}")
            try:
                with self.env.cr.savepoint():
                    deliver(ticket, template)
            except Exception as error:
                _logger.exception(
                    "Acknowledgement of ticket %s could not be sent", ticket.number
                )
                ticket.sudo()._message_log(
                    body=self.env._(
                        "The acknowledgement could not be sent: %s", str(error)
                    )
                )

    @api.model
    def _sgc_acknowledge_by_email(self, ticket, template):
        if not (ticket.partner_id.email or ticket.partner_email):
            return self.env["mail.message"]
        # An automated targeted notification, as Odoo's own acknowledgements: it
        # mails the template's recipients (the customer) and not the followers,
        # and a reply to it is a public message on the ticket, not a note.
        return ticket.sudo().message_post_with_source(
            template,
            message_type="auto_comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_light",
            # Signed by the company, whoever runs the gateway or the form.
            author_id=ticket.company_id.partner_id.id,
            email_from=template._render_field("email_from", ticket.ids)[ticket.id],
        )

    @api.model
    def _sgc_acknowledge_by_zalo(self, ticket, template):
        """Send the acknowledgement through the Zalo OA connector; without a
        configured account (or a Zalo user), note the text on the ticket for staff
        to send by hand."""
        sent = self.env["zalo.message"]._acknowledge_ticket(ticket)
        if sent or ticket.sudo().zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == "ack"
        ):
            return sent
        text = template._sgc_render_text(ticket)
        return ticket.sudo()._message_log(
            body=self.env._("Zalo acknowledgement to send by hand: %s", text)
        )
