# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
