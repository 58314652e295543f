# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .helpdesk_kpi_period import SNAPSHOT_KEY, _to_local

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
    "satisfied_rate": ("satisfied_count", "closed_count"),
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
    received_count = fields.Integer(string="Requests Received", readonly=True)
    create_due_count = fields.Integer(string="Creations Due", readonly=True)
    create_ontime_count = fields.Integer(string="Created within Target", readonly=True)
    create_rate = _rate_field(
        "Created on Time (%)", "Tickets created within 30 minutes of the request."
    )
    route_due_count = fields.Integer(string="Routings Due", readonly=True)
    route_ontime_count = fields.Integer(string="Routed within Target", readonly=True)
    route_rate = _rate_field(
        "Routed on Time (%)", "Tickets routed within 30 minutes of their creation."
    )
    # Handling (SOP V.2-4: the assignee)
    contact_due_count = fields.Integer(string="First Contacts Due", readonly=True)
    contact_ontime_count = fields.Integer(
        string="First Contacts on Time", readonly=True
    )
    contact_rate = _rate_field(
        "First Contact on Time (%)", "First contact within the SLA target."
    )
    update_due_count = fields.Integer(string="Daily Updates Due", readonly=True)
    update_made_count = fields.Integer(string="Daily Updates Made", readonly=True)
    update_rate = _rate_field("Daily Updates Made (%)", "Updates made / updates due.")
    finished_count = fields.Integer(string="Work Finished", readonly=True)
    close_due_count = fields.Integer(string="Closings Due", readonly=True)
    close_ontime_count = fields.Integer(string="Closed within 24h", readonly=True)
    close_rate = _rate_field(
        "Closed within 24h (%)", "Closed within 24 hours of the work being finished."
    )
    close_limit_due_count = fields.Integer(
        string="Closings Due (3 days)", readonly=True
    )
    close_limit_ontime_count = fields.Integer(
        string="Closed within 3 Days", readonly=True
    )
    close_limit_rate = _rate_field(
        "Closed within 3 Days (%)", "Closed within 3 days of the work being finished."
    )
    closed_count = fields.Integer(string="Closed", readonly=True)
    satisfied_count = fields.Integer(string="Confirmed Satisfied", readonly=True)
    satisfied_rate = _rate_field(
        "Confirmed Satisfied (%)", "Closed tickets whose customer confirmed."
    )
    cancelled_count = fields.Integer(string="Cancelled", readonly=True)
    open_count = fields.Integer(string="Still Open at Cut-off", readonly=True)
    escalation_count = fields.Integer(string="Escalations", readonly=True)
    contact_hours_avg = fields.Float(
        string="First Contact, Mean (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="Clock hours from the request to the first contact.",
    )
    contact_hours_median = fields.Float(
        string="First Contact, Median (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
    )
    resolution_hours_avg = fields.Float(
        string="Resolution, Mean (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
        help="Clock hours from the request to the work being finished, less the "
        "time the ticket was paused.",
    )
    resolution_hours_median = fields.Float(
        string="Resolution, Median (h)",
        digits=(10, 2),
        aggregator="avg",
        readonly=True,
    )
    # GTHĐ (SOP III): won opportunities of quotation requests
    won_count = fields.Integer(string="Opportunities Won", readonly=True)
    gthd_sales_amount = fields.Monetary(
        string="GTHĐ (Salesperson)",
        currency_field="currency_id",
        readonly=True,
        help="Contract value for commission: expected revenue of the won "
        "opportunities of quotation requests, by salesperson.",
    )
    gthd_created_amount = fields.Monetary(
        string="GTHĐ (Ticket Creator)",
        currency_field="currency_id",
        readonly=True,
        help="The same value, by the staff member who created the ticket.",
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
        extra = [
            f"{count}:sum"
            for rate in rates
            for count in RATES[rate]
            if count not in wanted
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
    def _compute_figures(self, period):
        """Values of the lines of ``period``: a dict per scope and key."""
        self.env.flush_all()
        start = period.date_start
        end = period.date_end + timedelta(seconds=1)  # exclusive bound
        company = period.company_id.id
        now = fields.Datetime.now()
        lines = {}

        def merge(rows, fnames):
            for row in rows:
                vals = lines.setdefault((row["kpi_scope"], row["kpi_key"]), {})
                for fname in fnames:
                    vals[fname] = vals.get(fname, 0) + float(row[fname] or 0)

        t_team, t_channel, t_category = (
            SQL("t.team_id"),
            SQL("t.channel_id"),
            SQL("t.category_id"),
        )
        in_period = SQL("BETWEEN %s AND %s", start, end - timedelta(microseconds=1))
        # 1. Requests received in the period, first-contact times.
        contact_hours = SQL(
            "EXTRACT(EPOCH FROM t.first_contact_date - t.received_date) / 3600.0"
        )
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) AS received_count,
                       AVG(%(h)s) AS contact_hours_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(h)s)
                           AS contact_hours_median""",
                    h=contact_hours,
                ),
                SQL(
                    """FROM helpdesk_ticket t
                       WHERE t.company_id = %s AND t.active
                         AND t.received_date %s""",
                    company,
                    in_period,
                ),
            ),
            ["received_count", "contact_hours_avg", "contact_hours_median"],
        )
        # 2. SLA milestones started in the period (the SLA engine's statuses, on
        # its time basis). Persons as SOP VIII: the receiver creates (staff entry
        # only) and routes, the assignee does the rest.
        sla_rows = self._grouping_sets(
            SQL(
                """CASE s.milestone
                       WHEN 'create' THEN CASE WHEN t.on_behalf THEN t.create_uid END
                       WHEN 'route' THEN t.routed_by_id
                       ELSE t.user_id END"""
            ),
            t_team,
            t_channel,
            t_category,
            SQL(
                """COUNT(*) FILTER (WHERE s.status IN ('reached', 'failed')
                       OR (s.status = 'ongoing' AND s.deadline <= %s)) AS due,
                   COUNT(*) FILTER (WHERE s.status = 'reached') AS ontime""",
                min(now, end),
            ),
            SQL(
                """FROM helpdesk_ticket_sla s
                   JOIN helpdesk_ticket t ON t.id = s.ticket_id
                   WHERE t.company_id = %s AND t.active AND s.status != 'cancelled'
                     AND s.start_date %s""",
                company,
                in_period,
            ),
            SQL("s.milestone"),
        )
        for row in sla_rows:
            due_field, ontime_field = SLA_FIELDS[row["milestone"]]
            row[due_field], row[ontime_field] = row["due"], row["ontime"]
            merge([row], [due_field, ontime_field])
        # 3. Outcomes in the period: work finished, closed, cancelled.
        resolution_hours = SQL(
            """EXTRACT(EPOCH FROM t.work_done_date - t.received_date) / 3600.0
               - COALESCE(paused.hours, 0)"""
        )
        finished = SQL("t.work_done_date %s", in_period)
        closed = SQL("t.state = 'done' AND t.closed_date %s", in_period)
        merge(
            self._grouping_sets(
                SQL("t.user_id"),
                t_team,
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) FILTER (WHERE %(finished)s) AS finished_count,
                       AVG(%(h)s) FILTER (WHERE %(finished)s) AS resolution_hours_avg,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(h)s)
                           FILTER (WHERE %(finished)s) AS resolution_hours_median,
                       COUNT(*) FILTER (WHERE %(closed)s) AS closed_count,
                       COUNT(*) FILTER (WHERE %(closed)s
                           AND t.satisfaction_state = 'confirmed') AS satisfied_count,
                       COUNT(*) FILTER (WHERE t.state = 'cancelled'
                           AND t.cancelled_date %(in_period)s) AS cancelled_count""",
                    finished=finished,
                    closed=closed,
                    h=resolution_hours,
                    in_period=in_period,
                ),
                SQL(
                    """FROM helpdesk_ticket t
                       LEFT JOIN LATERAL (
                           SELECT SUM(p.duration_hours) AS hours
                           FROM helpdesk_ticket_pause p
                           WHERE p.ticket_id = t.id AND p.date_end IS NOT NULL
                             AND p.date_end <= t.work_done_date) paused ON TRUE
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
                "resolution_hours_avg",
                "resolution_hours_median",
                "closed_count",
                "satisfied_count",
                "cancelled_count",
            ],
        )
        # 4. Still open at the cut-off (whenever received).
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
        # 5. Daily updates due and made (one row per ticket in progress and working
        # day, recorded by the daily check), by who held the ticket that day.
        merge(
            self._grouping_sets(
                SQL("u.user_id"),
                SQL("u.team_id"),
                t_channel,
                t_category,
                SQL(
                    """COUNT(*) AS update_due_count,
                       COUNT(*) FILTER (WHERE u.made) AS update_made_count"""
                ),
                SQL(
                    """FROM helpdesk_ticket_update_day u
                       JOIN helpdesk_ticket t ON t.id = u.ticket_id
                       WHERE t.company_id = %s AND t.active
                         AND u.day BETWEEN %s AND %s""",
                    company,
                    _to_local(start, period.company_id).date(),
                    _to_local(period.date_end, period.company_id).date(),
                ),
            ),
            ["update_due_count", "update_made_count"],
        )
        # 6. Escalations in the period, against the ticket's assignee.
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
        # 7. GTHĐ: quotation requests handed to the CRM whose opportunity was won
        # in the period, by salesperson and by the staff member who created the
        # ticket.
        self._merge_gthd(lines, company, in_period)
        return self._lines_vals(period, lines)

    @api.model
    def _merge_gthd(self, lines, company, in_period):
        self.env.cr.execute(
            SQL(
                """SELECT GROUPING(l.user_id, t.create_uid, t.team_id, t.channel_id,
                                   t.category_id) AS kpi_mask,
                          l.user_id AS salesperson, t.create_uid AS creator,
                          t.team_id, t.channel_id, t.category_id,
                          COUNT(*) AS won_count,
                          SUM(l.expected_revenue) AS amount
                   FROM crm_lead l
                   JOIN helpdesk_ticket t ON t.id = l.ticket_id
                   JOIN helpdesk_ticket_category c ON c.id = t.category_id
                   LEFT JOIN crm_stage st ON st.id = l.stage_id
                   WHERE t.company_id = %s AND t.active AND c.is_quotation
                     AND l.active
                     AND (st.is_won OR l.probability >= 100)
                     AND l.date_closed %s
                   GROUP BY GROUPING SETS ((l.user_id), (t.create_uid),
                       (t.team_id), (t.channel_id), (t.category_id), ())""",
                company,
                in_period,
            )
        )
        # GROUPING over five columns: the set's own column is the one bit at 0.
        sets = {
            0b01111: ("person", "salesperson", "gthd_sales_amount"),
            0b10111: ("person", "creator", "gthd_created_amount"),
            0b11011: ("department", "team_id", None),
            0b11101: ("channel", "channel_id", None),
            0b11110: ("category", "category_id", None),
            0b11111: ("company", None, None),
        }
        for row in self.env.cr.dictfetchall():
            scope, key_col, amount_field = sets[row["kpi_mask"]]
            amount = float(row["amount"] or 0)
            vals = lines.setdefault((scope, row[key_col] if key_col else None), {})
            if amount_field:
                vals[amount_field] = vals.get(amount_field, 0) + amount
                if amount_field == "gthd_sales_amount":
                    vals["won_count"] = vals.get("won_count", 0) + row["won_count"]
            else:
                vals["won_count"] = vals.get("won_count", 0) + row["won_count"]
                vals["gthd_sales_amount"] = amount
                vals["gthd_created_amount"] = amount

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
