# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA timers on one clock: working time of the ticket's company, its time
zone, cut-off and holidays; texts in the reader's language."""

import importlib.util
from datetime import date, datetime
from pathlib import Path

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import SgcHelpdeskCase

# Vietnam is UTC+7: the comments give Vietnam time, the strings UTC.


@tagged("post_install", "-at_install")
class TestSlaEngine(SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sla = cls.env["helpdesk.ticket.sla"]
        cls.Leaves = cls.env["resource.calendar.leaves"]
        cls.calendar = cls.env.ref("sgc_helpdesk_ticket.resource_calendar_sgc")
        cls.env.company.resource_calendar_id = cls.calendar
        with freeze_time("2026-01-02 01:00:00"):
            cls.Leaves._cron_sgc_public_holidays()
        cls.Step = cls.env["helpdesk.escalation.step"]
        cls.Step.search([]).active = False
        cls.tin = new_test_user(
            cls.env,
            login="sgc_tin_vi",
            groups="base.group_user",
            name="Huynh Quang Tin",
            lang="vi_VN",
            tz="Asia/Ho_Chi_Minh",
        )
        cls.Step.create({"sequence": 1, "user_id": cls.tin.id, "delay_minutes": 30})

    def _notices(self, ticket, text):
        return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

    def _set_columns(self, ticket, **values):
        self.env.flush_all()
        for field, value in values.items():
            self.env.cr.execute(
                f"UPDATE helpdesk_ticket SET {field} = %s WHERE id = %s",  # noqa: S608
                (value, ticket.id),
            )
        ticket.invalidate_recordset(list(values))

    # ------------------------------------------------------------------
    # Working time
    # ------------------------------------------------------------------

    def test_night_ticket_escalates_30_working_minutes_after_8(self):
        # Monday 2026-03-02 03:39 Vietnam time is Sunday 20:39 UTC.
        with freeze_time("2026-03-01 20:39:00"):
            urgent = self._ticket(priority="3")
        for moment in (
            "2026-03-01 21:14:00",  # 04:14: the night is no working time
            "2026-03-02 00:55:00",  # 07:55
            "2026-03-02 01:29:00",  # 08:29: 29 working minutes
        ):
            with freeze_time(moment):
                self.Sla._cron_sla_check()
            self.assertFalse(urgent.escalation_ids, moment)
        with freeze_time("2026-03-02 01:31:00"):  # 08:31
            self.Sla._cron_sla_check()
        self.assertEqual(urgent.escalation_ids.user_id, self.tin)
        activity = urgent.activity_ids.filtered(lambda a: a.user_id == self.tin)
        self.assertEqual(activity.date_deadline, date(2026, 3, 2))
        # Tin reads Vietnamese: the activity and the chatter note are in it.
        self.assertIn(
            "chưa được liên hệ lần đầu sau 30 phút làm việc", activity.summary
        )
        self.assertTrue(self._notices(urgent, "phút làm việc"))

    def test_ticket_made_urgent_later_escalates(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00
            ticket = self._ticket(priority="1")
        with freeze_time("2026-03-02 01:10:00"):  # the monitor raises it
            ticket.priority = "3"
        with freeze_time("2026-03-02 01:31:00"):  # 30 working minutes after 08:00
            self.Sla._cron_sla_check()
        self.assertEqual(ticket.escalation_ids.user_id, self.tin)
        self.assertEqual(ticket.escalation_level, 1)
        # Lowered again before its next step: the chain stops.
        self.Step.create(
            {"sequence": 2, "user_id": self.manager.id, "delay_minutes": 60}
        )
        ticket.priority = "1"
        with freeze_time("2026-03-02 02:31:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(ticket.escalation_ids.user_id, self.tin)

    def test_not_started_reminder_waits_for_working_hours(self):
        # Assigned at 16:50 on Monday: 10 working minutes that day, 20 on Tuesday.
        with freeze_time("2026-03-02 09:50:00"):
            ticket = self._ticket()
        self._set_columns(ticket, create_date="2026-03-02 09:50:00")
        with freeze_time("2026-03-02 16:00:00"):  # 23:00: 30 clock minutes long past
            self.Sla._cron_sla_check()
        self.assertFalse(self._notices(ticket, "not started"))
        with freeze_time("2026-03-03 01:19:00"):  # Tuesday 08:19
            self.Sla._cron_sla_check()
        self.assertFalse(self._notices(ticket, "not started"))
        with freeze_time("2026-03-03 01:21:00"):  # 08:21
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(ticket, "not started")), 1)

    def test_warning_due_at_night_is_sent_at_8_next_working_day(self):
        # The work is finished on Monday 2026-03-02 at 22:00: the 3-day limit is
        # Thursday 22:00, its warning (a day before) due Wednesday 22:00.
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
            ticket.action_start()
            ticket.resolution = "Đã gửi kết quả"
        with freeze_time("2026-03-02 15:00:00"):
            ticket.action_mark_work_done()
        limit = ticket.sla_ids.filtered(lambda r: r.milestone == "close_limit")
        self.assertEqual(limit.warn_date, datetime(2026, 3, 4, 15, 0))
        with freeze_time("2026-03-04 15:00:00"):  # Wednesday 22:00
            self.Sla._cron_sla_check()
        with freeze_time("2026-03-04 23:30:00"):  # Thursday 06:30
            self.Sla._cron_sla_check()
        self.assertFalse(self._notices(ticket, "3 days after"))
        self.assertFalse(limit.warned)
        # It waits for the first working minute of Thursday.
        timer = self.env["helpdesk.ticket.timer"].search(
            [("sla_id", "=", limit.id), ("kind", "=", "warn")]
        )
        self.assertEqual(timer.due_date, datetime(2026, 3, 5, 1, 0))
        with freeze_time("2026-03-05 01:00:00"):  # Thursday 08:00
            self.Sla._cron_sla_check()
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(ticket, "3 days after")), 1)
        self.assertTrue(limit.warned)
        warning = ticket.activity_ids.filtered(
            lambda a: "3 days after" in (a.summary or "")
        )
        self.assertEqual(warning.date_deadline, date(2026, 3, 5))
        # The 24-hour target's warning (Tuesday 20:00) waited for Wednesday
        # 08:00, by which time the target itself (Tuesday 22:00) had passed: its
        # failure is said, the stale warning never.
        close = ticket.sla_ids.filtered(lambda r: r.milestone == "close")
        self.assertEqual(close.status, "failed")
        self.assertFalse(self._notices(ticket, "SLA at risk"))
        self.assertEqual(
            len(self._notices(ticket, "SLA failed: Closed after the work")), 1
        )

    def test_two_companies_remind_in_their_own_working_hours(self):
        tokyo = self.env["res.company"].create(
            {
                "name": "SGC Tokyo",
                "resource_calendar_id": self.calendar.copy(
                    {"name": "Tokyo hours", "tz": "Asia/Tokyo"}
                ).id,
            }
        )
        self.user_ptn.company_ids = [Command.link(tokyo.id)]
        # Monday 16:50 in each company: 10 working minutes left that day.
        with freeze_time("2026-03-02 07:50:00"):
            there = self._ticket(category_id=False, company_id=tokyo.id)
            there.user_id = self.user_ptn
        with freeze_time("2026-03-02 09:50:00"):
            here = self._ticket()
        self.assertEqual(there.company_id, tokyo)
        self.assertTrue(here.user_id)
        # Tuesday 08:21 in Tokyo is 06:21 in Vietnam: one reminder, Tokyo's.
        with freeze_time("2026-03-02 23:21:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(there, "not started")), 1)
        self.assertFalse(self._notices(here, "not started"))
        # Tuesday 08:21 in Vietnam: Vietnam's, Tokyo's not again.
        with freeze_time("2026-03-03 01:21:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(here, "not started")), 1)
        self.assertEqual(len(self._notices(there, "not started")), 1)

    def test_activity_deadline_is_the_recipients_local_date(self):
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
        # 01:30 on Tuesday in Vietnam is still Monday in UTC.
        with freeze_time("2026-03-02 18:30:00"):
            ticket._sgc_remind("Kiểm tra", users=self.tin)
        activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.tin)
        self.assertEqual(activity.date_deadline, date(2026, 3, 3))

    def test_elapsed_working_minutes_stored_when_reached(self):
        # Monday 16:30 -> Tuesday 08:30: 30 + 30 working minutes.
        with freeze_time("2026-03-02 09:30:00"):
            overnight = self._ticket()
        with freeze_time("2026-03-03 01:30:00"):
            overnight.action_log_first_contact()
        row = overnight.sla_ids.filtered(lambda r: r.milestone == "first_contact")
        self.assertAlmostEqual(row.elapsed_minutes, 60, places=3)
        # 08:00, paused 08:30-09:30, contact at 10:00: one working hour counted.
        with freeze_time("2026-03-02 01:00:00"):
            paused = self._ticket()
        with freeze_time("2026-03-02 01:10:00"):
            paused.action_start()
        with freeze_time("2026-03-02 01:30:00"):
            paused.action_pause()
        with freeze_time("2026-03-02 02:30:00"):
            paused.action_resume()
        with freeze_time("2026-03-02 03:00:00"):
            paused.action_log_first_contact()
        row = paused.sla_ids.filtered(lambda r: r.milestone == "first_contact")
        self.assertAlmostEqual(row.elapsed_minutes, 60, places=3)
        # Created at once: the create milestone took no time.
        created = paused.sla_ids.filtered(lambda r: r.milestone == "create")
        self.assertEqual(created.elapsed_minutes, 0)

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------

    def test_ready_ticket_closed_behind_1000_blocked(self):
        with freeze_time("2026-03-02 01:00:00"):
            blocked = self._ticket()
            ready = self._ticket()
            for ticket in blocked | ready:
                ticket.action_start()
                self._ready_to_close(ticket)
        with freeze_time("2026-03-02 02:00:00"):
            blocked.action_mark_work_done()
        with freeze_time("2026-03-02 03:00:00"):
            ready.action_mark_work_done()
        # The first ones finished have an open checklist item: they cannot close.
        self.env["helpdesk.ticket.checklist.item"].create(
            {"ticket_id": blocked.id, "name": "Ký biên bản"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT column_name FROM information_schema.columns
               WHERE table_name = 'helpdesk_ticket' AND column_name != 'id'"""
        )
        columns = [r[0] for r in self.env.cr.fetchall()]
        values = ["number || '-' || g" if c == "number" else f'"{c}"' for c in columns]
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.env.cr.execute(
            f"""INSERT INTO helpdesk_ticket ({quoted})
                SELECT {", ".join(values)} FROM helpdesk_ticket,
                       generate_series(1, 999) g
                WHERE id = %s RETURNING id""",  # noqa: S608
            (blocked.id,),
        )
        copies = [r[0] for r in self.env.cr.fetchall()]
        self.env.cr.execute(
            """INSERT INTO helpdesk_ticket_checklist_item (ticket_id, name, is_done)
               SELECT unnest(%s::int[]), '{"en_US": "Ký biên bản"}'::jsonb, FALSE""",
            (copies,),
        )
        # Their automatic closing is due first, as the original's.
        self.env.cr.execute(
            """INSERT INTO helpdesk_ticket_timer
                   (ticket_id, company_id, policy_id, kind, level, due_date)
               SELECT c.id, m.company_id, m.policy_id, m.kind, m.level, m.due_date
               FROM helpdesk_ticket_timer m, unnest(%s::int[]) AS c(id)
               WHERE m.ticket_id = %s AND m.kind = 'close'""",
            (copies, blocked.id),
        )
        self.assertEqual(self.env.cr.rowcount, 999)
        with freeze_time("2026-03-02 04:00:00"):
            self.Sla._cron_sla_check(batch_size=1)
        self.assertEqual(ready.state, "done")
        self.assertEqual(blocked.state, "in_progress")
        self.assertFalse(
            self.env["helpdesk.ticket"].search_count(
                [("id", "in", copies), ("state", "=", "done")]
            )
        )

    # ------------------------------------------------------------------
    # Per company
    # ------------------------------------------------------------------

    def test_two_companies_each_on_its_own_clock(self):
        north = self.env["res.company"].create(
            {
                "name": "SGC Tokyo",
                "helpdesk_update_cutoff": 16.0,
                "resource_calendar_id": self.calendar.copy(
                    {"name": "Tokyo hours", "tz": "Asia/Tokyo"}
                ).id,
            }
        )
        self.user_ptn.company_ids = [Command.link(north.id)]
        with freeze_time("2026-03-03 01:00:00"):  # Tuesday
            here = self._ticket()
            there = self._ticket(category_id=False, company_id=north.id)
            there.user_id = self.user_ptn
            here.action_start()
        # Tokyo's ticket is in progress too (its request type aside).
        self._set_columns(
            there, stage_id=self.stages["in_progress"].id, state="in_progress"
        )
        Day = self.env["helpdesk.ticket.update.day"]
        # 13:30 in Vietnam, 15:30 in Tokyo: only Tokyo is before its cut-off.
        with freeze_time("2026-03-03 06:30:00"):
            self.Sla._cron_sla_check()
        self.assertTrue(self._notices(there, "Log today"))
        self.assertFalse(self._notices(here, "Log today"))
        # 14:05 / 16:05: Tokyo's day is checked, Vietnam's not yet.
        with freeze_time("2026-03-03 07:05:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(
            Day.search([("ticket_id", "=", there.id)]).day, date(2026, 3, 3)
        )
        self.assertFalse(Day.search([("ticket_id", "=", here.id)]))
        # 16:00 in Vietnam: its reminder; 17:05: its check, Tokyo's not again.
        with freeze_time("2026-03-03 09:00:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(here, "Log today")), 1)
        self.assertEqual(len(self._notices(there, "Log today")), 1)
        with freeze_time("2026-03-03 10:05:00"):
            self.Sla._cron_sla_check()
        self.assertEqual(
            Day.search([("ticket_id", "=", here.id)]).day, date(2026, 3, 3)
        )
        self.assertEqual(Day.search_count([("ticket_id", "=", there.id)]), 1)
        # The company's own time zone formats its notices.
        self.assertEqual(
            there._sgc_format_datetime(datetime(2026, 3, 3, 7, 5)),
            "03/03/2026 04:05 PM",
        )

    # ------------------------------------------------------------------
    # Holidays
    # ------------------------------------------------------------------

    def _holidays(self, year):
        return self.Leaves.search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("resource_id", "=", False),
                ("date_from", ">=", f"{year - 1}-12-31 00:00:00"),
                ("date_to", "<=", f"{year + 1}-01-01 23:59:59"),
            ]
        )

    def test_public_holidays_generated_and_hand_entered_days_kept(self):
        # A manager enters a substitute day decided for 2027, and one that the
        # package also has (2028-01-03, New Year observed).
        manager_leaves = self.Leaves.with_user(self.manager)
        own = manager_leaves.create(
            {
                "name": "Nghỉ bù (quyết định của công ty)",
                "calendar_id": self.calendar.id,
                "date_from": "2027-12-30 17:00:00",
                "date_to": "2027-12-31 16:59:59",
            }
        )
        typed = manager_leaves.create(
            {
                "name": "Nghỉ bù Tết Dương lịch",
                "calendar_id": self.calendar.id,
                "date_from": "2028-01-02 17:00:00",
                "date_to": "2028-01-03 16:59:59",
            }
        )
        with freeze_time("2027-06-01 03:00:00"):
            self.Leaves._cron_sgc_public_holidays()
            generated = self._holidays(2028).filtered("sgc_holiday_key")
            count = len(self.Leaves.search([("calendar_id", "=", self.calendar.id)]))
            self.Leaves._cron_sgc_public_holidays()
        self.assertEqual(
            len(self.Leaves.search([("calendar_id", "=", self.calendar.id)])),
            count,
            "a second run changes nothing",
        )
        keys = set(generated.mapped("sgc_holiday_key"))
        # Tết 2028 by the lunar calendar, and the Vietnamese Culture Day.
        self.assertIn("VN:2028-01-26", keys)
        self.assertIn("VN:2028-11-24", keys)
        tet = generated.filtered(lambda leave: leave.sgc_holiday_key == "VN:2028-01-26")
        self.assertEqual(tet.name, "Tết Nguyên Đán")
        self.assertEqual(tet.date_from, datetime(2028, 1, 25, 17, 0))
        # The hand-entered days are kept, and never doubled.
        self.assertTrue(own.exists() and typed.exists())
        self.assertNotIn("VN:2028-01-03", keys)

    def test_2026_days_off_that_were_missing_count(self):
        keys = set(self._holidays(2026).mapped("sgc_holiday_key"))
        self.assertIn("VN:2026-11-24", keys)  # Ngày Văn hóa Việt Nam
        self.assertIn("VN:2026-08-31", keys)  # substitute day for 2/9
        # Monday 23/11/2026 16:00: 60 minutes that day, 24/11 off, 60 on 25/11.
        with freeze_time("2026-11-23 09:00:00"):
            ticket = self._ticket()
        row = ticket.sla_ids.filtered(lambda r: r.milestone == "first_contact")
        self.assertEqual(row.deadline, datetime(2026, 11, 25, 2, 0))

    def test_holidays_in_the_helpdesk_configuration(self):
        menu = self.env.ref("sgc_helpdesk_ticket.resource_calendar_leaves_public_menu")
        self.assertEqual(
            menu.parent_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_config_main_menu"),
        )
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_managers_see_what_the_engine_does_next(self):
        ticket = self._ticket()
        menu = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_timer_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.user_ptn)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.monitor)._visible_menu_ids())
        # The list the menu opens, as the web client asks for it.
        Timer = self.env["helpdesk.ticket.timer"].with_user(self.manager)
        views = Timer.get_views([(False, "list"), (False, "search")])
        fields = views["models"]["helpdesk.ticket.timer"]["fields"]
        rows = Timer.web_search_read(
            [("ticket_id", "=", ticket.id)],
            {name: {} for name in ("due_date", "kind", "ticket_id", "policy_id")},
        )["records"]
        self.assertIn("kind", fields)
        self.assertTrue(rows, "a new ticket has its route and start timers planned")
        self.assertEqual(rows, sorted(rows, key=lambda row: row["due_date"]))

    # ------------------------------------------------------------------
    # At a glance
    # ------------------------------------------------------------------

    def test_countdown_of_the_nearest_deadline(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00, contact by 10:00
            ticket = self._ticket()
        vi = ticket.with_context(lang="vi_VN")
        with freeze_time("2026-03-02 02:35:00"):  # 09:35: in the 30-minute window
            vi.invalidate_recordset()
            self.assertEqual(vi.sla_countdown, "còn 25 phút")
            self.assertEqual(vi.sla_countdown_state, "at_risk")
        with freeze_time("2026-03-02 05:00:00"):  # 12:00
            vi.invalidate_recordset()
            self.assertEqual(vi.sla_countdown, "trễ 2 giờ")
            self.assertEqual(vi.sla_countdown_state, "late")
        with freeze_time("2026-03-02 05:00:00"):
            ticket.action_log_first_contact()
            ticket.invalidate_recordset()
            self.assertFalse(ticket.sla_countdown)

    def test_policies_in_hours_and_days(self):
        limit = self.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_close_limit")
        self.assertEqual((limit.target_amount, limit.target_unit), (3, "days"))
        self.assertEqual((limit.warn_amount, limit.warn_unit), (1, "days"))
        close = self.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_close")
        self.assertEqual((close.target_amount, close.target_unit), (1, "days"))
        self.assertEqual((close.warn_amount, close.warn_unit), (2, "hours"))
        close.with_user(self.manager).write(
            {"target_amount": 36, "target_unit": "hours"}
        )
        self.assertEqual(close.target_minutes, 36 * 60)

    def test_one_cron_query_count_flat_in_open_tickets(self):
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00: due by 12:00
            for priority in ("1", "3"):
                self._ticket(priority=priority)

        def run():
            self.env.flush_all()
            self.env.invalidate_all()
            savepoint = self.env.cr.savepoint()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-03-02 05:00:00"):
                self.Sla._cron_sla_check()
            count = self.env.cr.sql_log_count - before
            savepoint.close(rollback=True)
            self.env.invalidate_all()
            return count

        run()  # the caches of a running server
        alone = run()
        # 30 more open tickets, nothing of theirs due yet.
        with freeze_time("2026-03-02 04:59:00"):
            for _i in range(30):
                self._ticket(priority="3")
        more = run()
        with freeze_time("2026-03-02 04:59:00"):
            for _i in range(60):
                self._ticket(priority="3")
        most = run()
        # 0, 30 and 90 open tickets more: the same queries, to the odd cache
        # query (a query per ticket would add 30, then 60 more).
        self.assertLess(max(alone, more, most) - min(alone, more, most), 5)

    def test_archived_policy_has_nothing_ahead(self):
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
        start = self.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_start")
        Timer = self.env["helpdesk.ticket.timer"]
        self.assertTrue(
            Timer.search([("ticket_id", "=", ticket.id), ("kind", "=", "remind")])
        )
        start.with_user(self.manager).active = False
        self.assertFalse(Timer.search([("policy_id", "=", start.id)]))
        with freeze_time("2026-03-02 02:00:00"):
            self.Sla._cron_sla_check()
        self.assertFalse(self._notices(ticket, "not started"))

    # ------------------------------------------------------------------
    # Migration of a database of the separate jobs
    # ------------------------------------------------------------------

    def test_migration_to_one_engine_loses_nothing_due(self):
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations"
            / "18.0.1.1.0"
            / "post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("sgc_sla_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        # The database as the previous version left it: its jobs, the reminder's
        # parameter, urgent policies that did not escalate, no queue.
        Data = self.env["ir.model.data"]
        model = self.env["ir.model"]._get("helpdesk.ticket.sla")
        for name in ("daily_update_reminder", "daily_update_check", "auto_close"):
            cron = self.env["ir.cron"].create(
                {
                    "name": name,
                    "model_id": model.id,
                    "state": "code",
                    "code": "model.browse()",
                    "interval_number": 1,
                    "interval_type": "hours",
                }
            )
            Data.create(
                {
                    "module": "sgc_helpdesk_ticket",
                    "name": f"ir_cron_{name}",
                    "model": "ir.cron",
                    "res_id": cron.id,
                    "noupdate": True,
                }
            )
        param = self.env["ir.config_parameter"].create(
            {"key": "sgc_helpdesk_ticket.not_started_reminder_minutes", "value": "45"}
        )
        Data.create(
            {
                "module": "sgc_helpdesk_ticket",
                "name": "config_parameter_not_started_reminder_minutes",
                "model": "ir.config_parameter",
                "res_id": param.id,
                "noupdate": True,
            }
        )
        urgent_policy = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_sla_policy_first_contact_p3"
        )
        urgent_policy.action = "remind"
        with freeze_time("2026-03-02 01:00:00"):  # Monday 08:00
            waiting = self._ticket()
            urgent = self._ticket(priority="3")
            finished = self._ticket()
            finished.action_start()
            finished.resolution = "Đã gửi kết quả"
            finished.action_mark_work_done()
        self._set_columns(waiting, create_date="2026-03-02 01:00:00")
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM helpdesk_ticket_timer")
        self.env.invalidate_all()

        # helpdesk_mgmt's English stage mails, as its stages kept them.
        closed = self.env.ref("helpdesk_mgmt.closed_ticket_template")
        stages = self.stages["done"] | self.stages["cancelled"]
        stages.mail_template_id = closed
        mine = self.env.ref("sgc_helpdesk_ticket.mail_template_ticket_ack_web")
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        rejected.mail_template_id = mine

        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()

        ref = self.env.ref
        self.assertEqual(
            self.stages["done"].mail_template_id,
            ref("sgc_helpdesk_ticket.mail_template_ticket_closed"),
        )
        self.assertEqual(
            self.stages["cancelled"].mail_template_id,
            ref("sgc_helpdesk_ticket.mail_template_ticket_cancelled"),
        )
        # A template a manager chose stays.
        self.assertEqual(rejected.mail_template_id, mine)

        for name in ("daily_update_reminder", "daily_update_check", "auto_close"):
            self.assertFalse(
                self.env.ref(f"sgc_helpdesk_ticket.ir_cron_{name}", False), name
            )
        self.assertFalse(param.exists())
        start = self.env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_start")
        self.assertEqual(start.target_minutes, 45)
        self.assertEqual(urgent_policy.action, "escalate")
        Timer = self.env["helpdesk.ticket.timer"]
        kinds = {
            ticket: set(Timer.search([("ticket_id", "=", ticket.id)]).mapped("kind"))
            for ticket in (waiting, urgent, finished)
        }
        self.assertEqual(kinds[waiting], {"remind", "warn", "deadline"})
        self.assertEqual(kinds[urgent], {"remind", "warn", "deadline", "escalate"})
        self.assertEqual(kinds[finished], {"close", "warn", "deadline"})
        # The one cron does what the old jobs would have: the reminder after 45
        # working minutes, the escalation after 30.
        with freeze_time("2026-03-02 01:40:00"):  # 08:40
            self.Sla._cron_sla_check()
        self.assertFalse(self._notices(waiting, "not started"))
        self.assertEqual(urgent.escalation_ids.user_id, self.tin)
        with freeze_time("2026-03-02 01:46:00"):  # 08:46
            self.Sla._cron_sla_check()
        self.assertEqual(len(self._notices(waiting, "not started")), 1)
