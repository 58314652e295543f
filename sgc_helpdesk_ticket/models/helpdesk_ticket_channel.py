# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

INTAKE_CODES = [
    ("web", "Website form"),
    ("portal", "Customer portal"),
    ("email", "Email (hotro@)"),
    ("zalo", "Zalo OA"),
    ("phone", "Phone"),
    ("in_person", "In person"),
    ("zalo_group", "Zalo group"),
    ("other", "Other"),
]


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    intake_code = fields.Selection(
        selection=INTAKE_CODES,
        copy=False,
        help="How the intake pipeline names this channel: each intake path "
        "(website form, mail gateway, Zalo webhook, ...) states its code, and the "
        "ticket gets the channel holding it.",
    )
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

    _sql_constraints = [
        (
            "intake_code_uniq",
            "unique(intake_code)",
            "Each intake code names one channel.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _sgc_channel_id_by_code
        return super().create(vals_list)

    def write(self, vals):
        if "intake_code" in vals:
            self.env.registry.clear_cache()  # _sgc_channel_id_by_code
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _sgc_channel_id_by_code
        return super().unlink()

    @api.model
    def _sgc_by_code(self, code):
        """The channel of an intake code; the generic channel for an unknown
        code, never an error that would lose a request."""
        # Channels are configuration every intake path needs, public ones too.
        return self.sudo().browse(self._sgc_channel_id_by_code(code))

    @api.model
    @tools.ormcache("code")
    def _sgc_channel_id_by_code(self, code):
        # Configuration read once per worker (the cache is cleared when a
        # channel's code changes); archived channels still name their code.
        Channel = self.sudo().with_context(active_test=False)
        channel = Channel.search([("intake_code", "=", code)], limit=1)
        channel = channel or Channel.search([("intake_code", "=", "other")], limit=1)
        return channel.id

    @api.model
    def _sgc_deliver_acknowledgement(self, ticket):
        """Send ``ticket``'s acknowledgement by its channel's medium, now. Runs
        inside the acknowledgement job; an error is raised for the job to retry.
        Returns a word saying what was done."""
        template = ticket.channel_id.ack_template_id
        if not template:
            return "no template"
        medium = ticket.channel_id.ack_medium
        return getattr(self, f"_sgc_acknowledge_by_{medium}")(ticket, template)

    @api.model
    def _sgc_acknowledge_by_email(self, ticket, template):
        if not (ticket.partner_id.email or ticket.partner_email):
            return "no email"
        # An automated targeted notification, as Odoo's own acknowledgements: it
        # mails the template's recipients (the customer) and not the followers,
        # and a reply to it is a public message on the ticket, not a note. The
        # template is configuration (editors only) and the job runs as system.
        # Signed by the company, which is not subscribed: a follower sees the
        # ticket in the portal.
        ticket = ticket.sudo().with_context(
            mail_create_nosubscribe=True, mail_notify_force_send=False
        )
        message = ticket.message_post_with_source(
            template,
            message_type="auto_comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="sgc_helpdesk_ticket.mail_notification_sgc",
            author_id=ticket.company_id.partner_id.id,
            email_from=template._render_field("email_from", ticket.ids)[ticket.id],
        )
        mails = (
            # sudo: this job's own mails
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        # Sent inside the job: an SMTP failure raises, the job's transaction (the
        # message included) rolls back and the job is retried.
        mails.send(raise_exception=True)
        return "email"

    @api.model
    def _sgc_acknowledge_by_zalo(self, ticket, template):
        """Send the acknowledgement through the Zalo OA connector; without a
        configured account (or a Zalo user), note the text on the ticket for staff
        to send by hand."""
        ZaloMessage = self.env["zalo.message"]
        sent = ZaloMessage._acknowledge_ticket(ticket)
        if sent:
            return "zalo"
        # Queued or refused already for this ticket: retried by its own job.
        if ticket.sudo().zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == "ack"
        ):
            return "zalo (queued)"
        text = ZaloMessage._render_ack_text(ticket, template)
        if not text:
            raise UserError(self.env._("The Zalo acknowledgement is empty."))
        # A note of the desk (system template, rendered text escaped by Odoo).
        ticket.sudo().with_context(mail_create_nosubscribe=True)._message_log(
            body=self.env._("Zalo acknowledgement to send by hand: %s", text)
        )
        return "note"
