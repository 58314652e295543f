# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    state = fields.Selection(
        related="stage_id.state",
        store=True,
        index=True,
    )
