# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    # Kept apart from helpdesk_ticket.py: the KPI and monthly report extension.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "helpdesk.ticket"

    job_code = fields.Char(
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Mã CV: the job this request was handled under, shown on the "
        "customer's monthly report. Every finished request needs one before the "
        "report is sent.",
    )
    missing_job_code = fields.Boolean(
        compute="_compute_missing_job_code",
        search="_search_missing_job_code",
        help="Finished, without a job code: fix it before the customer's monthly "
        "report is sent.",
    )

    @api.depends("state", "job_code")
    def _compute_missing_job_code(self):
        for ticket in self:
            ticket.missing_job_code = ticket.state == "done" and not ticket.job_code

    @api.model
    def _search_missing_job_code(self, operator, value):
        domain = [("state", "=", "done"), ("job_code", "in", (False, ""))]
        if (operator == "=") == bool(value):
            return domain
        return ["!", "&", *domain]
