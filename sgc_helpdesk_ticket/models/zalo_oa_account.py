# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import psycopg2
import requests

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "sgc_helpdesk_ticket.group_manager"
DEFAULT_API_BASE_URL = "https://openapi.zalo.me"
# Zalo's OAuth v4 host as the API facts give it; some sources use oauth.zalo.me.
DEFAULT_OAUTH_BASE_URL = "https://oauth.zaloapp.com"
CS_MESSAGE_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"
PROFILE_PATH = "/v3.0/oa/user/detail"
UPLOAD_IMAGE_PATH = "/v2.0/oa/upload/image"
UPLOAD_FILE_PATH = "/v2.0/oa/upload/file"
# The OA admin's consent page of OAuth v4, and where it sends the admin back.
PERMISSION_PATH = "/v4/oa/permission"
OAUTH_CALLBACK_PATH = "/zalo/oauth/callback"
# How long a "Connect" started by a manager may wait for Zalo's answer.
OAUTH_STATE_MINUTES = 15
# How long a worker waits for another one that is refreshing the same account.
REFRESH_LOCK_TIMEOUT = "15s"
# The ITS map's Zalo reply (seed), with ITS replaced by the company name. Used only
# when the intake's mail template for Zalo is missing. Customer-facing data, kept in
# Vietnamese on purpose; managers edit it on the account.
DEFAULT_ACK_TEXT = (
    "Thân chào anh/chị {name}, {company} đã ghi nhận yêu cầu hỗ trợ của anh/chị, "
    "phòng kỹ thuật sẽ liên hệ để hỗ trợ trong thời gian sớm nhất. "
    "Anh/chị vui lòng đợi ít phút giúp {company}!"
)


class ZaloApiError(Exception):
    """A call to Zalo failed: network, HTTP, or an ``error`` code in the answer."""

    def __init__(self, message, code=None, token_error=False):
        super().__init__(message)
        self.code = code
        self.token_error = token_error


