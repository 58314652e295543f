# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    # Kept apart from res_company.py: the KPI and monthly report settings.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.company"

    helpdesk_kpi_cutoff_day = fields.Integer(
        string="KPI Cut-off Day",
        default=25,
        help="KPI periods end on this day of the month at 23:59:59 (Vietnam time) "
        "and start the day after it in the previous month (SOP V.5: the 25th).",
    )
    helpdesk_kpi_close_hour = fields.Float(
        string="KPI Closing Hour",
        default=17.0,
        help="On the cut-off day, the period is closed by the scheduled job once "
        "this hour (Vietnam time, end of working hours) has passed.",
    )
    helpdesk_customer_report_auto_send = fields.Boolean(
        string="Send Monthly Customer Reports",
        default=True,
        help="At the start of a month, mail each customer the report of the "
        "previous month's requests, unless a finished request still lacks its "
        "job code (those reports wait for staff).",
    )

    @api.constrains("helpdesk_kpi_cutoff_day")
    def _check_helpdesk_kpi_cutoff_day(self):
        for company in self:
            if not 1 <= company.helpdesk_kpi_cutoff_day <= 28:
                raise ValidationError(
                    self.env._(
                        "The KPI cut-off day must be between 1 and 28 (every month "
                        "has it)."
                    )
                )
