# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

VI_PO = Path(__file__).resolve().parent.parent / "i18n" / "vi.po"


@tagged("post_install", "-at_install")
class TestVietnamese(TransactionCase):
    """Staff and customers read Vietnamese: every term of the addon is translated."""

    def test_every_term_is_translated(self):
        translated = {
            entry.msgid for entry in polib.pofile(str(VI_PO)) if entry.msgstr.strip()
        }
        reader = TranslationModuleReader(
            self.env.cr, modules=["sgc_helpdesk_ticket"], lang="vi_VN"
        )
        missing = sorted(
            {
                source
                for module, _t, _n, _r, source, _v, _c in reader
                if module == "sgc_helpdesk_ticket"
                and source
                and source not in translated
            }
        )
        self.assertFalse(missing, f"{len(missing)} terms lack a Vietnamese translation")

    def test_vietnamese_is_active_and_loaded(self):
        self.assertTrue(self.env["res.lang"]._lang_get("vi_VN").active)
        vi = self.env(context={"lang": "vi_VN"})
        stages = {
            stage.state: stage.name for stage in vi["helpdesk.ticket.stage"].search([])
        }
        self.assertEqual(stages["new"], "Mới")
        self.assertEqual(stages["in_progress"], "Đang thực hiện")
        self.assertEqual(stages["paused"], "Tạm dừng")
        self.assertEqual(stages["done"], "Đã xử lý (đóng)")
        self.assertEqual(stages["cancelled"], "Huỷ")
        field = vi["ir.model.fields"]._get("helpdesk.ticket", "on_behalf")
        self.assertEqual(
            field.with_context(lang="vi_VN").field_description[:6], "Tạo hộ"
        )

    def test_intake_terms_load_in_vietnamese(self):
        """The intake's code and field terms reach the database, not only the file."""
        vi = self.env(context={"lang": "vi_VN"})
        self.assertEqual(vi._("New ticket %s", "SGC1"), "Ticket mới SGC1")
        field = vi["ir.model.fields"]._get("helpdesk.ticket", "sgc_possible_partner_id")
        self.assertEqual(
            field.with_context(lang="vi_VN").field_description,
            "Có thể là khách hàng đã có",
        )
