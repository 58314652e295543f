# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_ticket_prefix = fields.Char(
        string="Ticket Code Prefix",
        default="SGC",
        help="Prefix of this company's ticket codes (one sequence per company).",
    )
    helpdesk_update_cutoff = fields.Float(
        string="Daily Update Cut-off",
        default=17.0,
        help="Progress updates are due every working day before this time "
        "(the time zone of the company's working hours, SOP V.3).",
    )
    helpdesk_hotline = fields.Char(string="Support Hotline", default="1900 1713")
    helpdesk_support_email = fields.Char(
        string="Support Email", default="hotro@hsevn.com.vn"
    )
    helpdesk_form_url = fields.Char(
        string="Support Form URL",
        default="https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu",
    )

    def _sgc_ticket_sequence(self):
        """This company's ticket sequence, created with its prefix when missing."""
        self.ensure_one()
        # sudo: the company's ticket numbering, found or created with its prefix
        # for whoever creates the first ticket; sequences are the administrator's.
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "helpdesk.ticket.sequence"), ("company_id", "=", self.id)],
            limit=1,
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self.env._("Helpdesk tickets of %s", self.name),
                    "code": "helpdesk.ticket.sequence",
                    "company_id": self.id,
                    "prefix": self.helpdesk_ticket_prefix or "",
                    "padding": 5,
                }
            )
        return sequence

    def _sgc_tz(self):
        """The time zone of this company's working hours (its calendar's, which
        the SLA counts in); the company's own partner's, then UTC, without one."""
        self.ensure_one()
        name = self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _sgc_now_local(self, now=None):
        """``now`` (naive UTC, default: the current time) in the company's zone."""
        self.ensure_one()
        return pytz.utc.localize(now or fields.Datetime.now()).astimezone(
            self._sgc_tz()
        )

    def _sgc_local_to_utc(self, local_dt):
        """A naive datetime of the company's zone -> naive UTC."""
        self.ensure_one()
        local = self._sgc_tz().localize(local_dt)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def write(self, vals):
        res = super().write(vals)
        if "helpdesk_ticket_prefix" in vals:
            for company in self:
                company._sgc_ticket_sequence().prefix = company.helpdesk_ticket_prefix
        return res

    # KPI and monthly customer report settings

    helpdesk_kpi_cutoff_day = fields.Integer(
        string="KPI Cut-off Day",
        default=25,
        help="KPI periods end on this day of the month at 23:59:59 (company time) "
        "and start the day after it in the previous month (SOP V.5: the 25th).",
    )
    helpdesk_kpi_close_hour = fields.Float(
        string="KPI Closing Hour",
        default=0.0,
        help="The scheduled job closes a period once its cut-off day has ended "
        "(23:59:59, company time) and this hour of the next day has passed: 0 "
        "closes it at midnight, 8 at 08:00 on the 26th.",
    )
    helpdesk_kpi_close_basis = fields.Selection(
        selection=[
            ("working", "Working days (SOP)"),
            ("policy", "The closing policies' own time basis"),
        ],
        string="KPI Closing Limits In",
        default="working",
        required=True,
        help="How the KPI judges closing within 24 hours and within 3 days of the "
        "last finish. Working days (the SOP's reading): a day of the closing "
        "policies is a working day of the company's calendar (24 hours = one "
        "working day, 3 days = three), holidays and weekends excluded. The "
        "policies' own basis: as the SLA timers count them.",
    )
    helpdesk_kpi_monitor_id = fields.Many2one(
        comodel_name="res.users",
        string="KPI Ticket Monitor",
        domain=[("share", "=", False)],
        help="Credited in the KPI with the requests that came in by themselves "
        "(web form, email, Zalo) and with automatic routing (SOP V.1, VIII). "
        "Empty: the first member of the Ticket monitor group.",
    )
    # helpdesk_mgmt assigns a new ticket to whoever creates it: the mail
    # gateway's OdooBot, or the staff member typing it. At SGC a request type
    # routes it to its department's responsible person (SOP V.1); an unrouted one
    # waits for the monitor with nobody assigned.
    helpdesk_mgmt_ticket_auto_assign = fields.Boolean(default=False)
    helpdesk_customer_report_auto_send = fields.Boolean(
        string="Send Monthly Customer Reports",
        default=True,
        help="At the start of a month, mail each customer the report of the "
        "previous month's requests, unless a finished request still lacks its "
        "job code (those reports wait for staff).",
    )

    @api.constrains("helpdesk_kpi_close_hour")
    def _check_helpdesk_kpi_close_hour(self):
        for company in self:
            if not 0 <= company.helpdesk_kpi_close_hour < 24:
                raise ValidationError(
                    self.env._("The KPI closing hour must be between 0 and 24.")
                )

    def _sgc_address_line(self):
        """The company's address on one line, for the signature of its mails."""
        self.ensure_one()
        partner = self.partner_id
        parts = (
            partner.street,
            partner.street2,
            partner.city,
            partner.state_id.name,
            partner.country_id.name,
        )
        return ", ".join(part.strip() for part in parts if part and part.strip())

    def _sgc_public_contacts(self):
        """What the website shows every visitor of the company: its address,
        hotline and email (the support ones first)."""
        self.ensure_one()
        # sudo: the company's own address and contacts, set by its administrator
        # in Settings > Companies and public by nature; a visitor may not read
        # the company's contact record itself.
        company = self.sudo()
        return {
            "address": company._sgc_address_line(),
            "hotline": company.helpdesk_hotline or company.phone or "",
            "email": company.helpdesk_support_email or company.email or "",
        }

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

    # Triage (helpdesk_ticket_triage.py)

    sgc_triage_threshold = fields.Float(
        string="Automatic Routing Threshold",
        default=0.8,
        help="A request without a type whose suggested type has at least this "
        "confidence (0 to 1) is routed automatically; below it, the monitor "
        "accepts or corrects the suggestion. Above 1: never automatically. The "
        "default was chosen on SGC's evaluation set for at least 95% precision.",
    )
    sgc_duplicate_days = fields.Integer(
        string="Duplicate Look-back (days)",
        default=7,
        help="A new request is compared with the same customer's open tickets "
        "created in these last days. 0: no duplicate detection.",
    )
    sgc_duplicate_similarity = fields.Float(
        string="Duplicate Similarity",
        default=0.5,
        help="From 0 to 1: how close (shared content words) a new request must be "
        "to one of the customer's open tickets to be flagged as its possible "
        "duplicate.",
    )
    sgc_duplicate_type_bonus = fields.Float(
        string="Same Type Bonus",
        default=0.1,
        help="Added to the similarity when both requests have the same (or the "
        "same suggested) request type.",
    )
    sgc_triage_accuracy = fields.Float(
        string="Suggestion Accuracy (30 days)",
        compute="_compute_sgc_triage_accuracy",
        help="Of the tickets of the last 30 days with a suggestion whose type a "
        "person confirmed, the share the triage got right.",
    )
    sgc_triage_accuracy_count = fields.Integer(
        string="Confirmed Suggestions (30 days)",
        compute="_compute_sgc_triage_accuracy",
    )

    @api.constrains("sgc_triage_threshold", "sgc_duplicate_similarity")
    def _check_sgc_triage_settings(self):
        for company in self:
            if company.sgc_triage_threshold < 0 or not (
                0 <= company.sgc_duplicate_similarity <= 2
            ):
                raise ValidationError(
                    self.env._(
                        "The routing threshold and the duplicate similarity are "
                        "positive numbers (0 to 1)."
                    )
                )

    def _compute_sgc_triage_accuracy(self):
        since = fields.Datetime.now() - timedelta(days=30)
        # sudo: counts only, over the company's tickets, for its settings page
        groups = (
            self.env["helpdesk.ticket"]
            .sudo()  # sudo: counts only, for the settings page
            ._read_group(
                [
                    ("company_id", "in", self.ids),
                    ("create_date", ">=", since),
                    ("sgc_suggestion_result", "in", ("correct", "wrong")),
                ],
                ["company_id", "sgc_suggestion_result"],
                ["__count"],
            )
        )
        counts = {}
        for company, result, count in groups:
            counts.setdefault(company.id, {})[result] = count
        for company in self:
            by_result = counts.get(company.id, {})
            total = sum(by_result.values())
            company.sgc_triage_accuracy_count = total
            company.sgc_triage_accuracy = (
                by_result.get("correct", 0) / total if total else 0.0
            )