class ZaloOaAccount(models.Model):
    _name = "zalo.oa.account"
    _description = "Zalo Official Account"
    _order = "company_id, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    app_id = fields.Char(
        string="App ID",
        required=True,
        help="Id of the Zalo app linked to the OA (webhook calls carry it).",
    )
    app_secret_key = fields.Char(
        groups=MANAGER_GROUP,
        copy=False,
        help="The app's secret key, sent when refreshing the access token.",
    )
    oa_secret_key = fields.Char(
        string="OA Secret Key",
        groups=MANAGER_GROUP,
        copy=False,
        help="Key shown on the app's webhook page: it signs every webhook call.",
    )
    access_token = fields.Char(groups=MANAGER_GROUP, copy=False)
    refresh_token = fields.Char(
        groups=MANAGER_GROUP,
        copy=False,
        help="Works only once: each refresh stores the new pair Zalo returns.",
    )
    access_token_expiry = fields.Datetime(copy=False)
    token_refresh_margin = fields.Integer(
        string="Refresh Margin (minutes)",
        default=60,
        help="The access token is refreshed when it expires within this delay.",
    )
    last_refresh_date = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(
        string="Last Token Error",
        readonly=True,
        copy=False,
        help="Why the last token refresh failed; empty once a refresh works.",
    )
    api_base_url = fields.Char(
        string="API Base URL", required=True, default=DEFAULT_API_BASE_URL
    )
    oauth_base_url = fields.Char(
        string="OAuth Base URL", required=True, default=DEFAULT_OAUTH_BASE_URL
    )
    signature_timestamp_source = fields.Selection(
        selection=[
            ("body", "Body field 'timestamp'"),
            ("header", "Header X-ZEvent-Timestamp"),
        ],
        required=True,
        default="body",
        help="Where the timestamp that enters the webhook signature is read: "
        "sources disagree.",
    )
    reply_with_message_id = fields.Boolean(
        string="Acknowledge as Reply",
        default=True,
        help="Address the acknowledgement to the customer's incoming message "
        "(recipient message_id), which uses the reply quota; otherwise to the "
        "customer's user id.",
    )
    token_error_codes = fields.Char(
        default="-216,-124",
        help="Comma-separated Zalo error codes meaning the access token is expired "
        "or invalid: the token is refreshed and the message sent again, once.",
    )
    request_timeout = fields.Integer(
        string="Request Timeout (seconds)",
        default=10,
        help="Timeout of each call to Zalo.",
    )
    max_send_attempts = fields.Integer(
        default=5,
        help="A message still refused after this many attempts is left to a person "
        "(activity on the ticket).",
    )
    retry_delay = fields.Integer(
        string="First Retry Delay (minutes)",
        default=15,
        help="Delay before the first retry of a failed message, doubled after each "
        "failed attempt.",
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Team of New Tickets",
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    ack_text = fields.Text(
        string="Fallback Acknowledgement",
        default=DEFAULT_ACK_TEXT,
        help="Sent when the Zalo acknowledgement mail template is missing. "
        "{name} is replaced by the customer's name, {company} by the company's.",
    )
    attachment_hosts = fields.Char(
        default="zdn.vn,zadn.vn,zalo.me",
        help="Comma-separated host names (and their sub-domains) from which files "
        "sent by customers are downloaded; other links are only kept as links.",
    )
    attachment_max_size = fields.Integer(
        string="Max Attachment Size (MB)",
        default=10,
    )
    upload_image_types = fields.Char(
        string="Image Types Sent",
        default="jpg,jpeg,png",
        help="Extensions of the images that staff replies send through the OA's "
        "image upload.",
    )
    upload_image_max_size = fields.Float(
        string="Max Image Size Sent (MB)",
        default=1.0,
        help="Zalo's limit for an image sent by the OA.",
    )
    upload_file_types = fields.Char(
        string="File Types Sent",
        default="pdf,doc,docx",
        help="Extensions of the files that staff replies send through the OA's "
        "file upload.",
    )
    upload_file_max_size = fields.Float(
        string="Max File Size Sent (MB)",
        default=5.0,
        help="Zalo's limit for a file sent by the OA.",
    )
    webhook_max_age_hours = fields.Integer(
        string="Webhook Event Max Age (hours)",
        default=24,
        help="Events whose timestamp is older (or further in the future) than "
        "this are refused as replays. Zalo retries an unanswered call for up to "
        "about 12 hours: keep the window above that. 0: no check.",
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        help="Register this address as the webhook of the Zalo app.",
    )
    oauth_callback_url = fields.Char(
        string="Callback URL",
        compute="_compute_webhook_url",
        help="Register this address as the Zalo app's callback URL (Official "
        "Account settings): Zalo sends the manager back there after consent.",
    )
    oa_id = fields.Char(
        string="OA ID", readonly=True, copy=False, help="Given by Zalo on connection."
    )
    connected = fields.Boolean(compute="_compute_connected")
    # One connection in progress: the OAuth state and the PKCE verifier.
    oauth_state = fields.Char(groups=MANAGER_GROUP, copy=False)
    oauth_code_verifier = fields.Char(groups=MANAGER_GROUP, copy=False)
    oauth_state_date = fields.Datetime(groups=MANAGER_GROUP, copy=False)

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company has one Zalo Official Account.",
        ),
        ("app_id_uniq", "unique(app_id)", "This Zalo app is already configured."),
    ]

    def _default_team_id(self):
        return self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_team_intake",
            raise_if_not_found=False,
        )

    def _compute_webhook_url(self):
        # sudo: the public base URL, shown to the manager who configures Zalo.
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        for account in self:
            account.webhook_url = f"{base_url}/zalo/webhook"
            account.oauth_callback_url = f"{base_url}{OAUTH_CALLBACK_PATH}"

    @api.depends("access_token_expiry", "last_refresh_date")
    def _compute_connected(self):
        # sudo: whether a token is stored, never the token itself.
        for account, stored in zip(self, self.sudo(), strict=True):
            account.connected = bool(stored.access_token or stored.refresh_token)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_connect(self):
        """ "Connect Zalo OA": send the manager to Zalo's consent page (OAuth v4
        with PKCE); Zalo sends them back to the callback with a code, which
        :meth:`_oauth_complete` exchanges for the tokens."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._("Only a helpdesk manager connects Zalo."))
        verifier = secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(24)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        self.write(
            {
                "oauth_state": state,
                "oauth_code_verifier": verifier,
                "oauth_state_date": fields.Datetime.now(),
            }
        )
        query = urlencode(
            {
                "app_id": self.app_id,
                "redirect_uri": self.oauth_callback_url,
                "code_challenge": challenge,
                "state": state,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"{self.oauth_base_url.rstrip('/')}{PERMISSION_PATH}?{query}",
            "target": "self",
        }

    @api.model
    def _oauth_account_for_state(self, state):
        """The account whose connection ``state`` names, if still fresh."""
        if not state or len(state) > 200:
            return self.browse()
        since = fields.Datetime.now() - timedelta(minutes=OAUTH_STATE_MINUTES)
        # sudo: the state is the secret the manager's browser carries back;
        # matched exactly (and compared in constant time below).
        account = self.sudo().search(
            [("oauth_state", "=", state), ("oauth_state_date", ">=", since)],
            limit=1,
        )
        if account and hmac.compare_digest(account.oauth_state, state):
            return account
        return self.browse()

    def _oauth_complete(self, code, oa_id=None):
        """Exchange Zalo's authorization code (once) for the token pair."""
        self.ensure_one()
        # sudo: the manager's own connection (checked by the caller), the
        # verifier and the secret key stay here.
        account = self.sudo()
        url = account.oauth_base_url.rstrip("/") + TOKEN_PATH
        verifier = account.oauth_code_verifier or ""
        # The state is spent whatever Zalo answers.
        account.write(
            {
                "oauth_state": False,
                "oauth_code_verifier": False,
                "oauth_state_date": False,
            }
        )
        try:
            response = requests.post(
                url,
                headers={"secret_key": account.app_secret_key or ""},
                data={
                    "code": code,
                    "app_id": account.app_id,
                    "grant_type": "authorization_code",
                    "code_verifier": verifier,
                },
                timeout=account.request_timeout or 10,
            )
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            error = ZaloApiError(
                self.env._("Zalo could not be reached to connect the OA: %s", exc)
            )
            account.last_error = str(error)
            raise error from exc
        if not isinstance(data, dict) or not data.get("access_token"):
            data = data if isinstance(data, dict) else {}
            reason = " - ".join(
                str(part)
                for part in (
                    data.get("error_name"),
                    data.get("error_description") or data.get("message"),
                )
                if part
            ) or str(data)
            account.last_error = self.env._("Zalo refused the connection: %s", reason)
            raise ZaloApiError(
                self.env._("Zalo refused the connection: %s", reason),
                code=data.get("error"),
            )
        account._store_tokens(data)
        if oa_id:
            account.oa_id = str(oa_id)[:64]
        return True

    def action_refresh_token(self):
        self.ensure_one()
        try:
            self._refresh_access_token(force=True)
        except ZaloApiError as exc:
            raise UserError(
                self.env._("Zalo refused to refresh the token: %s", exc)
            ) from exc
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _get_for_app(self, app_id):
        if not app_id:
            return self.browse()
        # sudo: the webhook's lookup of the account that must verify the call's
        # signature; nothing of it reaches the caller.
        return self.sudo().search([("app_id", "=", str(app_id))], limit=1)

    @api.model
    def _get_for_company(self, company):
        # sudo: the company's OA account, to send with its token; only managers
        # read accounts, and the caller never gets the secrets.
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _webhook_timestamp(self, payload, headers):
        """The timestamp that enters the signature, from where the account says."""
        self.ensure_one()
        if self.signature_timestamp_source == "header":
            return headers.get("X-ZEvent-Timestamp")
        value = payload.get("timestamp")
        return None if value is None else str(value)

    def _is_timestamp_fresh(self, timestamp):
        """The event's timestamp (milliseconds since the epoch, as Zalo sends
        it) is within the account's window around now."""
        self.ensure_one()
        if self.webhook_max_age_hours <= 0:
            return True
        try:
            value = int(str(timestamp).strip())
        except (TypeError, ValueError):
            return False
        if value > 10**11:  # milliseconds
            value = value / 1000
        now = fields.Datetime.now().timestamp()
        return abs(now - value) <= self.webhook_max_age_hours * 3600

    def _check_signature(self, raw_body, signature, timestamp):
        """``X-ZEvent-Signature: mac=<hex>``, hex = sha256(app id + raw body +
        timestamp + OA secret key): plain SHA-256, not HMAC."""
        self.ensure_one()
        # sudo: the OA secret key stays inside this check.
        account = self.sudo()
        if not (signature and timestamp and account.oa_secret_key):
            return False
        received = signature.strip()
        if received.lower().startswith("mac="):
            received = received[4:].strip()
        expected = hashlib.sha256(
            account.app_id.encode()
            + raw_body
            + str(timestamp).encode()
            + account.oa_secret_key.encode()
        ).hexdigest()
        return hmac.compare_digest(
            expected.encode(), received.lower().encode("utf-8", "replace")
        )

    def _is_token_error(self, code):
        codes = {c.strip() for c in (self.token_error_codes or "").split(",")}
        return str(code) in codes

    def _token_needs_refresh(self):
        self.ensure_one()
        if not self.access_token:
            return True
        if not self.access_token_expiry:
            return False
        margin = timedelta(minutes=max(self.token_refresh_margin, 0))
        return self.access_token_expiry - margin <= fields.Datetime.now()

    def _get_access_token(self):
        """A usable access token, refreshed first when it is about to expire."""
        self.ensure_one()
        # sudo: the tokens are used here to call Zalo, never returned to a user.
        account = self.sudo()
        if account._token_needs_refresh() and account.refresh_token:
            return account._refresh_access_token()
        if not account.access_token:
            raise ZaloApiError(
                self.env._("The Zalo account %s has no access token.", account.name),
                token_error=True,
            )
        return account.access_token

    def _refresh_access_token(self, stale_token=None, force=False):
        """Exchange the refresh token for a new pair, once across all workers.

        Runs in a transaction of its own, committed at once: Zalo spends the refresh
        token when it answers, so the new pair must be kept even if the caller's
        transaction is rolled back later. The row lock (SELECT ... FOR NO KEY
        UPDATE) makes concurrent callers wait; each re-reads the row after the
        lock and only calls Zalo if the token is still the one it found stale.

        :param stale_token: the access token Zalo refused, if any
        :param force: refresh even if the stored token looks valid
        :returns: the access token to use
        """
        self.ensure_one()
        # What this transaction changed on the account must not overwrite the
        # new pair afterwards.
        self.flush_recordset()
        error = None
        try:
            with self.env.registry.cursor() as cr:
                cr.execute(SQL("SET LOCAL lock_timeout = %s", REFRESH_LOCK_TIMEOUT))
                # NO KEY UPDATE, not UPDATE: the caller's own transaction holds a
                # KEY SHARE lock on the row as soon as it inserted a zalo.message
                # (foreign key), which FOR UPDATE would wait for until it times out.
                # A worker that waited here for another one's refresh gets a
                # serialization failure (repeatable read): expected, not logged.
                cr.execute(
                    SQL(
                        "SELECT id FROM zalo_oa_account WHERE id = %s "
                        "FOR NO KEY UPDATE",
                        self.id,
                    ),
                    log_exceptions=False,
                )
                if not cr.fetchone():
                    raise UserError(self.env._("Save the Zalo account first."))
                account = self.env(cr=cr, su=True)[self._name].browse(self.id)
                already_refreshed = (
                    not account._token_needs_refresh()
                    and account.access_token != stale_token
                )
                if already_refreshed and not force:
                    token = account.access_token
                else:
                    try:
                        token = account._request_new_tokens()
                    except ZaloApiError as exc:
                        account.last_error = str(exc)
                        error = exc
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.LockNotAvailable,
        ):
            # Another worker refreshed (or is refreshing) this account right now:
            # use what it stored rather than spending the refresh token twice.
            with self.env.registry.cursor() as cr:
                account = self.env(cr=cr, su=True)[self._name].browse(self.id)
                token = account.access_token
        self.invalidate_recordset()
        if error:
            raise error
        return token

    def _request_new_tokens(self):
        """Call Zalo's OAuth v4 endpoint and store the new pair. Caller holds the
        row lock."""
        self.ensure_one()
        if not self.refresh_token:
            raise ZaloApiError(self.env._("No refresh token is stored."))
        url = self.oauth_base_url.rstrip("/") + TOKEN_PATH
        try:
            response = requests.post(
                url,
                headers={"secret_key": self.app_secret_key or ""},
                data={
                    "refresh_token": self.refresh_token,
                    "app_id": self.app_id,
                    "grant_type": "refresh_token",
                },
                timeout=self.request_timeout or 10,
            )
            data = response.json()
        except requests.RequestException as exc:
            raise ZaloApiError(
                self.env._("Network error while refreshing the token: %s", exc)
            ) from exc
        except ValueError as exc:
            raise ZaloApiError(
                self.env._(
                    "Zalo answered the token refresh with HTTP %s and no JSON.",
                    response.status_code,
                )
            ) from exc
        if not isinstance(data, dict) or not data.get("access_token"):
            data = data if isinstance(data, dict) else {}
            reason = (
                data.get("error_description")
                or data.get("error_reason")
                or data.get("error_name")
                or data.get("message")
                or str(data)
            )
            raise ZaloApiError(
                self.env._(
                    "Token refresh refused (%(code)s): %(reason)s",
                    code=data.get("error"),
                    reason=reason,
                ),
                code=data.get("error"),
            )
        self._store_tokens(data)
        _logger.info("Zalo access token of account %s refreshed", self.id)
        return data["access_token"]

    def _store_tokens(self, data):
        """Keep the pair Zalo answered (a refresh or a new connection)."""
        self.ensure_one()
        try:
            expires_in = int(data.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        now = fields.Datetime.now()
        self.write(
            {
                "access_token": data["access_token"],
                # The refresh token just used is spent: keep the new one.
                "refresh_token": data.get("refresh_token") or False,
                "access_token_expiry": (
                    now + timedelta(seconds=expires_in) if expires_in else False
                ),
                "last_refresh_date": now,
                "last_error": False,
            }
        )

    def _call_api(self, path, payload, token, method="POST", files=None):
        """Call the OpenAPI (``payload`` as JSON, or ``files`` as a multipart
        upload); the answer's ``data`` on success."""
        self.ensure_one()
        url = self.api_base_url.rstrip("/") + path
        try:
            response = requests.request(
                method,
                url,
                json=payload if files is None else None,
                files=files,
                headers={"access_token": token},
                timeout=self.request_timeout or 10,
            )
        except requests.RequestException as exc:
            raise ZaloApiError(
                self.env._("Network error while calling Zalo: %s", exc)
            ) from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or "error" not in data:
            raise ZaloApiError(
                self.env._(
                    "Zalo answered with HTTP %(status)s: %(body)s",
                    status=response.status_code,
                    body=(response.text or "")[:200],
                )
            )
        code = data.get("error")
        if str(code) == "0":
            return data.get("data") or {}
        raise ZaloApiError(
            self.env._(
                "Zalo error %(code)s: %(message)s",
                code=code,
                message=data.get("message") or "",
            ),
            code=code,
            token_error=self._is_token_error(code),
        )

    def _post(self, path, payload):
        """Call the OpenAPI with a valid token; on an expired-token answer refresh
        the token and try once more."""
        self.ensure_one()
        # sudo: the token is used for this call only, never returned to a user.
        account = self.sudo()
        token = account._get_access_token()
        try:
            return account._call_api(path, payload, token)
        except ZaloApiError as exc:
            if not exc.token_error or not account.refresh_token:
                raise
        token = account._refresh_access_token(stale_token=token)
        return account._call_api(path, payload, token)

    def _get_user_profile(self, user_id):
        """The follower's Zalo profile: ``{"display_name", "avatar"}`` (empty
        strings when Zalo gives none). Raises ZaloApiError."""
        self.ensure_one()
        # sudo: the token is used for this call only, never returned to a user.
        account = self.sudo()
        query = urlencode({"data": json.dumps({"user_id": str(user_id)})})
        path = f"{PROFILE_PATH}?{query}"
        token = account._get_access_token()
        try:
            data = account._call_api(path, None, token, method="GET")
        except ZaloApiError as exc:
            if not exc.token_error or not account.refresh_token:
                raise
            token = account._refresh_access_token(stale_token=token)
            data = account._call_api(path, None, token, method="GET")
        avatars = data.get("avatars") if isinstance(data.get("avatars"), dict) else {}
        return {
            "display_name": str(data.get("display_name") or "").strip()[:128],
            "avatar": str(avatars.get("240") or data.get("avatar") or "")[:1000],
        }

    def _upload_kind(self, name, size):
        """("image" | "file", None) for an attachment Zalo takes, else
        (None, the reason it does not)."""
        self.ensure_one()
        ext = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
        for kind, types, limit in (
            ("image", self.upload_image_types, self.upload_image_max_size),
            ("file", self.upload_file_types, self.upload_file_max_size),
        ):
            allowed = [t.strip().lstrip(".").lower() for t in (types or "").split(",")]
            if ext and ext in allowed:
                if size > limit * 1024 * 1024:
                    megabytes = str(round(limit, 2)).removesuffix(".0")
                    return None, self.env._(
                        "%(file)s is larger than Zalo's %(size)s MB.",
                        file=name,
                        size=megabytes,
                    )
                return kind, None
        return None, self.env._(
            "%(file)s: Zalo takes images (%(images)s) and files (%(files)s) only.",
            file=name,
            images=self.upload_image_types or "-",
            files=self.upload_file_types or "-",
        )

    def _send_attachment(self, recipient, attachment):
        """Upload ``attachment`` (an ir.attachment) to the OA and send it."""
        self.ensure_one()
        kind, reason = self._upload_kind(attachment.name, attachment.file_size)
        if not kind:
            raise ZaloApiError(reason)
        path = UPLOAD_IMAGE_PATH if kind == "image" else UPLOAD_FILE_PATH
        files = {
            "file": (
                attachment.name,
                attachment.raw,
                attachment.mimetype or "application/octet-stream",
            )
        }
        # sudo: the token is used for this call only, never returned to a user.
        account = self.sudo()
        token = account._get_access_token()
        try:
            data = account._call_api(path, None, token, files=files)
        except ZaloApiError as exc:
            if not exc.token_error or not account.refresh_token:
                raise
            token = account._refresh_access_token(stale_token=token)
            data = account._call_api(path, None, token, files=files)
        if kind == "image":
            message = {
                "attachment": {
                    "type": "template",
                    "payload": {
                        "template_type": "media",
                        "elements": [
                            {
                                "media_type": "image",
                                "attachment_id": data.get("attachment_id"),
                            }
                        ],
                    },
                }
            }
        else:
            message = {
                "attachment": {"type": "file", "payload": {"token": data.get("token")}}
            }
        return self._post(CS_MESSAGE_PATH, {"recipient": recipient, "message": message})

    def _send_text(self, recipient, text):
        """Send a customer-service text message; returns the answer's data."""
        return self._post(
            CS_MESSAGE_PATH, {"recipient": recipient, "message": {"text": text}}
        )

    def _attachment_host_allowed(self, url):
        self.ensure_one()
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            return False
        allowed = [h.strip().lower() for h in (self.attachment_hosts or "").split(",")]
        return any(h and (host == h or host.endswith("." + h)) for h in allowed)

    @api.model
    def _cron_zalo(self):
        """Refresh tokens close to expiry, then retry the messages not yet sent."""
        # sudo: a cron over every company's account (run by the scheduler).
        for account in self.sudo().search([("refresh_token", "!=", False)]):
            if not account._token_needs_refresh():
                continue
            try:
                account._refresh_access_token()
            except ZaloApiError as exc:
                _logger.warning("Zalo account %s: %s", account.id, exc)
        self.env["zalo.message"]._cron_retry()
