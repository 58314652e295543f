# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models

from .zalo_message import html_to_text


# Kept apart from helpdesk_ticket.py: the Zalo connector's part of the ticket.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    zalo_message_ids = fields.One2many(
        comodel_name="zalo.message",
        inverse_name="ticket_id",
        string="Zalo Messages",
        readonly=True,
    )
    zalo_message_count = fields.Integer(compute="_compute_zalo_message_count")
    zalo_send_failed = fields.Boolean(
        compute="_compute_zalo_send_failed",
        store=True,
        help="A message to the customer's Zalo was refused and is not delivered "
        "yet: it is retried automatically, or waits for a person.",
    )

    def _compute_zalo_message_count(self):
        counts = dict(
            self.env["zalo.message"]
            .sudo()
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.zalo_message_count = counts.get(ticket._origin, 0)

    @api.depends("zalo_message_ids.state", "zalo_message_ids.direction")
    def _compute_zalo_send_failed(self):
        for ticket in self:
            ticket.zalo_send_failed = any(
                m.direction == "out" and m.state == "failed"
                for m in ticket.sudo().zalo_message_ids
            )

    def action_view_zalo_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sgc_helpdesk_ticket.zalo_message_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_zalo_retry(self):
        """Send this ticket's refused Zalo messages again now."""
        self.ensure_one()
        self.check_access("write")
        failed = self.sudo().zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.state in ("queued", "failed")
        )
        failed._send()
        return True

    def _is_zalo_ticket(self):
        self.ensure_one()
        channel = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_channel_zalo",
            raise_if_not_found=False,
        )
        return bool(
            channel and self.channel_id == channel and self.partner_id.zalo_user_id
        )

    def _message_post_after_hook(self, message, msg_values):
        """Forward staff's replies (not internal notes) to the customer's Zalo."""
        result = super()._message_post_after_hook(message, msg_values)
        if not self.env.context.get("zalo_skip_send"):
            self._zalo_forward_reply(message)
        return result

    def _zalo_forward_reply(self, message):
        self.ensure_one()
        if (
            message.message_type != "comment"
            or message.subtype_id != self.env.ref("mail.mt_comment")
            or message.is_internal
            or self.env.user.share
            or message.author_id == self.partner_id
            or not self._is_zalo_ticket()
        ):
            return
        text = html_to_text(message.body)
        if not text:
            return
        ticket = self.sudo().with_context(zalo_skip_send=True)
        account = self.env["zalo.oa.account"]._get_for_company(ticket.company_id)
        if not account:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "This reply was not sent on Zalo: no Zalo account is "
                    "configured for %s.",
                    ticket.company_id.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            return
        self.env["zalo.message"]._queue_outgoing(
            account, ticket, text, kind="reply", mail=message
        )._send()
