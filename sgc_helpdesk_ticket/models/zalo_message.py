# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json
import logging
import mimetypes
import threading
import unicodedata
from datetime import timedelta
from posixpath import basename
from urllib.parse import unquote, urlsplit

import lxml.html
import psycopg2
import requests
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, is_html_empty, mute_logger, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.queue_job.exception import RetryableJobError

from .helpdesk_ticket_intake import IntakeRequest
from .zalo_oa_account import MANAGER_GROUP, ZaloApiError

_logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000
OPEN_TICKET_STATES = ("new", "in_progress", "paused")
USER_MESSAGE_EVENTS = ("user_send_text", "user_send_image", "user_send_file")
BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre")


def zalo_id(value):
    """Zalo ids are integers too large for 64 bits: always keep them as text."""
    if value is None or value == "" or isinstance(value, dict | list | bool):
        return False
    return str(value).strip() or False


def split_text(text, limit=MAX_TEXT_LENGTH):
    """Cut ``text`` into pieces of at most ``limit`` characters, at a line break or
    a space when one is close to the limit."""
    text = unicodedata.normalize("NFC", text or "").strip()
    chunks = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit + 1), text.rfind(" ", 0, limit + 1))
        if cut < limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def html_to_text(html):
    """Plain text of a chatter message for Zalo: line breaks kept, links spelled
    out, no markup characters added."""
    if is_html_empty(html):
        return ""
    tree = lxml.html.fragment_fromstring(str(html), create_parent="div")
    for link in tree.iter("a"):
        href = link.get("href") or ""
        if href.startswith(("http://", "https://")) and href != link.text_content():
            link.tail = f" ({href})" + (link.tail or "")
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter(*BLOCK_TAGS):
        block.tail = "\n" + (block.tail or "")
    lines = [" ".join(line.split()) for line in tree.text_content().splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


class ZaloMessage(models.Model):
    _name = "zalo.message"
    _description = "Zalo Message"
    _order = "id desc"

    account_id = fields.Many2one(
        comodel_name="zalo.oa.account",
        string="Zalo Account",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    direction = fields.Selection(
        selection=[("in", "Received"), ("out", "Sent")],
        required=True,
        readonly=True,
        index=True,
    )
    kind = fields.Selection(
        selection=[("ack", "Acknowledgement"), ("reply", "Staff reply")],
        readonly=True,
        help="What an outgoing message is.",
    )
    event_name = fields.Char(readonly=True)
    msg_id = fields.Char(
        string="Zalo Message ID",
        readonly=True,
        copy=False,
        help="Zalo's id of the message: the incoming one, or the one Zalo gave to "
        "a message sent.",
    )
    event_key = fields.Char(
        readonly=True,
        copy=False,
        help="What makes an incoming event unique: Zalo's msg_id, or for events "
        "without one (follow, unfollow) the event, user and timestamp. A re-sent "
        "event is recognised by it.",
    )
    reply_to_msg_id = fields.Char(
        string="Reply To",
        readonly=True,
        help="Incoming message this one answers (sent with recipient message_id).",
    )
    zalo_user_id = fields.Char(string="Zalo User ID", readonly=True, index=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    mail_message_id = fields.Many2one(
        comodel_name="mail.message",
        string="Chatter Message",
        readonly=True,
        ondelete="set null",
    )
    text = fields.Text(readonly=True)
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="File",
        readonly=True,
        ondelete="set null",
        help="The image or file of a staff reply, sent through the OA's upload.",
    )
    state = fields.Selection(
        selection=[
            ("received", "Received"),
            ("ignored", "Ignored"),
            ("error", "Processing error"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    last_attempt_date = fields.Datetime(readonly=True)
    next_attempt_date = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="When the retry job sends it again; empty once sent or given up.",
    )
    sent_date = fields.Datetime(readonly=True)
    payload = fields.Text(
        readonly=True,
        groups=MANAGER_GROUP,
        help="The webhook call as received.",
    )

    _sql_constraints = [
        (
            "msg_id_uniq",
            "unique(account_id, direction, msg_id)",
            "This Zalo message is already recorded.",
        ),
        (
            "event_key_uniq",
            "unique(account_id, direction, event_key)",
            "This Zalo event is already recorded.",
        ),
    ]

    @api.depends("direction", "event_name", "kind", "zalo_user_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for message in self:
            what = (
                message.event_name
                if message.direction == "in"
                else kinds.get(message.kind, "")
            )
            message.display_name = f"{what} ({message.zalo_user_id or '-'})"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Send the selected failed or queued messages again now."""
        self.check_access("write")
        todo = self.filtered(
            lambda m: m.direction == "out" and m.state in ("queued", "failed")
        )
        # sudo: the caller may write these messages (checked above); sending
        # reads the OA account's token, which no user reads.
        todo.sudo()._send()
        return True

    def action_cancel(self):
        """Give up a message that a person handled another way."""
        self.check_access("write")
        todo = self.filtered(
            lambda m: m.direction == "out" and m.state in ("queued", "failed")
        )
        todo.write({"state": "cancelled", "next_attempt_date": False})
        return True

    # ------------------------------------------------------------------
    # Incoming: the webhook
    # ------------------------------------------------------------------

    @api.model
    def _process_webhook_event(self, account, payload):
        """Record one verified webhook call and queue its processing.

        Returns the zalo.message recorded, or an empty recordset for an event
        already recorded (Zalo re-sends calls it thinks were lost). Nothing slow
        happens here: the webhook must answer within about 2 seconds.
        """
        record = self._record_inbound(account, payload)
        if record:
            record.with_delay(
                priority=1,
                description=self.env._("Process Zalo event %s", record.event_name),
                identity_key=f"sgc_zalo_in:{record.id}",
            )._job_process()
        return record

    def _job_process(self):
        """Act on a stored incoming event (the job of the webhook)."""
        self.ensure_one()
        if self.state != "received" or self.ticket_id:
            return "already processed"
        try:
            with self.env.cr.savepoint():
                self._dispatch_event()
        except psycopg2.OperationalError:
            raise
        except Exception as exc:
            # Keep the message and show why it was not handled; a person can
            # process it again from the message once the cause is fixed.
            _logger.warning("Zalo event %s not handled", self.id, exc_info=True)
            self.write({"state": "error", "error": str(exc) or repr(exc)})
            return "error"
        return self.state

    @api.model
    def _record_inbound(self, account, payload):
        message = payload.get("message") if isinstance(payload, dict) else None
        message = message if isinstance(message, dict) else {}
        msg_id = zalo_id(message.get("msg_id"))
        event = str(payload.get("event_name") or "")
        # follow / unfollow name the user "follower"; messages name it "sender".
        sender = payload.get("follower") if event in ("follow", "unfollow") else None
        sender = sender or payload.get("sender") or {}
        user_id = zalo_id(sender.get("id")) if isinstance(sender, dict) else False
        event_key = msg_id or "{}:{}:{}".format(
            event, user_id or "-", zalo_id(payload.get("timestamp")) or "-"
        )
        if self.search_count(
            [
                ("account_id", "=", account.id),
                ("direction", "=", "in"),
                ("event_key", "=", event_key),
            ],
            limit=1,
        ):
            return self.browse()
        vals = {
            "account_id": account.id,
            "direction": "in",
            "event_name": event,
            "msg_id": msg_id,
            "event_key": event_key,
            "zalo_user_id": user_id,
            "text": message.get("text") if isinstance(message.get("text"), str) else "",
            "state": "received",
            "payload": json.dumps(payload, ensure_ascii=False),
        }
        try:
            # A concurrent call with the same event waits on the unique index and
            # fails here once the first one commits: it is a duplicate.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.create(vals)
        except psycopg2.IntegrityError:
            return self.browse()

    def _dispatch_event(self):
        """Act on an incoming event; returns the ticket created, if any."""
        self.ensure_one()
        if self.event_name in USER_MESSAGE_EVENTS and self.zalo_user_id:
            return self._handle_user_message()
        if self.event_name in ("follow", "unfollow") and self.zalo_user_id:
            self._handle_follow(self.event_name == "follow")
            self.state = "ignored" if self.event_name == "unfollow" else self.state
            return False
        # oa_send_* echoes, anonymous users, stickers, ...: kept, not acted on.
        self.state = "ignored"
        return False

    def _get_payload(self):
        self.ensure_one()
        try:
            # The stored payload is manager-only; read here to act on it.
            payload = json.loads(self.sudo().payload or "{}")
        except ValueError:
            payload = {}
        return payload if isinstance(payload, dict) else {}

    def _intake_request(self, text="", links=(), files=()):
        self.ensure_one()
        account = self.account_id
        return IntakeRequest(
            channel_code="zalo",
            company=account.company_id,
            zalo_user_id=self.zalo_user_id,
            subject=self._ticket_subject(text),
            description_html=self._body_html(text, links),
            team_id=account.team_id.id,
            files=list(files),
            thread_open_ticket=True,
        )

    def _handle_follow(self, followed):
        Intake = self.env["helpdesk.ticket.intake"]
        req = self._intake_request()
        profile = {}
        if followed:
            profile = self._sender_profile()
            req.contact_name = profile.get("display_name") or ""
            partner, _possible = Intake._get_or_create_partner(req)
        else:
            partner, _possible = Intake._find_partner(req)
        if partner:
            partner.zalo_followed = followed
            if followed:
                self._apply_profile(partner, profile)
        self.partner_id = partner

    # ------------------------------------------------------------------
    # The sender's profile (name and picture)
    # ------------------------------------------------------------------

    def _known_sender(self):
        return (
            self.env["res.partner"]
            # sudo: the identity lookup by the Zalo id; nothing is returned to a user
            .sudo()
            .with_context(active_test=False)
            .search([("zalo_user_id", "=", self.zalo_user_id)], limit=1)
        )

    def _sender_profile(self):
        """The sender's name and picture from the OA's user-profile API, read
        once per contact (a contact already read is not asked again). A
        failure leaves the contact as it is and is tried again by a job."""
        self.ensure_one()
        known = self._known_sender()
        if known.zalo_profile_date:
            return {}
        try:
            return self.account_id._get_user_profile(self.zalo_user_id)
        except ZaloApiError as exc:
            _logger.info("Zalo profile of %s not read: %s", self.zalo_user_id, exc)
            # Zalo unreachable or the token refused: tried again by a job. An
            # answer of Zalo's (not a follower, ...) is final.
            return {"failed": exc.code is None or exc.token_error}

    def _apply_profile(self, partner, profile):
        """Keep what the profile gave on the contact: its name (only while the
        contact has no real one) and its picture (only if it has none)."""
        if not profile:
            return
        if profile.get("failed") is False:
            # Zalo's final answer (not a follower, ...): not asked again.
            # sudo: the contact made for this Zalo sender
            partner.sudo().zalo_profile_date = fields.Datetime.now()
            return
        if profile.get("failed"):
            self.with_delay(
                priority=20,
                eta=60,
                description=self.env._("Read the Zalo profile of %s", partner.name),
            )._job_read_profile(partner.id)
            return
        # sudo: the contact made for this Zalo sender, from Zalo's own answer
        partner = partner.sudo()
        vals = {"zalo_profile_date": fields.Datetime.now()}
        name = profile.get("display_name")
        if name and partner.name in (
            self._fallback_name(),
            self.with_context(lang="en_US")._fallback_name(),
        ):
            vals["name"] = name
        if profile.get("avatar") and not partner.image_1920:
            picture = self._download_picture(profile["avatar"])
            if picture:
                vals["image_1920"] = base64.b64encode(picture)
        partner.write(vals)

    def _fallback_name(self):
        return self.env._("Zalo user %s", self.zalo_user_id)

    def _job_read_profile(self, partner_id):
        """Job: read a Zalo sender's profile that could not be read at once."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner or partner.zalo_profile_date:
            return "nothing to do"
        try:
            profile = self.account_id._get_user_profile(self.zalo_user_id)
        except ZaloApiError as exc:
            raise RetryableJobError(str(exc), seconds=600) from exc
        self._apply_profile(partner, profile)
        return "profile read"

    def _download_picture(self, url):
        """The profile picture, from Zalo's hosts only, within the size limit."""
        account = self.account_id.sudo()  # sudo: manager-only host and size limits
        if not account._attachment_host_allowed(url):
            return b""
        fetched = self._fetch(url, account)
        if not fetched:
            return b""
        content = fetched[0]
        if not guess_mimetype(content).startswith("image/"):
            return b""
        return content

    def _handle_user_message(self):
        self.ensure_one()
        message = self._get_payload().get("message") or {}
        attachments = [
            a for a in message.get("attachments") or [] if isinstance(a, dict)
        ]
        links = self._attachment_links(attachments)
        files = self._download_attachments(links)
        req = self._intake_request(self.text or "", links, files)
        profile = self._sender_profile()
        req.contact_name = profile.get("display_name") or ""
        ticket, created, posted = self.env["helpdesk.ticket.intake"]._intake(
            req, body_for_thread=self._body_html(self.text, links)
        )
        if ticket.partner_id:
            self._apply_profile(ticket.partner_id, profile)
        self.write(
            {
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "mail_message_id": posted.id if posted else False,
                "state": "received",
            }
        )
        return ticket if created else False

    def _ticket_subject(self, text):
        first_line = next(
            (line.strip() for line in (text or "").splitlines() if line), ""
        )
        if len(first_line) > 100:
            first_line = first_line[:99].rstrip() + "…"
        return first_line or self.env._("Zalo message from %s", self.zalo_user_id)

    def _body_html(self, text, links):
        """The customer's text escaped, then the links to what they attached."""
        body = plaintext2html(text or "") if (text or "").strip() else Markup("")
        if links:
            items = Markup("").join(
                Markup('<li><a href="%s" target="_blank" rel="noopener">%s</a></li>')
                % (url, name)
                for url, name in links
            )
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Sent on Zalo:"),
                items,
            )
        if is_html_empty(body):
            body = Markup("<p>%s</p>") % self.env._("(empty Zalo message)")
        return body

    @api.model
    def _attachment_links(self, attachments):
        links = []
        for attachment in attachments:
            data = attachment.get("payload")
            data = data if isinstance(data, dict) else {}
            url = data.get("url")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                continue
            name = data.get("name") if isinstance(data.get("name"), str) else ""
            name = name or unquote(basename(urlsplit(url).path)) or "zalo-file"
            links.append((url, name))
        return links

    def _fetch(self, url, account):
        """(content, content type) of ``url`` within the account's size limit,
        or None (logged) when it cannot be fetched. Never follows a redirect:
        the host was checked by the caller."""
        limit = max(account.attachment_max_size, 0) * 1024 * 1024
        try:
            with requests.get(
                url,
                timeout=account.request_timeout or 10,
                stream=True,
                allow_redirects=False,
            ) as response:
                response.raise_for_status()
                content = b""
                for chunk in response.iter_content(64 * 1024):
                    content += chunk
                    if len(content) > limit:
                        raise ValueError("file larger than the limit")
        except (requests.RequestException, ValueError) as exc:
            _logger.info("Zalo file %s not downloaded: %s", url, exc)
            return None
        return content, response.headers.get("Content-Type") or ""

    def _download_attachments(self, links):
        """Fetch the customer's files from Zalo's file hosts. A file that cannot be
        fetched stays a link in the message: never fail the message for it."""
        self.ensure_one()
        account = self.account_id.sudo()  # sudo: manager-only host and size limits
        files = []
        for url, name in links:
            if not account._attachment_host_allowed(url):
                continue
            fetched = self._fetch(url, account)
            if not fetched:
                continue
            content, content_type = fetched
            if "." not in name:
                mimetype = content_type.split(";")[0]
                name += mimetypes.guess_extension(mimetype.strip()) or ""
            files.append((name, content))
        return files

    # ------------------------------------------------------------------
    # Outgoing
    # ------------------------------------------------------------------

    @api.model
    def _acknowledge_ticket(self, ticket, account=None, reply_to_msg_id=False):
        """Send the channel's Zalo acknowledgement for ``ticket``, once per ticket.

        Called by the acknowledgement job: an acknowledgement already recorded,
        sent or not, is never sent again (a refused one is retried by the retry
        job). Returns the messages sent, empty when nothing could be sent.
        """
        # The acknowledgement job runs as system; the ticket's Zalo rows are
        # read to keep it once per ticket.
        ticket = ticket.sudo()
        if ticket.zalo_message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == "ack"
        ):
            return self.browse()
        template = ticket.channel_id.ack_template_id
        account = account or self.env["zalo.oa.account"]._get_for_company(
            ticket.company_id
        )
        if not template or not account or not ticket.partner_id.zalo_user_id:
            return self.browse()
        if not reply_to_msg_id and account.reply_with_message_id:
            first = ticket.zalo_message_ids.filtered(
                lambda m: m.direction == "in" and m.msg_id
            ).sorted("id")[:1]
            reply_to_msg_id = first.msg_id
        text = self._render_ack_text(ticket, template, account)
        if not text:
            return self.browse()
        messages = self._queue_outgoing(
            account, ticket, text, kind="ack", reply_to_msg_id=reply_to_msg_id
        )
        messages._send()
        if messages and all(m.state == "sent" for m in messages):
            ticket.with_context(
                zalo_skip_send=True, mail_create_nosubscribe=True
            ).message_post(
                body=Markup("<p>%s</p>%s")
                % (
                    self.env._("Acknowledgement sent on Zalo:"),
                    plaintext2html(text),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return messages.filtered(lambda m: m.state == "sent")

    @api.model
    def _render_ack_text(self, ticket, template, account=None):
        """The one text renderer of Zalo messages: the template's body rendered
        for ``ticket`` in its language, as the plain text Zalo shows. The length
        check of templates (mail.template.sgc_max_chars) measures the same
        string. Empty when it renders to nothing and the account has no
        fallback text."""
        text = template._sgc_render_text(ticket)
        if text or not account:
            return text
        partner = ticket.partner_id
        name = partner.name or ""
        if partner.zalo_user_id and partner.zalo_user_id in name:
            # Only the placeholder name is known: greet without a name.
            name = ""
        text = account.ack_text or ""
        text = text.replace(" {name}", f" {name}" if name else "")
        return text.replace("{name}", name).replace(
            "{company}", ticket.company_id.name or ""
        )

    @api.model
    def _queue_outgoing(
        self,
        account,
        ticket,
        text,
        kind="reply",
        reply_to_msg_id=False,
        mail=None,
        attachments=None,
    ):
        """Outgoing records for ``text``, cut to Zalo's 2,000 characters, then
        one per attachment (sent through the OA's upload)."""
        now = fields.Datetime.now()
        files = [
            {
                "account_id": account.id,
                "direction": "out",
                "kind": kind,
                "zalo_user_id": ticket.partner_id.zalo_user_id,
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "mail_message_id": mail.id if mail else False,
                "reply_to_msg_id": reply_to_msg_id,
                "text": attachment.name,
                "attachment_id": attachment.id,
                "state": "queued",
                "next_attempt_date": now,
            }
            for attachment in (attachments or [])
        ]
        return self.sudo().create(  # sudo: connector bookkeeping rows
            [
                {
                    "account_id": account.id,
                    "direction": "out",
                    "kind": kind,
                    "zalo_user_id": ticket.partner_id.zalo_user_id,
                    "partner_id": ticket.partner_id.id,
                    "ticket_id": ticket.id,
                    "mail_message_id": mail.id if mail else False,
                    "reply_to_msg_id": reply_to_msg_id,
                    "text": chunk,
                    "state": "queued",
                    "next_attempt_date": now,
                }
                for chunk in (split_text(text) if text else [])
            ]
            + files
        )

    def _queue_send(self):
        """Send these outgoing messages from a job, after the commit."""
        if self:
            self.with_delay(
                priority=2,
                description=self.env._("Send Zalo messages"),
            )._job_send()
        return self

    def _job_send(self):
        """The job sending queued messages; a refusal is recorded on the message
        and retried by the retry job with backoff, never raised."""
        return len(self.exists()._send())

    def _send(self):
        """Send outgoing messages in order; record each outcome. Never raises
        for a refusal by Zalo: the message is left failed and retried."""
        for message in self.sorted("id"):
            message._send_one()
        return self.filtered(lambda m: m.state == "sent")

    def _lock_for_sending(self):
        """Lock this message's row; False when another worker (the retry job, a
        "Retry now") is sending it, or it no longer waits to be sent."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM zalo_message WHERE id = %s FOR UPDATE SKIP LOCKED",
                self.id,
            )
        )
        if not self.env.cr.fetchone():
            return False
        self.invalidate_recordset(["state"])
        return self.direction == "out" and self.state in ("queued", "failed")

    def _send_one(self):
        """Send one message: True if Zalo took it, False if refused, None if it was
        not attempted (being sent elsewhere, or not waiting any more)."""
        self.ensure_one()
        if not self._lock_for_sending():
            return None
        account = self.account_id.sudo()  # sudo: manager-only token, sent to Zalo only
        if self.reply_to_msg_id:
            recipient = {"message_id": self.reply_to_msg_id}
        else:
            recipient = {"user_id": self.zalo_user_id}
        now = fields.Datetime.now()
        attempts = self.attempts + 1
        try:
            if self.attachment_id:
                # sudo: the reply's own file, read to be uploaded to Zalo
                data = account._send_attachment(recipient, self.attachment_id.sudo())
            else:
                data = account._send_text(recipient, self.text)
        except ZaloApiError as exc:
            given_up = attempts >= max(account.max_send_attempts, 1)
            delay = timedelta(minutes=max(account.retry_delay, 1) * 2 ** (attempts - 1))
            self.write(
                {
                    "state": "failed",
                    "error": str(exc),
                    "attempts": attempts,
                    "last_attempt_date": now,
                    "next_attempt_date": False if given_up else now + delay,
                }
            )
            self._notify_failure(given_up)
            return False
        was_failed = self.state == "failed"
        self.write(
            {
                "state": "sent",
                "error": False,
                "attempts": attempts,
                "last_attempt_date": now,
                "next_attempt_date": False,
                "sent_date": now,
                "msg_id": zalo_id(data.get("message_id")),
            }
        )
        if was_failed and self.ticket_id:
            self.ticket_id.with_context(zalo_skip_send=True).message_post(
                body=self.env._(
                    "The Zalo message that had failed was delivered (attempt %s).",
                    attempts,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _notify_failure(self, given_up):
        """Make a refused message visible on its ticket: a note on the first failure
        and when the retries are exhausted, then an activity for a person."""
        self.ensure_one()
        ticket = self.ticket_id
        if not ticket or not (given_up or self.attempts == 1):
            return
        if given_up:
            body = self.env._(
                "A Zalo message to the customer could not be delivered after "
                "%(attempts)s attempts and will not be retried: contact the customer "
                "another way. Last error: %(error)s",
                attempts=self.attempts,
                error=self.error,
            )
        else:
            body = self.env._(
                "A Zalo message to the customer could not be delivered: %(error)s. "
                "It will be retried automatically.",
                error=self.error,
            )
        # sudo: connector note, text escaped
        ticket = ticket.sudo().with_context(zalo_skip_send=True)
        ticket.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        if given_up and ticket.user_id:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Zalo message not delivered"),
                note=self.text,
                user_id=ticket.user_id.id,
            )

    @api.model
    def _cron_retry(self, limit=100):
        """Retry the outgoing messages whose next attempt is due, oldest first."""
        due = self.sudo().search(  # sudo: retry cron: all companies
            [
                ("direction", "=", "out"),
                ("state", "in", ("queued", "failed")),
                ("next_attempt_date", "<=", fields.Datetime.now()),
            ],
            order="id",
            limit=limit,
        )
        # Commit after each message outside tests: what was sent must stay recorded
        # as sent even if a later message breaks the transaction.
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for message in due:
            if message._send_one() is not None:
                done += 1
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        remaining = 0
        if len(due) == limit:
            remaining = self.sudo().search_count(  # sudo: progress count
                [
                    ("direction", "=", "out"),
                    ("state", "in", ("queued", "failed")),
                    ("next_attempt_date", "<=", fields.Datetime.now()),
                ]
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
