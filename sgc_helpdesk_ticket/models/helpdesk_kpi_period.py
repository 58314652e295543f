# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Where a period's computation, the only writer of its figures (helpdesk.kpi.line),
# says which periods it is computing: the cursor's own cache, which no client (RPC
# context, import) can reach.
SNAPSHOT_KEY = "sgc_kpi_snapshot_periods"
# What a closed period freezes besides its figures; its state moves only by
# action_reopen (tracked).
FROZEN_FIELDS = frozenset(
    {
        "name",
        "company_id",
        "date_start",
        "date_end",
        "computed_date",
        "computed_by_id",
        "line_ids",
    }
)


def _to_utc(local_dt, company):
    """Naive time of the company's zone (its working hours') -> naive UTC, as
    Odoo stores datetimes."""
    return company._sgc_local_to_utc(local_dt)


def _to_local(utc_dt, company):
    return company._sgc_now_local(utc_dt)


def _add_months(year, month, delta):
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


class HelpdeskKpiPeriod(models.Model):
    """A monthly KPI reconciliation (SOP V.5): from the day after the cut-off day
    of one month to the cut-off day of the next, named by its closing month.
    Closing it freezes the figures into KPI lines."""

    _name = "helpdesk.kpi.period"
    _description = "Helpdesk KPI Period"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, readonly=True, help="Closing month, MM/YYYY.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date_start = fields.Datetime(
        string="Start", required=True, readonly=True, help="Day after the cut-off."
    )
    date_end = fields.Datetime(
        string="End", required=True, readonly=True, help="Cut-off day, 23:59:59."
    )
    state = fields.Selection(
        selection=[("draft", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    closed_date = fields.Datetime(string="Closed On", readonly=True, tracking=True)
    computed_date = fields.Datetime(
        string="Figures Computed On", readonly=True, tracking=True
    )
    computed_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, tracking=True
    )
    line_ids = fields.One2many(
        comodel_name="helpdesk.kpi.line", inverse_name="period_id", string="Figures"
    )
    line_count = fields.Integer(compute="_compute_line_count")
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "company_start_unique",
            "unique(company_id, date_start)",
            "There is already a KPI period starting then for this company.",
        )
    ]

    def _compute_line_count(self):
        counts = dict(
            self.env["helpdesk.kpi.line"]._read_group(
                [("period_id", "in", self.ids)], ["period_id"], ["__count"]
            )
        )
        for period in self:
            period.line_count = counts.get(period, 0)

    # ---------------------------------------------------
    # CRUD: a closed period is frozen
    # ---------------------------------------------------

    def write(self, vals):
        frozen = sorted(FROZEN_FIELDS.intersection(vals))
        closed = self.filtered(lambda p: p.state == "closed")
        if closed and not (
            self.env.su or self.env.user.has_group("sgc_helpdesk_ticket.group_manager")
        ):
            # The KPI accountant computes and closes a period; a frozen one is
            # never hers to change (its reopening is the manager's, tracked).
            raise AccessError(
                self.env._(
                    "KPI period %s is closed: only a helpdesk manager can reopen it.",
                    ", ".join(closed.mapped("name")),
                )
            )
        if frozen and closed:
            raise UserError(
                self.env._(
                    "KPI period %s is closed: reopen it before changing it.",
                    ", ".join(closed.mapped("name")),
                )
            )
        return super().write(vals)

    def unlink(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "KPI period %s is closed: its figures are kept.",
                    ", ".join(closed.mapped("name")),
                )
            )
        return super().unlink()

    # ---------------------------------------------------
    # Periods
    # ---------------------------------------------------

    @api.model
    def _bounds(self, company, year, month):
        """(date_start, date_end) in naive UTC of the period closing in
        ``month``/``year``: the day after the cut-off of the previous month at
        00:00:00 to the cut-off day at 23:59:59, company time."""
        cutoff = company.helpdesk_kpi_cutoff_day or 25
        prev_year, prev_month = _add_months(year, month, -1)
        start_day = date(prev_year, prev_month, cutoff) + timedelta(days=1)
        start = datetime.combine(start_day, time.min)
        end = datetime.combine(date(year, month, cutoff), time(23, 59, 59))
        return _to_utc(start, company), _to_utc(end, company)

    @api.model
    def _closing_month_of(self, company, moment):
        """(year, month) of the period that holds ``moment`` (naive UTC)."""
        local = _to_local(moment, company)
        if local.day > (company.helpdesk_kpi_cutoff_day or 25):
            return _add_months(local.year, local.month, 1)
        return local.year, local.month

    @api.model
    def _get_or_create(self, company, year, month):
        start, end = self._bounds(company, year, month)
        period = self.search(
            [("company_id", "=", company.id), ("date_start", "=", start)], limit=1
        )
        if not period:
            period = self.create(
                {
                    "name": f"{month:02d}/{year}",
                    "company_id": company.id,
                    "date_start": start,
                    "date_end": end,
                }
            )
        return period

    @api.model
    def _period_for(self, moment, company=None):
        """The period (created when missing) holding ``moment`` (naive UTC)."""
        company = company or self.env.company
        year, month = self._closing_month_of(company, moment)
        return self._get_or_create(company, year, month)

    @api.model
    def open_period(self, year, month):
        """Id of the current company's period closing in ``month``/``year``
        (created when missing): for staff and external tools."""
        self.check_access("create")
        return self._get_or_create(self.env.company, int(year), int(month)).id

    # ---------------------------------------------------
    # Actions
    # ---------------------------------------------------

    def action_open_current_period(self):
        """Open the period that holds today (created when missing): the one the
        KPI accountant previews and closes on the cut-off day (SOP V.5)."""
        self.check_access("create")
        period = self._period_for(fields.Datetime.now())
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": period.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_compute(self):
        """Compute the figures of an open period (a preview before closing)."""
        self._compute_snapshot()
        return True

    def action_close(self):
        """Compute the figures and freeze them."""
        todo = self.filtered(lambda p: p.state == "draft")
        todo._compute_snapshot()
        todo.write({"state": "closed", "closed_date": fields.Datetime.now()})
        return True

    def action_reopen(self):
        """Reopen a closed period (helpdesk managers; tracked). The frozen
        figures stay until the period is recomputed or closed again."""
        if not (
            self.env.su or self.env.user.has_group("sgc_helpdesk_ticket.group_manager")
        ):
            raise AccessError(
                self.env._("Only a helpdesk manager can reopen a KPI period.")
            )
        self.check_access("write")
        self.filtered(lambda p: p.state == "closed").write(
            {"state": "draft", "closed_date": False}
        )
        return True

    def _local_label(self, moment):
        """``dd/mm/yyyy HH:MM:SS`` in the company's time, for the report."""
        if not moment:
            return ""
        return _to_local(moment, self.company_id).strftime("%d/%m/%Y %H:%M:%S")

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sgc_helpdesk_ticket.helpdesk_kpi_line_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"search_default_scope_person": 1}
        return action

    # ---------------------------------------------------
    # Snapshot
    # ---------------------------------------------------

    def _compute_snapshot(self):
        """Replace the period's lines by freshly computed figures; a closed
        period's are frozen (reopen it first)."""
        self.check_access("write")
        # sudo: the figures are written here only (manager's write on the period
        # checked above; nobody writes lines directly), and never while closed.
        Line = self.env["helpdesk.kpi.line"].sudo()
        computing = self.env.cr.cache.setdefault(SNAPSHOT_KEY, set())
        for period in self:
            if period.state == "closed":
                raise UserError(
                    self.env._(
                        "KPI period %s is closed: reopen it before recomputing.",
                        period.name,
                    )
                )
            computing.add(period.id)
            try:
                Line.search([("period_id", "=", period.id)]).unlink()
                vals_list = Line._compute_figures(period)
                Line._sgc_create_lines(vals_list)
            finally:
                computing.discard(period.id)
            period.write(
                {
                    "computed_date": fields.Datetime.now(),
                    "computed_by_id": self.env.uid,
                }
            )
        return True

    def _closing_moment(self):
        """When the scheduled job may freeze the period: once its cut-off day
        has ended (23:59:59, company time) and the company's closing hour of the
        next day has passed (naive UTC)."""
        self.ensure_one()
        hours = self.company_id.helpdesk_kpi_close_hour or 0.0
        return self.date_end + timedelta(seconds=1, hours=hours)

    @api.model
    def _cron_close_periods(self):
        """Hourly: close each company's period whose cut-off day has ended and
        whose closing hour has passed, so that every ticket received up to
        23:59:59 on the cut-off day is in it (idempotent; catches up a missed
        run). A period previewed before then is closed all the same; one a
        manager reopened (computed after its closing moment) is left to the
        manager."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            hours = company.helpdesk_kpi_close_hour or 0.0
            # The period holding (now - closing hour) is still running: the one
            # before it is due to close.
            year, month = self._closing_month_of(company, now - timedelta(hours=hours))
            year, month = _add_months(year, month, -1)
            period = self.with_company(company)._get_or_create(company, year, month)
            if (
                period.state == "draft"
                and now >= period._closing_moment()
                and (
                    not period.computed_date
                    or period.computed_date < period._closing_moment()
                )
            ):
                period.action_close()
        return True
