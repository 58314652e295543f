# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public request form SGC announced: /yeu-cau-ho-tro-dich-vu (SOP IV, way 1)."""

import base64
import logging
import re
from datetime import timedelta

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request
from odoo.tools import SQL, email_normalize, email_split, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

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
PARAM_PREFIX = "sgc_helpdesk_ticket."
DEFAULT_LIMITS = {
    "form_rate_limit": 5,
    "form_rate_window_minutes": 60,
    "form_max_attachments": 5,
    "form_max_attachment_mb": 10,
}
DEFAULT_EXTENSIONS = "pdf,jpg,jpeg,png,gif,webp,doc,docx,xls,xlsx,csv,txt"
PHONE_PATTERN = re.compile(r"\+?[0-9 .()-]+")
OLE_MIMETYPES = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/x-ole-storage",
    "application/CDFV2",
)
# What the content of a file with an accepted extension may be, as sniffed from
# the bytes (the browser's word and the file name are the sender's to choose).
EXTENSION_MIMETYPES = {
    "pdf": ("application/pdf",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "doc": OLE_MIMETYPES,
    "xls": OLE_MIMETYPES,
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "csv": ("text/plain", "text/csv"),
    "txt": ("text/plain",),
}
# Never accepted, whatever extension an administrator adds.
ACTIVE_MIMETYPES = {
    "text/html",
    "application/xml",
    "text/xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
    "application/x-dosexec",
    "application/x-executable",
}


class SgcTicketFormController(http.Controller):
    @http.route(
        FORM_URL,
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=True,
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
        return (
            request.env["helpdesk.ticket.category"]
            .sudo()
            .search(
                [
                    ("show_in_portal", "=", True),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )

    def _sgc_form_limits(self):
        params = request.env["ir.config_parameter"].sudo()
        limits = {}
        for key, default in DEFAULT_LIMITS.items():
            try:
                limits[key] = int(params.get_param(PARAM_PREFIX + key, default))
            except (TypeError, ValueError):
                limits[key] = default
        extensions = params.get_param(
            PARAM_PREFIX + "form_allowed_extensions", DEFAULT_EXTENSIONS
        )
        limits["extensions"] = [
            ext.strip().lstrip(".").lower()
            for ext in (extensions or "").split(",")
            if ext.strip()
        ]
        return limits

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
        required = {
            "contact_name": _("Please enter your name."),
            "email": _("Please enter your email address."),
            "phone": _("Please enter your phone number."),
            "category_id": _("Please choose the type of request."),
            "subject": _("Please enter a title for your request."),
            "description": _("Please describe your request."),
        }
        for name, message in required.items():
            if not values[name]:
                errors[name] = message
        for name, limit in MAX_LENGTHS.items():
            if name not in errors and len(values[name]) > limit:
                errors[name] = _("Please use at most %s characters.", limit)
        email = values["email"]
        if email and "email" not in errors:
            if len(email_split(email)) != 1 or not email_normalize(email):
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
        max_mb = limits["form_max_attachment_mb"]
        max_bytes = max_mb * 1024 * 1024
        allowed = limits["extensions"]
        problems = []
        files = []
        for upload in uploads:
            name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            data = upload.read(max_bytes + 1)
            if ext not in allowed:
                problems.append(
                    _(
                        "%(file)s: this type of file is not accepted "
                        "(accepted: %(types)s).",
                        file=name,
                        types=", ".join(allowed),
                    )
                )
            elif len(data) > max_bytes:
                problems.append(
                    _(
                        "%(file)s is larger than %(size)s MB.",
                        file=name,
                        size=max_mb,
                    )
                )
            elif not data:
                problems.append(_("%s is empty.", name))
            else:
                mimetype = guess_mimetype(data, default="application/octet-stream")
                expected = EXTENSION_MIMETYPES.get(ext)
                if mimetype in ACTIVE_MIMETYPES or (
                    expected and mimetype not in expected
                ):
                    problems.append(
                        _(
                            "%(file)s: its content is not a .%(ext)s file.",
                            file=name,
                            ext=ext,
                        )
                    )
                else:
                    files.append((name, data, mimetype))
        if problems:
            errors["attachments"] = " ".join(problems)
        return files

    def _sgc_rate_limit_error(self, email, limits):
        """A message when this address or email sent too many requests lately."""
        limit = limits["form_rate_limit"]
        window = limits["form_rate_window_minutes"]
        if limit <= 0 or window <= 0:
            return False
        channel = request.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        domain = [
            ("create_date", ">=", fields.Datetime.now() - timedelta(minutes=window)),
            ("channel_id", "=", channel.id if channel else False),
        ]
        Ticket = request.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        ip = request.httprequest.remote_addr
        by_ip = Ticket.search_count(domain + [("intake_ip", "=", ip)]) if ip else 0
        by_email = Ticket.search_count(
            domain + [("partner_email", "=", email_normalize(email))]
        )
        if max(by_ip, by_email) < limit:
            return False
        _logger.info("Support form: rate limit reached by %s / %s", ip, email)
        hotline = request.website.company_id.helpdesk_hotline
        message = request.env._(
            "You have already sent %(count)s requests in the last %(minutes)s "
            "minutes. Please try again later.",
            count=max(by_ip, by_email),
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

    def _sgc_create_ticket(self, values, files):
        company = request.website.company_id
        env = request.env(user=SUPERUSER_ID)
        partner = self._sgc_find_or_create_partner(env, values)
        ticket = (
            env["helpdesk.ticket"]
            .with_company(company)
            .with_context(mail_create_nosubscribe=True)
            .create(self._prepare_ticket_vals(values, partner))
        )
        ticket.message_subscribe(partner_ids=partner.ids)
        if files:
            env["ir.attachment"].with_context(attachments_mime_plainxml=True).create(
                [
                    {
                        "name": name,
                        "datas": base64.b64encode(data),
                        "mimetype": mimetype,
                        "res_model": "helpdesk.ticket",
                        "res_id": ticket.id,
                    }
                    for name, data, mimetype in files
                ]
            )
        ticket._message_log(
            body=plaintext2html(
                env._(
                    "Sent through the website form by %(name)s (%(company)s), "
                    "email %(email)s, phone %(phone)s.",
                    name=values["contact_name"],
                    company=values["company_name"] or "-",
                    email=values["email"],
                    phone=values["phone"],
                )
            )
        )
        env["helpdesk.ticket.channel"]._sgc_acknowledge_on_commit(ticket)
        return ticket

    def _prepare_ticket_vals(self, values, partner):
        """Values of the ticket a form submission creates (override to add some)."""
        channel = request.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        return {
            "company_id": request.website.company_id.id,
            "channel_id": channel.id if channel else False,
            "category_id": int(values["category_id"]),
            "partner_id": partner.id,
            "partner_name": values["contact_name"],
            "partner_email": email_normalize(values["email"]),
            "name": values["subject"],
            # The customer's text is text: markup in it is escaped, never run.
            "description": plaintext2html(values["description"]),
            "intake_ip": request.httprequest.remote_addr,
        }

    def _prepare_partner_vals(self, values):
        """Values of the contact created for a new customer."""
        return {
            "name": values["contact_name"],
            "email": email_normalize(values["email"]),
            "phone": values["phone"],
            "company_name": values["company_name"] or False,
            "company_id": False,
        }

    def _sgc_find_or_create_partner(self, env, values):
        """The logged-in customer, else the contact with this email, else with
        this phone number, else a new contact. A visitor never changes an
        existing contact."""
        user = request.env.user
        if not user._is_public():
            return env["res.partner"].browse(user.partner_id.id)
        Partner = env["res.partner"]
        partner = Partner.search(
            [("email_normalized", "=", email_normalize(values["email"]))],
            order="id",
            limit=1,
        )
        if not partner:
            partner = self._sgc_partner_by_phone(env, values["phone"])
        return partner or Partner.create(self._prepare_partner_vals(values))

    def _sgc_partner_by_phone(self, env, phone):
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) < 8:
            return env["res.partner"]
        # Vietnamese numbers are written 0xx... or (+)84xx...
        variants = {digits}
        if digits.startswith("84"):
            variants.add("0" + digits[2:])
        elif digits.startswith("0"):
            variants.add("84" + digits[1:])
        env["res.partner"].flush_model(["phone", "mobile", "active"])
        env.cr.execute(
            SQL(
                """SELECT id FROM res_partner
                    WHERE active
                      AND (regexp_replace(coalesce(phone, ''), %s, '', 'g') = ANY(%s)
                        OR regexp_replace(coalesce(mobile, ''), %s, '', 'g') = ANY(%s))
                 ORDER BY id LIMIT 1""",
                r"\D",
                list(variants),
                r"\D",
                list(variants),
            )
        )
        row = env.cr.fetchone()
        return env["res.partner"].browse(row[0] if row else [])
