# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The SOP milestones: each ticket has a status of each (helpdesk.ticket.sla), which
# the KPI counts.
MILESTONES = [
    ("create", "Ticket created after the request"),
    ("route", "Routed to a department after creation"),
    ("first_contact", "First contact with the customer"),
    ("close", "Closed after the work is finished"),
    ("close_limit", "Closed at the latest after the work is finished"),
]
# The other timers of the desk, run by the same engine: no status of their own.
TIMERS = MILESTONES + [
    ("start", "Started after the ticket was assigned"),
    ("auto_close", "Closed automatically once the customer confirmed"),
    ("daily_update", "Progress update every working day before the cut-off"),
]
ACTIONS = [
    ("remind", "Remind"),
    ("escalate", "Escalate along the chain"),
    ("close", "Close the ticket"),
]
# What each timer may do.
TIMER_ACTIONS = {
    "create": {"remind"},
    "route": {"remind", "escalate"},
    "first_contact": {"remind", "escalate"},
    "close": {"remind"},
    "close_limit": {"remind"},
    "start": {"remind"},
    "auto_close": {"close"},
    "daily_update": {"remind"},
}

DURATION_UNITS = [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days")]
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}

PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Very High"),
]


class HelpdeskSlaPolicy(models.Model):
    """One timer of the desk: a time target of a ticket (a milestone, the
    not-started reminder, the auto-close, the daily update), within a scope, with
    its warning and its action. One cron runs them all
    (helpdesk.ticket.sla._cron_sla_check, over helpdesk.ticket.timer).

    The first active policy (by sequence) whose scope matches a ticket applies; an
    empty scope field matches everything.
    """

    _name = "helpdesk.sla.policy"
    _description = "Helpdesk SLA Policy"
    _order = "milestone, sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        comodel_name="res.company", default=lambda self: self.env.company
    )
    milestone = fields.Selection(selection=TIMERS, string="Timer", required=True)
    action = fields.Selection(
        selection=ACTIONS,
        required=True,
        default="remind",
        help="Remind: the people who answer for the ticket are warned before the "
        "target and told when it is missed. Escalate along the chain: besides, "
        "each step of the department's escalation chain is told after its delay "
        "until the milestone is reached. Close the ticket: the ticket is closed "
        "once the target has passed and nothing it needs is missing.",
    )
    target_minutes = fields.Integer(
        string="Target (minutes)",
        required=True,
        default=60,
        help="Time allowed from the milestone's start to the event.",
    )
    warn_minutes = fields.Integer(
        string="Warn Before (minutes)",
        default=15,
        help="The assignee is reminded this long before the deadline.",
    )
    # What a manager edits: an amount and a unit (24 hours, 3 days), stored as
    # minutes, which the engine counts in. A day is 24 hours of the policy's basis.
    target_amount = fields.Float(
        string="Target",
        compute="_compute_durations",
        inverse="_inverse_target",
        digits=(16, 2),
    )
    target_unit = fields.Selection(
        selection=DURATION_UNITS,
        compute="_compute_durations",
        inverse="_inverse_target",
    )
    warn_amount = fields.Float(
        string="Warn Before",
        compute="_compute_durations",
        inverse="_inverse_warn",
        digits=(16, 2),
    )
    warn_unit = fields.Selection(
        selection=DURATION_UNITS,
        compute="_compute_durations",
        inverse="_inverse_warn",
    )
    time_basis = fields.Selection(
        selection=[
            ("working", "Working time (company calendar and holidays)"),
            ("calendar", "Calendar time"),
        ],
        default="working",
        required=True,
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        help="Empty: the company's working hours.",
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team", string="Departments"
    )
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category", string="Request Types"
    )
    channel_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.channel", string="Channels"
    )
    priority = fields.Selection(selection=PRIORITIES, help="Empty: any priority.")

    _sql_constraints = [
        (
            "target_positive",
            "CHECK(target_minutes > 0)",
            "An SLA target must be a positive number of minutes.",
        )
    ]

    @api.constrains("milestone", "action")
    def _check_action(self):
        for policy in self:
            if policy.action not in TIMER_ACTIONS.get(policy.milestone, ()):
                raise ValidationError(
                    self.env._(
                        "The action %(action)s is not possible for the timer "
                        "%(timer)s.",
                        action=dict(
                            self._fields["action"]._description_selection(self.env)
                        )[policy.action],
                        timer=dict(
                            self._fields["milestone"]._description_selection(self.env)
                        )[policy.milestone],
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        # sudo: the engine's queue follows the policies a manager edits.
        Timer = self.env["helpdesk.ticket.timer"].sudo()
        if "warn_minutes" in vals or "warn_amount" in vals:
            # The pending warnings follow the new window (one query).
            Timer._sgc_redate_warnings(self)
        if "active" in vals and not vals["active"]:
            # An archived policy has nothing ahead any more.
            self.env.flush_all()
            self.env.cr.execute(
                "DELETE FROM helpdesk_ticket_timer WHERE policy_id = ANY(%s)",
                (self.ids,),
            )
            Timer.invalidate_model()
        return res

    @staticmethod
    def _split_minutes(minutes):
        minutes = minutes or 0
        for unit in ("days", "hours"):
            if minutes and minutes % UNIT_MINUTES[unit] == 0:
                return minutes / UNIT_MINUTES[unit], unit
        return float(minutes), "minutes"

    @api.depends("target_minutes", "warn_minutes")
    def _compute_durations(self):
        for policy in self:
            policy.target_amount, policy.target_unit = self._split_minutes(
                policy.target_minutes
            )
            policy.warn_amount, policy.warn_unit = self._split_minutes(
                policy.warn_minutes
            )

    def _inverse_target(self):
        for policy in self:
            factor = UNIT_MINUTES[policy.target_unit or "minutes"]
            policy.target_minutes = round((policy.target_amount or 0) * factor)

    def _inverse_warn(self):
        for policy in self:
            factor = UNIT_MINUTES[policy.warn_unit or "minutes"]
            policy.warn_minutes = round((policy.warn_amount or 0) * factor)

    def _matches(self, ticket):
        self.ensure_one()
        return (
            (not self.company_id or self.company_id == ticket.company_id)
            and (not self.team_ids or ticket.team_id in self.team_ids)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.channel_ids or ticket.channel_id in self.channel_ids)
            and (not self.priority or self.priority == ticket.priority)
        )

    @api.model
    def _policies_by_milestone(self):
        policies = self.search([])
        grouped = {}
        for policy in policies:
            grouped.setdefault(policy.milestone, self.browse())
            grouped[policy.milestone] |= policy
        return grouped

    def _calendar(self, company):
        self.ensure_one()
        return self.calendar_id or company.resource_calendar_id

    def _deadline(self, start, company, extra_minutes=0.0):
        """Deadline of a milestone started at ``start`` (naive UTC), extended by
        ``extra_minutes`` of working time spent paused."""
        self.ensure_one()
        minutes = self.target_minutes + (extra_minutes or 0.0)
        calendar = self._calendar(company)
        if self.time_basis == "calendar" or not calendar:
            return start + timedelta(minutes=minutes)
        return calendar.plan_hours(minutes / 60.0, start, compute_leaves=True)

    def _working_minutes(self, start, end, company, basis=None):
        """Time between two naive UTC datetimes on this policy's basis (or on
        ``basis``: "working" counts the working time whatever the policy's)."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        calendar = self._calendar(company)
        if (basis or self.time_basis) == "calendar" or not calendar:
            return (end - start).total_seconds() / 60.0
        return calendar.get_work_hours_count(start, end, compute_leaves=True) * 60.0
