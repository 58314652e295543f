# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Triage from the words: the suggested request type of mail and Zalo tickets,
its automatic routing, learning from people's corrections, and duplicates across
channels. Through the real mail gateway and the Zalo webhook's job; the request
types' keywords are the shipped data."""

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import email_normalize

from odoo.addons.mail.tests.common import MockEmail

from ..models.helpdesk_ticket_triage import ticket_text
from ..tools import triage_text
from .jobs import JobsMixin
from .test_zalo import CUSTOMER_ID, ZaloCaseMixin, zalo_event

MAIL = """From: {sender}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
Date: Fri, 02 May 2025 15:29:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
"""

# A quotation request answering an old mail about invoices: only the new text and
# not its quote nor the signature may decide.
QUOTATION_REPLY = """Dạ nhờ anh chị gửi báo giá quan trắc định kỳ 4 đợt năm 2026 cho nhà
máy, gồm nước thải và khí thải ống khói. Cần bảng giá trước thứ sáu.

Trân trọng,
Nguyễn Thị Hoa
Phòng mua hàng - hóa đơn, thanh toán, công nợ

Vào Th 2, 9 thg 6, 2025 lúc 08:15 SGC Kế toán <ketoan@hsevn.com.vn> đã viết:
> Kính gửi chị, SGC gửi hóa đơn VAT và đề nghị thanh toán hợp đồng 18/2025.
> Hóa đơn điện tử, biên bản nghiệm thu, đối chiếu công nợ, chuyển khoản.
"""


