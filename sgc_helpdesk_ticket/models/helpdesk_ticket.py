# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup
from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, plaintext2html
from odoo.tools.mail import parse_contact_from_email
from odoo.tools.sql import create_index

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import DEFAULT_MAX_RETRIES

from .helpdesk_ticket_intake import IntakeRequest
from .zalo_message import html_to_text

# SOP-SGC-CSKH-01 V.3: the moves a ticket may make between states.
ALLOWED_MOVES = {
    "new": {"in_progress", "cancelled"},
    "in_progress": {"paused", "done", "cancelled"},
    "paused": {"in_progress", "cancelled"},
    "done": set(),
    "cancelled": set(),
}
FINAL_STATES = {"done", "cancelled"}
OPEN_STATES = ("new", "in_progress", "paused")
# The frame of the mails about a request (data/mail_layout_data.xml).
SGC_MAIL_LAYOUT = "sgc_helpdesk_ticket.mail_notification_sgc"
# The SLA milestones a new ticket opens.
INTAKE_MILESTONES = ("create", "route", "first_contact")

# SOP facts (SOP V.1-4, VIII): the milestones the SLA and the KPI measure, the
# customer's confirmation and the escalation state. They change only through the
# ticket's actions, its state moves and the crons, never by a direct write, whoever
# the user: a helpdesk manager too goes through the actions (a correction is an
# administrator's, with env.su, and said in the chatter). ``received_date`` may be
# given when the ticket is created (a request entered on the customer's behalf).
SOP_FIELDS = frozenset(
    {
        "received_date",
        "routed_date",
        "routed_by_id",
        "first_contact_date",
        "started_date",
        "work_done_date",
        "resolution_minutes",
        "cancelled_date",
        "closed_date",
        "satisfaction_state",
        "satisfaction_method",
        "satisfaction_date",
        "satisfaction_note",
        "satisfaction_user_id",
        "escalation_level",
        "start_reminder_sent",
        "update_reminder_date",
        "close_limit_warned",
    }
)
SOP_FIELDS_AT_CREATE = frozenset({"received_date"})
# The context key an SOP action writes with. Its value is this object, not a flag:
# a client's context (JSON) cannot carry it, so no RPC call can forge it.
SOP_ACTION_KEY = "sgc_sop_action"
_SOP_ACTION = object()

