# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_sla_policy import MILESTONES

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A working-time threshold that no calendar reaches: nothing is due yet.
NEVER = datetime(1970, 1, 1)
# Milestones and the ticket field whose value reaches them.
START_FIELDS = {
    "create": "received_date",
    "route": "received_date",  # the staff notice: 30 minutes from receipt
    "first_contact": "received_date",
    "close": "work_done_date",
    "close_limit": "work_done_date",
}
REACH_FIELDS = {
    "create": "create_date",
    "route": "routed_date",
    "first_contact": "first_contact_date",
    "close": "closed_date",
    "close_limit": "closed_date",
}


class HelpdeskTicketSla(models.Model):
    """Status of one milestone of one ticket: deadline, reached, late or not."""

    _name = "helpdesk.ticket.sla"
    _description = "Helpdesk Ticket SLA Status"
    _order = "deadline, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    policy_id = fields.Many2one(
        comodel_name="helpdesk.sla.policy", required=True, ondelete="restrict"
    )
    milestone = fields.Selection(selection=MILESTONES, required=True)
    start_date = fields.Datetime(required=True)
    deadline = fields.Datetime(required=True, index=True)
    warn_date = fields.Datetime(
        string="At Risk From",
        compute="_compute_warn_date",
        store=True,
        help="When the milestone enters its policy's warning window.",
    )
    reached_date = fields.Datetime()
    status = fields.Selection(
        selection=[
            ("ongoing", "Ongoing"),
            ("reached", "Reached"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="ongoing",
        required=True,
        index=True,
    )
    late_minutes = fields.Float(
        string="Late (minutes)",
        help="How late the milestone was reached, or is now (on the policy's basis).",
    )
    elapsed_minutes = fields.Float(
        string="Elapsed (working minutes)",
        help="Working time from the milestone's start to when it was reached, "
        "paused time excluded (set when the milestone is reached).",
    )
    warned = fields.Boolean(help="The assignee was warned before the deadline.")
    failed_notified = fields.Boolean(help="The failure was notified.")
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    user_id = fields.Many2one(related="ticket_id.user_id", store=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    _sql_constraints = [
        (
            "ticket_milestone_unique",
            "unique(ticket_id, milestone)",
            "A ticket has one status per milestone.",
        )
    ]

    @api.depends("deadline", "policy_id.warn_minutes")
    def _compute_warn_date(self):
        for row in self:
            row.warn_date = row.deadline and row.deadline - timedelta(
                minutes=row.policy_id.warn_minutes or 0
            )

    def init(self):
        # The SLA cron looks for ongoing rows past a deadline: keep that scan small.
        # (helpdesk.ticket's table exists: the SLA model depends on it.)
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_ongoing_deadline_idx
               ON helpdesk_ticket_sla (deadline) WHERE status = 'ongoing'"""
        )
        # The reminder and the escalation claim their due tickets in order of
        # due time: only the few tickets still waiting for them are indexed.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_not_started_idx
               ON helpdesk_ticket (create_date)
               WHERE state = 'new' AND user_id IS NOT NULL
                 AND NOT COALESCE(start_reminder_sent, FALSE)"""
        )
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_escalation_due_idx
               ON helpdesk_ticket (received_date)
               WHERE priority IN ('2', '3') AND first_contact_date IS NULL
                 AND state IN ('new', 'in_progress', 'paused')"""
        )

    # ---------------------------------------------------
    # Engine: called by helpdesk.ticket on its events
    # ---------------------------------------------------

    @api.model
    def _sgc_start(self, tickets, milestones, just_created=False, now=None):
        """Open the status rows of ``milestones`` for ``tickets`` (once each).

        For tickets being created, "created" is the application clock's now
        rather than the transaction's start that ``create_date`` holds (given
        as ``now`` by the job that starts the SLA of tickets created earlier)."""
        now = now or fields.Datetime.now()
        # sudo: the SLA rows are the engine's, written on the ticket's events
        # (its create, moves and actions, checked there); users only read them.
        policies = self.env["helpdesk.sla.policy"].sudo()._policies_by_milestone()
        existing = {
            (row.ticket_id.id, row.milestone)
            # sudo: as above, this ticket's rows whoever the user.
            for row in self.sudo().search(
                [("ticket_id", "in", tickets.ids), ("milestone", "in", milestones)]
            )
        }
        vals_list = []
        for ticket in tickets:
            for milestone in milestones:
                if (ticket.id, milestone) in existing:
                    continue
                policy = next(
                    (p for p in policies.get(milestone, []) if p._matches(ticket)),
                    None,
                )
                start = ticket[START_FIELDS[milestone]]
                if just_created and START_FIELDS[milestone] == "create_date":
                    start = now
                if not policy or not start:
                    continue
                vals = {
                    "start_date": start,
                    "ticket_id": ticket.id,
                    "policy_id": policy.id,
                    "milestone": milestone,
                    "deadline": policy._deadline(start, ticket.company_id),
                }
                reached = ticket[REACH_FIELDS[milestone]]
                if just_created and REACH_FIELDS[milestone] == "create_date":
                    reached = now
                if reached and (
                    milestone not in ("close", "close_limit")
                    or (ticket.state == "done")
                ):
                    vals.update(self._reached_vals(policy, vals, reached, ticket))
                vals_list.append(vals)
        # sudo: the engine's rows of a ticket event checked by the ticket.
        return self.sudo().create(vals_list)

    @api.model
    def _reached_vals(self, policy, row, reached, ticket):
        company = ticket.company_id
        late = policy._working_minutes(row["deadline"], reached, company)
        start = row["start_date"]
        elapsed = policy._working_minutes(start, reached, company, basis="working")
        for pause in ticket.pause_ids:
            if pause.date_end and pause.date_end > start:
                elapsed -= policy._working_minutes(
                    max(pause.date_start, start),
                    min(pause.date_end, reached),
                    company,
                    basis="working",
                )
        return {
            "reached_date": reached,
            "status": "failed" if reached > row["deadline"] else "reached",
            "late_minutes": late if reached > row["deadline"] else 0.0,
            "elapsed_minutes": max(elapsed, 0.0),
        }

    @api.model
    def _sgc_reach(self, tickets, milestones):
        """The tickets reached these milestones (with the ticket's own date)."""
        # sudo: the engine's rows, reached from the ticket's own (guarded) dates.
        rows = self.sudo().search(
            [
                ("ticket_id", "in", tickets.ids),
                ("milestone", "in", milestones),
                ("status", "in", ("ongoing", "failed")),
                ("reached_date", "=", False),
            ]
        )
        for row in rows:
            reached = row.ticket_id[REACH_FIELDS[row.milestone]]
            if reached:
                row.write(
                    self._reached_vals(
                        row.policy_id,
                        {"deadline": row.deadline, "start_date": row.start_date},
                        reached,
                        row.ticket_id,
                    )
                )
        return rows

    @api.model
    def _sgc_restart(self, tickets, milestones):
        """Work finished again: the milestones start over from the ticket's new
        date (the last finish starts the closing clocks)."""
        # sudo: the engine's rows of a ticket event checked by the ticket.
        rows = self.sudo().search(
            [("ticket_id", "in", tickets.ids), ("milestone", "in", milestones)]
        )
        for row in rows:
            start = row.ticket_id[START_FIELDS[row.milestone]]
            if not start or start == row.start_date:
                continue
            row.write(
                {
                    "start_date": start,
                    "deadline": row.policy_id._deadline(start, row.company_id),
                    "status": "ongoing",
                    "reached_date": False,
                    "late_minutes": 0.0,
                    "elapsed_minutes": 0.0,
                    "warned": False,
                    "failed_notified": False,
                }
            )
        return rows

    @api.model
    def _sgc_rematch(self, tickets):
        """The ticket changed (its priority): its ongoing milestones follow the
        policy that now matches, from their start, paused time added."""
        # sudo: as _sgc_start, the engine's policies and rows.
        policies = self.env["helpdesk.sla.policy"].sudo()._policies_by_milestone()
        rows = self.sudo().search(
            [("ticket_id", "in", tickets.ids), ("status", "=", "ongoing")]
        )
        for row in rows:
            policy = next(
                (
                    p
                    for p in policies.get(row.milestone, [])
                    if p._matches(row.ticket_id)
                ),
                None,
            )
            if policy and policy != row.policy_id:
                row.policy_id = policy
        self._sgc_extend_for_pause(tickets)
        return rows

    @api.model
    def _sgc_cancel(self, tickets):
        # sudo: the engine's rows of a cancel move checked by the ticket.
        self.sudo().search(
            [("ticket_id", "in", tickets.ids), ("status", "=", "ongoing")]
        ).write({"status": "cancelled"})

    @api.model
    def _sgc_extend_for_pause(self, tickets):
        """Paused time does not count: recompute the ongoing deadlines from their
        start, adding the working time each finished pause took (idempotent)."""
        # sudo: the engine's rows of a resume move checked by the ticket.
        rows = self.sudo().search(
            [("ticket_id", "in", tickets.ids), ("status", "=", "ongoing")]
        )
        for row in rows:
            company = row.ticket_id.company_id
            paused = sum(
                row.policy_id._working_minutes(
                    max(pause.date_start, row.start_date), pause.date_end, company
                )
                for pause in row.ticket_id.pause_ids
                if pause.date_end and pause.date_end > row.start_date
            )
            row.deadline = row.policy_id._deadline(
                row.start_date, company, extra_minutes=paused
            )

    # ---------------------------------------------------
    # Scheduled jobs
    # ---------------------------------------------------

    @api.model
    def _auto_commit(self):
        return not getattr(threading.current_thread(), "testing", False)

    @api.model
    def _end_batch(self):
        """Make a batch's work durable before the next one (crons only)."""
        self.env.flush_all()
        if self._auto_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _claim(self, query, params):
        """Atomically flag rows (the query limits how many) and return their ids:
        two overlapping runs never both get the same row."""
        self.env.flush_all()
        self.env.cr.execute(query, params)
        ids = [row[0] for row in self.env.cr.fetchall()]
        # Raw SQL changed these flags: drop what the ORM cached of them.
        self.env.invalidate_all()
        return ids

    @api.model
    def _cron_sla_check(self, batch_size=BATCH_SIZE, max_batches=None):
        """Every few minutes: warnings, failed milestones (an unrouted ticket's
        failed routing goes to the ticket monitors), not-started reminders and
        escalations. Each step notifies each ticket once."""
        # One clock for the whole run: a ticket handled by one batch is never
        # picked up again by a later batch of the same run, however long it takes.
        self = self.with_context(sgc_sla_now=self._now())
        steps = [
            self._step_warn,
            self._step_fail,
            self._step_not_started,
            self._step_escalate,
        ]
        batches = 0
        for step in steps:
            while True:
                if max_batches is not None and batches >= max_batches:
                    self._report_progress(batches, remaining=1)
                    return False
                done = step(batch_size)
                batches += 1
                self._end_batch()
                if done < batch_size:
                    break
        self._report_progress(batches, remaining=0)
        return True

    @api.model
    def _report_progress(self, done, remaining):
        cron = self.env["ir.cron"]
        if hasattr(cron, "_notify_progress") and self.env.context.get("cron_id"):
            cron._notify_progress(done=done, remaining=remaining)

    def _now(self):
        return self.env.context.get("sgc_sla_now") or fields.Datetime.now()

    @api.model
    def _working_since(self, company, minutes):
        """The latest moment from which ``minutes`` of the company's working
        time (its calendar, holidays excluded) have passed by the run's now:
        whatever started at or before it is due. One calendar read per company
        and delay for a whole run, whatever the number of tickets."""
        now = self._now()
        # The cursor's own cache, keyed by the run's clock: a run's batches
        # share it, another clock never meets it.
        cache = self.env.cr.cache.setdefault("sgc_sla_working_since", {})
        key = (now, company.id, minutes)
        if key in cache:
            return cache[key]
        calendar = company.resource_calendar_id
        if calendar:
            since = (
                calendar.plan_hours(-minutes / 60.0, now, compute_leaves=True) or NEVER
            )
        else:
            since = now - timedelta(minutes=minutes)
        cache[key] = since
        return since

    @api.model
    def _thresholds(self, minutes_list):
        """(company ids, delays, thresholds) of every company for each delay,
        as arrays for a query to join."""
        # sudo: the cron reads every company's calendar to count working time.
        companies = self.env["res.company"].sudo().search([])
        rows = [
            (company.id, minutes, self._working_since(company, minutes))
            for company in companies
            for minutes in sorted(set(minutes_list))
        ]
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    @api.model
    def _step_warn(self, limit):
        ids = self._claim(
            """UPDATE helpdesk_ticket_sla s SET warned = TRUE
               WHERE s.id IN (
                   SELECT s2.id FROM helpdesk_ticket_sla s2
                   JOIN helpdesk_ticket t2 ON t2.id = s2.ticket_id
                   WHERE s2.status = 'ongoing' AND NOT COALESCE(s2.warned, FALSE)
                     AND t2.state != 'paused' AND t2.active
                     AND s2.warn_date <= %s AND s2.deadline > %s
                   ORDER BY s2.warn_date, s2.id
                   LIMIT %s FOR UPDATE OF s2 SKIP LOCKED)
               RETURNING s.id""",
            (self._now(), self._now(), limit),
        )
        for row in self.browse(ids):
            row.ticket_id._sgc_remind(row._warn_text, users=row._recipients())
        return len(ids)

    def _warn_text(self, env):
        """The warning of this row's milestone, in ``env``'s language."""
        self.ensure_one()
        row = self.with_env(env)
        ticket = row.ticket_id
        deadline = ticket._sgc_format_datetime(row.deadline)
        if row.milestone == "close_limit" and ticket.satisfaction_state == "confirmed":
            return env._(
                "Ticket %(number)s must be closed by %(deadline)s (3 days after the "
                "work was finished)",
                number=ticket.number,
                deadline=deadline,
            )
        if row.milestone == "close_limit":
            # SOP V.4: the one warning before the 3-day limit.
            return env._(
                "Ticket %(number)s: the customer has not confirmed satisfaction; "
                "it must be closed by %(deadline)s (3 days after the work was "
                "finished)",
                number=ticket.number,
                deadline=deadline,
            )
        return env._(
            "SLA at risk: %(milestone)s due %(deadline)s",
            milestone=row._milestone_label(),
            deadline=deadline,
        )

    @api.model
    def _step_fail(self, limit):
        now = self._now()
        ids = self._claim(
            """UPDATE helpdesk_ticket_sla s
               SET status = 'failed', failed_notified = TRUE
               WHERE s.id IN (
                   SELECT s2.id FROM helpdesk_ticket_sla s2
                   JOIN helpdesk_ticket t2 ON t2.id = s2.ticket_id
                   WHERE s2.status = 'ongoing' AND s2.deadline <= %s
                     AND t2.state != 'paused' AND t2.active
                   ORDER BY s2.deadline, s2.id
                   LIMIT %s FOR UPDATE OF s2 SKIP LOCKED)
               RETURNING s.id""",
            (now, limit),
        )
        rows = self.browse(ids)
        for row in rows:
            row.late_minutes = row.policy_id._working_minutes(
                row.deadline, now, row.ticket_id.company_id
            )
            row.ticket_id._sgc_remind(
                lambda env, row=row: env._(
                    "SLA failed: %(milestone)s was due %(deadline)s",
                    milestone=row.with_env(env)._milestone_label(),
                    deadline=row.ticket_id._sgc_format_datetime(row.deadline),
                ),
                users=row._recipients(),
            )
        return len(ids)

    @api.model
    def _step_not_started(self, limit):
        """A ticket assigned but still New after the delay, in working time of
        its company (so never at night: the reminder waits for working hours)."""
        minutes = int(
            self.env["ir.config_parameter"]
            .sudo()  # the cron reads a delay the manager sets
            .get_param("sgc_helpdesk_ticket.not_started_reminder_minutes", 30)
        )
        companies, _delays, since = self._thresholds([minutes])
        ids = self._claim(
            """UPDATE helpdesk_ticket t SET start_reminder_sent = TRUE
               WHERE t.id IN (
                   SELECT h.id FROM helpdesk_ticket h
                   JOIN unnest(%s::int[], %s::timestamp[]) AS c(company_id, since)
                     ON c.company_id = h.company_id
                   WHERE h.state = 'new' AND h.active AND h.user_id IS NOT NULL
                     AND NOT COALESCE(h.start_reminder_sent, FALSE)
                     AND h.create_date <= c.since
                   ORDER BY h.create_date, h.id LIMIT %s
                   FOR UPDATE OF h SKIP LOCKED)
               RETURNING t.id""",
            (companies, since, limit),
        )
        for ticket in self.env["helpdesk.ticket"].browse(ids):
            ticket._sgc_remind(
                lambda env, ticket=ticket: env._(
                    "Ticket %s is assigned to you but not started", ticket.number
                ),
                users=ticket.user_id,
            )
        return len(ids)

    @api.model
    def _step_escalate(self, limit):
        """Urgent and important tickets without first contact follow the chain
        of their department; each step falls due after its delay in working
        time of the ticket's company, so during working hours."""
        # sudo: the SLA cron reads the chain and logs each step it follows.
        Step = self.env["helpdesk.escalation.step"].sudo()
        chains = Step._chains()
        if not chains:
            return 0
        now = self._now()
        chain_team, chain_pos, chain_delay = [], [], []
        for team_id, steps in chains.items():
            for position, step in enumerate(steps, start=1):
                chain_team.append(team_id)
                chain_pos.append(position)
                chain_delay.append(step.delay_minutes)
        companies, delays, since = self._thresholds(chain_delay)
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT h.id FROM helpdesk_ticket h
               JOIN unnest(%s::int[], %s::int[], %s::int[])
                    AS ch(team_id, position, delay)
                 ON ch.team_id = CASE WHEN h.team_id = ANY(%s) THEN h.team_id
                                      ELSE 0 END
                AND ch.position = COALESCE(h.escalation_level, 0) + 1
               JOIN unnest(%s::int[], %s::int[], %s::timestamp[])
                    AS th(company_id, delay, since)
                 ON th.company_id = h.company_id AND th.delay = ch.delay
               WHERE h.state IN ('new', 'in_progress', 'paused') AND h.active
                 AND h.priority IN ('2', '3') AND h.first_contact_date IS NULL
                 AND h.received_date <= th.since
                 AND (h.escalation_checked_at IS NULL
                      OR h.escalation_checked_at < %s)
               ORDER BY h.received_date, h.id LIMIT %s
               FOR UPDATE OF h SKIP LOCKED""",
            (
                chain_team,
                chain_pos,
                chain_delay,
                [team for team in chains if team],
                companies,
                delays,
                since,
                now,
                limit,
            ),
        )
        ticket_ids = [r[0] for r in self.env.cr.fetchall()]
        tickets = self.env["helpdesk.ticket"].browse(ticket_ids)
        # sudo: the escalation log is the cron's, read-only to users.
        Log = self.env["helpdesk.ticket.escalation"].sudo()
        for ticket in tickets:
            steps = chains.get(ticket.team_id.id) or chains.get(0, Step.browse())
            level = ticket.escalation_level or 0
            for position, step in enumerate(steps, start=1):
                if position <= level:
                    continue
                due_from = self._working_since(ticket.company_id, step.delay_minutes)
                if ticket.received_date > due_from:
                    break
                Log.create(
                    {
                        "ticket_id": ticket.id,
                        "step_id": step.id,
                        "user_id": step.user_id.id,
                        "level": position,
                        "date": now,
                    }
                )
                ticket._sgc_remind(
                    lambda env, ticket=ticket, step=step, position=position: env._(
                        "Escalation %(level)s: urgent ticket %(number)s has no "
                        "first contact after %(minutes)s working minutes",
                        level=position,
                        number=ticket.number,
                        minutes=step.delay_minutes,
                    ),
                    users=step.user_id,
                )
                level = position
            # sudo: the cron's escalation state of the ticket (an SOP fact).
            ticket.sudo().write(
                {"escalation_level": level, "escalation_checked_at": now}
            )
        return len(tickets)

    def _recipients(self):
        """Who answers for this milestone: the ticket monitors for routing (SOP
        V.1: they classify what no department holds) or while nobody is assigned,
        the assignee otherwise."""
        self.ensure_one()
        if self.milestone == "route" or not self.ticket_id.user_id:
            monitors = self.env.ref("sgc_helpdesk_ticket.group_ticket_monitor").users
            return monitors.filtered(lambda u: not u.share and u.active)
        return self.ticket_id.user_id

    def _milestone_label(self):
        self.ensure_one()
        return dict(self._fields["milestone"]._description_selection(self.env))[
            self.milestone
        ]

    # ---------------------------------------------------
    # Daily update watch and closing
    # ---------------------------------------------------

    @api.model
    def _is_working_day(self, day, company):
        """Whether ``day`` (a date of the company's zone) has working time in
        the company's calendar, holidays excluded."""
        calendar = company.resource_calendar_id
        if not calendar:
            return day.weekday() < 5
        start = company._sgc_local_to_utc(datetime.combine(day, time.min))
        end = company._sgc_local_to_utc(datetime.combine(day, time.max))
        return bool(calendar.get_work_hours_count(start, end, compute_leaves=True))

    @api.model
    def _update_watch_companies(self):
        """[(company, local now, cut-off hour)] of every company, each on its
        own clock (its calendar's time zone)."""
        now = self._now()
        # sudo: the cron follows every company's own cut-off and calendar.
        companies = self.env["res.company"].sudo().search([])
        result = []
        for company in companies:
            local = company._sgc_now_local(now)
            cutoff = company.helpdesk_update_cutoff or 17.0
            result.append((company, local, cutoff))
        return result

    @api.model
    def _cron_daily_update_reminder(self, batch_size=BATCH_SIZE):
        """In the hour(s) before each company's cut-off, on its working days:
        remind assignees whose tickets have no update yet today (once a day)."""
        self = self.with_context(sgc_sla_now=self._now())
        Ticket = self.env["helpdesk.ticket"]
        for company, local, cutoff in self._update_watch_companies():
            hour = local.hour + local.minute / 60.0
            lead = company.helpdesk_update_reminder_lead
            if not cutoff - lead <= hour < cutoff:
                continue
            today = local.date()
            if not self._is_working_day(today, company):
                continue
            start, end = Ticket._today_update_window(company, self._now())
            while True:
                ids = self._claim(
                    """UPDATE helpdesk_ticket t SET update_reminder_date = %s
                       WHERE t.id IN (
                           SELECT id FROM helpdesk_ticket h
                           WHERE state = 'in_progress' AND active
                             AND company_id = %s AND user_id IS NOT NULL
                             AND update_reminder_date IS DISTINCT FROM %s
                             AND NOT EXISTS (
                                 SELECT 1 FROM helpdesk_ticket_progress p
                                 WHERE p.ticket_id = h.id
                                   AND p.date >= %s AND p.date < %s)
                           ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
                       RETURNING t.id""",
                    (today, company.id, today, start, end, batch_size),
                )
                for ticket in Ticket.browse(ids):
                    ticket._sgc_remind(
                        lambda env, ticket=ticket: env._(
                            "Log today's progress on %s before the cut-off",
                            ticket.number,
                        ),
                        users=ticket.user_id,
                    )
                self._end_batch()
                if len(ids) < batch_size:
                    break
        return True

    @api.model
    def _cron_daily_update_check(self):
        """Once each company's cut-off has passed on one of its working days:
        record for each of its tickets in progress whether today's update was
        made (one set-based query per company; the KPI counts them)."""
        self = self.with_context(sgc_sla_now=self._now())
        for company, local, cutoff in self._update_watch_companies():
            today = local.date()
            if local.hour + local.minute / 60.0 < cutoff:
                continue
            if company.helpdesk_update_checked_day == today:
                continue
            if not self._is_working_day(today, company):
                continue
            start, end = self.env["helpdesk.ticket"]._today_update_window(
                company, self._now()
            )
            self.env.flush_all()
            self.env.cr.execute(
                """INSERT INTO helpdesk_ticket_update_day
                       (ticket_id, user_id, team_id, company_id, day, made,
                        create_uid, create_date, write_uid, write_date)
                   SELECT h.id, h.user_id, h.team_id, h.company_id, %s,
                          EXISTS (SELECT 1 FROM helpdesk_ticket_progress p
                                  WHERE p.ticket_id = h.id
                                    AND p.date >= %s AND p.date < %s),
                          %s, NOW() AT TIME ZONE 'UTC', %s, NOW() AT TIME ZONE 'UTC'
                   FROM helpdesk_ticket h
                   WHERE h.state = 'in_progress' AND h.active AND h.company_id = %s
                   ON CONFLICT (ticket_id, day) DO NOTHING""",
                (today, start, end, self.env.uid, self.env.uid, company.id),
            )
            company.helpdesk_update_checked_day = today
            self._end_batch()
        self.env["helpdesk.ticket.update.day"].invalidate_model()
        return True

    @api.model
    def _cron_auto_close(self, batch_size=BATCH_SIZE):
        """Close finished tickets the customer confirmed, longest finished first.

        Only the tickets that can close are claimed (in SQL, locked rows of a
        concurrent run skipped), a batch at a time, each batch committed: a
        ticket that cannot close never holds up one that can. The warning
        before the 3-day limit is the close_limit policy's (the SLA check)."""
        Ticket = self.env["helpdesk.ticket"]
        skipped = []
        while True:
            self.env.flush_all()
            self.env.cr.execute(
                """SELECT t.id FROM helpdesk_ticket t
                   WHERE t.state = 'in_progress' AND t.active
                     AND t.work_done_date IS NOT NULL
                     AND t.satisfaction_state = 'confirmed'
                     AND btrim(COALESCE(t.resolution, '')) != ''
                     AND NOT EXISTS (
                         SELECT 1 FROM helpdesk_ticket_checklist_item c
                         WHERE c.ticket_id = t.id AND NOT COALESCE(c.is_done, FALSE))
                     AND t.id != ALL(%s)
                   ORDER BY t.work_done_date, t.id
                   LIMIT %s FOR UPDATE SKIP LOCKED""",
                (skipped, batch_size),
            )
            ids = [r[0] for r in self.env.cr.fetchall()]
            for ticket in Ticket.browse(ids):
                # What SQL cannot see (a rule of another module): never retried
                # within this run.
                if ticket._missing_for_done():
                    skipped.append(ticket.id)
                    continue
                try:
                    with self.env.cr.savepoint():
                        ticket._move_to_state("done")
                except UserError as error:
                    _logger.info("Ticket %s not closed: %s", ticket.id, error)
                    skipped.append(ticket.id)
            self._end_batch()
            if len(ids) < batch_size:
                return True