class TriageCase(JobsMixin, MockEmail, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        ref = cls.env.ref
        cls.company = cls.env.company
        cls.company.helpdesk_ticket_prefix = "SGC"
        team_intake = ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake")
        team_intake.alias_id.alias_domain_id = cls.mail_alias_domain
        cls.hotro = team_intake.alias_id.alias_full_name
        cls.team_intake = team_intake
        cls.cat = {
            key: ref(f"sgc_helpdesk_ticket.helpdesk_ticket_category_{key}")
            for key in (
                "lab_analysis",
                "field_sampling",
                "consulting",
                "quotation",
                "acceptance",
                "other",
            )
        }
        cls.monitor = new_test_user(
            cls.env,
            login="sgc_triage_monitor",
            groups="sgc_helpdesk_ticket.group_ticket_monitor",
            name="Triage Monitor",
        )
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Triage = cls.env["helpdesk.ticket.triage"]
        cls._mail_count = 0

    def _mail(self, body, subject="Yêu cầu", sender="Chị Hoa <hoa@khach-hang.vn>"):
        type(self)._mail_count += 1
        raw = MAIL.format(
            sender=sender,
            to=self.hotro,
            subject=subject,
            msg_id=f"<triage-{self._mail_count}@khach-hang.vn>",
            body=body,
        )
        with self.mock_mail_gateway():
            ticket_id = self.env["mail.thread"].message_process(False, raw)
            self.env.cr.precommit.run()
            self.run_jobs()
        return self.Ticket.browse(ticket_id)

    def _acks_to(self, email):
        return [
            mail
            for mail in self._mails
            if email in [email_normalize(address) for address in mail["email_to"]]
        ]


@tagged("post_install", "-at_install")
class TestTriage(TriageCase):
    def test_keywords_ship_with_the_request_types(self):
        for category in self.cat.values():
            self.assertGreaterEqual(
                category.sgc_triage_keyword_count, 15, category.name
            )
        self.assertTrue(self.cat["other"].sgc_triage_fallback)
        self.assertEqual(self.company.sgc_duplicate_days, 7)
        self.assertTrue(0.5 <= self.company.sgc_triage_threshold < 1)

    def test_without_diacritics_reads_the_same(self):
        pairs = [
            ("báo giá quan trắc", "bao gia quan trac"),
            ("Đề nghị xuất hóa đơn đỏ", "de nghi xuat hoa don do"),
            ("Phân tích mẫu nước thải", "PHAN TICH MAU NUOC THAI"),
        ]
        for accented, plain in pairs:
            with_marks = self.Triage._suggest(self.company, accented)
            without = self.Triage._suggest(self.company, plain)
            self.assertEqual(with_marks["words"], without["words"], plain)
            self.assertEqual(with_marks["category_id"], without["category_id"])
            self.assertAlmostEqual(with_marks["confidence"], without["confidence"])
        self.assertEqual(
            self.Triage._suggest(self.company, "bao gia quan trac")["category_id"],
            self.cat["quotation"].id,
        )
        self.assertEqual(
            self.Triage._suggest(self.company, "xuat hoa don do")["category_id"],
            self.cat["acceptance"].id,
        )

    def test_chat_typos_and_english_terms(self):
        cases = {
            # chat shorthand: ko, e, nc, ptich
            "e can ptich mau nc thai COD TSS ko a": "lab_analysis",
            # typos: "tihc", "giaa"
            "phan tihc mau nuoc thai": "lab_analysis",
            "cho e xin bao giaa do on": "quotation",
            "please send the invoice and payment details": "acceptance",
            "QCVN 40 cot B, ket qua COD co dat khong": "lab_analysis",
        }
        for text, key in cases.items():
            suggestion = self.Triage._suggest(self.company, text)
            self.assertEqual(
                suggestion["category_id"], self.cat[key].id, f"{text}: {suggestion}"
            )

    def test_quoted_reply_and_signature_are_not_read(self):
        text = ticket_text("Re: Hóa đơn hợp đồng 18/2025", QUOTATION_REPLY)
        self.assertIn("báo giá quan trắc", text)
        self.assertNotIn("Nguyễn Thị Hoa", text)
        self.assertNotIn("biên bản nghiệm thu", text)
        self.assertNotIn("Re:", text)
        html = (
            "<p>Xin báo giá đo tiếng ồn.</p><blockquote><p>hóa đơn thanh toán"
            "</p></blockquote>"
        )
        self.assertNotIn("thanh toán", ticket_text("", html))

    def test_mail_is_routed_automatically_above_the_threshold(self):
        ticket = self._mail(QUOTATION_REPLY, subject="Re: Hóa đơn hợp đồng 18/2025")
        quotation = self.cat["quotation"]
        self.assertEqual(ticket.sgc_suggested_category_id, quotation)
        self.assertGreaterEqual(
            ticket.sgc_suggestion_confidence, self.company.sgc_triage_threshold
        )
        self.assertIn("giá quan trắc", ticket.sgc_suggestion_words)
        # Routed as if the type had been chosen: its department and assignee.
        self.assertEqual(ticket.category_id, quotation)
        self.assertEqual(ticket.team_id, quotation.team_id)
        self.assertTrue(ticket.routed_date)
        self.assertTrue(ticket.sgc_auto_routed)
        self.assertFalse(ticket.sgc_category_confirmed)
        notes = ticket.message_ids.filtered(
            lambda m: "Routed automatically" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(quotation.name, notes.body)
        # The acknowledgement names the type.
        ack = self._acks_to("hoa@khach-hang.vn")
        self.assertEqual(len(ack), 1)
        self.assertIn(
            f"Loại yêu cầu: <strong>{quotation.name}</strong>", ack[0]["body"]
        )

    def test_below_the_threshold_the_monitor_accepts_with_one_click(self):
        body = "Nhờ SGC đo tiếng ồn tại xưởng vào ban đêm."
        confidence = self.Triage._suggest(
            self.company, ticket_text("Đo tiếng ồn", body)
        )["confidence"]
        self.company.sgc_triage_threshold = confidence + 0.01
        ticket = self._mail(body, subject="Đo tiếng ồn")
        field = self.cat["field_sampling"]
        self.assertEqual(ticket.sgc_suggested_category_id, field)
        self.assertFalse(ticket.category_id)
        self.assertEqual(ticket.team_id, self.team_intake)
        self.assertFalse(ticket.sgc_auto_routed)
        self.assertEqual(ticket.sgc_suggestion_result, "pending")
        # At the threshold itself, the same request is routed.
        self.company.sgc_triage_threshold = confidence
        routed = self._mail(body, subject="Đo tiếng ồn", sender="b@khach-hang.vn")
        self.assertEqual(routed.category_id, field)

        ticket.with_user(self.monitor).action_sgc_accept_suggestion()
        self.assertEqual(ticket.category_id, field)
        self.assertEqual(ticket.team_id, field.team_id)
        self.assertTrue(ticket.sgc_category_confirmed)
        self.assertEqual(ticket.sgc_suggestion_result, "correct")
        self.assertEqual(ticket.sgc_triage_learned_category_id, field)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "accepted by" in (m.body or ""))
        )

    def test_learns_from_a_persons_correction(self):
        Token = self.env["helpdesk.ticket.triage.token"]
        body = "Nhờ bên mình kiểm tra giúp hệ thống bình chữa cháy ở kho số 1."
        first = self._mail(body, subject="Bình chữa cháy")
        # No keyword of any type: the fallback type, and not confident.
        self.assertEqual(first.sgc_suggested_category_id, self.cat["other"])
        self.assertFalse(first.category_id)
        field = self.cat["field_sampling"]
        first.with_user(self.monitor).write({"category_id": field.id})
        self.assertTrue(first.sgc_category_confirmed)
        self.assertEqual(first.sgc_suggestion_result, "wrong")
        learnt = Token.search(
            [("category_id", "=", field.id), ("token", "=", "chua chay")]
        )
        self.assertEqual(learnt.doc_count, 1)
        # Once more: the desk corrects the same kind of request.
        again = self._mail(
            "Kiểm tra bình chữa cháy và hệ thống báo cháy ở xưởng B.",
            subject="Kiểm tra bình chữa cháy",
            sender="xuong-b@khach-hang.vn",
        )
        again.with_user(self.monitor).write({"category_id": field.id})
        self.assertEqual(learnt.doc_count, 2)

        second = self._mail(
            "Kiem tra binh chua chay kho so 2 giup em",
            subject="binh chua chay",
            sender="khac@khach-hang.vn",
        )
        self.assertEqual(second.sgc_suggested_category_id, field)
        self.assertIn(first, second.sgc_similar_ticket_ids)
        self.assertIn("chua chay", second.sgc_suggestion_words)

        # A second correction moves the counts; the nightly rebuild (set-based
        # SQL) counts exactly what was learnt ticket by ticket.
        first.with_user(self.monitor).write({"category_id": self.cat["other"].id})
        learnt.invalidate_recordset()
        self.assertEqual(learnt.doc_count, 1)

        def snapshot():
            Token.invalidate_model()
            return {
                (t.category_id.id, t.token): t.doc_count
                for t in Token.search([("company_id", "=", self.company.id)])
                if t.doc_count
            }

        incremental = snapshot()
        self.assertEqual(incremental[(self.cat["other"].id, "chua chay")], 1)
        self.Triage._rebuild(self.company)
        self.assertEqual(snapshot(), incremental)

    def test_cancelling_does_not_confirm_the_type(self):
        ticket = self._mail("Xin báo giá phân tích 3 mẫu nước thải", subject="Báo giá")
        self.assertTrue(ticket.sgc_auto_routed)
        self.assertFalse(ticket.sgc_category_confirmed)
        cancelled = self.env["helpdesk.ticket.stage"].search(
            [("state", "=", "cancelled")], limit=1
        )
        ticket.with_user(self.monitor).write(
            {"stage_id": cancelled.id, "cancel_reason": "Khách huỷ"}
        )
        self.assertFalse(ticket.sgc_category_confirmed)
        self.assertFalse(ticket.sgc_triage_learned_category_id)

    def test_suggestion_speed_does_not_depend_on_history(self):
        """One suggestion is a fixed number of queries, whatever the history."""
        body = "bao gia quan trac khi thai ong khoi cho nha may, gui gap"
        self.Triage._suggest(self.company, body)
        with self.assertQueryCount(__system__=4):
            self.Triage._suggest(self.company, body + " phan tihc")

    def test_duplicate_mail_is_flagged_and_acknowledged_with_its_code(self):
        first = self._mail(
            "Đề nghị lấy mẫu khí thải lò hơi số 2 vào tuần sau tại nhà máy Tân Uyên.",
            subject="Lấy mẫu khí thải lò hơi",
        )
        self.assertFalse(first.sgc_possible_duplicate_id)
        self._mails = []
        second = self._mail(
            "Nhắc lại: cần lấy mẫu khí thải lò hơi số 2 tuần sau, xin báo lịch.",
            subject="Lịch lấy mẫu khí thải",
        )
        self.assertEqual(second.sgc_possible_duplicate_id, first)
        self.assertTrue(
            second.message_ids.filtered(
                lambda m: "Possible duplicate of" in (m.body or "")
            )
        )
        ack = self._acks_to("hoa@khach-hang.vn")
        self.assertEqual(len(ack), 1)
        self.assertIn(
            f"có thể trùng với yêu cầu <strong>{first.number}</strong>", ack[0]["body"]
        )
        # Another request of the same customer is not a duplicate.
        third = self._mail("Xin xuất hóa đơn VAT tháng 5.", subject="Hóa đơn")
        self.assertFalse(third.sgc_possible_duplicate_id)
        # The monitor decides: a duplicate is helpdesk_mgmt's duplicate_id.
        second.with_user(self.monitor).action_sgc_confirm_duplicate()
        self.assertEqual(second.duplicate_id, first)
        third_dup = self._mail(
            "Lấy mẫu khí thải lò hơi số 2 tuần sau nhé.", subject="Khí thải lò hơi"
        )
        third_dup.with_user(self.monitor).action_sgc_dismiss_duplicate()
        self.assertFalse(third_dup.sgc_possible_duplicate_id)

    def test_accuracy_for_the_manager(self):
        ticket = self._mail("Xin báo giá đo khí thải 2 ống khói.", subject="Báo giá")
        other = self._mail(
            "Cần tư vấn hồ sơ môi trường.", subject="Tư vấn", sender="x@khach-hang.vn"
        )
        # Routed by the triage: not counted until a person confirms it.
        self.assertEqual(ticket.sgc_suggestion_result, "pending")
        ticket.with_user(self.monitor).write({"category_id": self.cat["quotation"].id})
        other.with_user(self.monitor).write({"category_id": self.cat["other"].id})
        self.assertEqual(ticket.sgc_suggestion_result, "correct")
        self.assertEqual(other.sgc_suggestion_result, "wrong")
        self.company.invalidate_recordset(["sgc_triage_accuracy"])
        self.assertEqual(self.company.sgc_triage_accuracy_count, 2)
        self.assertEqual(self.company.sgc_triage_accuracy, 0.5)

    def test_text_tools(self):
        self.assertEqual(triage_text.fold("Đồng Nai ĐTM"), "dong nai dtm")
        self.assertEqual(triage_text.words("ko đc ạ"), ["khong", "duoc", "a"])
        self.assertTrue(triage_text.one_edit("tich", "tihc"))
        self.assertFalse(triage_text.one_edit("tihc", "thuc"))


