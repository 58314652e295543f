# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Three KPI periods replayed on a frozen clock, every figure computed by hand.

The tickets live their SOP life through the addon's actions and scheduled jobs
(the addon stamps every date); the expected figures below are written out by
hand from the timeline, not derived with the KPI's code.

SGC's calendar: Monday-Friday 08:00-12:00 and 13:00-17:00, Saturday 08:00-12:00,
Vietnam time (UTC+7); 30/04 and 01/05/2025 are holidays. Times below are Vietnam
time. SLA targets (shipped policies): creation and routing 30 working minutes
from receipt, first contact 120 working minutes (30 at very high priority),
closing within 24 h and 3 days of the last finish, read in working days (one
and three working days, 480 and 1440 working minutes: the KPI's default).

Periods: A = 04/2025 (26/03 00:00 - 25/04 23:59:59), B = 05/2025 (to 25/05),
C = 06/2025 (to 25/06), each frozen by the scheduled job at 00:05 after its
cut-off day.

Timeline (received by / assignee PTN Tester unless said):

- T3 phone call Mon 21/04 09:00, entered by the monitor at 09:50 (created and
  routed 50 min after receipt: both late); contacted 10:00, update 16:00, work
  finished Tue 10:00, confirmed and closed Tue 15:00.
- T8 quotation from the web form Mon 21/04 10:00 (routed automatically to PKD),
  handed to sales 10:20 (the notice is the first contact, work finished and
  closed then); its opportunity is won Tue 27/05 for 100,000,000 VND.
- T4 web form Tue 22/04 08:00, priority raised to very high at 08:15 (first
  contact due 08:30), contacted 09:00 (late), finished 16:00, closed Wed 09:00.
- T9 quotation from the web form Tue 22/04 14:00, handed to sales Wed 09:00
  (first contact due Tue 16:00: late).
- T6 entered by PTN Second Wed 23/04 09:00; contacted 09:30, finished 11:00,
  closed 11:30, reopened by a manager Thu 09:00 (no update due on Wed: it was
  closed then), update Thu 11:00, finished again Fri 25/04 10:00, closed Sat
  26/04 09:00 (on time from the last finish: B).
- T7 entered by the monitor Thu 24/04 14:00, first contact due 16:00, made Mon
  28/04 10:00 (missed in A, carried over in B); finished Mon 16:00, closed Tue
  29/04 10:00.
- T5 entered by the monitor Fri 25/04 15:00, started 15:10, paused 15:30 before
  any contact (first contact due 17:00: the clock stops), resumed Mon 28/04
  09:00 (due 10:30), contacted 09:30, update 14:00, finished 15:00, closed Tue
  09:00.
- T1 web form Fri 25/04 23:30 (A); contacted Mon 28/04 09:00 (due Sat 10:00),
  finished 11:00, closed 14:00.
- T2 web form Sat 26/04 00:30 (B), left New (first contact due Sat 10:00),
  cancelled Sat 03/05 09:00.
- T11 entered by the monitor Fri 23/05 16:00 (B), first contact due Sat 24/05
  09:00, made Mon 26/05 09:00 (C); update 10:00, finished 11:00, closed Tue
  27/05 10:00.
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .common import SgcHelpdeskCase

FIGURES = [
    "received_count",
    "create_due_count",
    "create_ontime_count",
    "route_due_count",
    "route_ontime_count",
    "contact_due_count",
    "contact_ontime_count",
    "update_due_count",
    "update_made_count",
    "finished_count",
    "close_due_count",
    "close_ontime_count",
    "close_limit_due_count",
    "close_limit_ontime_count",
    "carried_count",
    "closed_count",
    "handoff_count",
    "satisfaction_due_count",
    "satisfied_count",
    "cancelled_count",
    "open_count",
    "contact_hours_avg",
    "contact_hours_median",
    "resolution_hours_avg",
    "resolution_hours_median",
    "won_count",
    "gthd_sales_amount",
]


def at(local):
    """The frozen clock at ``local`` ("YYYY-MM-DD HH:MM", Vietnam time)."""
    moment = datetime.strptime(local, "%Y-%m-%d %H:%M") - timedelta(hours=7)
    return freeze_time(moment)


@contextmanager
def step(env, local):
    """One step of the timeline at ``local``, ended as its transaction would
    end: the tracking of what changed is written then, at that time."""
    with at(local):
        yield
        env.cr.precommit.run()


@tagged("post_install", "-at_install")
class TestKpiAudit(SgcHelpdeskCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.calendar = cls.env.ref("sgc_helpdesk_ticket.resource_calendar_sgc")
        company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "helpdesk_kpi_cutoff_day": 25,
                "helpdesk_kpi_close_hour": 0.0,
                "helpdesk_update_cutoff": 17.0,
                "helpdesk_kpi_monitor_id": cls.monitor.id,
            }
        )
        # The audit's timeline gives every closing as staff did it: the engine's
        # automatic closing after a confirmation is not part of the replay.
        cls.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_auto_close").active = False
        Leaves = cls.env["resource.calendar.leaves"]
        Leaves.search(
            [
                ("calendar_id", "=", cls.calendar.id),
                ("resource_id", "=", False),
                ("date_from", "<", datetime(2025, 7, 1)),
                ("date_to", ">", datetime(2025, 3, 1)),
            ]
        ).unlink()
        Leaves.create(
            {
                "name": "Ngày Giải phóng miền Nam và Quốc tế Lao động",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2025, 4, 29, 17, 0),
                "date_to": datetime(2025, 5, 1, 16, 59, 59),
                "time_type": "leave",
            }
        )
        cls.env["helpdesk.escalation.step"].search([]).active = False
        cls.salesperson = new_test_user(
            cls.env,
            login="sgc_audit_sales",
            groups="sales_team.group_sale_salesman",
            name="Audit Salesperson",
        )
        cls.Sla = cls.env["helpdesk.ticket.sla"]
        cls.Period = cls.env["helpdesk.kpi.period"]
        cls.snapshots = {}
        cls._replay()

    # ------------------------------------------------------------------
    # The timeline
    # ------------------------------------------------------------------

    @classmethod
    def _web(cls, **vals):
        """A request from the web form: created by the system, routed by its
        category."""
        return cls._ticket(priority="1", **vals)

    @classmethod
    def _entered(cls, user, received, **vals):
        """A phone request entered by staff on the customer's behalf."""
        return cls._ticket(
            user=user,
            priority="1",
            received_date=datetime.strptime(received, "%Y-%m-%d %H:%M")
            - timedelta(hours=7),
            channel_id=cls.channel_phone.id,
            **vals,
        ).with_user(cls.env.user)

    @classmethod
    def _contact_and_start(cls, ticket):
        ticket.with_user(cls.user_ptn).action_log_first_contact()
        ticket.action_start()

    @classmethod
    def _finish(cls, ticket):
        ticket.resolution = "Đã trả kết quả phân tích."
        ticket.action_mark_work_done()

    @classmethod
    def _confirm(cls, ticket):
        ticket._record_satisfaction("phone", note="Khách xác nhận", user=cls.user_ptn)

    @classmethod
    def _update(cls, ticket):
        cls.env["helpdesk.ticket.progress"].with_user(cls.user_ptn).create(
            {"ticket_id": ticket.id, "note": "Đang phân tích mẫu."}
        )

    @classmethod
    def _handoff(cls, ticket):
        action = ticket.action_handoff_to_crm()
        Form(
            cls.env[action["res_model"]].with_context(**action["context"])
        ).save().action_helpdesk_ticket_to_lead()
        return ticket.lead_ids

    @classmethod
    def _evening(cls, day):
        """The scheduled jobs after the update cut-off of ``day``."""
        with step(cls.env, f"{day} 17:05"):
            cls.Sla._cron_sla_check()

    @classmethod
    def _freeze(cls, local, name):
        with step(cls.env, local):
            cls.Period._cron_close_periods()
        period = cls.Period.search(
            [("company_id", "=", cls.env.company.id), ("name", "=", name)]
        )
        cls.snapshots[name] = {
            (line.scope, line.user_id.id or line.team_id.id or False): cls._read(line)
            for line in period.line_ids
            if line.scope in ("person", "department", "company")
        }
        return period

    @classmethod
    def _read(cls, line):
        values = line.read(FIGURES)[0]
        values.pop("id")
        return values

    @classmethod
    def _replay(cls):
        pkd = cls.team_pkd
        with step(cls.env, "2025-04-21 09:50"):
            cls.t3 = cls._entered(cls.monitor, "2025-04-21 09:00")
        with step(cls.env, "2025-04-21 10:00"):
            cls.t8 = cls._web(category_id=cls.cat_quote.id)
            cls._contact_and_start(cls.t3)
        with step(cls.env, "2025-04-21 10:20"):
            cls.lead = cls._handoff(cls.t8)
        with step(cls.env, "2025-04-21 16:00"):
            cls._update(cls.t3)
        cls._evening("2025-04-21")
        with step(cls.env, "2025-04-22 08:00"):
            cls.t4 = cls._web()
        with step(cls.env, "2025-04-22 08:15"):
            cls.t4.priority = "3"
        with step(cls.env, "2025-04-22 09:00"):
            cls._contact_and_start(cls.t4)
        with step(cls.env, "2025-04-22 10:00"):
            cls._finish(cls.t3)
        with step(cls.env, "2025-04-22 14:00"):
            cls.t9 = cls._web(category_id=cls.cat_quote.id)
        with step(cls.env, "2025-04-22 15:00"):
            cls._confirm(cls.t3)
        with step(cls.env, "2025-04-22 16:00"):
            cls._finish(cls.t4)
        cls._evening("2025-04-22")
        with step(cls.env, "2025-04-23 09:00"):
            cls.t6 = cls._entered(cls.user_ptn2, "2025-04-23 09:00")
            cls._handoff(cls.t9)
            cls._confirm(cls.t4)
        with step(cls.env, "2025-04-23 09:30"):
            cls._contact_and_start(cls.t6)
        with step(cls.env, "2025-04-23 11:00"):
            cls._finish(cls.t6)
        with step(cls.env, "2025-04-23 11:30"):
            cls._confirm(cls.t6)
        cls._evening("2025-04-23")
        with step(cls.env, "2025-04-24 09:00"):
            cls.t6.action_reopen()
        with step(cls.env, "2025-04-24 11:00"):
            cls._update(cls.t6)
        with step(cls.env, "2025-04-24 14:00"):
            cls.t7 = cls._entered(cls.monitor, "2025-04-24 14:00")
        cls._evening("2025-04-24")
        with step(cls.env, "2025-04-25 10:00"):
            cls._finish(cls.t6)
        with step(cls.env, "2025-04-25 15:00"):
            cls.t5 = cls._entered(cls.monitor, "2025-04-25 15:00")
        with step(cls.env, "2025-04-25 15:10"):
            cls.t5.action_start()
        with step(cls.env, "2025-04-25 15:30"):
            cls.t5.action_pause()
        cls._evening("2025-04-25")
        with step(cls.env, "2025-04-25 23:30"):
            cls.t1 = cls._web()
        with step(cls.env, "2025-04-25 23:59"):
            cls.Period._cron_close_periods()
        cls.april_closed_before_cutoff = cls.Period.search(
            [
                ("company_id", "=", cls.env.company.id),
                ("name", "=", "04/2025"),
                ("state", "=", "closed"),
            ]
        )
        cls.april = cls._freeze("2025-04-26 00:05", "04/2025")
        with step(cls.env, "2025-04-26 00:30"):
            cls.t2 = cls._web()
        with step(cls.env, "2025-04-26 09:00"):
            cls._confirm(cls.t6)
        with step(cls.env, "2025-04-26 11:00"):
            cls.Sla._cron_sla_check()
        cls._evening("2025-04-26")
        with step(cls.env, "2025-04-28 09:00"):
            cls._contact_and_start(cls.t1)
            cls.t5.action_resume()
        with step(cls.env, "2025-04-28 09:30"):
            cls.t5.with_user(cls.user_ptn).action_log_first_contact()
        with step(cls.env, "2025-04-28 10:00"):
            cls._contact_and_start(cls.t7)
        with step(cls.env, "2025-04-28 11:00"):
            cls._finish(cls.t1)
        with step(cls.env, "2025-04-28 14:00"):
            cls._confirm(cls.t1)
            cls._update(cls.t5)
        with step(cls.env, "2025-04-28 15:00"):
            cls._finish(cls.t5)
        with step(cls.env, "2025-04-28 16:00"):
            cls._finish(cls.t7)
        cls._evening("2025-04-28")
        with step(cls.env, "2025-04-29 09:00"):
            cls._confirm(cls.t5)
        with step(cls.env, "2025-04-29 10:00"):
            cls._confirm(cls.t7)
        for day in ("2025-04-29", "2025-05-02"):
            cls._evening(day)
        with step(cls.env, "2025-05-03 09:00"):
            cls.t2.cancel_reason = "Khách gửi trùng yêu cầu qua email."
            cls.t2._move_to_state("cancelled")
        with step(cls.env, "2025-05-23 16:00"):
            cls.t11 = cls._entered(cls.monitor, "2025-05-23 16:00")
        for day in ("2025-05-23", "2025-05-24"):
            cls._evening(day)
        cls.may = cls._freeze("2025-05-26 00:05", "05/2025")
        with step(cls.env, "2025-05-26 09:00"):
            cls._contact_and_start(cls.t11)
        with step(cls.env, "2025-05-26 10:00"):
            cls._update(cls.t11)
        with step(cls.env, "2025-05-26 11:00"):
            cls._finish(cls.t11)
        cls._evening("2025-05-26")
        with step(cls.env, "2025-05-27 10:00"):
            cls._confirm(cls.t11)
            cls.lead.write(
                {"user_id": cls.salesperson.id, "expected_revenue": 100_000_000}
            )
            cls.lead.action_set_won()
        cls.june = cls._freeze("2025-06-26 00:05", "06/2025")
        cls.pkd = pkd

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _figures(self, period, scope, record=None, fields=None):
        """A line's frozen figures; a person or department with no line has
        nothing in the period."""
        key = (scope, record.id if record else False)
        values = self.snapshots[period].get(key) or dict.fromkeys(FIGURES, 0)
        return {f: values[f] for f in (fields or FIGURES)}

    # ------------------------------------------------------------------
    # The story itself, as the addon recorded it
    # ------------------------------------------------------------------

    def test_timeline_as_lived(self):
        # Routing is timed from receipt: entered 50 minutes after the call.
        route = self.t3.sla_ids.filtered(lambda s: s.milestone == "route")
        self.assertEqual(route.status, "failed")
        # The priority in force sets the target: 30 minutes, not 120.
        contact = self.t4.sla_ids.filtered(lambda s: s.milestone == "first_contact")
        self.assertEqual(contact.deadline, datetime(2025, 4, 22, 1, 30))
        self.assertEqual(contact.status, "failed")
        # The hand-off notice is the quotation's first contact.
        self.assertEqual(self.t8.first_contact_date, datetime(2025, 4, 21, 3, 20))
        self.assertEqual(self.t8.state, "done")
        # The last finish starts the closing clock: Fri 10:00 + 24 h.
        close = self.t6.sla_ids.filtered(lambda s: s.milestone == "close")
        self.assertEqual(close.start_date, datetime(2025, 4, 25, 3, 0))
        self.assertEqual(close.deadline, datetime(2025, 4, 26, 3, 0))
        self.assertEqual(close.status, "reached")
        # The paused time moved the first contact's deadline to Mon 10:30.
        contact = self.t5.sla_ids.filtered(lambda s: s.milestone == "first_contact")
        self.assertEqual(contact.deadline, datetime(2025, 4, 28, 3, 30))
        self.assertEqual(contact.status, "reached")
        self.assertEqual(contact.elapsed_minutes, 60)
        # Resolution in working minutes, pauses excluded (Fri 15:00-17:00, Sat,
        # Mon 08:00-15:00 = 720, less the pause Fri 15:30 - Mon 09:00 = 390).
        self.assertEqual(self.t5.resolution_minutes, 330)

    # ------------------------------------------------------------------
    # Freezing
    # ------------------------------------------------------------------

    def test_frozen_after_the_cut_off_day(self):
        self.assertFalse(self.april_closed_before_cutoff, "not at 23:59 on the 25th")
        self.assertEqual(self.april.state, "closed")
        self.assertEqual(self.april.closed_date, datetime(2025, 4, 25, 17, 5))
        self.assertEqual(self.may.closed_date, datetime(2025, 5, 25, 17, 5))
        self.assertEqual(self.june.closed_date, datetime(2025, 6, 25, 17, 5))
        # The ticket of 23:30 on the 25th is April's, the one of 00:30 May's.
        self.assertEqual(self._figures("04/2025", "company")["received_count"], 8)
        self.assertEqual(self._figures("05/2025", "company")["received_count"], 2)

    # ------------------------------------------------------------------
    # The company's figures, period by period (computed by hand)
    # ------------------------------------------------------------------

    def test_april(self):
        self.assertEqual(
            self._figures("04/2025", "company"),
            {
                # T1, T3, T4, T5, T6, T7, T8, T9
                "received_count": 8,
                # every ticket; T3 created 50 min after the call
                "create_due_count": 8,
                "create_ontime_count": 7,
                # every ticket, timed from receipt; T3 late
                "route_due_count": 8,
                "route_ontime_count": 7,
                # T3, T6, T8 on time; T4 (priority raised), T7, T9 late; T1 due
                # Sat 26, T5 paused before its deadline: not due in April
                "contact_due_count": 6,
                "contact_ontime_count": 3,
                # T3 Mon (made), T4 Tue, T9 Tue, T6 Thu (made) Fri (closed on
                # Wed at 17:00), T7 Thu Fri
                "update_due_count": 7,
                "update_made_count": 2,
                # T3, T4, T6 (last finish Fri), T8, T9
                "finished_count": 5,
                # T3, T4, T8, T9; T6's clock restarted Fri 10:00, due Sat
                "close_due_count": 4,
                "close_ontime_count": 4,
                "close_limit_due_count": 4,
                "close_limit_ontime_count": 4,
                "carried_count": 0,
                # T3, T4, T8, T9 (T6 reopened)
                "closed_count": 4,
                "handoff_count": 2,
                "satisfaction_due_count": 2,
                "satisfied_count": 2,
                "cancelled_count": 0,
                # T1, T5, T6, T7
                "open_count": 4,
                # contacts made in April, working minutes: T3 60, T4 60, T6 30,
                # T8 20, T9 240 -> mean 82 min, median 60 min
                "contact_hours_avg": 1.37,
                "contact_hours_median": 1.0,
                # T3 540, T4 420, T6 1020, T8 20, T9 240 -> mean 448, median 420
                "resolution_hours_avg": 7.47,
                "resolution_hours_median": 7.0,
                "won_count": 0,
                "gthd_sales_amount": 0.0,
            },
        )

    def test_may(self):
        self.assertEqual(
            self._figures("05/2025", "company"),
            {
                # T2 (00:30 on the 26th), T11
                "received_count": 2,
                "create_due_count": 2,
                "create_ontime_count": 2,
                "route_due_count": 2,
                "route_ontime_count": 2,
                # T1 (due Sat 10:00), T2 (never), T11 (due Sat 24/05) late;
                # T5 on time after its pause
                "contact_due_count": 4,
                "contact_ontime_count": 1,
                # T1 Sat; T2 Sat Mon Tue Fri (30/04, 01/05 holidays, cancelled
                # Sat 03/05 09:00); T5 Mon (made; paused Sat); T7 Sat Mon;
                # T11 Fri Sat
                "update_due_count": 10,
                "update_made_count": 1,
                # T1, T5, T7
                "finished_count": 3,
                # T1, T5, T6 (Sat 09:00, 23 h after the last finish), T7
                "close_due_count": 4,
                "close_ontime_count": 4,
                "close_limit_due_count": 4,
                "close_limit_ontime_count": 4,
                # T7's first contact, missed in April, made Mon 28/04
                "carried_count": 1,
                "closed_count": 4,
                "handoff_count": 0,
                "satisfaction_due_count": 4,
                "satisfied_count": 4,
                "cancelled_count": 1,
                # T11
                "open_count": 1,
                # T1 300, T5 60, T7 1020 -> mean 460 min, median 300 min
                "contact_hours_avg": 7.67,
                "contact_hours_median": 5.0,
                # T1 420, T5 330, T7 1320 -> mean 690 min, median 420 min
                "resolution_hours_avg": 11.5,
                "resolution_hours_median": 7.0,
                "won_count": 0,
                "gthd_sales_amount": 0.0,
            },
        )

    def test_june(self):
        self.assertEqual(
            self._figures("06/2025", "company"),
            {
                "received_count": 0,
                "create_due_count": 0,
                "create_ontime_count": 0,
                "route_due_count": 0,
                "route_ontime_count": 0,
                "contact_due_count": 0,
                "contact_ontime_count": 0,
                # T11 Mon 26/05 (made)
                "update_due_count": 1,
                "update_made_count": 1,
                "finished_count": 1,
                "close_due_count": 1,
                "close_ontime_count": 1,
                "close_limit_due_count": 1,
                "close_limit_ontime_count": 1,
                # T11's first contact, missed in May
                "carried_count": 1,
                "closed_count": 1,
                "handoff_count": 0,
                "satisfaction_due_count": 1,
                "satisfied_count": 1,
                "cancelled_count": 0,
                "open_count": 0,
                # T11: Fri 16:00-17:00, Sat, Mon 08:00-09:00 = 360 min
                "contact_hours_avg": 6.0,
                "contact_hours_median": 6.0,
                # T11: Fri 16:00 - Mon 11:00 = 480 min
                "resolution_hours_avg": 8.0,
                "resolution_hours_median": 8.0,
                # T8's opportunity, won Tue 27/05
                "won_count": 1,
                "gthd_sales_amount": 100_000_000.0,
            },
        )

    def test_each_milestone_once_across_three_periods(self):
        totals = {
            field: sum(
                self._figures(name, "company")[field]
                for name in ("04/2025", "05/2025", "06/2025")
            )
            for field in (
                "received_count",
                "create_due_count",
                "route_due_count",
                "contact_due_count",
                "close_due_count",
                "carried_count",
            )
        }
        # 10 tickets; T2 never finished; T7 and T11 reached late once each.
        self.assertEqual(
            totals,
            {
                "received_count": 10,
                "create_due_count": 10,
                "route_due_count": 10,
                "contact_due_count": 10,
                "close_due_count": 9,
                "carried_count": 2,
            },
        )

    def test_recomputed_april_is_the_frozen_april(self):
        frozen = self.snapshots["04/2025"][("company", False)]
        with step(self.env, "2025-06-27 09:00"):
            self.april.action_reopen()
            self.april.action_compute()
        line = self.april.line_ids.filtered(lambda line: line.scope == "company")
        self.assertEqual(self._read(line), frozen)

    # ------------------------------------------------------------------
    # People and departments
    # ------------------------------------------------------------------

    def test_people_never_odoobot(self):
        root = self.env.ref("base.user_root")
        for name, lines in self.snapshots.items():
            self.assertNotIn(("person", root.id), lines, name)
        # Received and routed: the monitor for the web form and her own
        # entries, PTN Second for T6.
        self.assertEqual(
            self._figures(
                "04/2025",
                "person",
                self.monitor,
                [
                    "received_count",
                    "create_due_count",
                    "create_ontime_count",
                    "route_due_count",
                    "route_ontime_count",
                ],
            ),
            {
                "received_count": 7,
                "create_due_count": 3,  # T3 (late), T5, T7
                "create_ontime_count": 2,
                "route_due_count": 7,  # all but T6; T3 late
                "route_ontime_count": 6,
            },
        )
        self.assertEqual(
            self._figures(
                "04/2025",
                "person",
                self.user_ptn2,
                ["received_count", "create_due_count", "route_ontime_count"],
            ),
            {"received_count": 1, "create_due_count": 1, "route_ontime_count": 1},
        )
        # Web-form requests create no one's figure, and route nobody's.
        self.assertEqual(
            self._figures(
                "04/2025", "person", None, ["create_due_count", "route_due_count"]
            ),
            {"create_due_count": 4, "route_due_count": 0},
        )
        # The assignee answers for contacts, updates and closings.
        self.assertEqual(
            self._figures(
                "04/2025",
                "person",
                self.user_ptn,
                [
                    "received_count",
                    "contact_due_count",
                    "contact_ontime_count",
                    "update_due_count",
                    "update_made_count",
                    "close_due_count",
                ],
            ),
            {
                "received_count": 0,
                "contact_due_count": 4,  # T3, T6 on time; T4, T7 late
                "contact_ontime_count": 2,
                "update_due_count": 6,  # T3 1, T4 1, T6 2, T7 2
                "update_made_count": 2,
                "close_due_count": 2,  # T3, T4
            },
        )
        self.assertEqual(
            self._figures(
                "05/2025",
                "person",
                self.user_ptn,
                ["contact_due_count", "contact_ontime_count", "carried_count"],
            ),
            {"contact_due_count": 4, "contact_ontime_count": 1, "carried_count": 1},
        )

    def test_handoffs_and_gthd(self):
        # PKD: two hand-offs, one contacted on time by its notice; outside the
        # satisfaction rate.
        self.assertEqual(
            self._figures(
                "04/2025",
                "department",
                self.pkd,
                [
                    "contact_due_count",
                    "contact_ontime_count",
                    "closed_count",
                    "handoff_count",
                    "satisfaction_due_count",
                    "satisfied_count",
                ],
            ),
            {
                "contact_due_count": 2,
                "contact_ontime_count": 1,
                "closed_count": 2,
                "handoff_count": 2,
                "satisfaction_due_count": 0,
                "satisfied_count": 0,
            },
        )
        line = self.april.line_ids.filtered(
            lambda line: line.scope == "department" and line.team_id == self.pkd
        )
        self.assertEqual(line.satisfied_rate, 0.0)  # shown N/A: nothing due
        # GTHĐ to the opportunity's salesperson and to the ticket's department.
        fields = ["won_count", "gthd_sales_amount"]
        self.assertEqual(
            self._figures("06/2025", "person", self.salesperson, fields),
            {"won_count": 1, "gthd_sales_amount": 100_000_000.0},
        )
        self.assertEqual(
            self._figures("06/2025", "department", self.pkd, fields),
            {"won_count": 1, "gthd_sales_amount": 100_000_000.0},
        )
        self.assertEqual(
            self._figures("06/2025", "person", self.monitor, fields),
            {"won_count": 0, "gthd_sales_amount": 0.0},
        )

    # ------------------------------------------------------------------
    # 24 hours and 3 days
    # ------------------------------------------------------------------

    def test_closing_limits_in_working_days(self):
        """Work finished Friday 08/08 16:00, closed Monday 11/08 09:00: 65 clock
        hours, 360 working minutes (Fri 16:00-17:00, Sat 08:00-12:00, Mon
        08:00-09:00), within one working day (480 minutes)."""
        with step(self.env, "2025-08-08 09:00"):
            ticket = self._entered(self.monitor, "2025-08-08 09:00")
            self._contact_and_start(ticket)
        with step(self.env, "2025-08-08 16:00"):
            self._finish(ticket)
        with step(self.env, "2025-08-11 09:00"):
            self._confirm(ticket)
        close = ticket.sla_ids.filtered(lambda s: s.milestone == "close")
        self.assertEqual(close.elapsed_minutes, 360)
        august = self.Period._get_or_create(self.env.company, 2025, 8)
        fields = [
            "close_due_count",
            "close_ontime_count",
            "close_limit_due_count",
            "close_limit_ontime_count",
        ]

        def figures():
            with step(self.env, "2025-08-26 00:05"):
                august.action_compute()
            line = august.line_ids.filtered(lambda line: line.scope == "company")
            return {f: line[f] for f in fields}

        # The SOP's reading, the default: on time.
        self.assertEqual(self.env.company.helpdesk_kpi_close_basis, "working")
        self.assertEqual(
            figures(),
            {
                "close_due_count": 1,
                "close_ontime_count": 1,
                "close_limit_due_count": 1,
                "close_limit_ontime_count": 1,
            },
        )
        # The shipped policies' own basis (calendar hours): 65 h misses 24 h.
        self.env.company.helpdesk_kpi_close_basis = "policy"
        self.assertEqual(
            figures(),
            {
                "close_due_count": 1,
                "close_ontime_count": 0,
                "close_limit_due_count": 1,
                "close_limit_ontime_count": 1,
            },
        )
