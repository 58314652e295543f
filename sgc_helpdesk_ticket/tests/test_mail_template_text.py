# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mail templates written as text, with placeholders (Edit as Text)."""

import importlib.util
import re
from pathlib import Path

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import email_normalize
from odoo.tools.safe_eval import safe_eval

from odoo.addons.mail.tests.common import MockEmail

from .common import SgcHelpdeskCase

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.2.0"
    / "post-migrate.py"
)
CONVERTED = (
    "mail_template_ticket_ack_web",
    "mail_template_ticket_ack_email",
    "mail_template_ticket_ack_zalo",
    "mail_template_announcement_customer",
    "mail_template_announcement_staff",
    "mail_template_zalo_broadcast",
    "mail_template_ticket_closed",
    "mail_template_ticket_cancelled",
)


@tagged("post_install", "-at_install")
class TestMailTemplateText(MockEmail, SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("sgc_helpdesk_ticket.mail_template_ticket_ack_web")
        cls.company = cls.env.company
        cls.company.write(
            {
                "helpdesk_ticket_prefix": "SGC",
                "helpdesk_hotline": False,
                "helpdesk_support_email": "hotro@hsevn.com.vn",
            }
        )
        cls.customer.lang = "vi_VN"
        cls.ticket = cls._ticket()
        cls.admin = new_test_user(
            cls.env, login="sgc_text_admin", groups="base.group_system"
        )

    def _render(self, template, ticket, field="body_html"):
        return template._render_field(field, ticket.ids, compute_lang=True)[ticket.id]

    def _write_text(self, body, subject=None, user=None):
        vals = {"sgc_body_text": body}
        if subject is not None:
            vals["sgc_subject_text"] = subject
        # In the customer's language (vi_VN): each language has its own text.
        template = self.template.with_user(user or self.manager)
        template.with_context(lang="vi_VN").write(vals)

    def test_shipped_templates_are_text_with_shipped_placeholders(self):
        for name in CONVERTED:
            template = self.env.ref(f"sgc_helpdesk_ticket.{name}")
            self.assertTrue(template.sgc_text_mode, name)
            self.assertNotIn("t-out", template.sgc_body_text, name)
            # Each language's mail is made from that language's text.
            placeholders = template._sgc_placeholders()
            body_field = template._fields["body_html"]
            for lang in ("en_US", "vi_VN"):
                localized = template.with_context(lang=lang)
                self.assertTrue(localized.sgc_body_text, name)
                compiled = template._sgc_compile_body(
                    localized.sgc_body_text, placeholders
                )
                self.assertEqual(
                    localized.body_html,
                    body_field.convert_to_cache(compiled, template),
                    f"{name} {lang}",
                )
        for name in (
            "mail_template_customer_report",
            "mail_template_quotation_handoff",
        ):
            self.assertFalse(self.env.ref(f"sgc_helpdesk_ticket.{name}").sgc_text_mode)
        # The editor's list: the ticket's placeholders, labelled in Vietnamese.
        listed = self.template.with_user(self.manager).with_context(lang="vi_VN")
        labels = dict(
            (p.key, p.label)
            for p in listed.sgc_placeholder_ids.with_context(lang="vi_VN")
        )
        self.assertEqual(labels["ma_yeu_cau"], "Mã yêu cầu")
        self.assertIn("hotline", labels)
        self.assertNotIn("ten_lien_he", labels)  # a res.partner placeholder

    def test_text_compiles_to_paragraphs_bold_lists_and_values(self):
        self._write_text(
            "Kính gửi quý khách {ten_khach_hang},\n\n"
            "Mã yêu cầu: **{ma_yeu_cau}**\nEmail: {email_ho_tro}\n\n"
            "- Một\n- Hai {tieu_de}",
            subject="[{ma_yeu_cau}] Đã nhận",
        )
        body = self._render(self.template, self.ticket)
        self.assertIn(f"<p>Kính gửi quý khách {self.customer.name},</p>", body)
        self.assertIn(
            f"<p>Mã yêu cầu: <strong>{self.ticket.number}</strong>"
            "<br/>Email: hotro@hsevn.com.vn</p>",
            body,
        )
        self.assertIn(f"<ul><li>Một</li><li>Hai {self.ticket.name}</li></ul>", body)
        self.assertEqual(
            self._render(self.template, self.ticket, "subject"),
            f"[{self.ticket.number}] Đã nhận",
        )

    def test_line_with_only_empty_placeholders_is_left_out(self):
        self._write_text(
            "Trân trọng,\n{ten_cong_ty}\nHotline: {hotline}\n\n"
            "Có thể trùng với **{ma_trung_lap}**.\n\nHết."
        )
        body = self._render(self.template, self.ticket)
        self.assertNotIn("Hotline", body)
        self.assertNotIn("Có thể trùng", body)
        self.assertIn(f"<p>Trân trọng,<br/>{self.company.name}</p>", body)
        self.company.helpdesk_hotline = "1900 1713"
        self.ticket.sgc_possible_duplicate_id = self._ticket()
        body = self._render(self.template, self.ticket)
        self.assertIn("<br/>Hotline: 1900 1713</p>", body)
        number = self.ticket.sgc_possible_duplicate_id.number
        self.assertIn(f"Có thể trùng với <strong>{number}</strong>.", body)

    def test_user_text_is_escaped_never_evaluated(self):
        self._write_text(
            "<script>alert(1)</script> <b>x</b>\n"
            '<t t-out="object.partner_id.email"/> {{ 1+1 }} ${object.id} '
            "{% if True %}y{% endif %} {ma yeu cau} {{ma_yeu_cau}}",
            subject="${object.id} <b>{ma_yeu_cau}</b> {% x %}",
        )
        body = self._render(self.template, self.ticket)
        self.assertNotIn("<script", body)
        self.assertNotIn("<b>", body)
        self.assertIn(
            "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;", body
        )
        self.assertIn("&lt;t t-out=&#34;object.partner_id.email&#34;/&gt;", body)
        self.assertNotIn(self.customer.email, body)
        self.assertIn("{{ 1+1 }} ${object.id} {% if True %}y{% endif %}", body)
        self.assertIn(f"{{ma yeu cau}} {{{self.ticket.number}}}", body)
        self.assertEqual(
            self._render(self.template, self.ticket, "subject"),
            f"${{object.id}} <b>{self.ticket.number}</b> {{% x %}}",
        )
        # A subject is an inline template: double braces are refused.
        with self.assertRaisesRegex(ValidationError, r"ngoặc nhọn kép \({{ hoặc }}\)"):
            self._write_text("Chào", subject="Kết quả {{ 1+1 }}")

    def test_unknown_placeholder_is_refused_with_the_available_ones(self):
        with self.assertRaises(ValidationError) as error:
            self._write_text("Mã: {ma_khong_co}")
        message = str(error.exception)
        self.assertIn("{ma_khong_co}", message)
        self.assertIn("{ma_yeu_cau}", message)
        self.assertIn("{hotline}", message)
        # Said in the editor's language, the model by its Vietnamese name too.
        vietnamese = (
            self.env["ir.model"]._get("helpdesk.ticket").with_context(lang="vi_VN")
        )
        self.assertNotEqual(vietnamese.name, "Helpdesk Ticket")
        self.assertIn(vietnamese.name, message)
        self.assertIn("không có cho", message)
        with self.assertRaisesRegex(ValidationError, r"\{khong_co\}"):
            self._write_text("Chào", subject="[{khong_co}]")

    def test_each_language_compiles_its_own_text(self):
        english = self.env["res.partner"].create(
            {"name": "Green Factory", "email": "g@example.com", "lang": "en_US"}
        )
        en_ticket = self._ticket(partner_id=english.id)
        self.template.with_user(self.manager).with_context(lang="vi_VN").write(
            {
                "sgc_subject_text": "[{ma_yeu_cau}] Đã tiếp nhận",
                "sgc_body_text": "Kính gửi quý khách {ten_khach_hang},",
            }
        )
        # The translation dialog writes without write(): it compiles as well.
        self.template.with_user(self.manager).update_field_translations(
            "sgc_body_text", {"en_US": "Dear {ten_khach_hang},"}
        )
        self.template.with_user(self.manager).update_field_translations(
            "sgc_subject_text", {"en_US": "[{ma_yeu_cau}] Received"}
        )
        vi_body = self._render(self.template, self.ticket)
        en_body = self._render(self.template, en_ticket)
        self.assertIn(f"Kính gửi quý khách {self.customer.name},", vi_body)
        self.assertNotIn("Dear", vi_body)
        self.assertIn("Dear Green Factory,", en_body)
        self.assertNotIn("Kính gửi", en_body)
        self.assertEqual(
            self._render(self.template, en_ticket, "subject"),
            f"[{en_ticket.number}] Received",
        )
        self.assertEqual(
            self._render(self.template, self.ticket, "subject"),
            f"[{self.ticket.number}] Đã tiếp nhận",
        )

    def test_an_edit_reaches_the_languages_not_translated_apart(self):
        english = self.env["res.partner"].create(
            {"name": "Blue Factory", "email": "b@example.com", "lang": "en_US"}
        )
        en_ticket = self._ticket(partner_id=english.id)
        as_manager = self.template.with_user(self.manager).with_context(lang="vi_VN")
        as_manager.write({"sgc_body_text": "Xin chào {ten_khach_hang}, lần một."})
        # The English text read as the Vietnamese one: it follows the edit.
        self.assertIn(
            "Xin chào Blue Factory, lần một.", self._render(as_manager, en_ticket)
        )
        as_manager.update_field_translations(
            "sgc_body_text", {"en_US": "Hello {ten_khach_hang}."}
        )
        as_manager.write({"sgc_body_text": "Xin chào {ten_khach_hang}, lần hai."})
        # Translated apart, it keeps its own; the Vietnamese mail has the edit.
        en_body = self._render(as_manager, en_ticket)
        self.assertIn("Hello Blue Factory.", en_body)
        self.assertNotIn("lần", en_body)
        self.assertIn("lần hai.", self._render(as_manager, self.ticket))

    def test_rights(self):
        # A department user cannot change a shipped template.
        with self.assertRaises(AccessError):
            self._write_text("Chào {ten_khach_hang}", user=self.user_ptn)
        # The manager edits it, reads placeholders, but does not define them.
        self._write_text("Chào {ten_khach_hang}, {ma_yeu_cau}")
        self.assertIn("Chào", self._render(self.template, self.ticket))
        placeholder = self.env.ref(
            "sgc_helpdesk_ticket.template_placeholder_ticket_ma_yeu_cau"
        )
        self.assertEqual(placeholder.with_user(self.manager).key, "ma_yeu_cau")
        with self.assertRaises(AccessError):
            placeholder.with_user(self.manager).expression = "object.partner_id.email"
        with self.assertRaises(AccessError):
            placeholder.with_user(self.manager).copy({"key": "ma_moi"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.template.placeholder"].with_user(self.user_ptn).search(
                []
            )
        # An administrator does; the templates use the new expression at once,
        # and the expression is checked.
        placeholder.with_user(self.admin).expression = "'Số ' + object.number"
        self.assertIn(
            f"Số {self.ticket.number}", self._render(self.template, self.ticket)
        )
        with self.assertRaisesRegex(ValidationError, r"\{ma_yeu_cau\}"):
            placeholder.with_user(self.admin).active = False  # still in use
        with self.assertRaisesRegex(ValidationError, "not a valid expression"):
            placeholder.with_user(self.admin).expression = "object.number +"
        with self.assertRaisesRegex(ValidationError, "may not contain"):
            placeholder.with_user(self.admin).expression = "'}}'"

    def test_the_manager_finds_the_desks_templates_in_helpdesk_configuration(self):
        menu = self.env.ref("sgc_helpdesk_ticket.mail_template_menu_helpdesk")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.user_ptn)._visible_menu_ids())
        action = menu.action
        found = (
            self.env["mail.template"]
            .with_user(self.manager)
            .search(safe_eval(action.domain))
        )
        for xmlid in (
            "mail_template_ticket_ack_web",
            "mail_template_ticket_closed",
            "mail_template_announcement_customer",
            "mail_template_zalo_broadcast",
            "mail_template_customer_report",
            "mail_template_quotation_handoff",
        ):
            self.assertIn(self.env.ref(f"sgc_helpdesk_ticket.{xmlid}"), found)
        # Not every partner or company mail of Odoo: only the desk's.
        self.assertEqual(
            set(found.mapped("model"))
            - {"helpdesk.ticket", "helpdesk.customer.report"},
            {"res.partner", "res.company"},
        )
        self.assertFalse(
            found.filtered(
                lambda t: (
                    t.model in ("res.partner", "res.company") and not t.sgc_text_mode
                )
            )
        )

    def test_editing_the_html_ends_text_mode(self):
        manager = self.template.with_user(self.manager).with_context(lang="vi_VN")
        manager.body_html = "<p>Xin chào</p>"
        self.assertFalse(self.template.sgc_text_mode)
        self.assertEqual(self._render(self.template, self.ticket), "<p>Xin chào</p>")
        with self.assertRaisesRegex(ValidationError, "write its message"):
            self.template.with_user(self.manager).write(
                {"sgc_text_mode": True, "sgc_body_text": " "}
            )

    def test_shipped_text_template_sends_the_acknowledgement(self):
        """The web form's shipped acknowledgement, in text mode, as sent."""
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        self.assertEqual(channel.ack_template_id, self.template)
        ticket = self._ticket(channel_id=channel.id)
        with self.mock_mail_gateway():
            self.env["helpdesk.ticket.channel"]._sgc_deliver_acknowledgement(ticket)
        [ack] = [
            mail
            for mail in self._mails
            if self.customer.email in map(email_normalize, mail["email_to"])
        ]
        self.assertEqual(
            ack["subject"],
            "[SGC]: Xác nhận tiếp nhận yêu cầu của Quý Khách từ kênh Web Support!",
        )
        body = ack["body"]
        self.assertIn(f"Kính gửi quý khách <strong>{self.customer.name}</strong>", body)
        self.assertIn(f"Mã yêu cầu: <strong>{ticket.number}</strong>", body)
        category = self.cat_lab.with_context(lang="vi_VN").complete_name
        self.assertIn(f"Loại yêu cầu: <strong>{category}</strong>", body)
        self.assertIn("Cần phân tích 5 mẫu nước thải.", body)
        self.assertIn("Email: hotro@hsevn.com.vn", body)
        # No hotline and no possible duplicate: their lines are left out (the
        # layout's footer shows the company's phone, not the template).
        [signature] = re.findall(r"<p>Trân trọng,.*?</p>", body)
        self.assertIn("Email: hotro@hsevn.com.vn", signature)
        self.assertNotIn("Hotline", signature)
        self.assertNotIn("có thể trùng", body)

    def test_migration_keeps_an_edited_template(self):
        spec = importlib.util.spec_from_file_location("sgc_post_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.template.write({"sgc_text_mode": False})
        self.template.body_html = "<p>Mẫu riêng của SGC</p>"
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.assertFalse(self.template.sgc_text_mode)
        self.assertEqual(self.template.body_html, "<p>Mẫu riêng của SGC</p>")