@tagged("post_install", "-at_install")
class TestTriageZalo(ZaloCaseMixin, TriageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls._setup_zalo()

    def _receive(self, text):
        # sudo: the webhook's job stores the signed event as system
        self.env["zalo.message"].sudo()._process_webhook_event(
            self.account, zalo_event(text=text)
        )
        self.run_jobs()
        return self._tickets()[-1:]

    def test_zalo_chat_is_suggested_and_routed(self):
        ticket = self._receive("bao gia quan trac dinh ky cho nha may e voi a, 2 diem")
        quotation = self.cat["quotation"]
        self.assertEqual(ticket.sgc_suggested_category_id, quotation)
        self.assertEqual(ticket.category_id, quotation)
        self.assertEqual(ticket.team_id, quotation.team_id)
        self.assertTrue(ticket.sgc_auto_routed)

    def test_zalo_duplicate_of_a_mail_ticket_by_phone(self):
        """The same customer, by mail then on Zalo: the Zalo contact shares the
        mail contact's phone (written differently)."""
        self.env["res.partner"].create(
            {"name": "Chị Hoa", "email": "hoa@khach-hang.vn", "phone": "0908 123 456"}
        )
        self.env["res.partner"].create(
            {"name": "Hoa Zalo", "zalo_user_id": CUSTOMER_ID, "phone": "+84908123456"}
        )
        mail_ticket = self._mail(
            "Chúng tôi cần tư vấn thủ tục giấy phép môi trường cho nhà máy mở rộng.",
            subject="Tư vấn giấy phép môi trường",
        )
        ticket = self._receive(
            "a ơi e gửi mail nhờ tư vấn giấy phép môi trường cho nhà máy mở rộng"
        )
        self.assertNotEqual(ticket, mail_ticket)
        self.assertEqual(ticket.sgc_possible_duplicate_id, mail_ticket)
        sent = self.fake.sent_messages
        self.assertEqual(len(sent), 1)
        self.assertIn(mail_ticket.number, sent[0]["message"]["text"])
