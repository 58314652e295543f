# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import plaintext2html


class HelpdeskTicketPauseWizard(models.TransientModel):
    """Pause a ticket (SOP V.3: Tạm dừng) with its reason, kept on the pause
    and, unless staff say otherwise, told to the customer."""

    _name = "helpdesk.ticket.pause.wizard"
    _description = "Pause a helpdesk ticket"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    reason = fields.Text(
        required=True,
        help="Why the work stops, e.g. waiting for the customer's samples or "
        "documents.",
    )
    notify_customer = fields.Boolean(
        string="Tell the customer",
        default=True,
        help="Post the reason to the customer (mail and portal).",
    )

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket.check_access("write")
        ticket._move_to_state("paused")
        # sudo: the pause row the move just opened (the engine's, read-only to
        # users); the reason is stored as text.
        ticket.sudo().pause_ids.filtered(lambda p: not p.date_end)[
            :1
        ].reason = self.reason
        partner = ticket.partner_id
        if self.notify_customer and partner:
            lang = ticket.with_context(lang=partner.lang or self.env.lang)
            ticket.message_post(
                body=plaintext2html(
                    lang.env._(
                        "Your request %(number)s is paused: %(reason)s\n"
                        "We will let you know as soon as the work resumes.",
                        number=ticket.number,
                        reason=self.reason,
                    )
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=partner.ids,
            )
        else:
            ticket._message_log(
                body=plaintext2html(self.env._("Paused: %s", self.reason))
            )
        return {"type": "ir.actions.act_window_close"}
