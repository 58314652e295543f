# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketChecklistItem(models.Model):
    """A step of a long ticket (ITS map: checklist for long tasks)."""

    _name = "helpdesk.ticket.checklist.item"
    _description = "Helpdesk Ticket Checklist Item"
    _order = "sequence, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    is_done = fields.Boolean(string="Done")
    done_user_id = fields.Many2one(
        comodel_name="res.users", string="Done By", readonly=True
    )
    done_date = fields.Datetime(string="Done On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_done"):
                vals.update(done_user_id=self.env.uid, done_date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if "is_done" in vals:
            if vals["is_done"]:
                vals.update(done_user_id=self.env.uid, done_date=fields.Datetime.now())
            else:
                vals.update(done_user_id=False, done_date=False)
        return super().write(vals)