SATISFACTION_METHODS = [
    ("portal", "Customer, through the portal or link"),
    ("phone", "Phone call"),
    ("email", "Email"),
    ("zalo", "Zalo"),
    ("in_person", "In person"),
]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    state = fields.Selection(related="stage_id.state", store=True, index=True)
    # Intake and routing (SOP V.1-2)
    received_date = fields.Datetime(
        string="Received On",
        default=fields.Datetime.now,
        copy=False,
        tracking=True,
        help="When the request reached SGC. For a ticket entered on behalf of a "
        "customer, when the customer asked (given when the ticket is created).",
    )
    on_behalf = fields.Boolean(
        string="Created on behalf of the customer",
        copy=False,
        tracking=True,
        help="Staff entered this ticket for the customer (SOP IV, way 2: 'Tạo hộ "
        "khách hàng'); the channel says how the request came.",
    )
    is_routed = fields.Boolean(
        string="Routed",
        compute="_compute_is_routed",
        store=True,
        help="The ticket is with one of the handling departments.",
    )
    routed_date = fields.Datetime(
        string="Routed On", copy=False, readonly=True, tracking=True
    )
    routed_by_id = fields.Many2one(
        comodel_name="res.users", copy=False, readonly=True, tracking=True
    )
    is_quotation = fields.Boolean(related="category_id.is_quotation")
    # Milestones (SLA and KPI measure these)
    first_contact_date = fields.Datetime(
        string="First Contact On",
        copy=False,
        readonly=True,
        tracking=True,
        help="When staff first contacted the customer about this request.",
    )
    started_date = fields.Datetime(
        string="Started On", copy=False, readonly=True, tracking=True
    )
    work_done_date = fields.Datetime(
        string="Work Finished On",
        copy=False,
        readonly=True,
        tracking=True,
        help="When the work itself was finished; the ticket must be closed within "
        "24 hours of it, never more than 3 days.",
    )
    resolution_minutes = fields.Float(
        string="Resolution (working minutes)",
        copy=False,
        readonly=True,
        tracking=True,
        help="Working time of the company's calendar (holidays and pauses "
        "excluded) from the request's receipt to the last time the work was "
        "finished; set when the work is finished (the KPI averages it).",
    )
    cancelled_date = fields.Datetime(
        string="Cancelled On", copy=False, readonly=True, tracking=True
    )
    # helpdesk_mgmt's, stamped by its write() on a move to a closed stage.
    closed_date = fields.Datetime(readonly=True, tracking=True)
    pause_ids = fields.One2many(
        comodel_name="helpdesk.ticket.pause",
        inverse_name="ticket_id",
        string="Pauses",
        readonly=True,
    )
    # Closing (SOP V.4)
    resolution = fields.Text(
        string="Resolution Summary", copy=False, help="What was done for the customer."
    )
    satisfaction_state = fields.Selection(
        selection=[
            ("none", "Not asked"),
            ("pending", "Awaiting customer confirmation"),
            ("confirmed", "Customer satisfied"),
            ("not_satisfied", "Customer not satisfied"),
        ],
        string="Customer Satisfaction",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    satisfaction_method = fields.Selection(
        selection=SATISFACTION_METHODS,
        string="Confirmed Through",
        copy=False,
        readonly=True,
        tracking=True,
    )
    satisfaction_date = fields.Datetime(
        string="Confirmed On", copy=False, readonly=True, tracking=True
    )
    satisfaction_note = fields.Text(
        string="Confirmation Note", copy=False, readonly=True, tracking=True
    )
    satisfaction_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded By",
        copy=False,
        readonly=True,
        tracking=True,
        help="Staff member who recorded the confirmation (empty when the customer "
        "confirmed it themselves).",
    )
    cancel_reason = fields.Text(string="Cancellation Reason", copy=False)
    # Daily work (SOP V.3)
    progress_ids = fields.One2many(
        comodel_name="helpdesk.ticket.progress",
        inverse_name="ticket_id",
        string="Progress Updates",
    )
    last_progress_date = fields.Datetime(
        string="Last Progress Update", copy=False, readonly=True, index=True
    )
    updated_today = fields.Boolean(
        compute="_compute_updated_today",
        search="_search_updated_today",
        help="A progress update was logged today before the company's cut-off "
        "(17:00 by default, Vietnam time).",
    )
    checklist_item_ids = fields.One2many(
        comodel_name="helpdesk.ticket.checklist.item",
        inverse_name="ticket_id",
        string="Checklist",
        copy=True,
    )
    # Counts only, which closing checks for whoever closes (a customer too).
    checklist_open_count = fields.Integer(
        string="Open Checklist Items",
        compute="_compute_checklist_counts",
        compute_sudo=True,
    )
    checklist_done_count = fields.Integer(
        string="Done Checklist Items",
        compute="_compute_checklist_counts",
        compute_sudo=True,
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Open, with a time target of the SOP (SLA milestone) failed or past "
        "its deadline.",
    )
    # SLA (milestone statuses; the SLA cron sets the flags below once each)
    sla_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla",
        inverse_name="ticket_id",
        string="SLA Milestones",
        readonly=True,
    )
    sla_at_risk = fields.Boolean(
        string="SLA at Risk",
        compute="_compute_sla_flags",
        search="_search_sla_at_risk",
    )
    escalation_level = fields.Integer(copy=False, readonly=True, tracking=True)
    escalation_ids = fields.One2many(
        comodel_name="helpdesk.ticket.escalation",
        inverse_name="ticket_id",
        string="Escalations",
        readonly=True,
    )
    start_reminder_sent = fields.Boolean(copy=False, readonly=True, tracking=True)
    update_reminder_date = fields.Date(copy=False, readonly=True, tracking=True)
    close_limit_warned = fields.Boolean(copy=False, readonly=True, tracking=True)
    partner_customer_code = fields.Char(
        related="partner_id.commercial_partner_id.customer_code",
        string="Customer Code",
    )

    @api.depends("team_id", "team_id.is_department")
    def _compute_is_routed(self):
        for ticket in self:
            ticket.is_routed = bool(ticket.team_id.is_department)

    @api.model
    def _late_domain(self):
        """Open, with a milestone failed or past its deadline."""
        now = fields.Datetime.now()
        return [
            ("state", "in", OPEN_STATES),
            (
                "sla_ids",
                "any",
                [
                    "|",
                    ("status", "=", "failed"),
                    "&",
                    ("status", "=", "ongoing"),
                    ("deadline", "<", now),
                ],
            ),
        ]

    @api.model
    def _at_risk_domain(self):
        """Open, with an ongoing milestone inside its policy's warning window."""
        now = fields.Datetime.now()
        return [
            ("state", "in", OPEN_STATES),
            (
                "sla_ids",
                "any",
                [
                    ("status", "=", "ongoing"),
                    ("warn_date", "<=", now),
                    ("deadline", ">=", now),
                ],
            ),
        ]

    def _compute_sla_flags(self):
        at_risk = self.filtered_domain(self._at_risk_domain())
        for ticket in self:
            ticket.sla_at_risk = ticket in at_risk

    def _search_sla_at_risk(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'SLA at Risk'."))
        if (operator == "=") == value:
            return self._at_risk_domain()
        return ["!", *self._at_risk_domain()]

    # The SLA at a glance: the nearest deadline of the ongoing milestones as a
    # countdown ("còn 25 phút", "trễ 2 giờ"), coloured on time, at risk or late.
    sla_next_deadline = fields.Datetime(
        string="Next SLA Deadline", compute="_compute_sla_countdown"
    )
    sla_countdown = fields.Char(
        string="SLA Countdown", compute="_compute_sla_countdown"
    )
    sla_countdown_state = fields.Selection(
        selection=[("ok", "On time"), ("at_risk", "At risk"), ("late", "Late")],
        string="SLA Countdown State",
        compute="_compute_sla_countdown",
    )

    @api.depends("sla_ids.deadline", "sla_ids.status", "state")
    @api.depends_context("lang")
    def _compute_sla_countdown(self):
        now = fields.Datetime.now()
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        # One grouped read of the ongoing milestones of all these tickets.
        groups = (
            self.env["helpdesk.ticket.sla"]._read_group(
                [("ticket_id", "in", ids), ("status", "=", "ongoing")],
                ["ticket_id"],
                ["deadline:min", "warn_date:min"],
            )
            if ids
            else []
        )
        nearest = {ticket.id: (deadline, warn) for ticket, deadline, warn in groups}
        for ticket in self:
            deadline, warn = nearest.get(ticket.id, (False, False))
            if not deadline or ticket.state not in ("new", "in_progress"):
                ticket.sla_next_deadline = deadline
                ticket.sla_countdown = False
                ticket.sla_countdown_state = False
                continue
            ticket.sla_next_deadline = deadline
            if deadline <= now:
                state = "late"
            elif warn and warn <= now:
                state = "at_risk"
            else:
                state = "ok"
            ticket.sla_countdown_state = state
            ticket.sla_countdown = ticket._sgc_countdown_text(
                abs((deadline - now).total_seconds()) / 60.0, late=state == "late"
            )

    def _sgc_countdown_text(self, minutes, late):
        env = self.env
        if minutes < 60:
            value = max(int(minutes), 1)
            if late:
                return env._("%s min late", value)
            return env._("%s min left", value)
        if minutes < 48 * 60:
            value = int(minutes // 60)
            if late:
                return env._("%s h late", value)
            return env._("%s h left", value)
        value = int(minutes // 1440)
        if late:
            return env._("%s days late", value)
        return env._("%s days left", value)

    def _compute_is_late(self):
        late = self.filtered_domain(self._late_domain())
        for ticket in self:
            ticket.is_late = ticket in late

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Late'."))
        if (operator == "=") == value:
            return self._late_domain()
        return ["!", *self._late_domain()]

    @api.depends("checklist_item_ids.is_done")
    def _compute_checklist_counts(self):
        for ticket in self:
            done = len(ticket.checklist_item_ids.filtered("is_done"))
            ticket.checklist_done_count = done
            ticket.checklist_open_count = len(ticket.checklist_item_ids) - done

    @api.model
    def _today_update_window(self, company=None, now=None):
        """(start, cut-off) of the company's update window of today (its day, in
        its working hours' time zone), as naive UTC datetimes."""
        company = company or self.env.company
        day = company._sgc_now_local(now).date()
        cutoff = company.helpdesk_update_cutoff or 17.0
        hours = int(cutoff)
        minutes = int(round((cutoff - hours) * 60))
        return (
            company._sgc_local_to_utc(datetime.combine(day, time.min)),
            company._sgc_local_to_utc(datetime.combine(day, time(hours, minutes))),
        )

    @api.depends_context("uid")
    def _compute_updated_today(self):
        updated = set(self._search_updated_today("=", True)[0][2]) if self else set()
        for ticket in self:
            ticket.updated_today = ticket.id in updated

    def _search_updated_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Updated Today'."))
        start, end = self._today_update_window()
        self.env["helpdesk.ticket.progress"].flush_model(["ticket_id", "date"])
        # One set-based query, whatever the number of tickets.
        self.env.cr.execute(
            """SELECT DISTINCT ticket_id FROM helpdesk_ticket_progress
               WHERE date >= %s AND date < %s""",
            (start, end),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.constrains("satisfaction_state", "satisfaction_method")
    def _check_satisfaction_method(self):
        for ticket in self:
            if ticket.satisfaction_state == "confirmed" and not (
                ticket.satisfaction_method
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %s: say how the customer confirmed satisfaction.",
                        ticket.number,
                    )
                )

    def init(self):
        res = super().init()
        # Every intake counts the tickets created lately: the mail gateway's loop
        # detection (by sender) and the website form's rate limit (by address and
        # email). Without this index each count scans all tickets (bench/).
        create_index(
            self.env.cr, "helpdesk_ticket_create_date_idx", self._table, ["create_date"]
        )
        # The ticket list's order (helpdesk_mgmt's _order): a first page is read
        # from this index instead of sorting every ticket the user may see, which
        # the access rules' OR (team, assignee, follower) makes a full scan.
        create_index(
            self.env.cr,
            "helpdesk_ticket_list_order_idx",
            self._table,
            ["priority DESC", "sequence", "number DESC", "id DESC"],
        )
        return res

    # ---------------------------------------------------
    # CRUD
    # ---------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The intake pipeline states "on behalf" explicitly for every channel; a
        # ticket a staff member creates without stating it (the backend form, an
        # import) is entered for a customer (SOP IV, way 2). The system user
        # (crons, data files) enters nothing for anybody.
        staff_entry = (
            not self.env.user.share
            and self.env.uid != SUPERUSER_ID
            and not self.env.context.get("sgc_intake")
        )
        # SOP facts are not typed in at creation either (received_date aside);
        # an administrator may, to load the history of past requests.
        check_sop = not self.env.user.has_group("base.group_system")
        for vals in vals_list:
            if check_sop:
                self._sgc_check_sop_vals(vals, creating=True)
            if "on_behalf" not in vals:
                vals["on_behalf"] = staff_entry
            self._route_vals(vals)
        intake = self.env.context.get("sgc_intake")
        model = self
        if intake:
            # The assignee's mail and the "ticket created" message (with its
            # notifications) leave from the ticket's job, not from the request.
            # So do its followers (the customer, the assignee, the department's).
            model = self.with_context(
                mail_auto_subscribe_no_notify=True,
                mail_create_nolog=True,
                sgc_defer_followers=True,
            )
        tickets = super(HelpdeskTicket, model).create(vals_list)
        tickets = tickets.with_env(self.env)
        for ticket in tickets:
            if ticket.state and ticket.state != "new" and not self.env.is_superuser():
                raise UserError(
                    self.env._(
                        "A ticket starts in the state New (SOP V.3); it cannot be "
                        "created in %(stage)s.",
                        stage=ticket.stage_id.name,
                    )
                )
        tickets._sgc_stamp_state_dates({})
        if not intake:
            # Entered by staff or the system: the SLA starts at once (the
            # pipeline's tickets start theirs in their job, see _after_create).
            self.env["helpdesk.ticket.sla"]._sgc_start(
                tickets, list(INTAKE_MILESTONES), just_created=True
            )
        if not self.env.context.get("sgc_intake_after_create"):
            # The intake pipeline calls it itself, with the request's notes.
            self.env["helpdesk.ticket.intake"]._after_create(tickets)
        return tickets

    def write(self, vals):
        self._sgc_check_sop_vals(vals)
        moving = "stage_id" in vals
        if moving:
            old_states = {ticket.id: ticket.state for ticket in self}
            new_stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            self._check_state_moves(old_states, new_stage)
        if "category_id" in vals or "team_id" in vals:
            # Routing depends on each ticket's current department.
            res = True
            for ticket in self:
                ticket_vals = ticket._route_vals(dict(vals), ticket=ticket)
                res = super(HelpdeskTicket, ticket).write(ticket_vals) and res
        else:
            res = super().write(vals)
        if moving:
            moved = self.filtered(lambda t: old_states[t.id] != t.state)
            moved._check_state_preconditions()
            moved._sgc_stamp_state_dates(old_states)
        reached = [
            milestone
            for milestone, field in (
                ("route", "routed_date"),
                ("first_contact", "first_contact_date"),
            )
            if field in vals or (milestone == "route" and "team_id" in vals)
        ]
        if reached:
            self.env["helpdesk.ticket.sla"]._sgc_reach(self, reached)
        if "work_done_date" in vals:
            # The last finish starts the closing clocks (SOP V.4).
            Sla = self.env["helpdesk.ticket.sla"]
            Sla._sgc_restart(self, ["close", "close_limit"])
            Sla._sgc_start(self, ["close", "close_limit"])
            self._sgc_stamp_resolution_minutes()
            # sudo: the engine's queue: the automatic closing of finished work.
            self.env["helpdesk.ticket.timer"].sudo()._sgc_plan_ticket(
                self, "auto_close"
            )
        if "priority" in vals:
            # The target of the priority in force (the escalations follow it).
            self.env["helpdesk.ticket.sla"]._sgc_rematch(self)
        if "user_id" in vals:
            # sudo: the engine's queue: the reminder of an assigned New ticket.
            self.env["helpdesk.ticket.timer"].sudo()._sgc_plan_ticket(self, "start")
        if {"priority", "team_id", "category_id", "channel_id"} & set(vals):
            # sudo: the engine's queue: the escalation follows the ticket's scope.
            self.env["helpdesk.ticket.timer"].sudo()._sgc_replan_escalations(self)
        return res

    def _sgc_working_minutes(self, start, end):
        """Working minutes of the company's calendar (holidays excluded)
        between two naive UTC datetimes, this ticket's pauses excluded."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        calendar = self.company_id.resource_calendar_id

        def minutes(a, b):
            if b <= a:
                return 0.0
            if not calendar:
                return (b - a).total_seconds() / 60.0
            return calendar.get_work_hours_count(a, b, compute_leaves=True) * 60.0

        total = minutes(start, end)
        for pause in self.pause_ids:
            pause_end = pause.date_end or end
            total -= minutes(max(pause.date_start, start), min(pause_end, end))
        return max(total, 0.0)

    def _sgc_stamp_resolution_minutes(self):
        for ticket in self.filtered("work_done_date"):
            minutes = ticket._sgc_working_minutes(
                ticket.received_date or ticket.create_date, ticket.work_done_date
            )
            # Bypass write(): bookkeeping of the finish just recorded.
            super(HelpdeskTicket, ticket).write({"resolution_minutes": minutes})
        return True

    def _sgc_sop(self):
        """These tickets, for a write of one of their actions (see SOP_FIELDS)."""
        return self.with_context(**{SOP_ACTION_KEY: _SOP_ACTION})

    def _sgc_check_sop_vals(self, vals, creating=False):
        """Refuse a direct change of SOP facts (SOP_FIELDS), and any direct write
        of a customer: a portal user changes a ticket only through the portal's
        buttons. The actions (``_sgc_sop()``) and the crons (env.su) pass."""
        if self.env.su or self.env.context.get(SOP_ACTION_KEY) is _SOP_ACTION:
            return
        if self.env.user.share:
            raise AccessError(
                self.env._(
                    "Customers change a ticket through the buttons of its portal "
                    "page only."
                )
            )
        allowed = SOP_FIELDS_AT_CREATE if creating else frozenset()
        refused = sorted(SOP_FIELDS.intersection(vals) - allowed)
        if refused:
            labels = ", ".join(self._fields[name].string for name in refused)
            raise AccessError(
                self.env._(
                    "%(fields)s change only through the ticket's actions (Start, "
                    "Customer contacted, Work finished, Record satisfaction, Close, "
                    "Cancel) and the SLA jobs, not by editing them (SOP V).",
                    fields=labels,
                )
            )

    def _prepare_ticket_number(self, values):
        """One sequence per company, with the company's prefix."""
        company = self.env["res.company"].browse(values.get("company_id") or [])
        company = company or self.env.company
        if company.helpdesk_ticket_prefix:
            return company._sgc_ticket_sequence().next_by_id()
        return super()._prepare_ticket_number(values)

    # ---------------------------------------------------
    # Routing
    # ---------------------------------------------------

    def _route_vals(self, vals, ticket=None):
        """Complete ``vals`` with the department and assignee the category implies,
        and stamp when and by whom the ticket reached a department."""
        Team = self.env["helpdesk.ticket.team"]
        category_id = vals.get("category_id")
        if category_id is None and ticket:
            category_id = ticket.category_id.id
        team = Team.browse(vals["team_id"]) if vals.get("team_id") else None
        if team is None and ticket:
            team = ticket.team_id
        category = self.env["helpdesk.ticket.category"].browse(category_id or [])
        # A category only routes a ticket that no department holds yet: the monitor
        # or a department may move it on by hand afterwards.
        if category.team_id and not (team and team.is_department):
            team = category.team_id
            vals["team_id"] = team.id
            # Keep an assignee given now, or one who belongs to the department.
            user_given = vals.get("user_id") or (
                ticket and ticket.user_id in team.user_ids and ticket.user_id
            )
            if not user_given:
                assignee = team._sgc_pick_assignee()
                if assignee:
                    vals["user_id"] = assignee.id
        if team and team.is_department and not (ticket and ticket.routed_date):
            if "team_id" in vals or category.team_id:
                vals.setdefault("routed_date", fields.Datetime.now())
                vals.setdefault("routed_by_id", self.env.uid)
        return vals

    def _notify_monitors_new(self):
        """Tell the ticket monitors of each new ticket (SOP V.1: Ms. My)."""
        monitors = self.env.ref("sgc_helpdesk_ticket.group_ticket_monitor").users
        partners = monitors.filtered(lambda u: not u.share).partner_id
        if not partners:
            return
        # Told, not subscribed: the monitor sees every ticket through the access
        # rules, and following them all would mail her every reply on every ticket.
        for ticket in self:
            ticket.message_notify(
                partner_ids=partners.ids,
                subject=self.env._("New ticket %s", ticket.number),
                body=self.env._(
                    "New ticket %(number)s: %(name)s (%(team)s).",
                    number=ticket.number,
                    name=ticket.name,
                    team=ticket.team_id.name or self.env._("not routed yet"),
                ),
            )

    # ---------------------------------------------------
    # Jobs (queue_job): the slow work of a new ticket, after its commit
    # ---------------------------------------------------

    def _sgc_job_intake(
        self,
        created_at=False,
        intake=True,
        acknowledge=True,
        notes=(),
        contact=None,
        triage=False,
    ):
        """The slow work of a new ticket, in one job after the request's commit.

        Each step happens once, whatever the retries (the job is one
        transaction, and ``sgc_staff_notified`` says it is done): a new
        customer's contact (``contact``: what the request gave, see
        ``helpdesk.ticket.intake._resolve_contact``), the triage, the
        followers, then the SLA milestones (``created_at`` is when the request
        created the ticket; none for a ticket whose SLA started at once), the
        "ticket created" message, the request's ``notes`` (plain text), the
        monitors' notice and the assignee's mail, then the acknowledgement. An
        acknowledgement that cannot be sent does not hold the rest back: it is
        said on the ticket and handed to its own retried job.
        """
        self.ensure_one()
        ticket = self.exists()
        if not ticket:
            return "no ticket"
        done = []
        first = not ticket.sgc_staff_notified
        notes = list(notes)
        if first and contact and not ticket.partner_id:
            notes += self.env["helpdesk.ticket.intake"]._resolve_contact(
                ticket, contact
            )
            done.append("contact")
        if first and triage:
            ticket._sgc_run_triage(
                routed_at=fields.Datetime.to_datetime(created_at) or None
            )
            done.append("triage")
        if first and intake:
            ticket._sgc_subscribe_followers()
        if created_at:
            self.env["helpdesk.ticket.sla"]._sgc_start(
                ticket,
                list(INTAKE_MILESTONES),
                just_created=True,
                now=fields.Datetime.to_datetime(created_at),
            )
            done.append("sla")
        if first:
            ticket = ticket.with_context(mail_create_nosubscribe=True)
            if intake:
                # Held back by the pipeline's create (mail_create_nolog).
                ticket._sgc_post_creation_message()
            for note in notes:
                ticket._message_log(body=plaintext2html(note))
            ticket._notify_monitors_new()
            if (
                intake
                and ticket.user_id
                and ticket.user_id != self.env.ref("base.user_root")
            ):
                ticket._message_auto_subscribe_notify(
                    ticket.user_id.partner_id.ids, "mail.message_user_assigned"
                )
            ticket.sgc_staff_notified = True
            done.append("notified")
        if (
            acknowledge
            and ticket.channel_id.ack_template_id
            and not ticket.sgc_ack_date
        ):
            try:
                with self.env.cr.savepoint():
                    done.append(ticket._sgc_job_acknowledge())
            except RetryableJobError as error:
                ticket._sgc_acknowledgement_retried(error)
                done.append("acknowledgement queued for a retry")
        return ", ".join(done) or "nothing to do"

    def _sgc_subscribe_followers(self):
        """The followers a ticket's create would have added, held back from
        the request (``sgc_defer_followers``): the customer, and mail.thread's
        auto-subscription (the assignee, the department's followers), without
        its notification (the job sends the assignee's mail itself)."""
        for ticket in self:
            if ticket.partner_id:
                ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
            values = {
                name: ticket[name].id
                for name in ("user_id", "team_id", "category_id", "partner_id")
                if ticket[name]
            }
            ticket.with_context(
                mail_auto_subscribe_no_notify=True
            )._message_auto_subscribe(values, followers_existing_policy="update")

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("sgc_defer_followers"):
            # A ticket of the intake pipeline: its job subscribes them.
            return True
        return super()._message_auto_subscribe(
            updated_values, followers_existing_policy=followers_existing_policy
        )

    def _sgc_post_creation_message(self):
        """mail.thread's creation message, as its create() would have posted
        it (with the notifications of the creation subtype)."""
        for ticket in self:
            subtype = ticket._creation_subtype()
            if subtype:
                ticket.message_post(
                    subtype_id=subtype.id, author_id=self.env.user.partner_id.id
                )
            else:
                ticket._message_log(body=ticket._creation_message())

    def _sgc_acknowledgement_retried(self, error):
        """The intake job's acknowledgement failed: say so on the ticket and
        hand it to the acknowledgement's own job, retried with its backoff."""
        function = self.env["queue.job.function"].search(
            [("name", "=", "<helpdesk.ticket>._sgc_job_acknowledge")], limit=1
        )
        pattern = function.retry_pattern or {}
        seconds = pattern[min(pattern)] if pattern else 60
        for ticket in self:
            ticket.with_context(mail_create_nosubscribe=True)._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(task)s did not succeed (attempt %(attempt)s of "
                    "%(max)s), it is retried automatically: %(error)s",
                    task=self.env._("Acknowledge ticket %s", ticket.number),
                    attempt=1,
                    # The acknowledgement's job is queued with queue_job's
                    # default number of tries (_sgc_queue_acknowledgement).
                    max=DEFAULT_MAX_RETRIES,
                    error=str(error),
                )
            )
        self._sgc_queue_acknowledgement(eta=seconds)

    def _sgc_queue_acknowledgement(self, eta=None):
        """Queue the channel's acknowledgement (once: a job already waiting for
        the same ticket is not queued again)."""
        for ticket in self:
            ticket.with_user(SUPERUSER_ID).with_delay(
                priority=1,
                eta=eta,
                description=self.env._("Acknowledge ticket %s", ticket.number),
                identity_key=f"sgc_ack:{ticket.id}",
            )._sgc_job_acknowledge()
        return True

    def _sgc_job_acknowledge(self):
        """Send the acknowledgement of this ticket's channel, exactly once.

        The job runs in one transaction: the message, its mail and the ticket's
        ``sgc_ack_date`` commit together or not at all. A failure is retried
        with backoff and shown on the ticket (see queue_job's override).
        """
        self.ensure_one()
        ticket = self.exists()
        if not ticket or ticket.sgc_ack_date:
            return "already acknowledged"
        try:
            sent = self.env["helpdesk.ticket.channel"]._sgc_deliver_acknowledgement(
                ticket
            )
        except OperationalError:
            raise  # a concurrency error: queue_job retries it as such
        except Exception as error:
            # The retry pattern of the job function sets the backoff.
            raise RetryableJobError(
                self.env._("The acknowledgement could not be sent: %s", str(error))
            ) from error
        ticket.sgc_ack_date = fields.Datetime.now()
        return f"acknowledged: {sent}"

    def _sgc_job_failed(self, exc_info=None, exc_name=None, exc_message=None):
        """A job of this ticket gave up: say so on the ticket, for a person."""
        for ticket in self.exists():
            ticket._message_log(
                body=self.env._(
                    "An automatic task for this ticket failed after its retries "
                    "and was stopped: %s. Do it by hand (e.g. the button Send "
                    "acknowledgement), or ask an administrator to requeue it.",
                    exc_message or exc_name or "",
                )
            )
            monitor = (
                ticket.user_id
                or self.env.ref(
                    "sgc_helpdesk_ticket.group_ticket_monitor"
                ).users.filtered(lambda u: not u.share)[:1]
            )
            if monitor:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Automatic task failed"),
                    note=exc_message or "",
                    user_id=monitor.id,
                )
        return True

    # ---------------------------------------------------
    # State machine (SOP V.3-4)
    # ---------------------------------------------------

    def _check_state_moves(self, old_states, new_stage):
        state_labels = dict(
            self.env["helpdesk.ticket.stage"]._fields["state"].selection
        )
        is_manager = self.env.user.has_group("sgc_helpdesk_ticket.group_manager")
        for ticket in self:
            old, new = old_states[ticket.id], new_stage.state
            if not old or old == new or new in ALLOWED_MOVES.get(old, set()):
                continue
            if old == "new" and new == "done" and ticket._is_handed_to_crm():
                continue  # SOP V: a quotation handed to sales closes at once
            if old in FINAL_STATES and (is_manager or self.env.is_superuser()):
                continue  # a manager reopens a closed or cancelled ticket
            if old in FINAL_STATES:
                raise UserError(
                    self.env._(
                        "Ticket %(number)s is %(old)s: only a helpdesk manager can "
                        "reopen it (SOP V.3).",
                        number=ticket.number,
                        old=state_labels[old],
                    )
                )
            allowed = ", ".join(state_labels[s] for s in sorted(ALLOWED_MOVES[old]))
            raise UserError(
                self.env._(
                    "Ticket %(number)s cannot go from %(old)s to %(new)s: SOP V.3 "
                    "allows %(old)s -> %(allowed)s.",
                    number=ticket.number,
                    old=state_labels[old],
                    new=state_labels[new],
                    allowed=allowed,
                )
            )

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.partner_phone = (
                partner.phone or partner.mobile or ticket.partner_phone or False
            )

    @api.depends("number", "name")
    def _compute_display_name(self):
        """helpdesk_mgmt's "number - title", without "/ - False" for a ticket
        not saved yet."""
        res = super()._compute_display_name()
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.display_name = ticket.name or self.env._("New ticket")
        return res

    def _missing_for_in_progress(self):
        self.ensure_one()
        partner = self.partner_id
        missing = []
        if not partner:
            missing.append(self.env._("customer"))
        if not (
            self.partner_email
            or partner.email
            or self.partner_phone
            or partner.phone
            or partner.mobile
            or partner.zalo_user_id
        ):
            missing.append(self.env._("contact (email, phone or Zalo)"))
        if not self.category_id:
            missing.append(self.env._("request type"))
        if not self.team_id.is_department:
            missing.append(self.env._("department"))
        if not self.user_id:
            missing.append(self.env._("assignee"))
        return missing

    def _missing_for_done(self):
        self.ensure_one()
        missing = []
        if not (self.resolution or "").strip():
            missing.append(self.env._("resolution summary"))
        if self.satisfaction_state != "confirmed" and not self._is_handed_to_crm():
            missing.append(self.env._("customer satisfaction confirmation"))
        if self.checklist_open_count:
            missing.append(
                self.env._("%s open checklist item(s)", self.checklist_open_count)
            )
        return missing

    def _is_handed_to_crm(self):
        """A quotation request handed to sales closes without a satisfaction check:
        the customer is followed up in the CRM (SOP V, quotation notice)."""
        self.ensure_one()
        # sudo: whether an opportunity exists, not what it holds (a customer
        # closing their ticket may not read the CRM).
        return bool(self.category_id.is_quotation and self.sudo().lead_ids)

    def _track_template(self, changes):
        """A quotation handed to sales closes with the SOP's notice, which tells the
        customer the ticket closes: not with the closed stage's mail as well. The
        stage mails go in SGC's frame."""
        res = super()._track_template(changes)
        ticket = self[:1]
        if "stage_id" in res and ticket.state == "done" and ticket._is_handed_to_crm():
            del res["stage_id"]
        if "stage_id" in res:
            template, options = res["stage_id"]
            res["stage_id"] = (
                template,
                dict(options, email_layout_xmlid=SGC_MAIL_LAYOUT),
            )
        return res

    def message_post(self, **kwargs):
        # What the customer and staff get about a request comes in SGC's frame
        # (the request's code, the company's support contacts), unless the
        # caller chose another.
        if not kwargs.get("email_layout_xmlid"):
            kwargs["email_layout_xmlid"] = SGC_MAIL_LAYOUT
        return super().message_post(**kwargs)

    def _check_state_preconditions(self):
        for ticket in self:
            if ticket.state == "in_progress":
                missing = ticket._missing_for_in_progress()
                rule = self.env._(
                    "SOP V.2: fill in all the information before starting"
                )
            elif ticket.state == "done":
                missing = ticket._missing_for_done()
                rule = self.env._(
                    "SOP V.4: the customer confirms satisfaction before closing"
                )
            elif ticket.state == "cancelled":
                missing = (
                    []
                    if (ticket.cancel_reason or "").strip() or ticket.duplicate_id
                    else [self.env._("cancellation reason")]
                )
                rule = self.env._("a cancelled ticket says why")
            else:
                continue
            if missing:
                raise UserError(
                    self.env._(
                        "Ticket %(number)s cannot move to %(stage)s (%(rule)s). "
                        "Missing: %(missing)s.",
                        number=ticket.number,
                        stage=ticket.stage_id.name,
                        rule=rule,
                        missing=", ".join(missing),
                    )
                )

    def _sgc_stamp_state_dates(self, old_states):
        now = fields.Datetime.now()
        Pause = self.env["helpdesk.ticket.pause"]
        new_pauses = []
        finished = []
        for ticket in self:
            old, new = old_states.get(ticket.id), ticket.state
            vals = {}
            if new == "in_progress" and not ticket.started_date:
                vals["started_date"] = now
            if new == "paused" and old != "paused":
                new_pauses.append({"ticket_id": ticket.id, "date_start": now})
            if old == "paused" and new != "paused":
                # sudo: pauses are bookkeeping of a move checked above, which
                # nobody edits (read-only to every group).
                ticket.sudo().pause_ids.filtered(lambda p: not p.date_end).write(
                    {"date_end": now}
                )
            if new == "done" and not ticket.work_done_date:
                vals["work_done_date"] = now
                finished.append(ticket.id)
            if new == "cancelled":
                vals["cancelled_date"] = now
            if old in FINAL_STATES and new not in FINAL_STATES:
                vals.update(closed_date=False, cancelled_date=False)
            if vals:
                # Bypass write(): these stamps follow a move already checked.
                super(HelpdeskTicket, ticket).write(vals)
        if new_pauses:
            # sudo: the pause of a move checked above (users only read pauses).
            Pause.sudo().create(new_pauses)
        self.browse(finished)._sgc_stamp_resolution_minutes()
        self._sgc_sla_follow_states(old_states)
        return True

    def _sgc_sla_follow_states(self, old_states):
        """SLA statuses follow the moves: finished work starts the closing
        milestones, closing reaches them, a cancel ends them, a resume pushes the
        deadlines back by the paused time."""
        Sla = self.env["helpdesk.ticket.sla"]
        # sudo: the engine's queue follows the moves checked by the caller.
        Timer = self.env["helpdesk.ticket.timer"].sudo()
        done = self.filtered(lambda t: t.state == "done")
        if done:
            Sla._sgc_start(done, ["close", "close_limit"])
            Sla._sgc_reach(done, ["close", "close_limit"])
            Timer._sgc_drop(tickets=done)
        started = self.filtered(
            lambda t: old_states.get(t.id) == "new" and t.state != "new"
        )
        if started:
            Timer._sgc_drop(tickets=started, kinds=("remind",))
        cancelled = self.filtered(lambda t: t.state == "cancelled")
        if cancelled:
            Sla._sgc_cancel(cancelled)
        resumed = self.filtered(
            lambda t: old_states.get(t.id) == "paused" and t.state != "paused"
        )
        if resumed:
            Sla._sgc_extend_for_pause(resumed)
        return True

    # ---------------------------------------------------
    # Actions
    # ---------------------------------------------------

    def _stage_for_state(self, state):
        self.ensure_one()
        stages = self.team_id._get_applicable_stages()
        stage = stages.filtered(lambda s: s.state == state)[:1]
        if not stage:
            raise UserError(
                self.env._("No stage is configured for the state %s.", state)
            )
        return stage

    def _move_to_state(self, state):
        for ticket in self:
            ticket.stage_id = ticket._stage_for_state(state)
        return True

    def action_start(self):
        self.ensure_one()
        return self._move_to_state("in_progress")

    def action_pause(self):
        self.ensure_one()
        return self._move_to_state("paused")

    def action_pause_wizard(self):
        self.ensure_one()
        return {
            "name": self.env._("Pause ticket"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.pause.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_resume(self):
        self.ensure_one()
        return self._move_to_state("in_progress")

    def action_close(self):
        self.ensure_one()
        return self._move_to_state("done")

    def action_reopen(self):
        self.ensure_one()
        return self._move_to_state("in_progress")

    def action_cancel_wizard(self):
        self.ensure_one()
        return {
            "name": self.env._("Cancel ticket"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.cancel.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_log_first_contact(self):
        self.ensure_one()
        if not self.first_contact_date:
            self._sgc_sop().write({"first_contact_date": fields.Datetime.now()})
        return True

    def action_handoff_to_crm(self):
        """Quotation request: open helpdesk_mgmt_crm's wizard, which creates the
        opportunity; sgc_helpdesk_ticket then notifies the customer and closes.

        Sales staff only (the PKD, SGC's sales department): the opportunity is
        theirs to work in the CRM, under the CRM's own access rules."""
        self.ensure_one()
        if not (
            self.env.is_superuser()
            or self.env.user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(
                self.env._(
                    "Only sales staff (Sales / User) hand a quotation request to "
                    "sales: ask the sales department (PKD)."
                )
            )
        if not self.partner_id:
            raise UserError(self.env._("Set the customer before handing to sales."))
        return {
            "name": self.env._("Hand the quotation request to sales"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.create.lead",
            "view_mode": "form",
            "target": "new",
            "context": {"active_id": self.id, "active_model": self._name},
        }

    def _sgc_after_crm_handoff(self, lead):
        """Customer code, the seed's notice to the customer, and closing."""
        self.ensure_one()
        self.partner_id._sgc_ensure_customer_code()
        if not self.first_contact_date:
            # The hand-off notice is the first contact with the customer (SOP V).
            self._sgc_sop().write({"first_contact_date": fields.Datetime.now()})
        template = self.env.ref("sgc_helpdesk_ticket.mail_template_quotation_handoff")
        self.message_post_with_source(
            template,
            partner_ids=self.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        vals = {}
        if not (self.resolution or "").strip():
            vals["resolution"] = self.env._(
                "Quotation request handed to sales as opportunity %(lead)s "
                "(customer code %(code)s).",
                lead=lead.name,
                code=self.partner_customer_code,
            )
        if vals:
            self.write(vals)
        self._move_to_state("done")
        return True

    def action_mark_work_done(self):
        """The work is finished: ask the customer to confirm satisfaction."""
        self.ensure_one()
        if self.state != "in_progress":
            raise UserError(
                self.env._("Only a ticket in progress can have its work finished.")
            )
        if not (self.resolution or "").strip():
            raise UserError(
                self.env._("Write the resolution summary before finishing the work.")
            )
        if self.checklist_open_count:
            raise UserError(
                self.env._("Ticket %s still has open checklist items.", self.number)
            )
        vals = {"work_done_date": fields.Datetime.now()}
        if self.satisfaction_state in ("none", "not_satisfied"):
            vals["satisfaction_state"] = "pending"
        self._sgc_sop().write(vals)
        return True

    def action_record_satisfaction_wizard(self):
        self.ensure_one()
        return {
            "name": self.env._("Record customer satisfaction"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.satisfaction.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _record_satisfaction(
        self, method, note=False, satisfied=True, user=None, stage=None
    ):
        """Record the customer's answer; a satisfied customer with finished work
        closes the ticket (into ``stage`` if given) when nothing else is missing."""
        self.ensure_one()
        ticket = self._sgc_sop()
        ticket.write(
            {
                "satisfaction_state": "confirmed" if satisfied else "not_satisfied",
                "satisfaction_method": method,
                "satisfaction_date": fields.Datetime.now(),
                "satisfaction_note": note,
                "satisfaction_user_id": user.id if user else False,
            }
        )
        if satisfied and self.state == "in_progress" and self.work_done_date:
            if not self._missing_for_done():
                if stage:
                    ticket.write({"stage_id": stage.id})
                else:
                    ticket._move_to_state("done")
        return True

    def _sgc_close_from_portal(self, stage, reason=None):
        """``/ticket/close``: move the ticket to a stage the portal may close
        into, with the caller's own rights. A customer choosing a "done" stage
        confirms their satisfaction (SOP V.4); a cancel says why. Raises when the
        move is refused: the caller rolls everything back."""
        self.ensure_one()
        self.check_access("write")
        if not stage.close_from_portal:
            raise UserError(
                self.env._("Stage %s cannot be chosen from the portal.", stage.name)
            )
        ticket = self._sgc_sop()
        if stage.state == "done" and self.env.user.share:
            ticket._record_satisfaction("portal", stage=stage)
            if self.state != "done":
                missing = self._missing_for_done()
                if not self.work_done_date:
                    missing.insert(0, self.env._("the work is not finished yet"))
                raise UserError(
                    self.env._(
                        "Ticket %(number)s cannot be closed yet: %(missing)s.",
                        number=self.number,
                        missing=", ".join(missing),
                    )
                )
            return True
        if stage.state == "cancelled":
            reason = (reason or "").strip()[:2000]
            if not reason:
                raise UserError(self.env._("Say why the request is cancelled."))
            ticket.write({"cancel_reason": reason})
        ticket.write({"stage_id": stage.id})
        return True

    def action_open_progress_wizard(self):
        self.ensure_one()
        return {
            "name": self.env._("Log a progress update"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.progress",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "sgc_helpdesk_ticket.helpdesk_ticket_progress_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ---------------------------------------------------
    # Mail
    # ---------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        """A public reply from staff who may change the ticket is the first
        contact with the customer..."""
        if (
            not self.first_contact_date
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id
            and message.author_id.user_ids
            and not any(message.author_id.user_ids.mapped("share"))
            # The chatter posts with sudo: the poster's own right decides (a KPI
            # accountant's or a follower's comment is no contact that counts).
            and self.sudo(False).has_access("write")
        ):
            self._sgc_sop().write({"first_contact_date": fields.Datetime.now()})
        result = super()._message_post_after_hook(message, msg_vals)
        # ... and on a Zalo ticket it is forwarded to the customer's Zalo.
        if not self.env.context.get("zalo_skip_send"):
            self._zalo_forward_reply(message)
        return result

    def _sgc_remind(self, summary, users):
        """Remind ``users`` about this ticket: a to-do activity each, due on the
        user's own today, and a chatter notice that notifies them (by email for
        email users). ``summary`` is a text, or a function of an environment
        that renders it in that environment's language: each user's (the ticket
        partner's for a user without one) and the first user's for the notice."""
        self.ensure_one()
        users = users.filtered(lambda u: u.active and not u.share)
        # sudo: the SLA crons remind staff of tickets; only activities and a
        # note of a fixed summary are written, to active internal users.
        ticket = self.sudo()
        fallback_lang = self.partner_id.lang or self.company_id.partner_id.lang

        def render(lang):
            if not callable(summary):
                return summary
            return summary(self.with_context(lang=lang or fallback_lang).env)

        now = fields.Datetime.now()
        for user in users:
            tz = pytz.timezone(user.tz) if user.tz else self.company_id._sgc_tz()
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=pytz.utc.localize(now).astimezone(tz).date(),
                summary=render(user.lang),
                user_id=user.id,
            )
        ticket.message_post(
            body=render(users[:1].lang),
            subtype_xmlid="mail.mt_note",
            partner_ids=users.partner_id.ids,
        )
        return True

    @api.model
    def _sgc_format_datetime(self, value):
        """``dd/mm/yyyy hh:mm AM/PM`` in the time of the ticket's company (of the
        current company for no ticket), as SGC's notices write it."""
        if not value:
            return ""
        company = self[:1].company_id or self.env.company
        local = company._sgc_now_local(value)
        # AM/PM spelled here: strftime's %p follows the server's locale.
        return local.strftime("%d/%m/%Y %I:%M ") + ("AM" if local.hour < 12 else "PM")

    @api.model
    def _sgc_hours_between(self, start, end):
        return (end - start) / timedelta(hours=1) if start and end else 0.0

    # ---------------------------------------------------
    # Intake: website form, hotro@ mail gateway, acknowledgements
    # (the form and the acknowledgements themselves live in controllers/main.py
    # and models/helpdesk_ticket_channel.py)
    # ---------------------------------------------------

    intake_ip = fields.Char(
        string="Submitted From (IP)",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Address the website form was sent from: the form's rate limit "
        "counts the requests of each address.",
    )

    sgc_possible_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Possible Existing Customer",
        readonly=True,
        copy=False,
        help="A contact with the phone number the customer gave but another "
        "email: never linked automatically, check and merge by hand.",
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
        precompute=True,
        help="The number to call the customer back on: the one given with the "
        "request, else the contact's.",
    )
    sgc_ack_date = fields.Datetime(
        string="Acknowledged On",
        readonly=True,
        copy=False,
        help="When the channel's acknowledgement was sent to the customer.",
    )
    sgc_staff_notified = fields.Boolean(
        string="Staff Notified",
        readonly=True,
        copy=False,
        help="The monitors (and the assignee) were told of this new ticket.",
    )

    @api.model
    def message_new(self, msg, custom_values=None):
        """A mail to hotro@ is an email-channel request of the intake pipeline:
        the sender is found (or created) by the one identity rule, and
        acknowledged unless the mail is automated."""
        Intake = self.env["helpdesk.ticket.intake"]
        automated = self.env.context.get("sgc_automated_mail")
        company = (
            self.env["res.company"].browse(
                (custom_values or {}).get("company_id") or []
            )
            or self.env.company
        )
        name, email = parse_contact_from_email(msg.get("email_from") or "")
        req = IntakeRequest(
            channel_code="email",
            company=company,
            email=email,
            contact_name=name,
            partner=self.env["res.partner"].browse(msg.get("author_id") or []),
        )
        partner = req.partner
        if not partner and not automated and email:
            partner, _possible = Intake._get_or_create_partner(req)
            # The incoming mail is then posted with the customer as its author.
            msg["author_id"] = partner.id
        values = dict(custom_values or {})
        values.setdefault("channel_id", Intake._channel("email").id)
        values.setdefault("on_behalf", False)
        if partner:
            values.setdefault("partner_id", partner.id)
            values.setdefault("partner_name", partner.name)
        ticket = super(
            HelpdeskTicket,
            self.with_context(sgc_intake=True, sgc_no_ack=bool(automated)),
        ).message_new(msg, custom_values=values)
        return ticket.with_env(self.env)

    def action_sgc_send_acknowledgement(self):
        """Queue the channel's acknowledgement to the customer: staff-entered
        tickets get none unless staff ask for it."""
        self.check_access("write")
        for ticket in self:
            if not ticket.channel_id.ack_template_id:
                raise UserError(
                    self.env._(
                        "The channel %s sends no acknowledgement.",
                        ticket.channel_id.name or "-",
                    )
                )
            if ticket.sgc_ack_date:
                raise UserError(
                    self.env._(
                        "Ticket %(number)s was already acknowledged on %(date)s.",
                        number=ticket.number,
                        date=self._sgc_format_datetime(ticket.sgc_ack_date),
                    )
                )
        self._sgc_queue_acknowledgement()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The acknowledgement is on its way to the customer."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _sgc_description_summary(self, limit=200):
        """The start of the request's text, for an acknowledgement's summary."""
        self.ensure_one()
        text = " ".join(html2plaintext(self.description or "").split())
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    # ---------------------------------------------------
    # KPI and monthly customer report (job code)
    # ---------------------------------------------------

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

    # ---------------------------------------------------
    # Zalo OA connector
    # ---------------------------------------------------

    zalo_message_ids = fields.One2many(
        comodel_name="zalo.message",
        inverse_name="ticket_id",
        string="Zalo Messages",
        readonly=True,
    )
    zalo_message_count = fields.Integer(compute="_compute_zalo_message_count")
    zalo_send_failed = fields.Boolean(
        compute="_compute_zalo_send_failed",
        store=True,
        help="A message to the customer's Zalo was refused and is not delivered "
        "yet: it is retried automatically, or waits for a person.",
    )

    def _compute_zalo_message_count(self):
        counts = dict(
            self.env["zalo.message"]
            .sudo()  # a count only, of the tickets the user already reads
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.zalo_message_count = counts.get(ticket._origin, 0)

    @api.depends("zalo_message_ids.state", "zalo_message_ids.direction")
    def _compute_zalo_send_failed(self):
        for ticket in self:
            ticket.zalo_send_failed = any(
                m.direction == "out" and m.state == "failed"
                # sudo: a stored flag of the ticket, whoever triggers the compute
                for m in ticket.sudo().zalo_message_ids
            )

    def action_view_zalo_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sgc_helpdesk_ticket.zalo_message_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_zalo_retry(self):
        """Send this ticket's refused Zalo messages again now."""
        self.ensure_one()
        self.check_access("write")
        # sudo: the caller may write the ticket (checked above); Zalo's tokens
        # are on the account, which only managers read.
        failed = self.sudo().zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.state in ("queued", "failed")
        )
        failed._send()
        return True

    def _is_zalo_ticket(self):
        self.ensure_one()
        channel = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_channel_zalo",
            raise_if_not_found=False,
        )
        return bool(
            channel and self.channel_id == channel and self.partner_id.zalo_user_id
        )

    def _zalo_forward_reply(self, message):
        self.ensure_one()
        if (
            message.message_type != "comment"
            or message.subtype_id != self.env.ref("mail.mt_comment")
            or message.is_internal
            or self.env.user.share
            or message.author_id == self.partner_id
            or not self._is_zalo_ticket()
        ):
            return
        text = html_to_text(message.body)
        # sudo: the files of staff's own reply, sent on with it
        attachments = message.sudo().attachment_ids.sorted("id")
        if not text and not attachments:
            return
        # sudo: staff's own public reply, sent on with the OA account's token,
        # which only managers read; nothing else of the ticket is written.
        ticket = self.sudo().with_context(zalo_skip_send=True)
        account = self.env["zalo.oa.account"]._get_for_company(ticket.company_id)
        if not account:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "This reply was not sent on Zalo: no Zalo account is "
                    "configured for %s.",
                    ticket.company_id.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            return
        refused = []
        sendable = attachments.browse()
        for attachment in attachments:
            kind, reason = account._upload_kind(attachment.name, attachment.file_size)
            if kind:
                sendable |= attachment
            else:
                refused.append(reason)
        if refused:
            # Said at once on the ticket: staff send these another way.
            ticket.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Not sent on Zalo (send it to the customer another way):"
                    ),
                    Markup("").join(Markup("<li>%s</li>") % r for r in refused),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.env["zalo.message"]._queue_outgoing(
            account, ticket, text, kind="reply", mail=message, attachments=sendable
        )._queue_send()
