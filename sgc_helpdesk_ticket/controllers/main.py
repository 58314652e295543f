# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public request form SGC announced: /yeu-cau-ho-tro-dich-vu (SOP IV, way 1)."""

import logging
import re

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

from ..models.helpdesk_ticket_intake import IntakeRequest

_logger = logging.getLogger(__name__)

FORM_URL = "/yeu-cau-ho-tro-dich-vu"
DONE_URL = f"{FORM_URL}/da-tiep-nhan"
# The ticket just created, for the confirmation page (0: a discarded bot request).
SESSION_KEY = "sgc_helpdesk_ticket_submitted"
# Hidden from people; robots fill every field they find.
HONEYPOT_FIELD = "homepage"
FORM_FIELDS = (
    "contact_name",
    "company_name",
    "email",
    "phone",
    "category_id",
    "subject",
    "description",
)
MAX_LENGTHS = {
    "contact_name": 128,
    "company_name": 128,
    "email": 254,
    "phone": 32,
    "subject": 200,
    "description": 10000,
}
PHONE_PATTERN = re.compile(r"\+?[0-9 .()-]+")
# Control characters no person types (tab, line feed, carriage return aside).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _form_max_content_length(controller):
    """The largest request the form accepts: every allowed file at its largest,
    plus the text. A larger one is refused with 413 before it is read."""
    limits = request.env["helpdesk.ticket.intake"]._limits()
    files = max(limits["form_max_attachments"], 0)
    return (files * max(limits["form_max_attachment_mb"], 0) + 1) * 1024 * 1024


