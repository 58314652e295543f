# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import SgcHelpdeskCase


@tagged("post_install", "-at_install")
class TestDailyWork(SgcHelpdeskCase):
    def _started(self):
        ticket = self._ticket()
        self._to_state(ticket, "in_progress")
        return ticket

    def _log(self, ticket, note="Đã lấy mẫu, chờ kết quả"):
        return (
            self.env["helpdesk.ticket.progress"]
            .with_user(self.user_ptn)
            .create({"ticket_id": ticket.id, "note": note})
        )

    def _updated_ids(self):
        return set(
            self.env["helpdesk.ticket"].search([("updated_today", "=", True)]).ids
        )

    def test_progress_update_before_cutoff(self):
        # 16:59 in Ho Chi Minh City is 09:59 UTC.
        with freeze_time("2026-03-03 09:59:00"):
            ticket = self._started()
            self.assertFalse(ticket.updated_today)
            update = self._log(ticket)
            ticket.invalidate_recordset(["updated_today"])
            self.assertTrue(ticket.updated_today)
            self.assertIn(ticket.id, self._updated_ids())
            self.assertEqual(ticket.last_progress_date, update.date)
            message = ticket.message_ids.filtered(
                lambda m: (
                    m.subtype_id
                    == self.env.ref("sgc_helpdesk_ticket.mt_ticket_progress")
                )
            )
            self.assertEqual(len(message), 1)
            self.assertIn("Đã lấy mẫu", message.body)
        # The next morning the flag is down again.
        with freeze_time("2026-03-04 01:00:00"):
            ticket.invalidate_recordset(["updated_today"])
            self.assertFalse(ticket.updated_today)
            self.assertNotIn(ticket.id, self._updated_ids())

    def test_progress_update_after_cutoff_does_not_count(self):
        # 17:01 Vietnam time.
        with freeze_time("2026-03-03 10:01:00"):
            ticket = self._started()
            self._log(ticket)
            ticket.invalidate_recordset(["updated_today"])
            self.assertFalse(ticket.updated_today)
            not_updated = self.env["helpdesk.ticket"].search(
                [("state", "=", "in_progress"), ("updated_today", "=", False)]
            )
            self.assertIn(ticket, not_updated)

    def test_update_just_after_midnight_vietnam_time(self):
        # 00:30 on the 4th in Vietnam is 17:30 UTC on the 3rd.
        with freeze_time("2026-03-03 17:30:00"):
            ticket = self._started()
            self._log(ticket)
            ticket.invalidate_recordset(["updated_today"])
            self.assertTrue(ticket.updated_today)

    def test_cutoff_is_configurable(self):
        self.env.company.helpdesk_update_cutoff = 18.5
        with freeze_time("2026-03-03 11:00:00"):  # 18:00 Vietnam time
            ticket = self._started()
            self._log(ticket)
            ticket.invalidate_recordset(["updated_today"])
            self.assertTrue(ticket.updated_today)

    def test_closed_ticket_takes_no_update(self):
        ticket = self._ticket(cancel_reason="Trùng")
        self._to_state(ticket, "cancelled")
        with self.assertUserError("closed"):
            self._log(ticket)

    def test_checklist_blocks_done(self):
        ticket = self._started()
        ticket.with_user(self.user_ptn).write(
            {
                "checklist_item_ids": [
                    Command.create({"name": "Lấy mẫu hiện trường"}),
                    Command.create({"name": "Gửi kết quả"}),
                ]
            }
        )
        self._ready_to_close(ticket)
        self.assertEqual(ticket.state, "in_progress")
        with self.assertUserError("2 open checklist item"):
            self._to_state(ticket, "done")
        with freeze_time("2026-03-03 03:00:00"):
            ticket.checklist_item_ids.with_user(self.user_ptn).write({"is_done": True})
        item = ticket.checklist_item_ids[0]
        self.assertEqual(item.done_user_id, self.user_ptn)
        self.assertEqual(str(item.done_date), "2026-03-03 03:00:00")
        self._to_state(ticket, "done")
        self.assertEqual(ticket.state, "done")

    def test_quotation_handoff_to_crm(self):
        ticket = self._ticket(category_id=self.cat_quote.id)
        self.assertEqual(ticket.team_id, self.team_pkd)
        wizard_action = ticket.action_handoff_to_crm()
        wizard = Form(
            self.env[wizard_action["res_model"]].with_context(
                **wizard_action["context"]
            )
        ).save()
        wizard.action_helpdesk_ticket_to_lead()
        lead = ticket.lead_ids
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.ticket_id, ticket)
        code = self.customer.customer_code
        self.assertRegex(code, r"^KH-\d{4}$")
        self.assertIn(code, lead.name)
        self.assertEqual(ticket.state, "done")
        self.assertIn(lead.name, ticket.resolution)
        notice = ticket.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and "Kinh doanh" in (m.body or "")
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(f"[{code}]", notice.body)
        self.assertIn("tránh trùng lặp", notice.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertTrue(mail, "the notice is emailed to the customer")
