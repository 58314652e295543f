# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What limited roles may not do: change SOP facts by hand, close tickets through
the portal route against the rules, cancel Zalo messages they only read, edit a
closed KPI period, or create tickets by helpdesk_mgmt's unchecked portal form."""

from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree, html

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.helpdesk_ticket import SOP_FIELDS
from .common import SgcHelpdeskCase

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
MILESTONES = {
    "received_date": datetime(2020, 1, 1, 1, 0),
    "routed_date": datetime(2020, 1, 1, 1, 0),
    "first_contact_date": datetime(2020, 1, 1, 1, 0),
    "started_date": datetime(2020, 1, 1, 1, 0),
    "work_done_date": datetime(2020, 1, 1, 1, 0),
    "cancelled_date": datetime(2020, 1, 1, 1, 0),
    "closed_date": datetime(2020, 1, 1, 1, 0),
}
SILENCING = {
    "escalation_level": 99,
    "start_reminder_sent": True,
    "update_reminder_date": "2099-01-01",
    "close_limit_warned": True,
}


@tagged("post_install", "-at_install")
class TestSopFacts(SgcHelpdeskCase):
    """Finding 5: SOP facts change through the actions only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket()  # PTN's, assigned to user_ptn
        cls.ticket.write({"stage_id": cls.stages["in_progress"].id})

    def _first_contact_row(self, ticket):
        return ticket.sla_ids.filtered(lambda r: r.milestone == "first_contact")

    def test_department_user_cannot_fake_portal_satisfaction(self):
        ticket = self.ticket.with_user(self.user_ptn)
        ticket.resolution = "Đã trả kết quả."
        with self.assertRaises(AccessError):
            ticket.write(
                {"satisfaction_state": "confirmed", "satisfaction_method": "portal"}
            )
        self.assertEqual(self.ticket.satisfaction_state, "none")
        with self.assertUserError("satisfaction confirmation"):
            ticket.action_close()
        self.assertEqual(self.ticket.state, "in_progress")

    def test_milestones_and_escalation_state_not_writable(self):
        ticket = self.ticket.with_user(self.user_ptn)
        for fname, value in {**MILESTONES, **SILENCING}.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                ticket.write({fname: value})
        with self.assertRaises(AccessError):
            ticket.write({"routed_by_id": self.user_ptn2.id})
        self.assertEqual(self.ticket.escalation_level, 0)

    def test_manager_goes_through_the_actions_too(self):
        ticket = self.ticket.with_user(self.manager)
        for fname in ("first_contact_date", "received_date", "satisfaction_state"):
            value = "confirmed" if fname == "satisfaction_state" else MILESTONES[fname]
            with self.subTest(field=fname), self.assertRaises(AccessError):
                ticket.write({fname: value})
        ticket.action_log_first_contact()
        self.assertTrue(self.ticket.first_contact_date)

    def test_accountant_comment_is_no_first_contact(self):
        self.assertEqual(self._first_contact_row(self.ticket).status, "ongoing")
        # The chatter posts with sudo, as the current user (mail's controller).
        self.ticket.with_user(self.accountant).sudo().message_post(
            body="Kế toán KPI xem phiếu",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.ticket.first_contact_date)
        self.assertEqual(self._first_contact_row(self.ticket).status, "ongoing")

    def test_assignee_reply_is_the_first_contact(self):
        self.ticket.with_user(self.user_ptn).sudo().message_post(
            body="Chào chị, SGC đã nhận yêu cầu.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(self.ticket.first_contact_date)
        self.assertEqual(self._first_contact_row(self.ticket).status, "reached")

    def test_actions_stamp_and_track_the_facts(self):
        record = self._ticket()
        # Tracking starts after the transaction that created the ticket.
        self.env.cr.precommit.run()
        ticket = record.with_user(self.user_ptn)
        ticket.action_start()
        ticket.action_log_first_contact()
        ticket.resolution = "Đã trả kết quả."
        ticket.action_mark_work_done()
        self.assertEqual(ticket.satisfaction_state, "pending")
        wizard = Form(
            self.env["helpdesk.ticket.satisfaction.wizard"]
            .with_user(self.user_ptn)
            .with_context(default_ticket_id=ticket.id)
        )
        wizard.method = "phone"
        wizard.note = "Chị Lan xác nhận qua điện thoại"
        wizard.save().action_confirm()
        self.assertEqual(ticket.state, "done")
        self.assertEqual(ticket.satisfaction_user_id, self.user_ptn)
        self.env.cr.precommit.run()
        self.env.flush_all()
        record.invalidate_recordset(["message_ids"])
        values = record.message_ids.tracking_value_ids
        tracked = set(values.field_id.mapped("name"))
        for fname in (
            "first_contact_date",
            "started_date",
            "work_done_date",
            "satisfaction_state",
            "satisfaction_method",
            "satisfaction_date",
            "satisfaction_user_id",
            "closed_date",
        ):
            self.assertIn(fname, tracked)

    def test_sop_fields_are_tracked(self):
        Ticket = self.env["helpdesk.ticket"]
        for fname in SOP_FIELDS:
            with self.subTest(field=fname):
                self.assertTrue(Ticket._fields[fname].tracking)

    def test_staff_give_received_date_at_creation(self):
        asked = fields.Datetime.now() - timedelta(hours=2)
        ticket = self._ticket(user=self.user_ptn, received_date=asked)
        self.assertEqual(ticket.received_date, asked.replace(microsecond=0))
        self.assertTrue(ticket.on_behalf)

    def test_form_shows_sop_fields_read_only(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.user_ptn)
        arch = Ticket.get_view(view_type="form")["arch"]
        nodes = [
            node
            for node in etree.fromstring(arch).iter("field")
            if node.get("name") in SOP_FIELDS
        ]
        self.assertTrue(nodes)
        for node in nodes:
            name = node.get("name")
            readonly = node.get("readonly")
            with self.subTest(field=name):
                if name == "received_date":
                    self.assertEqual(readonly, "id", "editable when creating only")
                elif readonly is None:
                    self.assertTrue(Ticket._fields[name].readonly)
                else:
                    self.assertIn(readonly, ("1", "True", "true"))

    def test_customer_writes_nothing_directly(self):
        portal = new_test_user(
            self.env, login="sgc_roles_portal", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.customer
        ticket = self.ticket.with_user(portal)
        self.assertTrue(ticket.has_access("read"))
        for vals in (
            {"name": "changed"},
            {"stage_id": self.stages["paused"].id},
            {"satisfaction_state": "confirmed", "satisfaction_method": "portal"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                ticket.write(vals)
        self.assertEqual(self.ticket.state, "in_progress")

    def test_progress_update_is_stamped_now(self):
        with freeze_time("2026-03-02 09:00:00"):
            update = (
                self.env["helpdesk.ticket.progress"]
                .with_user(self.user_ptn)
                .create(
                    {
                        "ticket_id": self.ticket.id,
                        "note": "Đã lấy mẫu",
                        "date": "2026-03-01 08:00:00",
                        "user_id": self.user_ptn2.id,
                    }
                )
            )
        self.assertEqual(update.date, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(update.user_id, self.user_ptn)


@tagged("post_install", "-at_install")
class TestPortalClose(HttpCase, SgcHelpdeskCase):
    """Finding 6: /ticket/close is POST with CSRF, the caller's rights, all or
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env,
            login="sgc_close_a",
            password="sgc_close_a",
            groups="base.group_portal",
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.done, cls.cancelled = cls.stages["done"], cls.stages["cancelled"]
        (cls.done | cls.cancelled).close_from_portal = True
        cls.ticket = cls._ticket(partner_id=cls.portal_a.partner_id.id)
        cls.ticket.write({"stage_id": cls.stages["in_progress"].id})

    def _close(self, stage, csrf=True, **data):
        data.update(ticket_id=self.ticket.id, stage_id=stage.id)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def _assert_unchanged(self):
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.state, "in_progress")
        self.assertFalse(self.ticket.cancelled_date)
        self.assertFalse(self.ticket.cancel_reason)
        self.assertEqual(self.ticket.satisfaction_state, "none")
        self.assertIn("ongoing", self.ticket.sla_ids.mapped("status"))
        self.assertNotIn("cancelled", self.ticket.sla_ids.mapped("status"))

    def test_get_is_refused(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        url = f"/ticket/close?ticket_id={self.ticket.id}&stage_id={self.cancelled.id}"
        with mute_logger("odoo.http"):
            resp = self.url_open(url, allow_redirects=False)
        self.assertEqual(resp.status_code, 405)
        self._assert_unchanged()

    def test_post_without_csrf_is_refused(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        with mute_logger("odoo.http"):
            resp = self._close(self.cancelled, csrf=False, reason="Không cần nữa")
        self.assertEqual(resp.status_code, 400)
        self._assert_unchanged()

    def test_refused_cancel_changes_nothing_and_says_why(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        resp = self._close(self.cancelled)
        self.assertEqual(resp.status_code, 302)
        self.assertTrue(
            resp.headers["Location"].endswith(f"/my/ticket/{self.ticket.id}")
        )
        self._assert_unchanged()
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn('name="sgc_close_error"', page)
        self.assertIn("Say why the request is cancelled", page)
        # Said once.
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertNotIn('name="sgc_close_error"', page)

    def test_cancel_with_reason(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        resp = self._close(self.cancelled, reason="Đã tự xử lý")
        self.assertEqual(resp.status_code, 302)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.state, "cancelled")
        self.assertEqual(self.ticket.cancel_reason, "Đã tự xử lý")
        self.assertTrue(self.ticket.cancelled_date)
        self.assertNotIn("ongoing", self.ticket.sla_ids.mapped("status"))

    def test_done_before_the_work_is_finished_changes_nothing(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        resp = self._close(self.done)
        self.assertEqual(resp.status_code, 302)
        self._assert_unchanged()
        page = html.fromstring(self.url_open(f"/my/ticket/{self.ticket.id}").content)
        alert = page.xpath("//div[@name='sgc_close_error']")
        self.assertTrue(alert)
        self.assertIn("cannot be closed yet", alert[0].text_content())

    def test_read_only_accountant_cannot_close(self):
        self.authenticate("sgc_kpi", "sgc_kpi")
        self._close(self.cancelled, reason="Kế toán huỷ")
        self._close(self.done)
        self._assert_unchanged()

    def test_portal_page_posts_with_csrf(self):
        self.authenticate("sgc_close_a", "sgc_close_a")
        page = html.fromstring(self.url_open(f"/my/ticket/{self.ticket.id}").content)
        forms = page.xpath("//form[@action='/ticket/close']")
        self.assertGreaterEqual(len(forms), 2)
        for form in forms:
            self.assertEqual(form.get("method"), "POST")
            self.assertTrue(form.xpath(".//input[@name='csrf_token']/@value"))
        cancel = [
            f
            for f in forms
            if f.xpath(f".//input[@name='stage_id'][@value='{self.cancelled.id}']")
        ]
        self.assertTrue(cancel)
        self.assertTrue(cancel[0].xpath(".//textarea[@name='reason'][@required]"))


@tagged("post_install", "-at_install")
class TestZaloMessageActions(SgcHelpdeskCase):
    """Finding 7: Zalo messages are cancelled or retried by who may write them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["zalo.oa.account"].with_context(active_test=False).search(
            [("company_id", "=", cls.env.company.id)]
        ).unlink()
        account = cls.env["zalo.oa.account"].create(
            {
                "name": "SGC Zalo OA (roles test)",
                "app_id": "roles-app",
                "app_secret_key": "s",
                "oa_secret_key": "o",
                "access_token": "AT",
                "refresh_token": "RT",
                "access_token_expiry": fields.Datetime.now() + timedelta(hours=20),
                # Nothing listens there: a send would fail, not reach Zalo.
                "api_base_url": "http://127.0.0.1:9",
                "oauth_base_url": "http://127.0.0.1:9",
            }
        )
        ticket = cls._ticket()
        cls.message = cls.env["zalo.message"].create(
            {
                "account_id": account.id,
                "direction": "out",
                "kind": "reply",
                "zalo_user_id": "zalo-user-1",
                "ticket_id": ticket.id,
                "text": "Chào anh",
                "state": "failed",
                "attempts": 3,
            }
        )

    def test_monitor_reads_but_cannot_cancel_or_retry(self):
        message = self.message.with_user(self.monitor)
        self.assertTrue(message.has_access("read"))
        with self.assertRaises(AccessError):
            message.action_cancel()
        with self.assertRaises(AccessError):
            message.action_retry()
        self.assertEqual(self.message.state, "failed")
        self.assertEqual(self.message.attempts, 3)

    def test_manager_cancels(self):
        self.message.with_user(self.manager).action_cancel()
        self.assertEqual(self.message.state, "cancelled")


@tagged("post_install", "-at_install")
class TestFrozenKpiPeriod(SgcHelpdeskCase):
    """Finding 7: a closed KPI period is frozen, for everyone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ticket()
        Period = cls.env["helpdesk.kpi.period"]
        now = fields.Datetime.now()
        cls.period = Period._period_for(now)
        cls.period.action_close()
        cls.line = cls.period.line_ids.filtered(lambda line: line.scope == "company")

    def test_lines_of_a_closed_period_cannot_be_changed(self):
        self.assertEqual(self.period.state, "closed")
        self.assertTrue(self.line)
        received = self.line.received_count
        Line = self.env["helpdesk.kpi.line"]
        for env_label, line in (
            ("manager", self.line.with_user(self.manager)),
            ("sudo", self.line.with_user(self.manager).sudo()),
        ):
            with self.subTest(who=env_label):
                # UserError: AccessError (no computation) or the period closed
                with self.assertRaises(UserError):
                    line.write({"received_count": received + 10})
                with self.assertRaises(UserError):
                    line.unlink()
                with self.assertRaises(UserError):
                    line.env["helpdesk.kpi.line"].create(
                        {
                            "period_id": self.period.id,
                            "scope": "company",
                            "received_count": 99,
                        }
                    )
        self.assertEqual(self.line.received_count, received)
        self.assertEqual(
            Line.search_count([("period_id", "=", self.period.id)]),
            len(self.period.line_ids),
        )

    def test_closed_period_itself_is_frozen(self):
        period = self.period.with_user(self.manager)
        with self.assertRaises(UserError):
            period.write({"date_end": period.date_end + timedelta(days=3)})
        with self.assertRaises(UserError):
            period.unlink()
        with self.assertRaises(UserError):
            period.action_compute()
        # The tracked way: reopen, then recompute.
        period.action_reopen()
        period.action_compute()
        self.assertEqual(period.state, "draft")
        self.assertTrue(period.line_ids)
        # An open period (its figures with it) may go.
        lines = period.line_ids
        period.unlink()
        self.assertFalse(lines.exists())


@tagged("post_install", "-at_install")
class TestHelpdeskMgmtPortalForm(HttpCase, SgcHelpdeskCase):
    """Finding 7: helpdesk_mgmt's portal form leads to SGC's, creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env,
            login="sgc_form_a",
            password="sgc_form_a",
            groups="base.group_portal",
        )
        cls.portal_a.partner_id.parent_id = cls.customer

    def test_new_ticket_redirects_to_sgc_form(self):
        self.authenticate("sgc_form_a", "sgc_form_a")
        resp = self.url_open("/new/ticket", allow_redirects=False)
        self.assertEqual(resp.status_code, 303)
        self.assertTrue(resp.headers["Location"].endswith(FORM_URL))

    def test_submitted_ticket_creates_nothing(self):
        self.authenticate("sgc_form_a", "sgc_form_a")
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        resp = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "category": self.cat_lab.id,
                "subject": "Bypass",
                "description": "no rate limit, no file check",
                "attachment": "1",
            },
            files={"attachment": ("prog.exe", b"MZ\x90\x00" + b"\x00" * 60)},
            allow_redirects=False,
        )
        self.assertEqual(resp.status_code, 303)
        self.assertTrue(resp.headers["Location"].endswith(FORM_URL))
        self.assertEqual(Ticket.search_count([]), before)
        self.assertFalse(
            self.env["ir.attachment"].search_count([("name", "=", "prog.exe")])
        )
