# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketProgress(models.Model):
    """A daily progress update (SOP V.3: every day before 17:00)."""

    _name = "helpdesk.ticket.progress"
    _description = "Helpdesk Ticket Progress Update"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    note = fields.Text(string="Progress", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # An SOP fact (the update before 17:00): when it is logged, by whom.
            for vals in vals_list:
                vals.update(date=fields.Datetime.now(), user_id=self.env.uid)
        updates = super().create(vals_list)
        subtype = self.env.ref("sgc_helpdesk_ticket.mt_ticket_progress")
        for update in updates:
            ticket = update.ticket_id
            if ticket.state in ("done", "cancelled"):
                raise UserError(
                    self.env._(
                        "Ticket %s is closed: no more progress updates.",
                        ticket.number,
                    )
                )
            ticket.message_post(
                body=Markup("<p><b>%s</b></p><p>%s</p>")
                % (self.env._("Progress update"), update.note),
                subtype_id=subtype.id,
                message_type="comment",
            )
            if not ticket.last_progress_date or ticket.last_progress_date < update.date:
                # sudo: the ticket's own bookkeeping of this update (logging one
                # needs no write right on the ticket); nothing else is written.
                ticket.sudo().last_progress_date = update.date
        return updates

    def action_save(self):
        """Close the dialog: the record is saved by the form."""
        return {"type": "ir.actions.act_window_close"}
