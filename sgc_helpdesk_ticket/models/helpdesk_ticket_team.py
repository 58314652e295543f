# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Command


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    code = fields.Char(help="Short department code, e.g. PTN, PKT, PKD, PKToán.")
    is_department = fields.Boolean(
        string="Handling Department",
        help="Tickets routed to this team count as routed to a department. "
        "The intake team (hotro@) is not a department.",
    )
    responsible_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Person in charge of the department: new tickets routed here are "
        "assigned to them unless the assignment rule says otherwise.",
    )
    assign_method = fields.Selection(
        selection=[
            ("responsible", "The department's responsible person"),
            ("balanced", "The member with the fewest open tickets"),
            ("none", "Nobody: the department assigns by hand"),
        ],
        string="Assignment Rule",
        default="responsible",
        required=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._sgc_add_responsible_to_members()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "responsible_user_id" in vals or "user_ids" in vals:
            self._sgc_add_responsible_to_members()
        return res

    def _sgc_add_responsible_to_members(self):
        # helpdesk_mgmt clears an assignee who is not a member of the ticket's team.
        for team in self:
            if team.responsible_user_id and team.responsible_user_id not in (
                team.user_ids
            ):
                team.user_ids = [Command.link(team.responsible_user_id.id)]

    def _sgc_pick_assignee(self):
        """The user a newly routed ticket goes to, by the team's rule."""
        self.ensure_one()
        if self.assign_method == "responsible":
            return self.responsible_user_id
        if self.assign_method == "balanced" and self.user_ids:
            groups = self.env["helpdesk.ticket"]._read_group(
                [
                    ("team_id", "=", self.id),
                    ("user_id", "in", self.user_ids.ids),
                    ("state", "in", ("new", "in_progress", "paused")),
                ],
                ["user_id"],
                ["__count"],
            )
            load = {user.id: count for user, count in groups}
            return min(self.user_ids, key=lambda u: (load.get(u.id, 0), u.id))
        return self.env["res.users"]
