# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One intake pipeline for every channel (SOP IV).

Each channel (the website form, the portal, the hotro@ mail gateway, the Zalo OA
webhook's job, staff entering a request, any future one) translates what it
received into an :class:`IntakeRequest` and hands it to
``helpdesk.ticket.intake``, which then, once and the same way for all:

* finds the customer by one identity rule (email identifies; a Zalo id
  identifies a Zalo user; a phone number alone never links, it is shown to staff
  as a possible match);
* links a new contact to its company (the name given, or a company with the
  same email domain);
* threads the message onto an open ticket or creates one through
  ``_prepare_ticket_vals``;
* stores attachments through one validated path;
* lets the ticket route itself and queues what is slow as one job per ticket
  that runs after the request's transaction commits: a new customer's contact
  (with its company and the phone check), the triage (request type suggested,
  possible duplicate), the followers, the SLA start, the monitors' notice, the
  assignment mail and the acknowledgement. The request itself only checks,
  counts, links a customer it knows and stores the ticket and its files.
"""

import base64
import dataclasses
import logging
import re
from datetime import datetime

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import email_normalize, email_split, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "sgc_helpdesk_ticket."
DEFAULT_LIMITS = {
    "form_rate_limit": 5,
    "form_rate_window_minutes": 60,
    "form_max_attachments": 5,
    "form_max_attachment_mb": 10,
    "mail_rate_limit": 10,
    "mail_rate_window_minutes": 60,
}
DEFAULT_EXTENSIONS = "pdf,jpg,jpeg,png,gif,webp,doc,docx,xls,xlsx,csv,txt"
DEFAULT_PUBLIC_DOMAINS = (
    "gmail.com,yahoo.com,yahoo.com.vn,outlook.com,hotmail.com,live.com,icloud.com,"
    "msn.com,aol.com,proton.me,protonmail.com,zoho.com,mail.com,gmx.com"
)
OLE_MIMETYPES = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/x-ole-storage",
    "application/CDFV2",
)
# What the content of a file with an accepted extension may be, as sniffed from
# the bytes (the sender's word and the file name are the sender's to choose).
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
# A well-formed address whose domain has at least one dot ("a@b" is not one).
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


@dataclasses.dataclass
class IntakeRequest:
    """What one channel received, in the one shape the pipeline takes.

    ``channel_code`` names the channel explicitly (``helpdesk.ticket.channel``'s
    ``intake_code``); ``on_behalf`` is True only when staff enter the request
    for a customer. ``files`` are ``(name, bytes)`` pairs, validated by the
    pipeline before they are stored.
    """

    channel_code: str
    company: object
    subject: str = ""
    description: str = ""  # plain text, escaped by the pipeline
    description_html: object = None  # trusted markup built by the channel
    contact_name: str = ""
    company_name: str = ""
    email: str = ""
    phone: str = ""
    zalo_user_id: str = ""
    partner: object = None  # already known (a logged-in customer, staff's pick)
    category_id: int = 0
    team_id: int = 0
    on_behalf: bool = False
    received_date: datetime = None
    intake_ip: str = ""
    files: list = dataclasses.field(default_factory=list)
    thread_open_ticket: bool = False  # Zalo: a new message joins the open ticket
    author_note: str = ""  # what the sender typed that has no field, noted
    extra_vals: dict = dataclasses.field(default_factory=dict)


class HelpdeskTicketIntake(models.AbstractModel):
    _name = "helpdesk.ticket.intake"
    _description = "Helpdesk Ticket Intake"

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    @api.model
    def _limits(self):
        """The intake's limits (system parameters, defaults above)."""
        # System parameters are settings, not user input: read as system.
        params = self.env["ir.config_parameter"].sudo()
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
        domains = params.get_param(
            PARAM_PREFIX + "public_email_domains", DEFAULT_PUBLIC_DOMAINS
        )
        limits["public_domains"] = {
            d.strip().lower() for d in (domains or "").split(",") if d.strip()
        }
        return limits

    @api.model
    def _channel(self, code):
        """The channel of an intake code (web, email, zalo, phone, ...)."""
        return self.env["helpdesk.ticket.channel"]._sgc_by_code(code)

    # ------------------------------------------------------------------
    # Guards shared by every channel
    # ------------------------------------------------------------------

    @api.model
    def _is_valid_email(self, email):
        email = (email or "").strip()
        return bool(
            email
            and len(email_split(email)) == 1
            and email_normalize(email)
            and EMAIL_PATTERN.match(email_normalize(email))
        )

    @api.model
    def _own_addresses(self, company=None):
        """The desk's own addresses: a mail from one of them is the desk talking
        to itself (a loop), never a customer's request."""
        companies = company or self.env["res.company"].search([])
        addresses = set()
        for comp in companies:
            for value in (
                comp.email,
                comp.helpdesk_support_email,
                comp.partner_id.email,
            ):
                if email_normalize(value or ""):
                    addresses.add(email_normalize(value))
        # Aliases and catchall are configuration, read as system.
        aliases = (
            self.env["mail.alias"]
            .sudo()  # sudo: config: the desk's own aliases
            .search([("alias_model_id.model", "=", "helpdesk.ticket")])
        )
        for alias in aliases:
            if alias.alias_full_name:
                addresses.add(email_normalize(alias.alias_full_name))
        # sudo: config: alias domains
        for domain in self.env["mail.alias.domain"].sudo().search([]):
            for full in (
                domain.catchall_email,
                domain.bounce_email,
                domain.default_from_email,
            ):
                if email_normalize(full or ""):
                    addresses.add(email_normalize(full))
        addresses.discard(False)
        return addresses

    @api.model
    def _rate_exceeded(self, kind, keys):
        """Count this request against the ``kind`` limit (form, mail) for each
        key (address, email); True when one of them is over the limit."""
        limits = self._limits()
        limit = limits.get(f"{kind}_rate_limit", 0)
        window = limits.get(f"{kind}_rate_window_minutes", 0)
        if limit <= 0 or window <= 0:
            return False
        keys = [f"{kind}:{key}" for key in keys if key]
        hits = self.env["helpdesk.intake.counter"]._hit(keys, window)
        if hits > limit:
            _logger.info("Intake: %s rate limit reached by %s", kind, keys)
            return hits - 1
        return False

    @api.model
    def _check_file(self, name, data, limits, max_bytes=None):
        """(name, data, mimetype) when the file may be stored, else the reason."""
        _ = self.env._
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"
        name = name.replace("\x00", "")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = limits["extensions"]
        max_mb = limits["form_max_attachment_mb"]
        max_bytes = max_bytes or max_mb * 1024 * 1024
        if ext not in allowed:
            return _(
                "%(file)s: this type of file is not accepted (accepted: %(types)s).",
                file=name,
                types=", ".join(allowed),
            )
        if len(data) > max_bytes:
            return _("%(file)s is larger than %(size)s MB.", file=name, size=max_mb)
        if not data:
            return _("%s is empty.", name)
        mimetype = guess_mimetype(data, default="application/octet-stream")
        expected = EXTENSION_MIMETYPES.get(ext)
        if mimetype in ACTIVE_MIMETYPES or (expected and mimetype not in expected):
            return _(
                "%(file)s: its content is not a .%(ext)s file.", file=name, ext=ext
            )
        return (name, data, mimetype)

    # ------------------------------------------------------------------
    # The customer
    # ------------------------------------------------------------------

    @api.model
    def _find_partner(self, req, match_phone=True):
        """(partner, possible_match) by the one identity rule of every channel.

        A known partner wins (logged-in customer, mail author resolved by
        Odoo). Then the Zalo id for a Zalo user, then the normalized email.
        A phone number never links by itself: a contact with the same phone and
        another email is returned as the possible match only (looked up unless
        ``match_phone`` is False).
        """
        # Intake runs for visitors who may not read contacts: it searches as
        # system, on normalized keys only, and never changes what it finds.
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partner = Partner.browse(req.partner.id) if req.partner else Partner
        if not partner and req.zalo_user_id:
            partner = Partner.search(
                [("zalo_user_id", "=", req.zalo_user_id)],
                order="active desc, id",
                limit=1,
            )
        email = email_normalize(req.email or "")
        if not partner and email:
            partner = Partner.with_context(active_test=True).search(
                [("email_normalized", "=", email)], order="id", limit=1
            )
        possible = Partner
        if match_phone and req.phone and not partner:
            # Never linked by phone: a new contact is created, and the contact
            # with that phone (another email) is shown to staff.
            possible = self._partner_by_phone(req.phone).filtered(
                lambda p: not email or email_normalize(p.email or "") != email
            )
        return partner, possible

    @api.model
    def _partner_by_phone(self, phone):
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) < 8:
            return self.env["res.partner"]
        # Vietnamese numbers are written 0xx... or (+)84xx...
        variants = {digits}
        if digits.startswith("84"):
            variants.add("0" + digits[2:])
        elif digits.startswith("0"):
            variants.add("84" + digits[1:])
        Partner = self.env["res.partner"]
        Partner.flush_model(["phone", "mobile", "active"])
        self.env.cr.execute(
            """SELECT id FROM res_partner
                WHERE active
                  AND (regexp_replace(coalesce(phone, ''), %s, '', 'g') = ANY(%s)
                    OR regexp_replace(coalesce(mobile, ''), %s, '', 'g') = ANY(%s))
             ORDER BY id LIMIT 1""",
            (r"\D", list(variants), r"\D", list(variants)),
        )
        row = self.env.cr.fetchone()
        return Partner.browse(row[0] if row else [])

    @api.model
    def _find_company(self, req, limits):
        """The company partner a new contact belongs to: the one named on the
        form, else the one whose email domain the contact's email shares."""
        # Contacts are created for visitors: searched as system, by exact keys.
        Partner = self.env["res.partner"].sudo()
        name = " ".join((req.company_name or "").split())
        if name:
            company = Partner.search(
                [("is_company", "=", True), ("name", "=ilike", name)],
                order="id",
                limit=1,
            )
            return company or Partner.with_context(mail_create_nolog=True).create(
                {"name": name, "is_company": True}
            )
        email = email_normalize(req.email or "")
        domain = email.rsplit("@", 1)[-1] if email else ""
        if not domain or domain in limits["public_domains"]:
            return Partner
        companies = Partner.search(
            [
                ("is_company", "=", True),
                ("email_normalized", "=like", f"%@{domain}"),
            ],
            order="id",
            limit=2,
        )
        # Several companies share the domain: it says nothing, link none.
        return companies if len(companies) == 1 else Partner

    @api.model
    def _prepare_partner_vals(self, req, company):
        """Values of the contact created for a new customer."""
        name = req.contact_name or email_normalize(req.email or "") or ""
        if not name and req.zalo_user_id:
            name = self.env._("Zalo user %s", req.zalo_user_id)
        return {
            "name": name,
            "email": email_normalize(req.email or "") or False,
            "phone": req.phone or False,
            "zalo_user_id": req.zalo_user_id or False,
            "parent_id": company.id if company else False,
            "company_id": False,
        }

    @api.model
    def _get_or_create_partner(self, req):
        limits = self._limits()
        partner, possible = self._find_partner(req)
        if not partner and (req.email or req.zalo_user_id or req.contact_name):
            company = self._find_company(req, limits)
            # A new contact of a visitor: created as system from checked values.
            partner = (
                self.env["res.partner"]
                .sudo()  # sudo: visitor's contact, checked values
                .with_context(mail_create_nolog=True)
                .create(self._prepare_partner_vals(req, company))
            )
            # Its computed fields (commercial partner, normalized email and
            # phone, complete name) written at once rather than at three flushes.
            partner.flush_recordset()
        return partner, possible

    # ------------------------------------------------------------------
    # The ticket
    # ------------------------------------------------------------------

    @api.model
    def _prepare_ticket_vals(self, req, partner, possible=None):
        """Values of the ticket a request creates (override to add some)."""
        channel = self._channel(req.channel_code)
        if req.description_html is not None:
            description = req.description_html
        else:
            # The customer's text is text: markup in it is escaped, never run.
            description = plaintext2html(req.description or "")
        vals = {
            "company_id": req.company.id,
            "channel_id": channel.id,
            "partner_id": partner.id if partner else False,
            "partner_name": req.contact_name or (partner.name if partner else False),
            "partner_email": email_normalize(req.email or "")
            or (partner.email if partner else False),
            "partner_phone": req.phone or (partner.phone if partner else False),
            "name": req.subject or self.env._("Request without a title"),
            "description": description,
            "on_behalf": bool(req.on_behalf),
        }
        if req.category_id:
            vals["category_id"] = req.category_id
        if req.team_id:
            vals["team_id"] = req.team_id
        if req.received_date:
            vals["received_date"] = req.received_date
        if req.intake_ip:
            vals["intake_ip"] = req.intake_ip
        if possible:
            vals["sgc_possible_partner_id"] = possible[:1].id
        vals.update(req.extra_vals)
        return vals

    @api.model
    def _find_open_ticket(self, req, partner):
        channel = self._channel(req.channel_code)
        # Threading looks among the customer's own open tickets of this channel.
        return (
            self.env["helpdesk.ticket"]
            .sudo()  # sudo: the customer's own open tickets
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("channel_id", "=", channel.id),
                    ("company_id", "=", req.company.id),
                    ("state", "in", ("new", "in_progress", "paused")),
                ],
                order="id desc",
                limit=1,
            )
        )

    @api.model
    def _intake(self, req, body_for_thread=None):
        """Run one request through the pipeline; returns (ticket, created,
        message posted on an open ticket).

        Runs as the system (OdooBot): the channels have checked what they
        received, the values are data (escaped), nothing from the request is
        rendered or evaluated.
        """
        self = self.with_user(SUPERUSER_ID).with_company(req.company)
        ticket = self.env["helpdesk.ticket"]
        contact = None
        if req.thread_open_ticket:
            # Threading needs the customer now (the channel runs in a job).
            partner, possible = self._get_or_create_partner(req)
            if partner:
                ticket = self._find_open_ticket(req, partner)
        else:
            # A known customer is linked at once; a new one, with its company
            # and the phone check, by the ticket's job (_sgc_job_intake).
            partner, possible = self._find_partner(req, match_phone=False)
            if not partner and (req.email or req.zalo_user_id or req.contact_name):
                contact = self._contact_of(req)
        if ticket:
            posted = ticket.with_context(zalo_skip_send=True).message_post(
                body=body_for_thread
                if body_for_thread is not None
                else plaintext2html(req.description or ""),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=[(n, d) for n, d, _m in self._valid_files(req)],
            )
            return ticket, False, posted
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(
                mail_create_nosubscribe=True,
                sgc_intake=True,
                sgc_intake_after_create=True,
            )
            .create(self._prepare_ticket_vals(req, partner, possible))
            .with_env(self.env)
        )
        self._store_files(ticket, self._valid_files(req))
        # Noted on the ticket by its job, with the rest of what is not urgent.
        notes = [req.author_note] if req.author_note else []
        if possible:
            notes.append(self._possible_partner_note(possible))
        self.with_context(sgc_intake=True)._after_create(
            ticket, notes=notes, contact=contact
        )
        return ticket, True, self.env["mail.message"]

    @api.model
    def _contact_of(self, req):
        """What the job needs to find or create a new customer's contact."""
        return {
            "contact_name": req.contact_name or "",
            "company_name": req.company_name or "",
            "email": req.email or "",
            "phone": req.phone or "",
            "zalo_user_id": req.zalo_user_id or "",
        }

    @api.model
    def _possible_partner_note(self, possible):
        return self.env._(
            "The phone number given matches the existing contact %(name)s, "
            "whose email is different: check whether it is the same "
            "customer before merging.",
            name=possible[:1].display_name,
        )

    @api.model
    def _resolve_contact(self, ticket, contact):
        """The job's half of the identity rule for a request whose customer
        was not known: the contact found or created (linked to its company),
        set on ``ticket``; returns the notes for staff (a phone match)."""
        req = IntakeRequest(
            channel_code=ticket.channel_id.intake_code or "",
            company=ticket.company_id,
            **contact,
        )
        partner, possible = self._get_or_create_partner(req)
        if not partner:
            return []
        vals = {"partner_id": partner.id}
        if possible:
            vals["sgc_possible_partner_id"] = possible[:1].id
        ticket.write(vals)
        return [self._possible_partner_note(possible)] if possible else []

    @api.model
    def _valid_files(self, req):
        """The request's files that pass the checks; the others are noted."""
        limits = self._limits()
        files = []
        for name, data in req.files:
            checked = self._check_file(name, data, limits)
            if isinstance(checked, tuple):
                files.append(checked)
            else:
                _logger.info("Intake: file refused: %s", checked)
        return files

    @api.model
    def _store_files(self, ticket, files):
        if not files:
            return self.env["ir.attachment"]
        # Files already checked by _check_file; stored on the ticket as system.
        return (
            self.env["ir.attachment"]
            .sudo()  # sudo: files checked by _check_file
            .create(
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
        )

    # ------------------------------------------------------------------
    # After creation: the slow work, as jobs
    # ------------------------------------------------------------------

    @api.model
    def _after_create(self, tickets, notes=(), contact=None):
        """Queue what a new ticket needs after the request's commit, as one job
        per ticket (``helpdesk.ticket._sgc_job_intake``): the SLA start, the
        "ticket created" message, the request's ``notes``, the monitors' notice
        and the assignee's mail, and the customer's acknowledgement (not for
        staff-entered tickets, which staff acknowledge with the button)."""
        # The pipeline's tickets held back their SLA start, their creation
        # message and the assignee's mail for the job.
        intake = bool(self.env.context.get("sgc_intake"))
        triage = intake and not self.env.context.get("sgc_no_triage")
        created_at = fields.Datetime.to_string(fields.Datetime.now())
        no_ack = bool(self.env.context.get("sgc_no_ack"))
        for ticket in tickets:
            ticket.with_user(SUPERUSER_ID).with_delay(
                priority=1,
                description=self.env._("New ticket %s", ticket.number),
            )._sgc_job_intake(
                created_at=created_at if intake else False,
                intake=intake,
                acknowledge=not (ticket.on_behalf or no_ack),
                notes=list(notes),
                contact=contact,
                triage=triage,
            )
        return True
