# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import triage_text


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
    # Triage (helpdesk_ticket_triage.py): the words that suggest this type.
    sgc_triage_keywords = fields.Text(
        string="Triage Keywords",
        help="Words and phrases that suggest this request type in a mail or Zalo "
        "message, one per line (diacritics do not matter). The triage also learns "
        "from the tickets whose type a person set or confirmed.",
    )
    sgc_triage_keyword_weight = fields.Float(
        string="Keyword Weight",
        default=1.0,
        help="How much one keyword of this type counts against the keywords of "
        "another: above 1 for words that state the request's intent (a quotation, "
        "an invoice) over words that only name a topic.",
    )
    sgc_triage_fallback = fields.Boolean(
        string="Suggested When Nothing Matches",
        help="The type the triage leans to when a request has none of the "
        "keywords (greetings, requests of no other type).",
    )
    sgc_triage_keyword_count = fields.Integer(
        string="Keywords", compute="_compute_sgc_triage_keyword_count"
    )

    @api.depends("sgc_triage_keywords")
    def _compute_sgc_triage_keyword_count(self):
        for category in self:
            category.sgc_triage_keyword_count = len(
                triage_text.keyword_phrases(category.sgc_triage_keywords)
            )
