# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, time, timedelta

import holidays

from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays of the companies' working hours, filled from the
    ``holidays`` package's calendar of the company's country (lunar holidays,
    substitute days and new days off included), so that nobody types them."""

    _inherit = "resource.calendar.leaves"

    sgc_holiday_key = fields.Char(
        string="Public Holiday Key",
        readonly=True,
        copy=False,
        index=True,
        help="Set on the days filled from the public holiday calendar "
        "(country:date): the yearly job keeps them up to date. Empty: entered by "
        "hand (a substitute day, a company day off), never changed by the job.",
    )

    @api.model
    def _cron_sgc_public_holidays(self, years=None):
        """Fill the working hours of every company that has a country with its
        public holidays of this year and the next (idempotent: run it again, or
        after a new version of the package, and only what changed changes)."""
        if not years:
            this_year = fields.Date.context_today(self).year
            years = [this_year, this_year + 1]
        # sudo: the job keeps every company's calendar's public holidays, a
        # fixed public fact; it writes only the leaves it generated itself.
        companies = (
            self.env["res.company"]
            .sudo()  # sudo: companies with a calendar and a country
            .search(
                [
                    ("resource_calendar_id", "!=", False),
                    ("partner_id.country_id", "!=", False),
                ]
            )
        )
        done = set()
        for company in companies:
            key = (company.resource_calendar_id.id, company.country_id.code)
            if key in done:
                continue
            done.add(key)
            # sudo: writes the package's public dates only, no user input
            self.sudo()._sgc_fill_public_holidays(company, years)
        return True

    @api.model
    def _sgc_holiday_names(self, country_code, years):
        """{date: name} of the country's public holidays in ``years``, named in
        the country's own language (Vietnamese for Vietnam), as its decisions
        name them."""
        language = holidays.country_holidays(country_code).default_language
        days = holidays.country_holidays(country_code, years=years, language=language)
        return dict(days.items())

    @api.model
    def _sgc_fill_public_holidays(self, company, years):
        calendar = company.resource_calendar_id
        code = company.country_id.code
        names = self._sgc_holiday_names(code, years)
        first = company._sgc_local_to_utc(
            datetime.combine(date(min(years), 1, 1), time.min)
        )
        last = company._sgc_local_to_utc(
            datetime.combine(date(max(years) + 1, 1, 1), time.min)
        )
        # One read of the calendar's global leaves of those years.
        leaves = self.search(
            [
                ("calendar_id", "=", calendar.id),
                ("resource_id", "=", False),
                ("date_from", "<", last),
                ("date_to", ">", first),
            ]
        )
        generated = {
            leave.sgc_holiday_key: leave for leave in leaves if leave.sgc_holiday_key
        }
        by_hand = leaves.filtered(lambda leave: not leave.sgc_holiday_key)
        prefix = f"{code}:"
        wanted = set()
        vals_list = []
        for day, name in sorted(names.items()):
            key = f"{prefix}{day.isoformat()}"
            wanted.add(key)
            start = company._sgc_local_to_utc(datetime.combine(day, time.min))
            end = company._sgc_local_to_utc(
                datetime.combine(day + timedelta(days=1), time.min)
            ) - timedelta(seconds=1)
            vals = {"name": name, "date_from": start, "date_to": end}
            leave = generated.get(key)
            if leave:
                changed = {k: v for k, v in vals.items() if leave[k] != v}
                if changed:
                    leave.write(changed)
                continue
            # A day a manager entered already (a substitute day typed before the
            # package had it): kept as it is, never duplicated.
            if any(hand.date_from <= end and hand.date_to >= start for hand in by_hand):
                continue
            vals.update(
                calendar_id=calendar.id,
                time_type="leave",
                sgc_holiday_key=key,
            )
            vals_list.append(vals)
        # The package withdrew a day (a corrected decision): so does the calendar.
        stale = self.browse(
            [
                leave.id
                for key, leave in generated.items()
                if key.startswith(prefix) and key not in wanted
            ]
        )
        stale.unlink()
        return self.create(vals_list)
