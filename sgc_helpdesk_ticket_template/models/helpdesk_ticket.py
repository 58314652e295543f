# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import is_html_empty


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.depends("team_id")
    def _compute_helpdesk_ticket_category(self):
        """At SGC the request type chooses the department, not the other way
        round: a ticket waiting in the intake team (which lists no type) is
        classified by the monitor, and a misrouted one is moved by giving it
        another department's type. So every request type is offered, whatever
        the ticket's current department."""
        categories = self.env["helpdesk.ticket.category"].search([])
        for ticket in self:
            ticket.helpdesk_ticket_category_ids = categories

    @api.depends("category_id")
    def _compute_description(self):
        """A request type's template fills an empty description only: the
        customer's own words (form, mail, Zalo) are never replaced when the
        monitor classifies or re-routes the ticket."""
        for ticket in self:
            template = ticket.category_id.template_description
            if not is_html_empty(ticket.description):
                ticket.description = ticket.description
            elif not is_html_empty(template):
                ticket.description = template
            else:
                ticket.description = "<p></p>"
