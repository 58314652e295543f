# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# Rows of the table that hold a request type's totals, not a feature. Features are
# folded words ([a-z0-9] and spaces), so they never start with "#".
DOCS = "#docs"  # requests learnt
FEATS = "#feats"  # features counted over those requests
VOCAB = "#vocab"  # distinct features of the request type
SPECIAL = (DOCS, FEATS, VOCAB)


class HelpdeskTicketTriageToken(models.Model):
    """What the triage learnt from the desk's history: for each company and
    request type, how many requests whose type a person set or confirmed have
    each word or word pair. Written by the triage only (``helpdesk.ticket``'s
    learning and the nightly rebuild, helpdesk_ticket_triage.py)."""

    _name = "helpdesk.ticket.triage.token"
    _description = "Helpdesk Triage Learnt Word"
    _order = "company_id, category_id, token"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, ondelete="cascade", index=True
    )
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        string="Request Type",
        required=True,
        ondelete="cascade",
    )
    token = fields.Char(string="Word or Pair", required=True)
    doc_count = fields.Integer(
        string="Requests",
        help="Learnt requests of this type with this word or pair.",
    )

    _sql_constraints = [
        (
            "token_uniq",
            "unique(company_id, token, category_id)",
            "A word is counted once per company and request type.",
        ),
    ]
