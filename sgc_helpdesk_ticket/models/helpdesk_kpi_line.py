# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .helpdesk_kpi_period import SNAPSHOT_KEY, _to_local
from .helpdesk_ticket_sla import NEVER

SCOPES = [
    ("person", "Person"),
    ("department", "Department"),
    ("channel", "Channel"),
    ("category", "Request Type"),
    ("company", "Company"),
]
# GROUPING(person, team, channel, category) of each grouping set -> scope.
SCOPE_OF_MASK = {
    0b0111: "person",
    0b1011: "department",
    0b1101: "channel",
    0b1110: "category",
    0b1111: "company",
}
SCOPE_FIELD = {
    "person": "user_id",
    "department": "team_id",
    "channel": "channel_id",
    "category": "category_id",
    "company": None,
}
# Rate field -> (on-time count, due count)
RATES = {
    "create_rate": ("create_ontime_count", "create_due_count"),
    "route_rate": ("route_ontime_count", "route_due_count"),
    "contact_rate": ("contact_ontime_count", "contact_due_count"),
    "update_rate": ("update_made_count", "update_due_count"),
    "close_rate": ("close_ontime_count", "close_due_count"),
    "close_limit_rate": ("close_limit_ontime_count", "close_limit_due_count"),
    "satisfied_rate": ("satisfied_count", "satisfaction_due_count"),
}
# Mean field -> (its total, its count): a group's mean is its summed total over
# its summed count.
MEANS = {
    "contact_hours_avg": ("contact_hours_total", "contact_made_count"),
    "resolution_hours_avg": ("resolution_hours_total", "resolution_count"),
}
# SLA milestone -> the line's (due, on time) fields
SLA_FIELDS = {
    "create": ("create_due_count", "create_ontime_count"),
    "route": ("route_due_count", "route_ontime_count"),
    "first_contact": ("contact_due_count", "contact_ontime_count"),
    "close": ("close_due_count", "close_ontime_count"),
    "close_limit": ("close_limit_due_count", "close_limit_ontime_count"),
}


def _rate_field(string, help_text):
    return fields.Float(string=string, digits=(5, 1), aggregator="avg", help=help_text)


