# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import SgcHelpdeskCase

# Vietnam is UTC+7: the comments give Vietnam time, the strings UTC.


@tagged("post_install", "-at_install")
class TestSla(SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sla = cls.env["helpdesk.ticket.sla"]
        # SGC's calendar is the company's (data), whatever the demo says.
        cls.env.company.resource_calendar_id = cls.env.ref(
            "sgc_helpdesk_ticket.resource_calendar_sgc"
        )
        # The shipped yearly job fills 2026's holidays (the tests' year), as it
        # did on install for the install's year.
        with freeze_time("2026-01-02 01:00:00"):
            cls.env["resource.calendar.leaves"]._cron_sgc_public_holidays()

    def _row(self, ticket, milestone):
        return ticket.sla_ids.filtered(lambda r: r.milestone == milestone)

    def _notices(self, ticket, text):
        return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

    def _set_create_date(self, ticket, value):
        # create_date is the database transaction's clock, which freezegun does
        # not move: set it as the real creation would have.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (value, ticket.id),
        )
        ticket.invalidate_recordset(["create_date"])

    def test_first_contact_across_weekend(self):
        # Saturday 2026-03-07 11:30: 30 working minutes left on Saturday, none on
        # Sunday, the other 90 on Monday from 08:00 -> Monday 09:30.
        with freeze_time("2026-03-07 04:30:00"):
            ticket = self._ticket()
        row = self._row(ticket, "first_contact")
        self.assertEqual(row.deadline, datetime(2026, 3, 9, 2, 30))
        self.assertEqual(row.status, "ongoing")
        with freeze_time("2026-03-09 02:00:00"):
            ticket.action_log_first_contact()
        self.assertEqual(row.status, "reached")
        self.assertEqual(row.late_minutes, 0)

    def test_first_contact_across_holiday(self):
        # Wednesday 2026-04-29 16:00: 60 minutes on Wednesday, Thursday 30/4 and
        # Friday 1/5 are public holidays, 60 more on Saturday -> Sat 2/5 09:00.
        with freeze_time("2026-04-29 09:00:00"):
            ticket = self._ticket()
        self.assertEqual(
            self._row(ticket, "first_contact").deadline, datetime(2026, 5, 2, 2, 0)
        )

    def test_first_contact_by_priority(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00
            urgent = self._ticket(priority="3")
            high = self._ticket(priority="2")
            normal = self._ticket(priority="1")
        self.assertEqual(
            self._row(urgent, "first_contact").deadline, datetime(2026, 3, 2, 1, 30)
        )
        self.assertEqual(
            self._row(high, "first_contact").deadline, datetime(2026, 3, 2, 2, 0)
        )
        self.assertEqual(
            self._row(normal, "first_contact").deadline, datetime(2026, 3, 2, 3, 0)
        )

    def test_late_first_contact_is_failed_with_delay(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00, due 10:00
            ticket = self._ticket()
        with freeze_time("2026-03-02 03:45:00"):  # 10:45
            ticket.action_log_first_contact()
        row = self._row(ticket, "first_contact")
        self.assertEqual(row.status, "failed")
        self.assertAlmostEqual(row.late_minutes, 45, places=3)
        # The lunch break is not working time: 10:00 -> 13:30 is 2 hours late.
        with freeze_time("2026-03-02 01:00:00"):
            other = self._ticket()
        with freeze_time("2026-03-02 06:30:00"):  # 13:30
            other.action_log_first_contact()
        self.assertAlmostEqual(
            self._row(other, "first_contact").late_minutes, 150, places=3
        )

    def test_pause_does_not_count(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00, due 10:00
            ticket = self._ticket()
        with freeze_time("2026-03-02 01:10:00"):
            ticket.action_start()
        with freeze_time("2026-03-02 01:30:00"):  # 08:30
            ticket.action_pause()
        with freeze_time("2026-03-02 02:30:00"):  # 09:30: paused one hour
            ticket.action_resume()
        row = self._row(ticket, "first_contact")
        self.assertEqual(row.deadline, datetime(2026, 3, 2, 4, 0))  # 11:00
        # A paused ticket does not fail while paused, even past its deadline.
        with freeze_time("2026-03-02 03:50:00"):
            ticket.action_pause()
        with freeze_time("2026-03-02 05:00:00"):
            self.Sla._cron_sla_check()
            self.assertEqual(row.status, "ongoing")

    def test_cutoff_daily_update_check(self):
        with freeze_time("2026-03-03 02:00:00"):  # Tuesday 09:00
            updated = self._ticket()
            silent = self._ticket()
            waiting = self._ticket()
            for ticket in updated | silent:
                ticket.action_start()
            self.env["helpdesk.ticket.progress"].with_user(self.user_ptn).create(
                {"ticket_id": updated.id, "note": "Đang phân tích"}
            )
        with freeze_time("2026-03-03 10:05:00"):  # 17:05, after the cut-off
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()  # twice: still one row each
        days = self.env["helpdesk.ticket.update.day"].search(
            [("ticket_id", "in", (updated | silent | waiting).ids)]
        )
        self.assertEqual(len(days), 2, "only tickets in progress are due an update")
        made = {d.ticket_id: d.made for d in days}
        self.assertTrue(made[updated])
        self.assertFalse(made[silent])
        self.assertEqual(days[0].day.isoformat(), "2026-03-03")
        # Sunday is no working day: nothing is due.
        with freeze_time("2026-03-08 10:05:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(
            self.env["helpdesk.ticket.update.day"].search_count(
                [("ticket_id", "in", (updated | silent).ids)]
            ),
            2,
        )

    def test_daily_reminder_before_cutoff_once(self):
        with freeze_time("2026-03-03 02:00:00"):
            silent = self._ticket()
            updated = self._ticket()
            silent.action_start()
            updated.action_start()
            self.env["helpdesk.ticket.progress"].with_user(self.user_ptn).create(
                {"ticket_id": updated.id, "note": "Đã lấy mẫu"}
            )
        with freeze_time("2026-03-03 09:00:00"):  # 16:00
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(silent, "Log today")), 1)
        self.assertFalse(self._notices(updated, "Log today"))
        self.assertEqual(silent.activity_ids.user_id, self.user_ptn)

    def test_failure_notified_once_even_if_cron_runs_twice(self):
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 02:50:00"):  # 09:50: warning window
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(ticket, "SLA at risk")), 1)
        with freeze_time("2026-03-02 03:30:00"):  # 10:30, past 10:00
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        row = self._row(ticket, "first_contact")
        self.assertEqual(row.status, "failed")
        self.assertAlmostEqual(row.late_minutes, 30, places=3)
        failed_notice = self._notices(ticket, "SLA failed")
        self.assertEqual(len(failed_notice), 1)
        # The assignee is told by email too (an email user's notification).
        emailed = self.env["mail.notification"].search(
            [
                ("mail_message_id", "=", failed_notice.id),
                ("res_partner_id", "=", self.user_ptn.partner_id.id),
                ("notification_type", "=", "email"),
            ]
        )
        self.assertTrue(emailed)
        self.assertTrue(ticket.is_late)
        late = self.env["helpdesk.ticket"].search([("is_late", "=", True)])
        self.assertIn(ticket, late)
        self.assertIn(self.user_ptn, ticket.activity_ids.user_id)

    def test_cron_stopped_halfway_and_rerun(self):
        # Only the first contact falls due here (no not-started reminders).
        self.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_start").active = False
        with freeze_time("2026-03-02 01:00:00"):
            tickets = [self._ticket() for _i in range(5)]
        with freeze_time("2026-03-02 05:00:00"):
            # The run stops after 2 batches of 2 (a time limit, a crash...).
            finished = self.Sla._cron_sla_check(batch_size=2, max_batches=2)
            self.assertFalse(finished)
            failed = sum(
                self._row(t, "first_contact").status == "failed" for t in tickets
            )
            self.assertEqual(failed, 4)
            self.assertTrue(self.Sla._cron_sla_check(batch_size=2))
            self.assertTrue(self.Sla._cron_sla_check(batch_size=2))
        for ticket in tickets:
            self.assertEqual(self._row(ticket, "first_contact").status, "failed")
            self.assertEqual(len(self._notices(ticket, "SLA failed")), 1)

    def test_escalation_chain_in_order(self):
        Step = self.env["helpdesk.escalation.step"]
        Step.search([]).active = False
        tin, binh, vinh = (
            new_test_user(self.env, login=login, groups="base.group_user", name=name)
            for login, name in (
                ("sgc_tin", "Huynh Quang Tin"),
                ("sgc_binh", "Thai Hong Binh"),
                ("sgc_vinh", "Huynh Tan Vinh"),
            )
        )
        for seq, user, delay in ((1, tin, 30), (2, binh, 60), (3, vinh, 90)):
            Step.create({"sequence": seq, "user_id": user.id, "delay_minutes": delay})
        with freeze_time("2026-03-02 01:00:00"):
            urgent = self._ticket(priority="3")
            normal = self._ticket(priority="1")
        expected = []
        for moment, person in (
            ("2026-03-02 01:20:00", None),
            ("2026-03-02 01:35:00", tin),
            ("2026-03-02 01:40:00", None),
            ("2026-03-02 02:05:00", binh),
            ("2026-03-02 02:35:00", vinh),
            ("2026-03-02 03:35:00", None),
        ):
            with freeze_time(moment):
                self.Sla._cron_sla_check()
                self.Sla._cron_sla_check()
            if person:
                expected.append(person)
            self.assertEqual(
                urgent.escalation_ids.sorted("level").user_id.ids,
                [u.id for u in expected],
                moment,
            )
        self.assertEqual(urgent.escalation_level, 3)
        self.assertFalse(normal.escalation_ids, "only urgent/important tickets")
        self.assertIn(vinh, urgent.activity_ids.user_id)

    def test_first_contact_stops_escalation(self):
        Step = self.env["helpdesk.escalation.step"]
        Step.search([]).active = False
        Step.create({"user_id": self.monitor.id, "delay_minutes": 30, "sequence": 1})
        Step.create({"user_id": self.manager.id, "delay_minutes": 60, "sequence": 2})
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket(priority="2")
        with freeze_time("2026-03-02 01:31:00"):
            self.Sla._cron_sla_check()
            ticket.action_log_first_contact()
        with freeze_time("2026-03-02 02:31:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(ticket.escalation_ids.user_id, self.monitor)

    def test_department_chain_overrides_default(self):
        Step = self.env["helpdesk.escalation.step"]
        Step.search([]).active = False
        Step.create({"user_id": self.monitor.id, "delay_minutes": 30})
        Step.create(
            {
                "user_id": self.user_pkt.id,
                "delay_minutes": 30,
                "team_id": self.team_ptn.id,
            }
        )
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket(priority="3")
        with freeze_time("2026-03-02 01:31:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(ticket.escalation_ids.user_id, self.user_pkt)

    def test_not_started_and_unrouted_reminders_once(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00
            assigned = self._ticket()
            unrouted = self._ticket(category_id=False, user_id=False)
        self._set_create_date(assigned, "2026-03-02 01:00:00")
        # 08:40: the assignee has not started, the routing (due 08:30) failed.
        with freeze_time("2026-03-02 01:40:00"):
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(assigned, "not started")), 1)
        self.assertEqual(self._row(unrouted, "route").status, "failed")
        notice = self._notices(unrouted, "SLA failed")
        self.assertEqual(len(notice), 1)
        # Nobody holds the ticket: the ticket monitors answer for its routing.
        self.assertIn(self.monitor.partner_id, notice.partner_ids)
        self.assertIn(self.monitor, unrouted.activity_ids.user_id)
        self.assertEqual(self._row(assigned, "route").status, "reached")

    def test_close_milestones_and_auto_close(self):
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
            ticket.action_start()
            ticket.resolution = "Đã gửi kết quả"
        with freeze_time("2026-03-02 08:00:00"):
            ticket.action_mark_work_done()
        close = self._row(ticket, "close")
        limit = self._row(ticket, "close_limit")
        self.assertEqual(close.deadline, datetime(2026, 3, 3, 8, 0))
        self.assertEqual(limit.deadline, datetime(2026, 3, 5, 8, 0))
        # Two days later, no confirmation yet: one warning before the 3-day
        # limit, whichever of the SLA jobs run and however often.
        with freeze_time("2026-03-04 09:00:00"):
            for _run in range(2):
                self.Sla._cron_sla_check()
                self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(ticket, "3 days after")), 1)
        warnings = ticket.activity_ids.filtered(
            lambda a: "3 days after" in (a.summary or "")
        )
        self.assertEqual(len(warnings), 1)
        self.assertEqual(ticket.state, "in_progress")
        ticket.write(
            {"satisfaction_state": "confirmed", "satisfaction_method": "phone"}
        )
        with freeze_time("2026-03-04 10:00:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(ticket.state, "done")
        self.assertEqual(close.status, "failed")  # more than 24 h after the work
        self.assertEqual(limit.status, "reached")  # within 3 days

    def test_created_on_behalf_late(self):
        with freeze_time("2026-03-02 03:00:00"):  # 10:00, customer called at 09:00
            ticket = self._ticket(
                user=self.monitor,
                received_date="2026-03-02 02:00:00",
                channel_id=self.channel_phone.id,
            )
        row = self._row(ticket, "create")
        self.assertEqual(row.status, "failed")
        self.assertAlmostEqual(row.late_minutes, 30, places=3)
        # Routing is timed from the receipt too (the staff notice: 30 minutes
        # from receipt): routed on entry, 60 minutes after the call.
        route = self._row(ticket, "route")
        self.assertEqual(route.start_date, datetime(2026, 3, 2, 2, 0))
        self.assertEqual(route.status, "failed")

    def test_escalation_batches_never_pick_a_ticket_twice(self):
        Step = self.env["helpdesk.escalation.step"]
        Step.search([]).active = False
        Step.create({"user_id": self.monitor.id, "delay_minutes": 30, "sequence": 1})
        Step.create({"user_id": self.manager.id, "delay_minutes": 600, "sequence": 2})
        with freeze_time("2026-03-02 01:00:00"):
            tickets = [self._ticket(priority="3") for _i in range(5)]
        # Level 1 reached, level 2 not due yet: every batch of 2 must move on.
        with freeze_time("2026-03-02 01:40:00", tick=True):
            self.assertTrue(self.Sla._cron_sla_check(batch_size=2, max_batches=20))
        for ticket in tickets:
            self.assertEqual(ticket.escalation_ids.user_id, self.monitor)

    def test_at_risk_follows_the_policys_warning_window(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00, due 10:00
            ticket = self._ticket()
        Ticket = self.env["helpdesk.ticket"]
        policy = self._row(ticket, "first_contact").policy_id
        self.assertEqual(policy.warn_minutes, 30)
        with freeze_time("2026-03-02 02:20:00"):  # 09:20
            self.assertNotIn(ticket, Ticket.search([("sla_at_risk", "=", True)]))
        with freeze_time("2026-03-02 02:35:00"):  # 09:35
            self.assertIn(ticket, Ticket.search([("sla_at_risk", "=", True)]))
            ticket.invalidate_recordset(["sla_at_risk"])
            self.assertTrue(ticket.sla_at_risk)
        # A manager widens the window: the rows follow.
        policy.warn_minutes = 60
        with freeze_time("2026-03-02 02:05:00"):  # 09:05
            self.assertIn(ticket, Ticket.search([("sla_at_risk", "=", True)]))
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(ticket, "SLA at risk")), 1)
