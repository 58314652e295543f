# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a visitor and a portal customer read around the desk, through real HTTP
requests: the website's copyright bar (the company, not Odoo), the form's file
input and the portal's ticket pages, in Vietnamese."""

import re

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SgcHelpdeskCase

FORM_URL = "/yeu-cau-ho-tro-dich-vu"


@tagged("post_install", "-at_install")
class TestPublicPages(HttpCase, SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env["website"].get_current_website()
        vi = cls.env["res.lang"]._activate_lang("vi_VN")
        cls.website.language_ids |= vi
        cls.company = cls.website.company_id
        cls.company.write(
            {
                "street": "Tầng 6, 25 Nguyễn Văn Trỗi",
                "street2": "Phường 12, Quận Phú Nhuận",
                "city": "Thành phố Hồ Chí Minh",
                "phone": "028 3999 0000",
                "email": "info@hsevn.com.vn",
                "helpdesk_hotline": "1900 1713",
                "helpdesk_support_email": "hotro@hsevn.com.vn",
            }
        )
        # The footer is cached per website (t-cache): drop what earlier tests,
        # or the install, left for it.
        cls.env.registry.clear_cache("templates")
        cls.portal_user = new_test_user(
            cls.env,
            login="sgc_portal_pages",
            password="sgc_portal_pages",
            groups="base.group_portal",
            name="Trần Thị Thuỷ",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.ticket = cls._ticket(partner_id=cls.portal_user.partner_id.id)

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text, html.fromstring(response.content)

    def _lang(self, page):
        """The page's language (a /vi/ page leaves it in the visitor's cookie)."""
        return page.get("lang").replace("-", "_")

    def test_copyright_bar_is_the_companys_not_odoos(self):
        for url in (FORM_URL, "/vi" + FORM_URL, "/web/login"):
            text, page = self._page(url)
            self.assertNotIn("Powered by", text, url)
            self.assertNotIn("utm_source=db", text, url)
            self.assertFalse(page.xpath("//*[hasclass('o_brand_promotion')]"), url)
            [bar] = page.xpath("//div[hasclass('o_footer_copyright')]")
            bar_text = " ".join(bar.text_content().split())
            self.assertIn(self.company.name, bar_text)
            self.assertNotIn("Company name", bar_text)
            company = self.company.with_context(lang=self._lang(page))
            self.assertIn(company._sgc_address_line(), bar_text)
            self.assertTrue(bar.xpath(".//a[@href='tel:1900 1713']"), url)
            self.assertTrue(bar.xpath(".//a[@href='mailto:hotro@hsevn.com.vn']"), url)

    def test_file_input_speaks_vietnamese_and_stays_a_file_input(self):
        words = {
            "vi_VN": ("Chọn tệp", "Chưa chọn tệp"),
            "en_US": ("Choose files", "No file chosen"),
        }
        seen = set()
        for url in (FORM_URL, "/vi" + FORM_URL):
            _text, page = self._page(url)
            seen.add(self._lang(page))
            choose, empty = words[self._lang(page)]
            [form] = page.xpath("//form[hasclass('o_sgc_ticket_form')]")
            self.assertEqual(form.get("enctype"), "multipart/form-data")
            # The real input, submitted with the form whatever the script.
            [native] = form.xpath(".//input[@type='file']")
            self.assertEqual(native.get("name"), "attachments")
            self.assertIn("multiple", native.attrib)
            input_id = native.get("id")
            # Its labels: the field's, and the button in the page's language.
            labels = [
                " ".join(label.text_content().split())
                for label in form.xpath(f".//label[@for='{input_id}']")
            ]
            self.assertIn(choose, labels, url)
            # What is chosen, said in words, and read to a screen reader.
            [status] = form.xpath(f".//*[@id='{input_id}_status']")
            self.assertEqual(status.text_content().strip(), empty)
            self.assertEqual(status.get("aria-live"), "polite")
            self.assertIn(f"{input_id}_status", native.get("aria-describedby"))
            self.assertIn(f"{input_id}_help", native.get("aria-describedby"))
        self.assertIn("vi_VN", seen)

    def test_portal_ticket_pages_show_the_code_in_vietnamese(self):
        self.authenticate("sgc_portal_pages", "sgc_portal_pages")
        text, page = self._page(f"/vi/my/ticket/{self.ticket.id}")
        [title] = page.xpath("//div[@id='card_header']//h3")
        title_text = " ".join(title.text_content().split())
        self.assertIn(f"({self.ticket.number})", title_text)
        self.assertNotRegex(text, r"\(#\s*\d+\s*\)")
        # No Odoo promotion in the sidebar ("Cung cấp bởi Odoo").
        for brand in ("Powered by", "Cung cấp bởi", "www.odoo.com"):
            self.assertNotIn(brand, text)
        for vietnamese in ("Ngày tạo:", "Lịch sử trao đổi", "Mới"):
            self.assertIn(vietnamese, text)
        for english in ("Create Date", "Last Stage Update", "Communication history"):
            self.assertNotIn(english, text)
        text, page = self._page("/vi/my/tickets")
        headers = [
            " ".join(th.text_content().split()) for th in page.xpath("//thead//th")
        ]
        self.assertIn("Khách hàng yêu cầu", headers)
        for english in ("Create Date", "Last Stage Update", "Close Date", "Number"):
            self.assertNotIn(english, headers)
        self.assertTrue(
            page.xpath(f"//a[contains(@href, '/my/ticket/{self.ticket.id}')]")
        )
        self.assertTrue(re.search(re.escape(self.ticket.number), text))