class HelpdeskKpiLine(models.Model):
    """Frozen figures of one KPI period for one person, department, channel,
    request type or the whole company. Written once by the period's computation:
    later edits of the tickets never change them."""

    _name = "helpdesk.kpi.line"
    _description = "Helpdesk KPI Figures"
    _order = "period_id desc, scope, name, id"

    period_id = fields.Many2one(
        comodel_name="helpdesk.kpi.period",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    scope = fields.Selection(selection=SCOPES, required=True, readonly=True)
    # Frozen with the figures in every installed language (a renamed team
    # keeps its month's name), shown in the reader's.
    name = fields.Char(readonly=True, translate=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Person", readonly=True)
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Department", readonly=True
    )
    channel_id = fields.Many2one(comodel_name="helpdesk.ticket.channel", readonly=True)
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category", string="Request Type", readonly=True
    )
    # Intake (SOP V.1, VIII: the receiver)
    received_count = fields.Integer(
        string="Requests Received",
        readonly=True,
        help="Requests received in the period (from 00:00 the day after the "
        "cut-off to 23:59:59 on the cut-off day, company time). Per person: the "
        "receiver, i.e. the staff member who entered the request on the "
        "customer's behalf, else the ticket monitor (web form, email, Zalo).",
    )
    assigned_count = fields.Integer(
        string="Requests Assigned",
        readonly=True,
        help="Requests received in the period that the person holds.",
    )
    create_due_count = fields.Integer(
        string="Creations Due",
        readonly=True,
        help="Requests entered by staff whose creation target fell due in the "
        "period (self-service requests create no one's figure).",
    )
    create_ontime_count = fields.Integer(
        string="Created within Target",
        readonly=True,
        help="Of the creations due, those entered within the target of the "
        "request's receipt.",
    )
    create_rate = _rate_field(
        "Created on Time (%)",
        "Created within target / creations due (30 working minutes from the "
        "receipt of the request).",
    )
    route_due_count = fields.Integer(
        string="Routings Due",
        readonly=True,
        help="Routings to a department that fell due in the period, timed from "
        "the receipt of the request. Per person: who routed it, the ticket "
        "monitor for automatic routing or a ticket not routed yet.",
    )
    route_ontime_count = fields.Integer(
        string="Routed within Target",
        readonly=True,
        help="Of the routings due, those made within the target.",
    )
    route_rate = _rate_field(
        "Routed on Time (%)",
        "Routed within target / routings due (30 working minutes from the "
        "receipt of the request).",
    )
    # Handling (SOP V.2-4: the assignee)
    contact_due_count = fields.Integer(
        string="First Contacts Due",
        readonly=True,
        help="First contacts that fell due in the period: made, or past the "
        "target of the ticket's priority in force, its paused time excluded (a "
        "ticket paused before its deadline is not due). A quotation request's "
        "hand-off notice to the customer is its first contact.",
    )
    contact_ontime_count = fields.Integer(
        string="First Contacts on Time",
        readonly=True,
        help="Of the first contacts due, those made within the target.",
    )
    contact_rate = _rate_field(
        "First Contact on Time (%)", "First contacts on time / first contacts due."
    )
    update_due_count = fields.Integer(
        string="Daily Updates Due",
        readonly=True,
        help="One per ticket and working day of the company's calendar (holidays "
        "excluded) on which the ticket was open and not paused at the update "
        "cut-off (17:00), New tickets included. Per person: who held it then.",
    )
    update_made_count = fields.Integer(
        string="Daily Updates Made",
        readonly=True,
        help="Of the updates due, the days with a progress update logged before "
        "the cut-off.",
    )
    update_rate = _rate_field("Daily Updates Made (%)", "Updates made / updates due.")
    finished_count = fields.Integer(
        string="Work Finished",
        readonly=True,
        help="Tickets whose work was (last) finished in the period.",
    )
    close_due_count = fields.Integer(
        string="Closings Due",
        readonly=True,
        help="Closings that fell due in the period: made, or past 24 hours after "
        "the last time the work was finished.",
    )
    close_ontime_count = fields.Integer(
        string="Closed within 24h",
        readonly=True,
        help="Of the closings due, those made within 24 hours of the last finish.",
    )
    close_rate = _rate_field(
        "Closed within 24h (%)",
        "Closed within 24 hours / closings due, from the last time the work was "
        "finished (one working day by default: the company's KPI setting).",
    )
    close_limit_due_count = fields.Integer(
        string="Closings Due (3 days)",
        readonly=True,
        help="Closings whose 3-day limit fell due in the period (or made before).",
    )
    close_limit_ontime_count = fields.Integer(
        string="Closed within 3 Days",
        readonly=True,
        help="Of those, the closings made within 3 days of the last finish.",
    )
    close_limit_rate = _rate_field(
        "Closed within 3 Days (%)",
        "Closed within 3 days / closings due (3 days), from the last finish.",
    )
    carried_count = fields.Integer(
        string="Reached Late from Earlier Periods",
        readonly=True,
        help="Milestones due (and counted as missed) in an earlier period, "
        "reached in this one: they are not counted again.",
    )
    closed_count = fields.Integer(
        string="Closed", readonly=True, help="Tickets closed in the period."
    )
    handoff_count = fields.Integer(
        string="Handed to Sales",
        readonly=True,
        help="Quotation requests closed in the period by their hand-off to sales "
        "(CRM): closed without a satisfaction check, outside the satisfaction "
        "rate.",
    )
    satisfaction_due_count = fields.Integer(
        string="Closed, Satisfaction Due",
        readonly=True,
        help="Tickets closed in the period, hand-offs to sales excluded.",
    )
    satisfied_count = fields.Integer(
        string="Confirmed Satisfied",
        readonly=True,
        help="Of those, the tickets whose customer confirmed satisfaction.",
    )
    satisfied_rate = _rate_field(
        "Confirmed Satisfied (%)",
        "Confirmed satisfied / tickets closed, hand-offs to sales excluded.",
    )
    cancelled_count = fields.Integer(
        string="Cancelled", readonly=True, help="Tickets cancelled in the period."
    )
    open_count = fields.Integer(
        string="Still Open at Cut-off",
        readonly=True,
        help="Tickets received by the cut-off and neither closed nor cancelled "
        "then, whenever received.",
    )
    escalation_count = fields.Integer(
        string="Escalations",
        readonly=True,
        help="Escalation steps taken in the period, on the assignee's tickets.",
    )
    contact_hours_avg = fields.Float(
        string="First Contact, Mean (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="Working hours (company calendar, holidays and pauses excluded) "
        "from the request to the first contact, over the first contacts made in "
        "the period.",
    )
    contact_made_count = fields.Integer(
        string="First Contacts Made",
        readonly=True,
        help="First contacts made in the period, whenever due.",
    )
    contact_hours_total = fields.Float(
        string="First Contact, Total (h)",
        digits=(12, 2),
        readonly=True,
        help="Working hours to the first contacts made in the period, summed "
        "(a grouped view's mean is this total over the contacts made).",
    )
    contact_hours_median = fields.Float(
        string="First Contact, Median (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="The median of the same working hours.",
    )
    resolution_hours_avg = fields.Float(
        string="Resolution, Mean (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="Working hours (company calendar, holidays and pauses excluded) "
        "from the request to the work being finished, over the tickets finished "
        "in the period.",
    )
    resolution_count = fields.Integer(
        string="Resolutions Timed",
        readonly=True,
        help="Tickets finished in the period whose working time is known.",
    )
    resolution_hours_total = fields.Float(
        string="Resolution, Total (h)",
        digits=(12, 2),
        readonly=True,
        help="Working hours to the work being finished, summed over the tickets "
        "finished in the period (a grouped view's mean is this total over them).",
    )
    resolution_hours_median = fields.Float(
        string="Resolution, Median (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="The median of the same working hours.",
    )
    # GTHĐ (SOP III): won opportunities of quotation requests
    won_count = fields.Integer(
        string="Opportunities Won",
        readonly=True,
        help="Opportunities of quotation requests won in the period.",
    )
    gthd_sales_amount = fields.Monetary(
        string="GTHĐ",
        currency_field="currency_id",
        readonly=True,
        help="Contract value for commission: expected revenue of the "
        "opportunities of quotation requests won in the period, in the "
        "company's currency. Per person: the opportunity's salesperson; per "
        "department: the ticket's department.",
    )

    # ---------------------------------------------------
    # Grouped views: rates from summed counts
    # ---------------------------------------------------

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """A group's rate is its summed on-time count over its summed due count
        (as the company line), not the mean of its lines' percentages, which
        counts a line with nothing due as 0 %. The pivot, the graph and the
        grouped list all read groups here."""
        wanted = {spec.split(":")[0].strip() for spec in fields}
        rates = [rate for rate in RATES if rate in wanted]
        means = [mean for mean in MEANS if mean in wanted]
        extra = [
            f"{count}:sum"
            for rate in rates
            for count in RATES[rate]
            if count not in wanted
        ] + [
            f"{part}:sum"
            for mean in means
            for part in MEANS[mean]
            if part not in wanted
        ]
        groups = super().read_group(
            domain,
            list(fields) + list(dict.fromkeys(extra)),
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        for group in groups:
            for rate in rates:
                ontime, due = (group.get(count) or 0 for count in RATES[rate])
                group[rate] = round(100.0 * ontime / due, 1) if due else 0.0
            for mean in means:
                total, count = (group.get(part) or 0 for part in MEANS[mean])
                group[mean] = round(total / count, 2) if count else 0.0
            for spec in extra:
                group.pop(spec.split(":")[0], None)
        return groups

    # ---------------------------------------------------
    # CRUD: figures are frozen
    # ---------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        periods = self.env["helpdesk.kpi.period"].browse(
            {vals.get("period_id") for vals in vals_list if vals.get("period_id")}
        )
        self._sgc_check_frozen(periods)
        return super().create(vals_list)

    def write(self, vals):
        periods = self.period_id
        if vals.get("period_id"):
            periods |= periods.browse(vals["period_id"])
        self._sgc_check_frozen(periods)
        return super().write(vals)

    def unlink(self):
        self._sgc_check_frozen(self.period_id)
        return super().unlink()

    @api.model
    def _sgc_check_frozen(self, periods):
        """Figures are written by their period's computation only, which never
        runs on a closed period (a manager reopens it first, which is tracked):
        not by a manager's edit, an import or an RPC call, with sudo or not."""
        computing = self.env.cr.cache.get(SNAPSHOT_KEY, ())
        if not computing or not set(periods.ids) <= set(computing):
            raise AccessError(
                self.env._(
                    "KPI figures are computed by their period (Compute, Close), "
                    "not edited."
                )
            )

    # ---------------------------------------------------
    # Figures: one aggregate query per family, whatever the number of tickets
    # ---------------------------------------------------

    @api.model
    def _grouping_sets(self, person, team, channel, category, select, body, *keys):
        """Run ``select`` over ``body`` grouped by person, department, channel,
        request type and nothing (GROUPING SETS), each set prefixed by ``keys``.
        Return dicts with the scope and its dimension value."""
        prefix = SQL(", ").join([*keys, SQL("")]) if keys else SQL("")
        key_cols = SQL(", ").join([*keys, SQL("")]) if keys else SQL("")
        query = SQL(
            """SELECT GROUPING(%(person)s, %(team)s, %(channel)s, %(category)s)
                          AS kpi_mask,
                      %(key_cols)s
                      %(person)s AS kpi_person, %(team)s AS kpi_team,
                      %(channel)s AS kpi_channel, %(category)s AS kpi_category,
                      %(select)s
               %(body)s
               GROUP BY GROUPING SETS (
                   (%(prefix)s %(person)s), (%(prefix)s %(team)s),
                   (%(prefix)s %(channel)s), (%(prefix)s %(category)s),
                   (%(keys)s))""",
            person=person,
            team=team,
            channel=channel,
            category=category,
            key_cols=key_cols,
            select=select,
            body=body,
            prefix=prefix,
            keys=SQL(", ").join(keys) if keys else SQL(""),
        )
        self.env.cr.execute(query)
        rows = []
        for row in self.env.cr.dictfetchall():
            scope = SCOPE_OF_MASK[row["kpi_mask"]]
            row["kpi_scope"] = scope
            row["kpi_key"] = {
                "person": row["kpi_person"],
                "department": row["kpi_team"],
                "channel": row["kpi_channel"],
                "category": row["kpi_category"],
                "company": None,
            }[scope]
            rows.append(row)
        return rows

    @api.model
    def _kpi_monitor_id(self, company):
        """The ticket monitor credited with self-service requests and automatic
        routing: the company's setting, else the first member of the group."""
        if company.helpdesk_kpi_monitor_id:
            return company.helpdesk_kpi_monitor_id.id
        group = self.env.ref("sgc_helpdesk_ticket.group_ticket_monitor")
        # sudo: which users hold the group (ids only), for the figures' owner.
        users = group.sudo().users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )
        return min(users.ids) if users else None

    @api.model
    def _update_days(self, period, cut):
        """[(day, its start, its update cut-off)] in naive UTC of the working
        days of the period (company calendar, holidays excluded) whose update
        cut-off has passed by ``cut``: one calendar read for the period,
        whatever its length and the number of tickets."""
        company = period.company_id
        first = _to_local(period.date_start, company).date()
        last = _to_local(period.date_end, company).date()
        hour = company.helpdesk_update_cutoff or 17.0
        cut_time = time(int(hour), int(round((hour - int(hour)) * 60)))
        working = self.env["helpdesk.ticket.timer"]._working_days(company, first, last)
        days = []
        day = first
        while day <= last:
            day_cut = company._sgc_local_to_utc(datetime.combine(day, cut_time))
            if day_cut <= cut and day in working:
                start = company._sgc_local_to_utc(datetime.combine(day, time.min))
                days.append((day, start, day_cut))
            day += timedelta(days=1)
        return days

    @api.model
    def _update_days_body(self, period, days, closed_field_id):
        """FROM and WHERE of the daily updates: one row per ticket and working
        day of ``days`` at whose update cut-off the ticket was open and not
        paused, with its daily check's record (``u``), the ticket's first
        progress update of that local day (``g``) and the day (``o``).

        Set-based and proportional to the ticket-days due, not to tickets x
        days: the days are numbered, each ticket's first and last due day
        numbers come from two lookup arrays indexed by calendar day (constant
        work per ticket), and ``generate_series`` yields the days between."""
        count = len(days)
        first, last = days[0][0], days[-1][0]
        span = (last - first).days + 1
        # For each calendar day of the span, 1-based: the number of the first
        # working day on or after it, and of the last one on or before it.
        next_day, prev_day = [0] * span, [0] * span
        position = 0
        for offset in range(span):
            day = first + timedelta(days=offset)
            while position < count and days[position][0] < day:
                position += 1
            next_day[offset] = position + 1
            prev_day[offset] = position + (
                1 if position < count and days[position][0] == day else 0
            )
        tz = period.company_id._sgc_tz().zone

        def offset_of(column):
            return SQL(
                "(((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date - %s::date)",
                column,
                tz,
                first,
            )

        received = offset_of(SQL("t.received_date"))
        ended = SQL("LEAST(t.closed_date, t.cancelled_date)")
        # The first due day: the first working day from the receipt's date,
        # the next one when the ticket came after that day's cut-off.
        first_due = SQL(
            """CASE WHEN %(r)s < 0 THEN 1
                    WHEN %(r)s >= %(span)s THEN %(none)s
                    ELSE (%(next)s::int[])[%(r)s + 1]
                         + CASE WHEN (%(next)s::int[])[%(r)s + 1] <= %(count)s
                                 AND t.received_date
                                     >= (%(cuts)s::timestamp[])[
                                            (%(next)s::int[])[%(r)s + 1]]
                                THEN 1 ELSE 0 END
               END""",
            r=received,
            span=span,
            none=count + 1,
            next=next_day,
            count=count,
            cuts=[d[2] for d in days],
        )
        # The last due day: the last working day up to the closing's date,
        # the one before when it closed before that day's cut-off.
        e = offset_of(ended)
        last_due = SQL(
            """CASE WHEN %(ended)s IS NULL OR %(e)s >= %(span)s THEN %(count)s
                    WHEN %(e)s < 0 THEN 0
                    ELSE (%(prev)s::int[])[%(e)s + 1]
                         - CASE WHEN (%(prev)s::int[])[%(e)s + 1] >= 1
                                 AND %(ended)s
                                     < (%(cuts)s::timestamp[])[
                                            (%(prev)s::int[])[%(e)s + 1]]
                                THEN 1 ELSE 0 END
               END""",
            ended=ended,
            e=e,
            span=span,
            count=count,
            prev=prev_day,
            cuts=[d[2] for d in days],
        )
        return SQL(
            """FROM helpdesk_ticket t
               CROSS JOIN LATERAL (
                   SELECT (%(days)s::date[])[i] AS day,
                          (%(cuts)s::timestamp[])[i] AS day_cut
                   FROM generate_series(%(first_due)s, %(last_due)s) AS i) o
               LEFT JOIN helpdesk_ticket_update_day u
                 ON u.ticket_id = t.id AND u.day = o.day
               LEFT JOIN (
                   SELECT p.ticket_id,
                          ((p.date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
                              AS day,
                          MIN(p.date) AS first_date
                   FROM helpdesk_ticket_progress p
                   WHERE p.date >= %(start)s AND p.date < %(end)s
                   GROUP BY 1, 2) g
                 ON g.ticket_id = t.id AND g.day = o.day
               WHERE t.company_id = %(company)s AND t.active
                 AND t.state IS NOT NULL
                 AND t.received_date < %(end)s
                 AND (t.closed_date IS NULL OR t.closed_date >= %(first_cut)s)
                 AND (t.cancelled_date IS NULL
                      OR t.cancelled_date >= %(first_cut)s)
                 AND NOT EXISTS (
                     SELECT 1 FROM helpdesk_ticket_pause p
                     WHERE p.ticket_id = t.id
                       AND p.date_start <= o.day_cut
                       AND (p.date_end IS NULL OR p.date_end > o.day_cut))
                 AND NOT EXISTS (
                     SELECT 1 FROM mail_tracking_value v
                     JOIN mail_message m ON m.id = v.mail_message_id
                     WHERE m.model = 'helpdesk.ticket'
                       AND m.res_id = t.id AND v.field_id = %(field)s
                       AND v.old_value_datetime <= o.day_cut
                       AND m.date > o.day_cut)""",
            days=[d[0] for d in days],
            cuts=[d[2] for d in days],
            first_due=first_due,
            last_due=last_due,
            tz=tz,
            start=days[0][1],
            end=days[-1][2],
            first_cut=days[0][2],
            company=period.company_id.id,
            field=closed_field_id,
        )

    @api.model
    def _close_limits(self, period, cut):
        """The closing policies read in working days (the company's choice,
        the SOP's reading by default): [(policy id, its target in working
        minutes, the latest start due by the period's start, the latest start
        due by ``cut``)]. A day of the policy is a working day of its calendar
        (24 hours one working day). Two calendar reads per closing policy,
        whatever the number of tickets."""
        company = period.company_id
        if company.helpdesk_kpi_close_basis != "working":
            return []
        # sudo: the closing policies' targets (a manager's settings), inactive
        # ones too (older rows keep theirs), read for the figures only.
        policies = (
            self.env["helpdesk.sla.policy"]
            # sudo: the engine's policies, configuration read to compute figures
            .sudo()
            .with_context(active_test=False)
            .search([("milestone", "in", ("close", "close_limit"))])
        )
        limits = []
        for policy in policies:
            calendar = policy._calendar(company)
            if not calendar:
                continue
            minutes = policy.target_minutes / 1440.0 * (calendar.hours_per_day or 8.0)
            minutes *= 60.0
            since = [
                calendar.plan_hours(-minutes / 60.0, moment, compute_leaves=True)
                or NEVER
                for moment in (period.date_start, cut)
            ]
            limits.append((policy.id, minutes, since[0], since[1]))
        return limits

    @api.model
    def _compute_figures(self, period):
        """Values of the lines of ``period`` (see ``_compute_figures_sql``).

        Its statements each aggregate a whole period: PostgreSQL's JIT would
        spend more time compiling them than running them (2 s of 5 at 100,000
        tickets, measured), and their sorts fit in a few megabytes of memory.
        Both settings hold for this transaction's statements only (SET LOCAL)
        and are set back after them."""
        cr = self.env.cr
        cr.execute("SET LOCAL jit = off")
        cr.execute("SET LOCAL work_mem = '64MB'")
        values = self._compute_figures_sql(period)
        cr.execute("SET LOCAL jit TO DEFAULT")
        cr.execute("SET LOCAL work_mem TO DEFAULT")
        return values

    @api.model
    def _compute_figures_sql(self, period):
        """Values of the lines of ``period``: a dict per scope and key.

        Definitions (SOP V-VIII; README, "KPI definitions"):

        - a milestone falls due when it is reached or its deadline passes,
          whichever comes first, and counts in the period in which that falls
          (once, whenever the period is computed); an ongoing milestone of a
          ticket paused before its deadline is not due (its clock is stopped);
        - one reached late in a later period is said there (carried over);
        - durations are the SLA engine's working minutes (pauses excluded);
        - the receiver and the router are people, never the system user: the
          staff member who entered a request on the customer's behalf, else the
          ticket monitor.
        """
        self.env.flush_all()
        start = period.date_start
        end = period.date_end + timedelta(seconds=1)  # exclusive bound
        company = period.company_id.id
        now = fields.Datetime.now()
        cut = min(now, end)  # what is known: a preview counts what is due now
        monitor = self._kpi_monitor_id(period.company_id)
        lines = {}

        def merge(rows, fnames, scopes=None):
            for row in rows:
                if scopes and row["kpi_scope"] not in scopes:
                    continue
                vals = lines.setdefault((row["kpi_scope"], row["kpi_key"]), {})
                for fname in fnames:
                    vals[fname] = vals.get(fname, 0) + float(row[fname] or 0)

        t_team, t_channel, t_category = (
            SQL("t.team_id"),
            SQL("t.channel_id"),
            SQL("t.category_id"),
        )
        in_period = SQL("BETWEEN %s AND %s", start, end - timedelta(microseconds=1))
        # Who received a request (SOP VIII): the staff member who entered it on
        # the customer's behalf, else (web form, email, Zalo) the ticket monitor.
        receiver = SQL(
            """CASE WHEN t.on_behalf AND t.create_uid != %(root)s
                         AND NOT COALESCE(cu.share, TRUE)
                    THEN t.create_uid ELSE %(monitor)s END""",
            root=SUPERUSER_ID,
            monitor=monitor,
        )
        # Who routed it: the person who did, else (automatic routing, or not
        # routed yet) the ticket monitor, who answers for routing.
        router = SQL(
            """CASE WHEN t.routed_by_id != %(root)s AND NOT COALESCE(ru.share, TRUE)
                    THEN t.routed_by_id ELSE %(monitor)s END""",
            root=SUPERUSER_ID,
            monitor=monitor,
        )
        people = SQL(
            """LEFT JOIN res_users cu ON cu.id = t.create_uid
               LEFT JOIN res_users ru ON ru.id = t.routed_by_id"""
        )
        # 1. Requests received in the period: by receiver, and by assignee.
        received_body = SQL(
            """FROM helpdesk_ticket t %s
               WHERE t.company_id = %s AND t.active AND t.received_date %s""",
            people,
            company,
            in_period,
        )
        merge(
            self._grouping_sets(
                receiver,
                t_team,
                t_channel,
                t_category,
                SQL("COUNT(*) AS received_count"),
                received_body,
            ),
            ["received_count"],
        )
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL("COUNT(*) AS assigned_count"),
                received_body,
            ),
            ["assigned_count"],
            scopes={"person"},
        )
        # 2. SLA milestones due in the period (see above), on the SLA engine's
        # statuses. Persons as SOP VIII: the receiver creates (staff entry only),
        # the router routes, the assignee does the rest.
        due_at = SQL("LEAST(s.deadline, COALESCE(s.reached_date, s.deadline))")
        clock_stopped = SQL(
            """EXISTS (SELECT 1 FROM helpdesk_ticket_pause p
                       WHERE p.ticket_id = t.id AND p.date_start < s.deadline
                         AND p.date_start < %(cut)s
                         AND (p.date_end IS NULL OR p.date_end >= %(cut)s))""",
            cut=cut,
        )
        sla_person = SQL(
            """CASE s.milestone
                   WHEN 'create' THEN CASE WHEN t.on_behalf THEN t.create_uid END
                   WHEN 'route' THEN %s
                   ELSE t.user_id END""",
            router,
        )
        # Closings read in working days: on time within the policy's target in
        # working minutes (the SLA engine's stored ones, from the last finish);
        # due when reached on time, else at that working deadline.
        limits = self._close_limits(period, cut)
        limit_join = SQL(
            """LEFT JOIN unnest(%s::int[], %s::float[], %s::timestamp[],
                                %s::timestamp[])
                    AS w(policy_id, minutes, since_start, since_cut)
                 ON w.policy_id = s.policy_id
                AND s.milestone IN ('close', 'close_limit')""",
            [lim[0] for lim in limits],
            [lim[1] for lim in limits],
            [lim[2] for lim in limits],
            [lim[3] for lim in limits],
        )
        w_ontime = SQL(
            "(s.reached_date IS NOT NULL AND s.elapsed_minutes <= w.minutes + 0.001)"
        )
        reached_in = SQL("(s.reached_date >= %s AND s.reached_date < %s)", start, cut)
        due_in = SQL(
            """CASE WHEN w.policy_id IS NOT NULL THEN
                   CASE WHEN %(w_ontime)s THEN %(reached_in)s
                        ELSE s.start_date > w.since_start
                             AND s.start_date <= w.since_cut END
               ELSE %(due_at)s >= %(start)s AND %(due_at)s < %(cut)s
                    AND (s.status IN ('reached', 'failed') OR NOT %(stopped)s)
               END""",
            w_ontime=w_ontime,
            reached_in=reached_in,
            due_at=due_at,
            start=start,
            cut=cut,
            stopped=clock_stopped,
        )
        ontime = SQL(
            """CASE WHEN w.policy_id IS NOT NULL THEN %s
                    ELSE s.status = 'reached' END""",
            w_ontime,
        )
        carried = SQL(
            """%(reached_in)s AND CASE WHEN w.policy_id IS NOT NULL
                   THEN NOT %(w_ontime)s AND s.start_date <= w.since_start
                   ELSE %(due_at)s < %(start)s END""",
            reached_in=reached_in,
            w_ontime=w_ontime,
            due_at=due_at,
            start=start,
        )
        sla_rows = self._grouping_sets(
            sla_person,
            t_team,
            t_channel,
            t_category,
            SQL(
                """COUNT(*) FILTER (WHERE %(due_in)s) AS due,
                   COUNT(*) FILTER (WHERE %(due_in)s AND %(ontime)s) AS ontime,
                   COUNT(*) FILTER (WHERE %(carried)s) AS carried""",
                due_in=due_in,
                ontime=ontime,
                carried=carried,
            ),
            SQL(
                """FROM helpdesk_ticket_sla s
                   JOIN helpdesk_ticket t ON t.id = s.ticket_id
                   %(people)s
                   %(limit_join)s
                   WHERE t.company_id = %(company)s AND t.active
                     AND s.status != 'cancelled'
                     AND ((%(due_at)s >= %(start)s AND %(due_at)s < %(cut)s)
                          OR %(reached_in)s
                          OR (w.policy_id IS NOT NULL
                              AND s.start_date > w.since_start
                              AND s.start_date <= w.since_cut))""",
                people=people,
                limit_join=limit_join,
                company=company,
                due_at=due_at,
                start=start,
                cut=cut,
                reached_in=reached_in,
            ),
            SQL("s.milestone"),
        )
        for row in sla_rows:
            due_field, ontime_field = SLA_FIELDS[row["milestone"]]
            row[due_field], row[ontime_field] = row["due"], row["ontime"]
            row["carried_count"] = row["carried"]
            merge([row], [due_field, ontime_field, "carried_count"])
        # 3. First contacts made in the period: working hours from the request
        # (the SLA engine's working minutes, pauses excluded).
        contact_hours = SQL("s.elapsed_minutes / 60.0")
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) AS contact_made_count,
                       SUM(%(h)s) AS contact_hours_total,
                       AVG(%(h)s) AS contact_hours_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(h)s)
                           AS contact_hours_median""",
                    h=contact_hours,
                ),
                SQL(
                    """FROM helpdesk_ticket_sla s
                       JOIN helpdesk_ticket t ON t.id = s.ticket_id
                       WHERE t.company_id = %s AND t.active
                         AND s.milestone = 'first_contact'
                         AND s.status IN ('reached', 'failed')
                         AND s.reached_date >= %s AND s.reached_date < %s""",
                    company,
                    start,
                    cut,
                ),
            ),
            [
                "contact_made_count",
                "contact_hours_total",
                "contact_hours_avg",
                "contact_hours_median",
            ],
        )
        # 4. Outcomes in the period: work finished (working hours from the
        # request, pauses excluded), closed, handed to sales, cancelled.
        resolution_hours = SQL("t.resolution_minutes / 60.0")
        finished = SQL("t.work_done_date %s", in_period)
        closed = SQL("t.state = 'done' AND t.closed_date %s", in_period)
        handed = SQL(
            """(COALESCE(c.is_quotation, FALSE) AND EXISTS (
                   SELECT 1 FROM crm_lead l WHERE l.ticket_id = t.id AND l.active))"""
        )
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) FILTER (WHERE %(finished)s) AS finished_count,
                       COUNT(%(h)s) FILTER (WHERE %(finished)s) AS resolution_count,
                       SUM(%(h)s) FILTER (WHERE %(finished)s)
                           AS resolution_hours_total,
                       AVG(%(h)s) FILTER (WHERE %(finished)s) AS resolution_hours_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(h)s)
                           FILTER (WHERE %(finished)s) AS resolution_hours_median,
                       COUNT(*) FILTER (WHERE %(closed)s) AS closed_count,
                       COUNT(*) FILTER (WHERE %(closed)s AND %(handed)s)
                           AS handoff_count,
                       COUNT(*) FILTER (WHERE %(closed)s AND NOT %(handed)s)
                           AS satisfaction_due_count,
                       COUNT(*) FILTER (WHERE %(closed)s AND NOT %(handed)s
                           AND t.satisfaction_state = 'confirmed') AS satisfied_count,
                       COUNT(*) FILTER (WHERE t.state = 'cancelled'
                           AND t.cancelled_date %(in_period)s) AS cancelled_count""",
                    finished=finished,
                    closed=closed,
                    handed=handed,
                    h=resolution_hours,
                    in_period=in_period,
                ),
                SQL(
                    """FROM helpdesk_ticket t
                       LEFT JOIN helpdesk_ticket_category c ON c.id = t.category_id
                       WHERE t.company_id = %(company)s AND t.active
                         AND (t.work_done_date %(in_period)s
                              OR t.closed_date %(in_period)s
                              OR t.cancelled_date %(in_period)s)""",
                    company=company,
                    in_period=in_period,
                ),
            ),
            [
                "finished_count",
                "resolution_count",
                "resolution_hours_total",
                "resolution_hours_avg",
                "resolution_hours_median",
                "closed_count",
                "handoff_count",
                "satisfaction_due_count",
                "satisfied_count",
                "cancelled_count",
            ],
        )
        # 5. Still open at the cut-off (whenever received).
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL("COUNT(*) AS open_count"),
                SQL(
                    """FROM helpdesk_ticket t
                       WHERE t.company_id = %(company)s AND t.active
                         AND t.received_date < %(end)s
                         AND t.state IS NOT NULL
                         AND (t.closed_date IS NULL OR t.closed_date >= %(end)s)
                         AND (t.cancelled_date IS NULL
                              OR t.cancelled_date >= %(end)s)""",
                    company=company,
                    end=end,
                ),
            ),
            ["open_count"],
        )
        # 6. Daily updates (SOP V.3): due on each working day of the company's
        # calendar for every ticket open and not paused at that day's update
        # cut-off (New included), made when a progress update was logged that
        # day before it; by who held the ticket that day (the daily check's
        # record), else its assignee. A ticket closed then and reopened later
        # was not open then: its tracked closing date says so.
        days = self._update_days(period, cut)
        # sudo: the id of a field of the ticket, for the query below.
        closed_field = (
            # sudo: the id of a field of the ticket, for the query below
            self.env["ir.model.fields"].sudo()._get("helpdesk.ticket", "closed_date")
        )
        if days:
            merge(
                self._grouping_sets(
                    SQL("COALESCE(u.user_id, t.user_id)"),
                    SQL("COALESCE(u.team_id, t.team_id)"),
                    t_channel,
                    t_category,
                    SQL(
                        """COUNT(*) AS update_due_count,
                           COUNT(*) FILTER (WHERE g.first_date < o.day_cut)
                               AS update_made_count"""
                    ),
                    self._update_days_body(period, days, closed_field.id),
                ),
                ["update_due_count", "update_made_count"],
            )
        # 7. Escalations in the period, against the ticket's assignee.
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL("COUNT(*) AS escalation_count"),
                SQL(
                    """FROM helpdesk_ticket_escalation e
                       JOIN helpdesk_ticket t ON t.id = e.ticket_id
                       WHERE t.company_id = %s AND t.active AND e.date %s""",
                    company,
                    in_period,
                ),
            ),
            ["escalation_count"],
        )
        # 8. GTHĐ: quotation requests handed to the CRM whose opportunity was won
        # in the period, by the opportunity's salesperson and by the ticket's
        # department.
        merge(
            self._grouping_sets(
                SQL("l.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) AS won_count,
                       SUM(l.expected_revenue) AS gthd_sales_amount"""
                ),
                SQL(
                    """FROM crm_lead l
                       JOIN helpdesk_ticket t ON t.id = l.ticket_id
                       JOIN helpdesk_ticket_category c ON c.id = t.category_id
                       LEFT JOIN crm_stage st ON st.id = l.stage_id
                       WHERE t.company_id = %s AND t.active AND c.is_quotation
                         AND l.active
                         AND (st.is_won OR l.probability >= 100)
                         AND l.date_closed %s""",
                    company,
                    in_period,
                ),
            ),
            ["won_count", "gthd_sales_amount"],
        )
        return self._lines_vals(period, lines)

    @api.model
    def _lines_vals(self, period, lines):
        names = self._dimension_names(lines)
        vals_list = []
        for (scope, key), vals in lines.items():
            for rate, (ok, due) in RATES.items():
                vals[rate] = (
                    round(100.0 * vals.get(ok, 0) / vals[due], 1)
                    if vals.get(due)
                    else 0.0
                )
            field = SCOPE_FIELD[scope]
            if field:
                vals[field] = key or False
            vals.update(
                period_id=period.id,
                scope=scope,
                name=names.get((scope, key)) or self.env._("(none)"),
            )
            vals_list.append(vals)
        return vals_list

    @api.model
    def _sgc_create_lines(self, vals_list):
        """Create the lines of a computation, their names in every installed
        language (one statement per language), whoever computes them."""
        keys = []
        for vals in vals_list:
            field = SCOPE_FIELD[vals["scope"]]
            keys.append((vals["scope"], (vals.get(field) or None) if field else None))
        Line = self.with_context(lang="en_US")
        names = Line._dimension_names(dict.fromkeys(keys))
        for vals, key in zip(vals_list, keys, strict=True):
            vals["name"] = names.get(key) or Line.env._("(none)")
        lines = Line.create(vals_list)
        for code, _name in self.env["res.lang"].get_installed():
            if code == "en_US" or not lines:
                continue
            Line = self.with_context(lang=code)
            names = Line._dimension_names(dict.fromkeys(keys))
            none = Line.env._("(none)")
            values = [
                SQL("(%s, %s)", line.id, names.get(key) or none)
                for line, key in zip(lines, keys, strict=True)
            ]
            self.env.cr.execute(
                SQL(
                    """UPDATE helpdesk_kpi_line l
                       SET name = COALESCE(l.name, '{}'::jsonb)
                                  || jsonb_build_object(%s, v.name)
                       FROM (VALUES %s) AS v(id, name)
                       WHERE l.id = v.id""",
                    code,
                    SQL(", ").join(values),
                )
            )
        lines.invalidate_recordset(["name"])
        return lines.with_env(self.env)

    @api.model
    def _dimension_names(self, lines):
        """Names frozen with the figures (a renamed team keeps its month's name),
        in the environment's language."""
        models_by_scope = {
            "person": "res.users",
            "department": "helpdesk.ticket.team",
            "channel": "helpdesk.ticket.channel",
            "category": "helpdesk.ticket.category",
        }
        names = {("company", None): self.env._("Total")}
        for scope, model in models_by_scope.items():
            ids = [key for (sc, key) in lines if sc == scope and key]
            # sudo: display names only, frozen into figures whose readers (KPI
            # accountant, manager) may not read every user, team or channel.
            for record in self.env[model].sudo().browse(ids):
                names[(scope, record.id)] = record.display_name
        return names