class SgcTicketFormController(http.Controller):
    @http.route(
        FORM_URL,
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=True,
        max_content_length=_form_max_content_length,
    )
    def sgc_ticket_form(self, **post):
        """GET shows the form; POST checks it and creates the ticket."""
        if request.httprequest.method == "POST":
            return self._sgc_submit(post)
        return self._sgc_render_form(self._sgc_form_defaults(), {})

    @http.route(DONE_URL, type="http", auth="public", website=True, sitemap=False)
    def sgc_ticket_form_done(self, **kw):
        ticket_id = request.session.get(SESSION_KEY)
        if ticket_id is None:
            return request.redirect(FORM_URL)
        # Only the ticket this session just created, by the id the server kept
        # in the session; the page shows its code and title, nothing else.
        ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
        return request.render(
            "sgc_helpdesk_ticket.website_ticket_form_done",
            {
                "ticket": ticket,
                "is_logged_in": not request.env.user._is_public(),
            },
        )

    # ---------------------------------------------------
    # Form
    # ---------------------------------------------------

    def _sgc_form_defaults(self):
        """Empty for visitors; a logged-in customer's own contact details."""
        values = dict.fromkeys(FORM_FIELDS, "")
        user = request.env.user
        if not user._is_public():
            partner = user.partner_id
            values.update(
                contact_name=partner.name or "",
                company_name=partner.commercial_company_name or "",
                email=partner.email or "",
                phone=partner.phone or partner.mobile or "",
            )
        return values

    def _sgc_categories(self):
        company = request.website.company_id
        # The request types offered publicly (show_in_portal), names only.
        return (
            request.env["helpdesk.ticket.category"]
            .sudo()  # sudo: public request types
            .search(
                [
                    ("show_in_portal", "=", True),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )

    def _sgc_form_limits(self):
        return request.env["helpdesk.ticket.intake"]._limits()

    def _sgc_render_form(self, values, errors, status=200, files_dropped=False):
        limits = self._sgc_form_limits()
        return request.render(
            "sgc_helpdesk_ticket.website_ticket_form",
            {
                "values": values,
                "errors": errors,
                "categories": self._sgc_categories(),
                "limits": limits,
                "accept": ",".join(f".{ext}" for ext in limits["extensions"]),
                "honeypot_field": HONEYPOT_FIELD,
                "form_url": FORM_URL,
                "files_dropped": files_dropped,
                "company": request.website.company_id,
            },
            status=status,
        )

    # ---------------------------------------------------
    # Submission
    # ---------------------------------------------------

    def _sgc_submit(self, post):
        values = {
            name: post[name].strip() if isinstance(post.get(name), str) else ""
            for name in FORM_FIELDS
        }
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        if post.get(HONEYPOT_FIELD):
            _logger.info(
                "Support form: honeypot filled from %s, request discarded",
                request.httprequest.remote_addr,
            )
            request.session[SESSION_KEY] = 0
            return request.redirect(DONE_URL)
        limits = self._sgc_form_limits()
        categories = self._sgc_categories()
        errors = self._sgc_validate(values, categories)
        files = self._sgc_read_uploads(uploads, limits, errors)
        if not errors:
            rate_error = self._sgc_rate_limit_error(values["email"], limits)
            if rate_error:
                errors["form"] = rate_error
                return self._sgc_render_form(
                    values, errors, status=429, files_dropped=bool(uploads)
                )
        if errors:
            return self._sgc_render_form(
                values, errors, status=400, files_dropped=bool(uploads)
            )
        ticket = self._sgc_create_ticket(values, files)
        request.session[SESSION_KEY] = ticket.id
        return request.redirect(DONE_URL)

    def _sgc_validate(self, values, categories):
        _ = request.env._
        errors = {}
        for name, value in values.items():
            if CONTROL_CHARS.search(value):
                # Shown again without them, so that nothing else is lost.
                values[name] = CONTROL_CHARS.sub("", value)
                errors[name] = _(
                    "This field contains invisible control characters: they were "
                    "removed, please check the text and send again."
                )
        required = {
            "contact_name": _("Please enter your name."),
            "email": _("Please enter your email address."),
            "phone": _("Please enter your phone number."),
            "category_id": _("Please choose the type of request."),
            "subject": _("Please enter a title for your request."),
            "description": _("Please describe your request."),
        }
        for name, message in required.items():
            if not values[name] and name not in errors:
                errors[name] = message
        for name, limit in MAX_LENGTHS.items():
            if name not in errors and len(values[name]) > limit:
                errors[name] = _("Please use at most %s characters.", limit)
        email = values["email"]
        if email and "email" not in errors:
            if not request.env["helpdesk.ticket.intake"]._is_valid_email(email):
                errors["email"] = _(
                    "Please enter one valid email address, e.g. name@company.vn."
                )
        phone = values["phone"]
        if phone and "phone" not in errors:
            digits = re.sub(r"\D", "", phone)
            if not PHONE_PATTERN.fullmatch(phone) or not 8 <= len(digits) <= 15:
                errors["phone"] = _(
                    "Please enter a valid phone number (8 to 15 digits), "
                    "e.g. 0901 234 567."
                )
        category = values["category_id"]
        if category and "category_id" not in errors:
            if not category.isdigit() or int(category) not in categories.ids:
                errors["category_id"] = _(
                    "Please choose a type of request from the list."
                )
        return errors

    def _sgc_read_uploads(self, uploads, limits, errors):
        """Check the attached files; return [(name, bytes, mimetype)]."""
        _ = request.env._
        if not uploads:
            return []
        max_files = limits["form_max_attachments"]
        if len(uploads) > max_files:
            errors["attachments"] = _("Please attach at most %s files.", max_files)
            return []
        max_bytes = limits["form_max_attachment_mb"] * 1024 * 1024
        Intake = request.env["helpdesk.ticket.intake"]
        problems = []
        files = []
        for upload in uploads:
            checked = Intake._check_file(
                upload.filename, upload.read(max_bytes + 1), limits
            )
            if isinstance(checked, tuple):
                files.append(checked)
            else:
                problems.append(checked)
        if problems:
            errors["attachments"] = " ".join(problems)
        return files

    def _sgc_rate_limit_error(self, email, limits):
        """A message when this address or email sent too many requests lately.

        Counted atomically (one counter row per address and per email, in a
        transaction of its own), so concurrent requests cannot all slip under
        the limit. The address is the peer's, unless Odoo runs with proxy_mode
        behind a proxy that overwrites X-Forwarded-For.
        """
        ip = request.httprequest.remote_addr
        count = request.env["helpdesk.ticket.intake"]._rate_exceeded(
            "form", [f"ip:{ip}" if ip else "", f"email:{email_normalize(email)}"]
        )
        if not count:
            return False
        window = limits["form_rate_window_minutes"]
        hotline = request.website.company_id.helpdesk_hotline
        message = request.env._(
            "You have already sent %(count)s requests in the last %(minutes)s "
            "minutes. Please try again later.",
            count=count,
            minutes=window,
        )
        if hotline:
            message += " " + request.env._(
                "For an urgent request, call our hotline %s.", hotline
            )
        return message

    # ---------------------------------------------------
    # Ticket
    # ---------------------------------------------------

    def _sgc_intake_request(self, values, files):
        """The form's submission as the intake pipeline's request."""
        user = request.env.user
        return IntakeRequest(
            channel_code="web",
            company=request.website.company_id,
            subject=values["subject"],
            description=values["description"],
            contact_name=values["contact_name"],
            company_name=values["company_name"],
            email=values["email"],
            phone=values["phone"],
            partner=None if user._is_public() else user.partner_id,
            category_id=int(values["category_id"]),
            intake_ip=request.httprequest.remote_addr,
            files=[(name, data) for name, data, _mimetype in files],
            author_note=request.env._(
                "Sent through the website form by %(name)s (%(company)s), "
                "email %(email)s, phone %(phone)s.",
                name=values["contact_name"],
                company=values["company_name"] or "-",
                email=values["email"],
                phone=values["phone"],
            ),
        )

    def _sgc_create_ticket(self, values, files):
        req = self._sgc_intake_request(values, files)
        ticket, _created, _message = request.env["helpdesk.ticket.intake"]._intake(req)
        return ticket
