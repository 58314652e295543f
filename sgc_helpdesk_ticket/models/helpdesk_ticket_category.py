# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Department",
        domain="[('is_department', '=', True)]",
        help="Tickets of this request type are routed to this department.",
    )
    is_quotation = fields.Boolean(
        string="Quotation Request",
        help="Requests of this type are handed to the CRM as an opportunity.",
    )
