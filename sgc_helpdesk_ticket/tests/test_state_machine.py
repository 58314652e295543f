# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SgcHelpdeskCase

ALL_STATES = ("new", "in_progress", "paused", "done", "cancelled")
ALLOWED = {
    ("new", "in_progress"),
    ("new", "cancelled"),
    ("in_progress", "paused"),
    ("in_progress", "done"),
    ("in_progress", "cancelled"),
    ("paused", "in_progress"),
    ("paused", "cancelled"),
}


@tagged("post_install", "-at_install")
class TestStateMachine(SgcHelpdeskCase):
    def _ticket_in(self, state):
        """A ticket brought to ``state`` through allowed moves, ready for any move."""
        ticket = self._ticket(cancel_reason="Khách huỷ yêu cầu")
        path = {
            "new": [],
            "in_progress": ["in_progress"],
            "paused": ["in_progress", "paused"],
            "done": ["in_progress", "done"],
            "cancelled": ["cancelled"],
        }[state]
        for step in path:
            if step == "done":
                self._ready_to_close(ticket)
            self._to_state(ticket, step)
        self.assertEqual(ticket.state, state)
        # Fill every precondition so that only the move rule decides.
        ticket.resolution = ticket.resolution or "Kết quả"
        if ticket.satisfaction_state != "confirmed":
            ticket.write(
                {"satisfaction_state": "confirmed", "satisfaction_method": "phone"}
            )
        return ticket

    def test_every_allowed_move(self):
        for old, new in sorted(ALLOWED):
            with self.subTest(move=f"{old}->{new}"):
                ticket = self._ticket_in(old)
                ticket.with_user(self.user_ptn).write({"stage_id": self.stages[new].id})
                self.assertEqual(ticket.state, new)

    def test_every_forbidden_move_is_refused_and_changes_nothing(self):
        for old in ALL_STATES:
            for new in ALL_STATES:
                if old == new or (old, new) in ALLOWED:
                    continue
                with self.subTest(move=f"{old}->{new}"):
                    ticket = self._ticket_in(old)
                    stage_before = ticket.stage_id
                    with self.assertUserError("SOP V.3"):
                        ticket.with_user(self.user_ptn).write(
                            {"stage_id": self.stages[new].id}
                        )
                    ticket.invalidate_recordset()
                    self.assertEqual(ticket.stage_id, stage_before)

    def test_manager_reopens_final_tickets(self):
        for state in ("done", "cancelled"):
            with self.subTest(state=state):
                ticket = self._ticket_in(state)
                ticket.with_user(self.manager).action_reopen()
                self.assertEqual(ticket.state, "in_progress")
                self.assertFalse(ticket.closed_date)
                self.assertFalse(ticket.cancelled_date)

    def test_forbidden_move_through_import(self):
        ticket = self._ticket_in("new")
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.user_ptn)
            .load(
                ["id", "stage_id/.id"],
                [[self._xmlid(ticket), str(self.stages["done"].id)]],
            )
        )
        self.assertTrue(result["messages"], result)
        self.assertIn("SOP V.3", result["messages"][0]["message"])
        self.assertEqual(ticket.state, "new")

    def _xmlid(self, ticket):
        self.env["ir.model.data"].create(
            {
                "module": "__import__",
                "name": f"ticket_{ticket.id}",
                "model": ticket._name,
                "res_id": ticket.id,
            }
        )
        return f"__import__.ticket_{ticket.id}"

    def test_creation_must_start_new(self):
        with self.assertUserError("starts in the state New"):
            self._ticket(user=self.user_ptn, stage_id=self.stages["in_progress"].id)

    def test_in_progress_needs_full_information(self):
        ticket = self._ticket(category_id=False, partner_id=False, user_id=False)
        with self.assertRaises(UserError) as ctx:
            self._to_state(ticket, "in_progress")
        message = str(ctx.exception)
        for missing in (
            "customer",
            "contact",
            "request type",
            "department",
            "assignee",
        ):
            self.assertIn(missing, message)
        self.assertIn("SOP V.2", message)
        # Contact can be a phone number or a Zalo id instead of an email.
        partner = self.env["res.partner"].create(
            {"name": "Zalo only", "zalo_user_id": "84123"}
        )
        ticket.write(
            {
                "partner_id": partner.id,
                "team_id": False,
                "category_id": self.cat_lab.id,
            }
        )
        self._to_state(ticket, "in_progress")
        self.assertEqual(ticket.state, "in_progress")

    def test_done_needs_resolution_and_satisfaction(self):
        ticket = self._ticket_in("in_progress")
        ticket.write({"resolution": False, "satisfaction_state": "pending"})
        with self.assertUserError("resolution summary"):
            self._to_state(ticket, "done")
        ticket.resolution = "Đã xử lý"
        with self.assertUserError("satisfaction confirmation"):
            self._to_state(ticket, "done")
        # Staff record how the customer confirmed.
        wizard = Form(
            self.env["helpdesk.ticket.satisfaction.wizard"]
            .with_user(self.user_ptn)
            .with_context(default_ticket_id=ticket.id)
        )
        wizard.method = "zalo"
        wizard.note = "Khách nhắn Zalo: hài lòng"
        wizard.save().action_confirm()
        self.assertEqual(ticket.satisfaction_state, "confirmed")
        self.assertEqual(ticket.satisfaction_method, "zalo")
        self.assertEqual(ticket.satisfaction_user_id, self.user_ptn)
        self._to_state(ticket, "done")
        self.assertTrue(ticket.closed_date)

    def test_cancel_needs_reason(self):
        ticket = self._ticket()
        with self.assertUserError("cancellation reason"):
            self._to_state(ticket, "cancelled")
        wizard = (
            self.env["helpdesk.ticket.cancel.wizard"]
            .with_user(self.user_ptn)
            .create({"ticket_id": ticket.id, "reason": "Khách gửi trùng"})
        )
        wizard.action_confirm()
        self.assertEqual(ticket.state, "cancelled")
        self.assertEqual(ticket.cancel_reason, "Khách gửi trùng")
        self.assertTrue(ticket.cancelled_date)

    def _cancel_mails(self, ticket, before):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return (
            self.env["mail.mail"]
            # sudo: test inspection of the outgoing mails, no user input
            .sudo()
            .search(
                [
                    ("id", "not in", before),
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                ]
            )
        )

    def test_cancel_tells_the_customer_why_once(self):
        """SOP V.3: the Cancelled stage sends SGC's mail, with the reason staff
        gave and the company's signature, instead of helpdesk_mgmt's English
        "The ticket ... has been closed."."""
        template = self.env.ref("sgc_helpdesk_ticket.mail_template_ticket_cancelled")
        self.assertEqual(self.stages["cancelled"].mail_template_id, template)
        company = self._letterhead_company()
        self.customer.lang = "vi_VN"
        ticket = self._ticket()
        self._to_state(ticket, "in_progress")
        ticket.cancel_reason = False
        # sudo: test inspection of the outgoing mails, no user input
        before = self.env["mail.mail"].sudo().search([]).ids
        self.env["helpdesk.ticket.cancel.wizard"].with_user(self.user_ptn).create(
            {"ticket_id": ticket.id, "reason": "Khách đã tự lấy mẫu tại nhà máy"}
        ).action_confirm()
        mails = self._cancel_mails(ticket, before)
        to_customer = mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(to_customer), 1, mails.mapped("subject"))
        prefix = company.helpdesk_ticket_prefix or company.name
        self.assertEqual(
            to_customer.subject, f"[{prefix}] Yêu cầu {ticket.number} đã được huỷ"
        )
        body = to_customer.body_html
        for expected in (
            "Kính gửi Quý khách",
            self.customer.name,
            ticket.number,
            ticket.name,
            "Lý do huỷ",
            "Khách đã tự lấy mẫu tại nhà máy",
            "Trân trọng",
            company.name,
            company.with_context(lang="vi_VN")._sgc_address_line(),
            "Hotline: 1900 1713",
            "hotro@hsevn.com.vn",
            "https://hsevn.com.vn",
        ):
            self.assertIn(expected, body)
        self.assertNotIn("has been closed", body)
        # SGC's frame: the request's code as the title, no Odoo promotion.
        self.assertIn("Yêu cầu của khách hàng", body)
        for odoo in ("Powered by", "Cung cấp bởi", "odoo.com", "Của bạn"):
            self.assertNotIn(odoo, body)

    def test_staff_reply_in_sgc_frame(self):
        """A reply from the ticket's chatter reaches the customer in SGC's frame,
        with the support contacts, without Odoo's promotion."""
        self.env.company.helpdesk_hotline = "1900 1713"
        self.customer.lang = "vi_VN"
        ticket = self._ticket()
        message = ticket.with_user(self.user_ptn).message_post(
            body="Chúng tôi đã nhận mẫu.",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Mail = self.env["mail.mail"]
        # sudo: test inspection of the outgoing mail, no user input
        mail = Mail.sudo().search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail)
        body = mail[0].body_html
        self.assertIn("Chúng tôi đã nhận mẫu.", body)
        self.assertIn("Hotline: 1900 1713", body)
        self.assertIn(ticket.number, body)
        for odoo in ("Powered by", "Cung cấp bởi", "odoo.com"):
            self.assertNotIn(odoo, body)

    def test_cancel_of_a_duplicate_names_the_original(self):
        original = self._ticket()
        ticket = self._ticket(duplicate_id=original.id)
        # sudo: test inspection of the outgoing mails, no user input
        before = self.env["mail.mail"].sudo().search([]).ids
        self._to_state(ticket, "cancelled")
        [mail] = self._cancel_mails(ticket, before).filtered(
            lambda m: self.customer in m.recipient_ids
        )
        self.assertIn(
            f"Yêu cầu trùng với yêu cầu <strong>{original.number}", mail.body_html
        )

    def test_pause_asks_a_reason_and_tells_the_customer(self):
        ticket = self._ticket_in("in_progress")
        ticket.user_id = self.user_ptn
        self.customer.lang = "vi_VN"
        action = ticket.with_user(self.user_ptn).action_pause_wizard()
        self.assertEqual(action["res_model"], "helpdesk.ticket.pause.wizard")
        Wizard = self.env["helpdesk.ticket.pause.wizard"]
        wizard = Wizard.with_user(self.user_ptn).create(
            {"ticket_id": ticket.id, "reason": "Chờ khách gửi thêm mẫu"}
        )
        wizard.action_confirm()
        self.assertEqual(ticket.state, "paused")
        self.assertEqual(ticket.pause_ids[:1].reason, "Chờ khách gửi thêm mẫu")
        [told] = ticket.message_ids.filtered(
            lambda m: "Chờ khách gửi thêm mẫu" in (m.body or "")
        )
        self.assertEqual(told.message_type, "comment")
        self.assertEqual(told.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.customer, told.partner_ids)
        self.assertIn(f"Yêu cầu {ticket.number} của Quý Khách đang tạm dừng", told.body)
        # Staff may keep it to themselves: a note, no customer.
        self._to_state(ticket, "in_progress")
        Wizard.with_user(self.user_ptn).create(
            {
                "ticket_id": ticket.id,
                "reason": "Máy đo đang hiệu chuẩn",
                "notify_customer": False,
            }
        ).action_confirm()
        [note] = ticket.message_ids.filtered(
            lambda m: "Máy đo đang hiệu chuẩn" in (m.body or "")
        )
        self.assertTrue(note.subtype_id.internal)
        self.assertFalse(note.partner_ids)
        # Who may not write the ticket cannot pause it.
        self._to_state(ticket, "in_progress")
        with self.assertRaises(AccessError):
            Wizard.with_user(self.accountant).create(
                {"ticket_id": ticket.id, "reason": "x"}
            ).action_confirm()
        self.assertEqual(ticket.state, "in_progress")

    def test_milestone_timestamps_and_pauses(self):
        with freeze_time("2026-03-02 01:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-02 01:20:00"):
            ticket.action_log_first_contact()
        with freeze_time("2026-03-02 01:30:00"):
            ticket.action_start()
        with freeze_time("2026-03-02 03:00:00"):
            ticket.action_pause()
        with freeze_time("2026-03-02 05:00:00"):
            ticket.action_resume()
        with freeze_time("2026-03-02 06:00:00"):
            ticket.action_pause()
        with freeze_time("2026-03-02 06:30:00"):
            ticket.action_resume()
        with freeze_time("2026-03-02 08:00:00"):
            ticket.resolution = "Đã gửi kết quả"
            ticket.action_mark_work_done()
        self.assertEqual(ticket.satisfaction_state, "pending")
        with freeze_time("2026-03-02 09:00:00"):
            ticket._record_satisfaction("email")
        # A satisfied customer with finished work closes the ticket.
        self.assertEqual(ticket.state, "done")
        self.assertEqual(str(ticket.first_contact_date), "2026-03-02 01:20:00")
        self.assertEqual(str(ticket.started_date), "2026-03-02 01:30:00")
        self.assertEqual(str(ticket.work_done_date), "2026-03-02 08:00:00")
        self.assertEqual(str(ticket.closed_date), "2026-03-02 09:00:00")
        pauses = ticket.pause_ids.sorted("date_start")
        self.assertEqual(len(pauses), 2)
        self.assertEqual(pauses.mapped("duration_hours"), [2.0, 0.5])

    def test_public_reply_is_first_contact(self):
        ticket = self._ticket()
        ticket.with_user(self.user_ptn).message_post(
            body="Chào anh, em sẽ gọi lại",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertFalse(ticket.first_contact_date, "an internal note is no contact")
        ticket.with_user(self.user_ptn).message_post(
            body="Chào anh, em sẽ gọi lại",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.first_contact_date)
