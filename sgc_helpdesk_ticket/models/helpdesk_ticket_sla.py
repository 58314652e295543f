# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
        # The KPI and the lists look for ongoing rows past a deadline: keep that
        # scan small. (helpdesk.ticket's table exists: the SLA model depends on it.)
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_ongoing_deadline_idx
               ON helpdesk_ticket_sla (deadline) WHERE status = 'ongoing'"""
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
        rows = self.sudo().create(vals_list)
        # sudo: the engine's queue of what is ahead for these rows.
        Timer = self.env["helpdesk.ticket.timer"].sudo()
        Timer._sgc_plan_sla(rows)
        if just_created:
            Timer._sgc_plan_ticket(tickets, "start", {t.id: now for t in tickets})
        return rows

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
        # sudo: the engine's queue: a reached milestone has nothing ahead.
        self.env["helpdesk.ticket.timer"].sudo()._sgc_drop(
            sla_rows=rows.filtered("reached_date")
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
        # sudo: the engine's rows of these tickets, re-matched to their policies
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
        # sudo: the engine's queue: nothing is ahead for a cancelled ticket.
        self.env["helpdesk.ticket.timer"].sudo()._sgc_drop(tickets=tickets)

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
        # sudo: the engine's queue follows the new deadlines.
        self.env["helpdesk.ticket.timer"].sudo()._sgc_redate_sla(sla_rows=rows)

    # ---------------------------------------------------
    # The engine: one cron for every timer
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
    def _cron_sla_check(self, batch_size=BATCH_SIZE, max_batches=None):
        """Every few minutes, every timer of every policy: warnings, missed
        targets, escalations, not-started reminders, automatic closing and the
        companies' daily update reminders and checks.

        The due events are claimed in SQL in order of due time, only those that
        can be acted on now, the rows of a concurrent run skipped; each batch is
        committed. Each event is done once."""
        # One clock for the whole run: an event moved on by one batch is never
        # picked up again by a later batch of the same run.
        self = self.with_context(sgc_sla_now=self._now())
        # sudo: the engine's own queue, written by the events and by this cron.
        Timer = self.env["helpdesk.ticket.timer"].sudo()
        Timer._sgc_plan_daily()
        batches = 0
        while True:
            if max_batches is not None and batches >= max_batches:
                self._report_progress(batches, remaining=1)
                return False
            done = self._run_due(Timer, batch_size)
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
    def _claim_due(self, limit):
        """(id, kind) of up to ``limit`` due events that can be acted on now, in
        order of due time, locked (a concurrent run skips them)."""
        now = self._now()
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT m.id, m.kind FROM helpdesk_ticket_timer m
               LEFT JOIN helpdesk_ticket t ON t.id = m.ticket_id
               LEFT JOIN helpdesk_ticket_sla s ON s.id = m.sla_id
               WHERE m.due_date <= %(now)s
                 AND (m.ticket_id IS NULL OR (t.active AND CASE m.kind
                     WHEN 'warn' THEN s.status = 'ongoing' AND s.deadline > %(now)s
                          AND t.state != 'paused'
                     WHEN 'deadline' THEN s.status = 'ongoing'
                          AND t.state != 'paused'
                     WHEN 'escalate' THEN t.first_contact_date IS NULL
                          AND t.state IN ('new', 'in_progress', 'paused')
                     WHEN 'remind' THEN t.state = 'new' AND t.user_id IS NOT NULL
                     WHEN 'close' THEN t.state = 'in_progress'
                          AND t.work_done_date IS NOT NULL
                          AND t.satisfaction_state = 'confirmed'
                          AND btrim(COALESCE(t.resolution, '')) != ''
                          AND NOT EXISTS (
                              SELECT 1 FROM helpdesk_ticket_checklist_item c
                              WHERE c.ticket_id = t.id
                                AND NOT COALESCE(c.is_done, FALSE))
                     ELSE FALSE END))
               ORDER BY m.due_date, m.id
               LIMIT %(limit)s
               FOR UPDATE OF m SKIP LOCKED""",
            {"now": now, "limit": limit},
        )
        return self.env.cr.fetchall()

    @api.model
    def _run_due(self, Timer, limit):
        """One batch: claim the due events, act on each by its kind."""
        claimed = self._claim_due(limit)
        handlers = {
            "warn": self._do_warn,
            "deadline": self._do_deadline,
            "escalate": self._do_escalate,
            "remind": self._do_remind,
            "close": self._do_close,
            "daily_remind": self._do_daily_remind,
            "daily_check": self._do_daily_check,
        }
        for kind, handler in handlers.items():
            # An earlier kind's work may have ended these (a failed target ends
            # its warning, a closing every event of the ticket).
            todo = Timer.browse([i for i, k in claimed if k == kind]).exists()
            if todo:
                handler(todo)
        return len(claimed)

    @api.model
    def _postpone_to_working_hours(self, timers):
        """Split off the notices due outside their company's working time (at
        night, at lunch, on a holiday): they move to its next working time.
        Returns those to send now."""
        now = self._now()
        later = {}
        for timer in timers:
            moment = timer._next_working_time(timer.company_id)
            if moment > now:
                later.setdefault(moment, []).append(timer.id)
        for moment, ids in later.items():
            self.env.cr.execute(
                "UPDATE helpdesk_ticket_timer SET due_date = %s WHERE id = ANY(%s)",
                (moment, ids),
            )
        timers.invalidate_recordset(["due_date"])
        postponed = {i for ids in later.values() for i in ids}
        return timers.filtered(lambda m: m.id not in postponed)

    @api.model
    def _done(self, timers):
        if timers:
            self.env.cr.execute(
                "DELETE FROM helpdesk_ticket_timer WHERE id = ANY(%s)", (timers.ids,)
            )
            timers.invalidate_recordset()

    @api.model
    def _do_warn(self, timers):
        timers = self._postpone_to_working_hours(timers)
        rows = timers.sla_id
        rows.write({"warned": True})
        for row in rows:
            row.ticket_id._sgc_remind(row._warn_text, users=row._recipients())
        self._done(timers)

    @api.model
    def _do_deadline(self, timers):
        now = self._now()
        rows = timers.sla_id
        for row in rows:
            row.write(
                {
                    "status": "failed",
                    "failed_notified": True,
                    "late_minutes": row.policy_id._working_minutes(
                        row.deadline, now, row.ticket_id.company_id
                    ),
                }
            )
            row.ticket_id._sgc_remind(
                lambda env, row=row: env._(
                    "SLA failed: %(milestone)s was due %(deadline)s",
                    milestone=row.with_env(env)._milestone_label(),
                    deadline=row.ticket_id._sgc_format_datetime(row.deadline),
                ),
                users=row._recipients(),
            )
        # The target passed: so did its warning (the escalations go on).
        timers._sgc_drop(sla_rows=rows, kinds=("warn", "deadline"))

    @api.model
    def _do_escalate(self, timers):
        now = self._now()
        # sudo: the escalation log is the cron's, read-only to users.
        Log = self.env["helpdesk.ticket.escalation"].sudo()
        logged = {
            (log.ticket_id.id, log.level)
            for log in Log.search([("ticket_id", "in", timers.ticket_id.ids)])
        }
        for timer in timers.sorted(lambda m: (m.ticket_id.id, m.level)):
            ticket, step = timer.ticket_id, timer.step_id
            if (ticket.id, timer.level) in logged or not step.active:
                continue
            Log.create(
                {
                    "ticket_id": ticket.id,
                    "step_id": step.id,
                    "user_id": step.user_id.id,
                    "level": timer.level,
                    "date": now,
                }
            )
            ticket._sgc_remind(
                lambda env, ticket=ticket, step=step, level=timer.level: env._(
                    "Escalation %(level)s: urgent ticket %(number)s has no "
                    "first contact after %(minutes)s working minutes",
                    level=level,
                    number=ticket.number,
                    minutes=step.delay_minutes,
                ),
                users=step.user_id,
            )
            if timer.level > (ticket.escalation_level or 0):
                # sudo: the cron's escalation state of the ticket (an SOP fact).
                ticket.sudo().write({"escalation_level": timer.level})
        self._done(timers)

    @api.model
    def _do_remind(self, timers):
        """A ticket assigned but still New after the start policy's delay."""
        timers = self._postpone_to_working_hours(timers)
        for ticket in timers.ticket_id:
            ticket._sgc_remind(
                lambda env, ticket=ticket: env._(
                    "Ticket %s is assigned to you but not started", ticket.number
                ),
                users=ticket.user_id,
            )
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET start_reminder_sent = TRUE WHERE id = ANY(%s)",
            (timers.ticket_id.ids,),
        )
        timers.ticket_id.invalidate_recordset(["start_reminder_sent"])
        self._done(timers)

    @api.model
    def _do_close(self, timers):
        """Close the finished tickets the customer confirmed. What SQL cannot
        see (a rule of another module) keeps a ticket open: it is tried again
        after the policy's delay, and never holds up the others."""
        now = self._now()
        retry = timers.browse()
        for timer in timers:
            ticket = timer.ticket_id
            if not ticket._missing_for_done():
                try:
                    with self.env.cr.savepoint():
                        ticket._move_to_state("done")
                    continue
                except UserError as error:
                    _logger.info("Ticket %s not closed: %s", ticket.id, error)
            retry |= timer
        for timer in retry:
            timer.due_date = now + timedelta(minutes=timer.policy_id.target_minutes)
        # A closed ticket's events went with its closing.
        self._done((timers - retry).exists())

    # Daily update watch: one reminder and one check per company and working day
    # (SOP V.3), each company on its own clock: its calendar's time zone and
    # working days, its cut-off (Settings > Companies), the policy's warning.

    @api.model
    def _update_scope_sql(self, policy, company):
        """The tickets in progress of the policy's company and scope."""
        return SQL(
            """h.state = 'in_progress' AND h.active AND h.company_id = %(company)s
               AND (%(no_team)s OR h.team_id = ANY(%(teams)s))
               AND (%(no_category)s OR h.category_id = ANY(%(categories)s))
               AND (%(no_channel)s OR h.channel_id = ANY(%(channels)s))
               AND (%(priority)s::varchar IS NULL OR h.priority = %(priority)s)""",
            company=company.id,
            no_team=not policy.team_ids,
            teams=policy.team_ids.ids,
            no_category=not policy.category_ids,
            categories=policy.category_ids.ids,
            no_channel=not policy.channel_ids,
            channels=policy.channel_ids.ids,
            priority=policy.priority or None,
        )

    @api.model
    def _do_daily_remind(self, timers):
        """In the policy's warning window before the company's cut-off, on its
        working days: remind the assignees whose tickets have no update yet
        today (once a day), then wait for the next working day."""
        now = self._now()
        Ticket = self.env["helpdesk.ticket"]
        for timer in timers:
            company, policy = timer.company_id, timer.policy_id
            today = company._sgc_now_local(now).date()
            cutoff = timer._cutoff_of(company, today)
            lead = timedelta(minutes=policy.warn_minutes)
            in_window = (
                cutoff - lead <= now < cutoff
                and timer._is_working_day(today, company)
                and company._sgc_now_local(timer.due_date).date() == today
            )
            next_cutoff = timer._next_cutoff(company, today, strictly_after=now)
            timer.due_date = next_cutoff - lead
            if not in_window:
                continue
            # Moved on before the reminders go, in batches each committed: a
            # concurrent run does not take this day's reminder up again.
            self._end_batch()
            start, end = Ticket._today_update_window(company, now)
            scope = self._update_scope_sql(policy, company)
            while True:
                self.env.flush_all()
                self.env.cr.execute(
                    SQL(
                        """UPDATE helpdesk_ticket t SET update_reminder_date = %(today)s
                           WHERE t.id IN (
                               SELECT h.id FROM helpdesk_ticket h
                               WHERE %(scope)s AND h.user_id IS NOT NULL
                                 AND h.update_reminder_date IS DISTINCT FROM %(today)s
                                 AND NOT EXISTS (
                                     SELECT 1 FROM helpdesk_ticket_progress p
                                     WHERE p.ticket_id = h.id
                                       AND p.date >= %(start)s AND p.date < %(end)s)
                               ORDER BY h.id LIMIT %(limit)s
                               FOR UPDATE SKIP LOCKED)
                           RETURNING t.id""",
                        today=today,
                        scope=scope,
                        start=start,
                        end=end,
                        limit=BATCH_SIZE,
                    )
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
                Ticket.invalidate_model(["update_reminder_date"])
                for ticket in Ticket.browse(ids):
                    ticket._sgc_remind(
                        lambda env, ticket=ticket: env._(
                            "Log today's progress on %s before the cut-off",
                            ticket.number,
                        ),
                        users=ticket.user_id,
                    )
                self._end_batch()
                if len(ids) < BATCH_SIZE:
                    break

    @api.model
    def _do_daily_check(self, timers):
        """Once the company's cut-off has passed on one of its working days:
        record for each of its tickets in progress whether today's update was
        made (one set-based query per company; the KPI counts them). A check
        the cron missed (it was down that day) is not made up afterwards."""
        now = self._now()
        for timer in timers:
            company, policy = timer.company_id, timer.policy_id
            today = company._sgc_now_local(now).date()
            due_day = company._sgc_now_local(timer.due_date).date()
            timer.due_date = timer._next_cutoff(company, today, strictly_after=now)
            if due_day != today or not timer._is_working_day(today, company):
                continue
            start, end = self.env["helpdesk.ticket"]._today_update_window(company, now)
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """INSERT INTO helpdesk_ticket_update_day
                           (ticket_id, user_id, team_id, company_id, day, made,
                            create_uid, create_date, write_uid, write_date)
                       SELECT h.id, h.user_id, h.team_id, h.company_id, %(today)s,
                              EXISTS (SELECT 1 FROM helpdesk_ticket_progress p
                                      WHERE p.ticket_id = h.id
                                        AND p.date >= %(start)s
                                        AND p.date < %(end)s),
                              %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                              NOW() AT TIME ZONE 'UTC'
                       FROM helpdesk_ticket h
                       WHERE %(scope)s
                       ON CONFLICT (ticket_id, day) DO NOTHING""",
                    today=today,
                    start=start,
                    end=end,
                    uid=self.env.uid,
                    scope=self._update_scope_sql(policy, company),
                )
            )
        self.env["helpdesk.ticket.update.day"].invalidate_model()

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
