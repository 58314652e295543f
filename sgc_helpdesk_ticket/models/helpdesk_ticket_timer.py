# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

KINDS = [
    ("warn", "Warning before the target"),
    ("deadline", "Target"),
    ("escalate", "Escalation step"),
    ("remind", "Reminder"),
    ("close", "Automatic closing"),
    ("daily_remind", "Daily update reminder"),
    ("daily_check", "Daily update check"),
]
# Notices that wait for working hours when they fall due at night, at lunch or on
# a holiday (the failures and escalations fall due in working time, or at once).
WORKING_HOURS_KINDS = ("warn", "remind")


class HelpdeskTicketTimer(models.Model):
    """What the SLA engine has to do next, and when: one row per pending event of
    a policy (a warning, a target, an escalation step, a reminder, a closing, a
    company's daily update reminder and check).

    The rows are written by the ticket's events and by the engine itself; the
    one SLA cron claims the due ones in order of due time. A row is deleted once
    done (or moved to its next occurrence), so the table holds only what is still
    ahead: its size follows the open tickets, and the due scan the due rows."""

    _name = "helpdesk.ticket.timer"
    _description = "Helpdesk SLA Timer"
    _order = "due_date, id"
    _log_access = False

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, ondelete="cascade"
    )
    policy_id = fields.Many2one(
        comodel_name="helpdesk.sla.policy", required=True, ondelete="cascade"
    )
    sla_id = fields.Many2one(
        comodel_name="helpdesk.ticket.sla",
        string="SLA Status",
        ondelete="cascade",
        index=True,
    )
    step_id = fields.Many2one(
        comodel_name="helpdesk.escalation.step",
        string="Escalation Step",
        ondelete="cascade",
    )
    kind = fields.Selection(selection=KINDS, string="Event", required=True)
    level = fields.Integer(default=0)
    due_date = fields.Datetime(string="Due", required=True)

    def init(self):
        # The engine's scan: due rows in order of due time.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_timer_due_idx
               ON helpdesk_ticket_timer (due_date, id)"""
        )
        # One pending row per event: planning twice changes nothing.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS helpdesk_ticket_timer_event_uniq
               ON helpdesk_ticket_timer
                  (COALESCE(ticket_id, 0), company_id, policy_id, kind, level)"""
        )

    # ---------------------------------------------------
    # Planning (called on the ticket's events)
    # ---------------------------------------------------

    @api.model
    def _sgc_insert(self, rows):
        """Insert pending events (dicts of the columns), one query, duplicates
        (the same event planned again) skipped."""
        if not rows:
            return
        columns = ("ticket_id", "company_id", "policy_id", "sla_id", "step_id")
        self.env.cr.execute(
            """INSERT INTO helpdesk_ticket_timer
                   (ticket_id, company_id, policy_id, sla_id, step_id, kind, level,
                    due_date)
               SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[],
                                    %s::int[], %s::varchar[], %s::int[],
                                    %s::timestamp[])
               ON CONFLICT DO NOTHING""",
            [[row.get(column) or None for row in rows] for column in columns]
            + [
                [row["kind"] for row in rows],
                [row.get("level", 0) for row in rows],
                [row["due_date"] for row in rows],
            ],
        )

    @api.model
    def _sgc_plan_sla(self, rows):
        """The warning, the target and (for an escalating policy) the chain's
        steps of new ongoing milestone statuses."""
        rows = rows.filtered(lambda r: r.status == "ongoing")
        if not rows:
            return
        rows.flush_recordset()
        # sudo: the engine reads the chains to plan its steps.
        chains = self.env["helpdesk.escalation.step"].sudo()._chains()
        planned = []
        for row in rows:
            base = {
                "ticket_id": row.ticket_id.id,
                "company_id": row.ticket_id.company_id.id,
                "policy_id": row.policy_id.id,
                "sla_id": row.id,
            }
            if row.policy_id.warn_minutes > 0 and not row.warned:
                planned.append(dict(base, kind="warn", due_date=row.warn_date))
            planned.append(dict(base, kind="deadline", due_date=row.deadline))
            if row.policy_id.action == "escalate":
                planned += self._escalation_events(
                    row, chains, after_level=row.ticket_id.escalation_level or 0
                )
        self._sgc_insert(planned)

    @api.model
    def _escalation_events(self, row, chains, after_level=0):
        ticket = row.ticket_id
        steps = chains.get(ticket.team_id.id) or chains.get(0) or []
        company = ticket.company_id
        calendar = company.resource_calendar_id
        events = []
        for level, step in enumerate(steps, start=1):
            if level <= after_level:
                continue
            if calendar:
                due = calendar.plan_hours(
                    step.delay_minutes / 60.0, row.start_date, compute_leaves=True
                )
            else:
                due = row.start_date + timedelta(minutes=step.delay_minutes)
            if not due:
                continue
            events.append(
                {
                    "ticket_id": ticket.id,
                    "company_id": company.id,
                    "policy_id": row.policy_id.id,
                    "sla_id": row.id,
                    "step_id": step.id,
                    "kind": "escalate",
                    "level": level,
                    "due_date": due,
                }
            )
        return events

    @api.model
    def _sgc_replan_escalations(self, tickets=None):
        """The chains, or the priority or department of ``tickets``, changed: the
        steps still ahead of the open tickets follow, by the policy that matches
        each ticket now (a configuration change or a ticket's edit, not a cron's
        work)."""
        # sudo: the engine's own rows and statuses.
        Sla = self.env["helpdesk.ticket.sla"].sudo()
        domain = [
            ("milestone", "in", ("route", "first_contact")),
            ("reached_date", "=", False),
            ("status", "in", ("ongoing", "failed")),
            ("ticket_id.state", "in", ("new", "in_progress", "paused")),
        ]
        if tickets is not None:
            domain.append(("ticket_id", "in", tickets.ids))
        rows = Sla.search(domain)
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM helpdesk_ticket_timer WHERE kind = 'escalate'"
            " AND sla_id = ANY(%s)",
            (rows.ids,),
        )
        if not rows:
            return
        # sudo: the engine reads the chains and its policies.
        chains = self.env["helpdesk.escalation.step"].sudo()._chains()
        # sudo: the engine's policies, configuration only
        policies = self.env["helpdesk.sla.policy"].sudo()._policies_by_milestone()
        planned = []
        for row in rows:
            policy = next(
                (
                    p
                    for p in policies.get(row.milestone, [])
                    if p._matches(row.ticket_id)
                ),
                None,
            )
            if policy and policy.action == "escalate":
                planned += self._escalation_events(
                    row, chains, after_level=row.ticket_id.escalation_level or 0
                )
        self._sgc_insert(planned)

    @api.model
    def _sgc_plan_ticket(self, tickets, timer, start_of=None):
        """The not-started reminder ("start") of assigned New tickets, or the
        automatic closing ("auto_close") of finished ones. ``start_of`` maps a
        ticket id to when its timer starts (default: the ticket's creation as the
        SLA saw it, or the work's end)."""
        # sudo: the engine reads its policies whoever triggers the event.
        policies = (
            self.env["helpdesk.sla.policy"]
            # sudo: the engine's policies, configuration only
            .sudo()
            ._policies_by_milestone()
            .get(timer, [])
        )
        if not policies:
            return
        start_of = start_of or {}
        if timer == "start":
            tickets = tickets.filtered(
                lambda t: t.state == "new" and t.user_id and not t.start_reminder_sent
            )
            if tickets and not start_of:
                # The route milestone's start: the creation on the SLA's clock.
                for row in (
                    self.env["helpdesk.ticket.sla"]
                    # sudo: the engine's own SLA rows of these tickets
                    .sudo()
                    .search(
                        [("ticket_id", "in", tickets.ids), ("milestone", "=", "route")]
                    )
                ):
                    start_of[row.ticket_id.id] = row.start_date
        else:
            tickets = tickets.filtered(
                lambda t: t.state == "in_progress" and t.work_done_date
            )
        planned = []
        for ticket in tickets:
            policy = next((p for p in policies if p._matches(ticket)), None)
            start = start_of.get(ticket.id) or (
                ticket.create_date if timer == "start" else ticket.work_done_date
            )
            if not policy or not start:
                continue
            planned.append(
                {
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id,
                    "policy_id": policy.id,
                    "kind": "remind" if timer == "start" else "close",
                    "due_date": policy._deadline(start, ticket.company_id),
                }
            )
        self._sgc_insert(planned)

    @api.model
    def _sgc_drop(self, tickets=None, sla_rows=None, kinds=None):
        """Forget the pending events of these tickets or statuses (their
        milestone was reached, the ticket left the state they watch)."""
        if not (tickets or sla_rows):
            return
        self.env.flush_all()
        if sla_rows:
            where = SQL("sla_id = ANY(%s)", sla_rows.ids)
        else:
            where = SQL("ticket_id = ANY(%s)", tickets.ids)
        if kinds:
            where = SQL("%s AND kind = ANY(%s)", where, list(kinds))
        self.env.cr.execute(SQL("DELETE FROM helpdesk_ticket_timer WHERE %s", where))
        self.invalidate_model()

    @api.model
    def _sgc_redate_sla(self, sla_rows=None, policies=None):
        """The warnings and targets follow their statuses' new deadlines or
        warning windows (one query)."""
        self.env.flush_all()
        if sla_rows is not None:
            condition = SQL("s.id = ANY(%s)", sla_rows.ids)
        else:
            condition = SQL("s.policy_id = ANY(%s)", policies.ids)
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket_timer m
                   SET due_date = CASE m.kind WHEN 'warn' THEN s.warn_date
                                              ELSE s.deadline END
                   FROM helpdesk_ticket_sla s
                   WHERE m.sla_id = s.id AND m.kind IN ('warn', 'deadline')
                     AND s.status = 'ongoing' AND %s""",
                condition,
            )
        )
        self.invalidate_model()

    @api.model
    def _sgc_redate_warnings(self, policies):
        self._sgc_redate_sla(policies=policies)

    # ---------------------------------------------------
    # Company clocks
    # ---------------------------------------------------

    def _now(self):
        return self.env.context.get("sgc_sla_now") or fields.Datetime.now()

    @api.model
    def _next_working_time(self, company):
        """The first moment of working time of the company's calendar at or
        after the run's now (holidays excluded); now without a calendar. Read
        once per company and run."""
        now = self._now()
        cache = self.env.cr.cache.setdefault("sgc_sla_next_working", {})
        key = (now, company.id)
        if key not in cache:
            calendar = company.resource_calendar_id
            result = now
            if calendar:
                start = pytz.utc.localize(now)
                intervals = calendar._work_intervals_batch(
                    start, start + timedelta(days=31), compute_leaves=True
                )[False]
                first = next(iter(intervals), None)
                if first:
                    result = first[0].astimezone(pytz.utc).replace(tzinfo=None)
            cache[key] = max(result, now)
        return cache[key]

    @api.model
    def _is_working_day(self, day, company):
        """Whether ``day`` (a date of the company's zone) has working time in
        the company's calendar, holidays excluded."""
        return day in self._working_days(company, day, day)

    @api.model
    def _working_days(self, company, first, last):
        """The dates from ``first`` to ``last`` (the company's zone) that have
        working time in the company's calendar, holidays excluded: one calendar
        read for the whole range, however long."""
        calendar = company.resource_calendar_id
        count = (last - first).days + 1
        if not calendar:
            days = (first + timedelta(days=i) for i in range(count))
            return {day for day in days if day.weekday() < 5}
        start = company._sgc_local_to_utc(datetime.combine(first, time.min))
        end = company._sgc_local_to_utc(datetime.combine(last, time.max))
        intervals = calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end), compute_leaves=True
        )[False]
        zone = company._sgc_tz()
        return {
            begin.astimezone(zone).date()
            for begin, stop, _records in intervals
            if stop > begin
        }

    @api.model
    def _cutoff_of(self, company, day):
        """The company's update cut-off on ``day`` (its zone), as naive UTC."""
        cutoff = company.helpdesk_update_cutoff or 17.0
        hours = int(cutoff)
        minutes = int(round((cutoff - hours) * 60))
        return company._sgc_local_to_utc(datetime.combine(day, time(hours, minutes)))

    @api.model
    def _next_cutoff(self, company, from_day, strictly_after=None):
        """The cut-off of the first working day from ``from_day`` on (after
        ``strictly_after`` if given)."""
        working = self._working_days(company, from_day, from_day + timedelta(days=59))
        day = from_day
        for _i in range(60):
            if day in working:
                cutoff = self._cutoff_of(company, day)
                if strictly_after is None or cutoff > strictly_after:
                    return cutoff
            day += timedelta(days=1)
        return self._cutoff_of(company, day)

    @api.model
    def _sgc_plan_daily(self):
        """Each company's daily update reminder and check of each daily update
        policy that applies to it, planned once (from the company's today: a
        check due today is made, even if the cut-off has just passed). One query
        when every one is planned already."""
        policies = (
            self.env["helpdesk.sla.policy"]
            .sudo()  # sudo: the engine reads its policies
            ._policies_by_milestone()
            .get("daily_update")
        )
        if not policies:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT company_id, policy_id, kind FROM helpdesk_ticket_timer
               WHERE ticket_id IS NULL AND policy_id = ANY(%s)""",
            (policies.ids,),
        )
        planned = set(self.env.cr.fetchall())
        # sudo: every company's own clock and cut-off
        companies = self.env["res.company"].sudo().search([])
        now = self._now()
        rows = []
        for policy in policies:
            for company in policy.company_id or companies:
                todo = [
                    kind
                    for kind in ("daily_remind", "daily_check")
                    if (company.id, policy.id, kind) not in planned
                ]
                if not todo:
                    continue
                today = company._sgc_now_local(now).date()
                cutoff = self._next_cutoff(company, today)
                for kind in todo:
                    due = cutoff
                    if kind == "daily_remind":
                        due = cutoff - timedelta(minutes=policy.warn_minutes)
                    rows.append(
                        {
                            "company_id": company.id,
                            "policy_id": policy.id,
                            "kind": kind,
                            "due_date": due,
                        }
                    )
        self._sgc_insert(rows)
