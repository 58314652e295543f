# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import SgcHelpdeskCase

D = datetime


class KpiCase(SgcHelpdeskCase):
    """A hand-built month of tickets whose KPI figures are known (period 06/2025:
    2025-05-25 17:00:00 to 2025-06-25 16:59:59 UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.helpdesk_kpi_cutoff_day = 25
        cls.company.helpdesk_kpi_monitor_id = cls.monitor
        cls.Period = cls.env["helpdesk.kpi.period"]
        cls.channel_email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.salesperson = new_test_user(
            cls.env,
            login="sgc_sales",
            groups="sales_team.group_sale_salesman",
            name="Sales Tester",
        )
        cls.policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "KPI test policy",
                "milestone": "first_contact",
                "target_minutes": 120,
                "time_basis": "calendar",
                "sequence": 9999,
                "active": False,
            }
        )
        done, new = cls.stages["done"], cls.stages["new"]
        progress, cancelled = cls.stages["in_progress"], cls.stages["cancelled"]
        ptn, pkt = cls.team_ptn, cls.team_pkt
        cls.t1 = cls._stamped(
            team_id=ptn.id,
            user_id=cls.user_ptn.id,
            channel_id=cls.channel_phone.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 6, 2, 1, 0),
            create_date=D(2025, 6, 2, 1, 10),
            create_uid=cls.monitor.id,
            on_behalf=True,
            routed_date=D(2025, 6, 2, 1, 20),
            routed_by_id=cls.monitor.id,
            first_contact_date=D(2025, 6, 2, 2, 0),
            work_done_date=D(2025, 6, 5, 1, 0),
            closed_date=D(2025, 6, 5, 10, 0),
            stage=done,
            satisfaction_state="confirmed",
            resolution_minutes=600,
        )
        cls.t2 = cls._stamped(
            team_id=ptn.id,
            user_id=cls.user_ptn.id,
            channel_id=cls.channel_phone.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 6, 10, 2, 0),
            create_date=D(2025, 6, 10, 2, 0),
            on_behalf=False,
            routed_date=D(2025, 6, 10, 3, 0),
            routed_by_id=cls.monitor.id,
            first_contact_date=D(2025, 6, 10, 5, 0),
            work_done_date=D(2025, 6, 12, 2, 0),
            closed_date=D(2025, 6, 16, 2, 0),
            stage=done,
            satisfaction_state="none",
            resolution_minutes=1200,
        )
        # 10 hours paused before the work was finished: resolution 48 - 10 = 38 h.
        cls.env["helpdesk.ticket.pause"].create(
            {
                "ticket_id": cls.t2.id,
                "date_start": D(2025, 6, 11, 0, 0),
                "date_end": D(2025, 6, 11, 10, 0),
            }
        )
        cls.t3 = cls._stamped(
            team_id=pkt.id,
            user_id=cls.user_pkt.id,
            channel_id=cls.channel_email.id,
            category_id=cls.cat_field.id,
            received_date=D(2025, 6, 20, 3, 0),
            create_date=D(2025, 6, 20, 4, 0),
            create_uid=cls.monitor.id,
            on_behalf=True,
            routed_date=D(2025, 6, 20, 4, 5),
            routed_by_id=cls.monitor.id,
            first_contact_date=D(2025, 6, 20, 3, 30),
            stage=progress,
        )
        # The last second of the period (23:59:59 on the 25th, Vietnam time) ...
        cls.t4 = cls._stamped(
            team_id=ptn.id,
            user_id=cls.user_ptn2.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 6, 25, 16, 59, 59),
            create_date=D(2025, 6, 25, 16, 59, 59),
            on_behalf=False,
            stage=new,
        )
        # ... and the first second of the next one.
        cls.t5 = cls._stamped(
            team_id=ptn.id,
            user_id=cls.user_ptn2.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 6, 25, 17, 0, 0),
            create_date=D(2025, 6, 25, 17, 0, 0),
            on_behalf=False,
            stage=new,
        )
        cls.t6 = cls._stamped(
            team_id=pkt.id,
            user_id=cls.user_pkt.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 6, 3, 1, 0),
            create_date=D(2025, 6, 3, 1, 0),
            on_behalf=False,
            cancelled_date=D(2025, 6, 4, 1, 0),
            closed_date=D(2025, 6, 4, 1, 0),
            stage=cancelled,
        )
        # Received in the previous period, still in progress: open at cut-off.
        cls.t7 = cls._stamped(
            team_id=ptn.id,
            user_id=cls.user_ptn.id,
            category_id=cls.cat_lab.id,
            received_date=D(2025, 5, 20, 1, 0),
            create_date=D(2025, 5, 20, 1, 0),
            stage=progress,
        )
        # A quotation request handed to sales in May, whose opportunity is won in
        # June: GTHĐ of June.
        cls.t8 = cls._stamped(
            team_id=cls.team_pkd.id,
            user_id=None,
            category_id=cls.cat_quote.id,
            received_date=D(2025, 5, 10, 1, 0),
            create_date=D(2025, 5, 10, 1, 0),
            create_uid=cls.monitor.id,
            closed_date=D(2025, 5, 10, 2, 0),
            stage=done,
        )
        won = cls.env["crm.stage"].create({"name": "Won (KPI test)", "is_won": True})
        Lead = cls.env["crm.lead"]
        cls.lead_won = Lead.create(
            {
                "name": "Quan trắc môi trường 2025",
                "type": "opportunity",
                "ticket_id": cls.t8.id,
                "user_id": cls.salesperson.id,
                "expected_revenue": 50_000_000,
            }
        )
        cls.lead_later = Lead.create(
            {
                "name": "Phân tích bổ sung",
                "type": "opportunity",
                "ticket_id": cls.t8.id,
                "user_id": cls.salesperson.id,
                "expected_revenue": 20_000_000,
            }
        )
        cls._sql_update(
            "crm_lead",
            cls.lead_won.id,
            stage_id=won.id,
            probability=100,
            date_closed=D(2025, 6, 15, 3, 0),
        )
        cls._sql_update(
            "crm_lead",
            cls.lead_later.id,
            stage_id=won.id,
            probability=100,
            date_closed=D(2025, 6, 25, 17, 0),
        )
        # SLA milestones as the SLA engine records them: a reached row at its
        # start (its working minutes given for first contacts), a failed one
        # not reached.
        tickets = cls.t1 | cls.t2 | cls.t3 | cls.t4 | cls.t5 | cls.t6 | cls.t7 | cls.t8
        cls.env["helpdesk.ticket.sla"].search(
            [("ticket_id", "in", tickets.ids)]
        ).unlink()
        sla = [
            (cls.t1, "create", "reached", D(2025, 6, 2, 1, 0)),
            (cls.t1, "route", "reached", D(2025, 6, 2, 1, 10)),
            (cls.t1, "first_contact", "reached", D(2025, 6, 2, 1, 0)),
            (cls.t1, "close", "reached", D(2025, 6, 5, 1, 0)),
            (cls.t1, "close_limit", "reached", D(2025, 6, 5, 1, 0)),
            (cls.t2, "create", "reached", D(2025, 6, 10, 2, 0)),
            (cls.t2, "route", "failed", D(2025, 6, 10, 2, 0)),
            (cls.t2, "first_contact", "failed", D(2025, 6, 10, 2, 0)),
            (cls.t2, "close", "failed", D(2025, 6, 12, 2, 0)),
            (cls.t2, "close_limit", "failed", D(2025, 6, 12, 2, 0)),
            (cls.t3, "create", "failed", D(2025, 6, 20, 3, 0)),
            (cls.t3, "route", "reached", D(2025, 6, 20, 4, 0)),
            (cls.t3, "first_contact", "reached", D(2025, 6, 20, 3, 0)),
            (cls.t4, "create", "reached", D(2025, 6, 25, 16, 59, 59)),
            # Due after the cut-off: not counted as due yet.
            (cls.t4, "first_contact", "ongoing", D(2025, 6, 25, 16, 59, 59)),
            (cls.t5, "create", "reached", D(2025, 6, 25, 17, 0)),
            (cls.t6, "first_contact", "cancelled", D(2025, 6, 3, 1, 0)),
        ]
        elapsed = {(cls.t1, "first_contact"): 60.0, (cls.t3, "first_contact"): 30.0}
        cls.env["helpdesk.ticket.sla"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "policy_id": cls.policy.id,
                    "milestone": milestone,
                    "status": status,
                    "start_date": start,
                    "deadline": start.replace(hour=start.hour + 1),
                    "reached_date": start if status == "reached" else False,
                    "elapsed_minutes": elapsed.get((ticket, milestone), 0.0),
                }
                for ticket, milestone, status, start in sla
            ]
        )
        Escalation = cls.env["helpdesk.ticket.escalation"]
        Escalation.create(
            [
                {
                    "ticket_id": cls.t2.id,
                    "user_id": cls.monitor.id,
                    "level": 1,
                    "date": D(2025, 6, 10, 4, 0),
                },
                {
                    "ticket_id": cls.t2.id,
                    "user_id": cls.manager.id,
                    "level": 2,
                    "date": D(2025, 6, 10, 5, 0),
                },
                {
                    "ticket_id": cls.t4.id,
                    "user_id": cls.monitor.id,
                    "level": 1,
                    "date": D(2025, 6, 26, 1, 0),
                },
            ]
        )
        # Progress updates as logged (17:00 in Vietnam is 10:00 UTC): t1 on its
        # 2nd and 3rd day, t3 on its 1st and 4th, and on its 2nd after 17:00.
        cls.env.flush_all()
        for ticket, moment in [
            (cls.t1, D(2025, 6, 3, 2, 0)),
            (cls.t1, D(2025, 6, 4, 2, 0)),
            (cls.t3, D(2025, 6, 20, 3, 30)),
            (cls.t3, D(2025, 6, 23, 11, 0)),
            (cls.t3, D(2025, 6, 24, 2, 0)),
        ]:
            cls.env.cr.execute(
                """INSERT INTO helpdesk_ticket_progress
                       (ticket_id, user_id, date, note, create_uid, create_date,
                        write_uid, write_date)
                   VALUES (%s, %s, %s, 'Tiến độ', 1, %s, 1, %s)""",
                (ticket.id, ticket.user_id.id, moment, moment, moment),
            )
        cls.env.invalidate_all()

    @classmethod
    def _sql_update(cls, table, record_id, **cols):
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = %s",
                SQL.identifier(table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(col), value)
                    for col, value in cols.items()
                ),
                record_id,
            )
        )
        cls.env.invalidate_all()

    @classmethod
    def _stamped(cls, stage, **cols):
        """A ticket whose dates and people are set as if it had lived them."""
        ticket = cls._ticket(partner_id=cls.customer.id)
        cols.update(stage_id=stage.id, state=stage.state)
        cls._sql_update("helpdesk_ticket", ticket.id, **cols)
        return ticket

    def _june(self):
        return self.Period._get_or_create(self.company, 2025, 6)

    def _line(self, period, scope, record=None):
        field = {
            "person": "user_id",
            "department": "team_id",
            "channel": "channel_id",
            "category": "category_id",
        }.get(scope)
        lines = period.line_ids.filtered(
            lambda line: (
                line.scope == scope
                and (not field or line[field] == (record or line[field]))
            )
        )
        if scope == "person" and record is None:
            lines = lines.filtered(lambda line: not line.user_id)
        self.assertEqual(len(lines), 1, f"one {scope} line for {record}")
        return lines


@tagged("post_install", "-at_install")
class TestKpiPeriod(KpiCase):
    def test_period_bounds_in_vietnam_time(self):
        start, end = self.Period._bounds(self.company, 2025, 6)
        # 26/05 00:00:00 and 25/06 23:59:59 in Asia/Ho_Chi_Minh (UTC+7).
        self.assertEqual(start, D(2025, 5, 25, 17, 0, 0))
        self.assertEqual(end, D(2025, 6, 25, 16, 59, 59))
        self.assertEqual(
            self.Period._period_for(D(2025, 6, 25, 16, 59, 59)).name, "06/2025"
        )
        self.assertEqual(
            self.Period._period_for(D(2025, 6, 25, 17, 0, 0)).name, "07/2025"
        )
        self.assertEqual(
            self.Period._period_for(D(2025, 5, 25, 17, 0, 0)).name, "06/2025"
        )
        self.assertEqual(
            self.Period._period_for(D(2025, 5, 25, 16, 59, 59)).name, "05/2025"
        )
        # January closes a period that started in December.
        start, end = self.Period._bounds(self.company, 2026, 1)
        self.assertEqual(start, D(2025, 12, 25, 17, 0, 0))
        self.assertEqual(end, D(2026, 1, 25, 16, 59, 59))

    def test_cutoff_day_per_company(self):
        self.company.helpdesk_kpi_cutoff_day = 20
        start, end = self.Period._bounds(self.company, 2025, 3)
        self.assertEqual(start, D(2025, 2, 20, 17, 0, 0))
        self.assertEqual(end, D(2025, 3, 20, 16, 59, 59))
        with self.assertRaises(ValidationError):
            self.company.helpdesk_kpi_cutoff_day = 31

    def test_boundary_tickets(self):
        june = self._june()
        june.action_close()
        july = self.Period._get_or_create(self.company, 2025, 7)
        july.action_close()
        june_ptn2 = self._line(june, "person", self.user_ptn2)
        july_ptn2 = self._line(july, "person", self.user_ptn2)
        # t4 (16:59:59 UTC on the 25th) is June's, t5 (17:00 UTC) July's.
        self.assertEqual(june_ptn2.assigned_count, 1)
        self.assertEqual(july_ptn2.assigned_count, 1)
        self.assertEqual(self._line(june, "company").received_count, 5)

    def test_company_figures(self):
        june = self._june()
        june.action_close()
        total = self._line(june, "company")
        self.assertEqual(total.name, "Total")
        expected = {
            "received_count": 5,
            "create_due_count": 4,
            "create_ontime_count": 3,
            "create_rate": 75.0,
            "route_due_count": 3,
            "route_ontime_count": 2,
            "route_rate": 66.7,
            "contact_due_count": 3,
            "contact_ontime_count": 2,
            "contact_rate": 66.7,
            # Working days (Mon-Sat) at 17:00 open and not paused: t1 4 (2-5/6),
            # t2 5 (10-14/6, the pause ended at 17:00 on the 11th), t3 5
            # (20-25/6), t6 1 (3/6), t7 27 (26/5-25/6); made: t1 2, t3 2.
            "update_due_count": 42,
            "update_made_count": 4,
            "update_rate": 9.5,
            "finished_count": 2,
            "close_due_count": 2,
            "close_ontime_count": 1,
            "close_rate": 50.0,
            "close_limit_due_count": 2,
            "close_limit_ontime_count": 1,
            "closed_count": 2,
            "handoff_count": 0,
            "satisfaction_due_count": 2,
            "satisfied_count": 1,
            "satisfied_rate": 50.0,
            "cancelled_count": 1,
            "open_count": 3,
            "escalation_count": 2,
            "carried_count": 0,
            # Working minutes of the contacts made (t1 60, t3 30; t2 never).
            "contact_hours_avg": 0.75,
            "contact_hours_median": 0.75,
            # Working minutes to the finish: t1 600, t2 1200.
            "resolution_hours_avg": 15.0,
            "resolution_hours_median": 15.0,
            "won_count": 1,
            "gthd_sales_amount": 50_000_000,
        }
        self.assertEqual({f: total[f] for f in expected}, expected)

    def test_person_figures(self):
        june = self._june()
        june.action_close()
        ptn = self._line(june, "person", self.user_ptn)
        self.assertEqual(
            (
                ptn.assigned_count,
                ptn.contact_due_count,
                ptn.contact_ontime_count,
                ptn.finished_count,
                ptn.close_ontime_count,
                ptn.closed_count,
                ptn.satisfied_count,
                ptn.open_count,
                ptn.escalation_count,
                ptn.update_due_count,
                ptn.update_made_count,
                ptn.contact_hours_avg,
                ptn.resolution_hours_median,
            ),
            (2, 2, 1, 2, 1, 2, 1, 1, 2, 36, 2, 1.0, 15.0),
        )
        # The receiver creates (staff entry) and routes (SOP VIII); the monitor
        # receives what came by itself.
        monitor = self._line(june, "person", self.monitor)
        self.assertEqual(
            (
                monitor.create_due_count,
                monitor.create_ontime_count,
                monitor.create_rate,
                monitor.route_due_count,
                monitor.route_ontime_count,
                monitor.received_count,
                monitor.gthd_sales_amount,
            ),
            (2, 1, 50.0, 3, 2, 5, 0),
        )
        pkt = self._line(june, "person", self.user_pkt)
        self.assertEqual(
            (
                pkt.assigned_count,
                pkt.received_count,
                pkt.contact_rate,
                pkt.cancelled_count,
                pkt.open_count,
                pkt.update_due_count,
                pkt.update_made_count,
            ),
            (2, 0, 100.0, 1, 1, 6, 2),
        )
        sales = self._line(june, "person", self.salesperson)
        self.assertEqual((sales.won_count, sales.gthd_sales_amount), (1, 50_000_000))
        # Self-service and e-mailed requests create no one's KPI.
        nobody = self._line(june, "person")
        self.assertEqual((nobody.create_due_count, nobody.create_ontime_count), (2, 2))

    def test_department_channel_category_figures(self):
        june = self._june()
        june.action_close()
        ptn = self._line(june, "department", self.team_ptn)
        self.assertEqual(
            (
                ptn.received_count,
                ptn.open_count,
                ptn.finished_count,
                ptn.escalation_count,
                ptn.create_due_count,
                ptn.create_ontime_count,
                ptn.route_due_count,
                ptn.route_ontime_count,
                ptn.contact_rate,
            ),
            (3, 2, 2, 2, 3, 3, 2, 1, 50.0),
        )
        pkt = self._line(june, "department", self.team_pkt)
        self.assertEqual(
            (pkt.received_count, pkt.cancelled_count, pkt.open_count, pkt.create_rate),
            (2, 1, 1, 0.0),
        )
        pkd = self._line(june, "department", self.team_pkd)
        self.assertEqual(pkd.gthd_sales_amount, 50_000_000)
        phone = self._line(june, "channel", self.channel_phone)
        self.assertEqual((phone.received_count, phone.finished_count), (2, 2))
        lab = self._line(june, "category", self.cat_lab)
        field = self._line(june, "category", self.cat_field)
        self.assertEqual((lab.received_count, field.received_count), (4, 1))

    def test_grouped_rates_from_summed_counts(self):
        june = self._june()
        june.action_close()
        Line = self.env["helpdesk.kpi.line"]
        departments = Line.search(
            [("period_id", "=", june.id), ("scope", "=", "department")]
        )
        company = self._line(june, "company")
        rates = [
            "create_rate",
            "route_rate",
            "contact_rate",
            "close_rate",
            "contact_hours_avg",
            "resolution_hours_avg",
        ]
        [group] = Line.read_group(
            [("period_id", "=", june.id), ("scope", "=", "department")],
            [f"{rate}:avg" for rate in rates] + ["received_count:sum"],
            ["period_id"],
        )
        # The departments together are the company: the same rates as its line,
        # which the mean of the departments' percentages is not.
        for rate in rates:
            self.assertEqual(group[rate], company[rate], rate)
        mean = sum(departments.mapped("contact_rate")) / len(departments)
        self.assertNotEqual(round(mean, 1), company.contact_rate)
        # The same for the mean hours: the total over the count (PTN: t1 1.0 h,
        # PKT: t3 0.5 h; PKD none), not the mean of the lines' means.
        self.assertEqual(group["contact_hours_avg"], 0.75)
        self.assertNotEqual(
            round(sum(departments.mapped("contact_hours_avg")) / len(departments), 2),
            0.75,
        )
        self.assertEqual(group["received_count"], company.received_count)
        self.assertNotIn("contact_due_count", group)

    def test_line_names_in_the_readers_language(self):
        june = self._june()
        # Computed by someone reading English: read in Vietnamese, it is Vietnamese.
        june.with_context(lang="en_US").action_compute()
        total = self._line(june, "company")
        self.assertEqual(total.with_context(lang="en_US").name, "Total")
        self.assertEqual(total.with_context(lang="vi_VN").name, "Tổng")
        ptn = self._line(june, "department", self.team_ptn)
        self.assertEqual(
            ptn.with_context(lang="vi_VN").name,
            self.team_ptn.with_context(lang="vi_VN").display_name,
        )
        # And the other way round.
        june.with_context(lang="vi_VN").action_compute()
        total = self._line(june, "company")
        self.assertEqual(total.with_context(lang="en_US").name, "Total")

    def test_snapshot_frozen_then_reopen_and_recompute(self):
        june = self._june()
        with freeze_time("2025-06-25 11:00:00"):
            june.action_close()
        total = self._line(june, "company")
        frozen = total.read(["received_count", "open_count", "contact_rate"])[0]
        # Later edits: the ticket of the last second gets its first contact, a
        # late request of June is entered.
        self.t4.first_contact_date = D(2025, 6, 25, 16, 59, 59)
        late = self._ticket()
        self._sql_update("helpdesk_ticket", late.id, received_date=D(2025, 6, 24, 1, 0))
        self.env.invalidate_all()
        self.assertEqual(
            total.read(["received_count", "open_count", "contact_rate"])[0], frozen
        )
        with self.assertRaises(AccessError):
            june.with_user(self.accountant).action_reopen()
        with self.assertRaises(UserError):
            june.with_user(self.manager).action_compute()  # closed: reopen first
        self.env.cr.precommit.run()
        with freeze_time("2025-06-27 02:00:00"):
            june.with_user(self.manager).action_reopen()
            self.env.cr.precommit.run()
            june.with_user(self.manager).action_compute()
            self.env.cr.precommit.run()
        self.assertEqual(june.state, "draft")
        self.assertEqual(june.computed_by_id, self.manager)
        self.assertEqual(june.computed_date, D(2025, 6, 27, 2, 0))
        self.assertEqual(self._line(june, "company").received_count, 6)
        # The reopening and the recomputation are in the period's tracking.
        self.env.flush_all()
        tracked = june.message_ids.tracking_value_ids
        self.assertIn("state", tracked.mapped("field_id.name"), "reopening is tracked")
        self.assertIn("computed_by_id", tracked.mapped("field_id.name"))
        reopen = tracked.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(reopen.mail_message_id.author_id, self.manager.partner_id)

    def test_cron_closes_once_after_the_cut_off_day(self):
        Period = self.Period

        def june_of():
            return Period.search(
                [("company_id", "=", self.company.id), ("name", "=", "06/2025")]
            )

        # A preview during the cut-off day does not hold the closing back.
        with freeze_time("2025-06-25 11:00:00"):  # 18:00 in Vietnam
            self._june().action_compute()
            Period._cron_close_periods()
        self.assertEqual(june_of().state, "draft", "the 25th is not over")
        with freeze_time("2025-06-25 16:59:00"):  # 23:59
            Period._cron_close_periods()
        self.assertEqual(june_of().state, "draft")
        with freeze_time("2025-06-25 17:05:00"):  # 00:05 on the 26th
            Period._cron_close_periods()
            june = june_of()
            self.assertEqual(june.state, "closed")
            self.assertEqual(june.closed_date, D(2025, 6, 25, 17, 5))
            lines_before = june.line_ids
        # Everything received up to 23:59:59 on the 25th is in it.
        self.assertEqual(self._line(june, "company").received_count, 5)
        with freeze_time("2025-06-26 11:00:00"):
            Period._cron_close_periods()  # idempotent
        self.assertEqual(june.line_ids, lines_before)
        self.assertEqual(june.closed_date, D(2025, 6, 25, 17, 5))
        # A manager reopened it: the job leaves it to the manager.
        june.action_reopen()
        june.action_compute()
        with freeze_time("2025-06-27 11:00:00"):
            Period._cron_close_periods()
        self.assertEqual(june.state, "draft")

    def test_cron_closing_hour_of_the_company(self):
        self.company.helpdesk_kpi_close_hour = 8.0
        with freeze_time("2025-06-25 17:05:00"):  # 00:05 on the 26th
            self.Period._cron_close_periods()
        june = self._june()
        self.assertEqual(june.state, "draft")
        with freeze_time("2025-06-26 01:05:00"):  # 08:05
            self.Period._cron_close_periods()
        self.assertEqual(june.state, "closed")
        with self.assertRaises(ValidationError):
            self.company.helpdesk_kpi_close_hour = 24.0

    def test_query_count_independent_of_ticket_count(self):
        june = self._june()
        june.action_compute()  # warm the caches
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        june.action_compute()
        few = self.env.cr.sql_log_count - count
        # 30 more requests from the same people, departments, channels, types.
        for _i in range(30):
            self._stamped(
                team_id=self.team_ptn.id,
                user_id=self.user_ptn.id,
                channel_id=self.channel_phone.id,
                category_id=self.cat_lab.id,
                received_date=D(2025, 6, 5, 1, 0),
                stage=self.stages["new"],
            )
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        june.action_compute()
        many = self.env.cr.sql_log_count - count
        self.assertEqual(self._line(june, "company").received_count, 35)
        self.assertEqual(many, few)


@tagged("post_install", "-at_install")
class TestKpiAccessAndReport(KpiCase):
    def test_access(self):
        june = self._june()
        june.action_close()
        with self.assertRaises(AccessError):
            june.with_user(self.user_ptn).read(["name"])
        with self.assertRaises(AccessError):
            self.env["helpdesk.kpi.line"].with_user(self.user_ptn).search([])
        lines = (
            self.env["helpdesk.kpi.line"]
            .with_user(self.accountant)
            .search([("period_id", "=", june.id)])
        )
        self.assertEqual(lines, june.line_ids)
        with self.assertRaises(AccessError):
            lines.with_user(self.accountant).write({"received_count": 99})
        # The accountant closes the period (SOP V.5); a closed one is frozen for
        # her: no recomputation, no reopening, no change.
        july = self.Period._get_or_create(self.company, 2025, 7)
        july.with_user(self.accountant).action_close()
        self.assertEqual(july.state, "closed")
        with self.assertRaises(UserError):
            july.with_user(self.accountant).action_compute()
        with self.assertRaises(AccessError):
            july.with_user(self.accountant).action_reopen()
        with self.assertRaises(AccessError):
            july.with_user(self.accountant).write({"state": "draft"})
        self.assertEqual(july.state, "closed")

    def test_report_content(self):
        company = self._letterhead_company()
        june = self._june()
        june.action_close()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sgc_helpdesk_ticket.action_report_helpdesk_kpi_period", june.ids
            )[0]
            .decode()
        )
        self.assertIn("Đối soát KPI tháng", html)
        self.assertIn("06/2025", html)
        self.assertIn("26/05/2025 00:00:00", html)
        self.assertIn("25/06/2025 23:59:59", html)
        for text in ("PTN Tester", "PKT Tester", "Total", "3/4", "75.0%", "66.7%"):
            self.assertIn(text, html)
        self.assertLetterhead(html, company)
