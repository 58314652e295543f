# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import codecs
import logging

from odoo import api, models
from odoo.tools import email_normalize, email_split

_logger = logging.getLogger(__name__)

# Senders that are machines: an acknowledgement to them would bounce or loop.
AUTOMATED_LOCALPARTS = {
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
}
BULK_PRECEDENCES = {"bulk", "junk", "list", "auto_reply"}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _sgc_is_automated_mail(self, message, message_dict):
        """True for auto-replies, bounces and bulk mail (RFC 3834 and the
        headers mail software uses in practice): such mail gets no reply."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        if precedence in BULK_PRECEDENCES:
            return True
        if message.get("X-Auto-Response-Suppress") is not None:
            return True
        if message.get("X-Autoreply") or message.get("X-Autorespond"):
            return True
        if message_dict.get("is_bounce"):
            return True
        email_from = (email_split(message_dict.get("email_from") or "") or [""])[0]
        return email_from.split("@", 1)[0].lower() in AUTOMATED_LOCALPARTS

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Tell ``message_new`` whether the mail is automated (no acknowledgement):
        the parsed values do not keep the headers that say so. New helpdesk
        tickets pass the intake's mail guards first."""
        automated = self._sgc_is_automated_mail(message, message_dict)
        routes = self._sgc_guard_ticket_routes(message_dict, routes or [])
        return super(
            MailThread, self.with_context(sgc_automated_mail=automated)
        )._message_route_process(message, message_dict, routes)

    @api.model
    def _sgc_guard_ticket_routes(self, message_dict, routes):
        """The mail guards of the intake, for routes that would create a ticket:

        * a mail from the desk's own address (hotro@, the company's, the
          catchall) is the desk talking to itself: no ticket, no reply;
        * one sender gets at most ``mail_rate_limit`` new tickets per window
          (the form's limit, counted the same way): past it, the mail is added
          to the sender's latest ticket instead, so nothing is lost and nothing
          is acknowledged again.
        """
        Intake = self.env["helpdesk.ticket.intake"]
        email = email_normalize(
            (email_split(message_dict.get("email_from") or "") or [""])[0]
        )
        own = Intake._own_addresses() if email else set()
        guarded = []
        for route in routes:
            model, thread_id = route[0], route[1]
            if model != "helpdesk.ticket" or thread_id:
                guarded.append(route)
                continue
            if email and email in own:
                _logger.info(
                    "Mail %s from the desk's own address %s: no ticket",
                    message_dict.get("message_id"),
                    email,
                )
                continue
            if email and Intake._rate_exceeded("mail", [email]):
                # The sender's latest ticket, found as system for the gateway.
                latest = (
                    self.env["helpdesk.ticket"]
                    .sudo()  # sudo: gateway: sender's latest ticket
                    .search([("partner_email", "=", email)], order="id desc", limit=1)
                )
                if latest:
                    _logger.info(
                        "Mail %s: %s is over the mail rate limit, added to %s",
                        message_dict.get("message_id"),
                        email,
                        latest.number,
                    )
                    guarded.append((model, latest.id, *route[2:]))
                    continue
            guarded.append(route)
        return guarded

    def _message_parse_extract_payload(
        self, message, message_dict, save_original=False
    ):
        """Keep a mail whose part declares a charset Python does not know: such a
        part is read as UTF-8 (undecodable bytes replaced) instead of failing the
        whole mail."""
        for part in message.walk():
            if part.get_content_maintype() != "text":
                continue
            charset = part.get_param("charset")
            if not isinstance(charset, str):
                continue
            try:
                codecs.lookup(charset)
            except LookupError:
                _logger.info(
                    "Mail %s: unknown charset %r read as UTF-8",
                    message_dict.get("message_id"),
                    charset,
                )
                part.set_param("charset", "utf-8")
        return super()._message_parse_extract_payload(
            message, message_dict, save_original=save_original
        )
