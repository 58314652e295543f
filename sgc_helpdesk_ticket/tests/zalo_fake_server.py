# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for Zalo's OA API: a real HTTP server on 127.0.0.1 for tests.

It speaks the contract the connector relies on (shared/docs/zalo-oa.md):

- ``POST /v3.0/oa/message/cs``: header ``access_token`` must be the current access
  token; body ``{"recipient": {"user_id"|"message_id": ...}, "message": {"text"}}``
  with a text of 1 to 2,000 characters. Answers ``{"error": 0, "message":
  "Success", "data": {"message_id", "user_id", "quota"}}``, or an error code.
- ``POST /v3.0/oa/quota/message``: the reply quota of a user.
- ``POST /v4/oa/access_token``: OAuth v4 refresh (form-encoded, header
  ``secret_key``); a refresh token works once, then is refused.
- ``GET /v3.0/oa/user/detail?data={"user_id": ...}``: a follower's profile
  (``display_name``, ``avatar``) registered with :meth:`FakeZaloServer.add_profile`.
- ``GET /v4/oa/permission``: the OA admin's consent page, answered at once by a
  redirect to ``redirect_uri`` with an authorization ``code``, ``oa_id`` and the
  ``state`` given; ``POST /v4/oa/access_token`` with
  ``grant_type=authorization_code`` exchanges that code once, checking the PKCE
  ``code_verifier`` against the ``code_challenge`` (S256) of the consent.
- ``POST /v2.0/oa/upload/image`` and ``/v2.0/oa/upload/file`` (multipart field
  ``file``, header ``access_token``): an image (at most 1 MB) or a file (at most
  5 MB) the OA then sends, answered with ``data.attachment_id`` (image) or
  ``data.token`` (file); a message call may then carry
  ``message.attachment`` (a media template with the image's ``attachment_id``,
  or ``type: file`` with the file's ``token``).
- ``GET /files/<name>``: files registered with :meth:`FakeZaloServer.add_file`,
  standing for the attachments customers send (and the profiles' avatars).

Tests can make the next calls fail (expired token, quota, a dropped connection)
and read every request received. Needs only the standard library, so that the
outside-in tests can load it without Odoo.
"""

import base64
import email.parser
import email.policy
import hashlib
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CS_PATH = "/v3.0/oa/message/cs"
QUOTA_PATH = "/v3.0/oa/quota/message"
TOKEN_PATH = "/v4/oa/access_token"
PROFILE_PATH = "/v3.0/oa/user/detail"
PERMISSION_PATH = "/v4/oa/permission"
UPLOAD_IMAGE_PATH = "/v2.0/oa/upload/image"
UPLOAD_FILE_PATH = "/v2.0/oa/upload/file"
UPLOAD_LIMITS = {"image": 1024 * 1024, "file": 5 * 1024 * 1024}
ERROR_SIZE = -32
FILES_PREFIX = "/files/"

ERROR_TOKEN = -216
ERROR_QUOTA = -211
ERROR_PARAM = -201
ERROR_REFRESH = -14014
ERROR_SECRET = -14002
ERROR_CODE = -14019
ERROR_NOT_FOLLOWER = -213
MAX_TEXT = 2000


def sign(app_id, body, timestamp, oa_secret_key):
    """The webhook signature header Zalo sends: sha256(app id + raw body +
    timestamp + OA secret key), as ``mac=<hex>``."""
    if isinstance(body, str):
        body = body.encode()
    digest = hashlib.sha256(
        app_id.encode() + body + str(timestamp).encode() + oa_secret_key.encode()
    ).hexdigest()
    return f"mac={digest}"


class FakeZaloServer:
    """Start with :meth:`start`, stop with :meth:`stop`; :attr:`url` is the base URL
    for both the OpenAPI and the OAuth settings."""

    def __init__(self, app_id="app-1", app_secret="app-secret", oa_id="oa-1"):
        self.app_id = app_id
        self.app_secret = app_secret
        self.oa_id = oa_id
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None
        self.files = {}
        # Seconds every answer waits, to play a slow Zalo (API and file hosts).
        self.delay = 0
        self.reset()

    # -- life cycle -------------------------------------------------------

    def start(self):
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- what tests set up ------------------------------------------------

    def reset(self, access_token="AT-0", refresh_token="RT-0"):
        """Forget requests and failures; the OA holds this token pair."""
        with self._lock:
            self.requests = []
            self.access_token = access_token
            self.refresh_token = refresh_token
            self.used_refresh_tokens = set()
            self.failures = []
            self.always_fail = None
            self.profiles = {}
            # What the OA uploaded: id or token -> (kind, file name, bytes)
            self.uploads = {}
            # The user-profile API answers HTTP 500 while True.
            self.profile_down = False
            # Authorization codes of the consent page: code -> (challenge, used)
            self.auth_codes = {}
            # Zalo's message ids never repeat, across resets too.
            if not hasattr(self, "_counter"):
                self._counter = itertools.count(1)

    def fail_next(self, *kinds):
        """The next message calls fail, in order: ``"expired"`` (the token is
        refused, as when it expired), ``"quota"``, ``"disconnect"`` (the connection
        is dropped without an answer) or ``"http500"``."""
        with self._lock:
            self.failures.extend(kinds)

    def fail_always(self, kind):
        """Every message call fails with ``kind`` until set back to None."""
        with self._lock:
            self.always_fail = kind

    def expire_access_token(self):
        """The current access token stops working (Zalo expired it early)."""
        with self._lock:
            self.access_token = None

    def add_profile(self, user_id, display_name, avatar=""):
        """A follower's profile, as the OA's user-detail API gives it."""
        with self._lock:
            self.profiles[str(user_id)] = {
                "user_id": str(user_id),
                "display_name": display_name,
                "avatar": avatar,
                "avatars": {"120": avatar, "240": avatar} if avatar else {},
                "user_is_follower": True,
            }

    def add_file(self, name, content, content_type="application/octet-stream"):
        self.files[name] = (content, content_type)
        return f"{self.url}{FILES_PREFIX}{name}"

    # -- what tests read --------------------------------------------------

    def requests_to(self, path):
        with self._lock:
            return [r for r in self.requests if r["path"] == path]

    @property
    def sent_messages(self):
        """Message calls Zalo accepted, as their JSON bodies."""
        return [r["json"] for r in self.requests_to(CS_PATH) if r["answer"] == 0]

    @property
    def token_requests(self):
        return self.requests_to(TOKEN_PATH)

    # -- the API ----------------------------------------------------------

    def _next_id(self):
        return next(self._counter)

    def _answer_cs(self, headers, body):
        with self._lock:
            if headers.get("access_token") != self.access_token or not (
                self.access_token
            ):
                return {"error": ERROR_TOKEN, "message": "Access token is invalid"}
            failure = self.failures.pop(0) if self.failures else self.always_fail
            if failure == "expired":
                self.access_token = None
                return {"error": ERROR_TOKEN, "message": "Access token is invalid"}
            if failure == "quota":
                return {
                    "error": ERROR_QUOTA,
                    "message": "Out of quota: the user did not interact recently",
                }
            if failure in ("disconnect", "http500"):
                return failure
        recipient = body.get("recipient") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        text = message.get("text") if isinstance(message, dict) else None
        attachment = message.get("attachment") if isinstance(message, dict) else None
        if (
            not isinstance(recipient, dict)
            or not (recipient.get("user_id") or recipient.get("message_id"))
            or not (
                (isinstance(text, str) and 0 < len(text) <= MAX_TEXT)
                or self._known_upload(attachment)
            )
        ):
            return {"error": ERROR_PARAM, "message": "Invalid parameter"}
        return {
            "error": 0,
            "message": "Success",
            "data": {
                "message_id": f"{self._next_id():032x}",
                "user_id": recipient.get("user_id") or "",
                "quota": {"quota_type": "reply", "remain": "7", "total": "8"},
            },
        }

    def _known_upload(self, attachment):
        """The uploaded image or file a message's attachment names, if any."""
        if not isinstance(attachment, dict):
            return None
        payload = attachment.get("payload") or {}
        if attachment.get("type") == "file":
            key, kind = payload.get("token"), "file"
        else:
            elements = payload.get("elements") or [{}]
            key, kind = elements[0].get("attachment_id"), "image"
        found = self.uploads.get(key or "")
        return found if found and found[0] == kind else None

    def _answer_upload(self, headers, kind, content_type, raw):
        with self._lock:
            if headers.get("access_token") != self.access_token or not (
                self.access_token
            ):
                return {"error": ERROR_TOKEN, "message": "Access token is invalid"}
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        part = (
            next(
                (
                    p
                    for p in message.iter_parts()
                    if p.get_param("name", header="content-disposition") == "file"
                ),
                None,
            )
            if message.is_multipart()
            else None
        )
        if part is None:
            return {"error": ERROR_PARAM, "message": "No file"}
        content = part.get_payload(decode=True) or b""
        if len(content) > UPLOAD_LIMITS[kind]:
            return {"error": ERROR_SIZE, "message": "File size exceeds the limit"}
        key = f"{kind}-{self._next_id()}"
        with self._lock:
            self.uploads[key] = (kind, part.get_filename(), content)
        data = {"attachment_id": key} if kind == "image" else {"token": key}
        return {"error": 0, "message": "Success", "data": data}

    def _answer_profile(self, headers, query):
        with self._lock:
            if self.profile_down:
                return "http500"
            if headers.get("access_token") != self.access_token or not (
                self.access_token
            ):
                return {"error": ERROR_TOKEN, "message": "Access token is invalid"}
            try:
                data = json.loads((query.get("data") or ["{}"])[0])
            except ValueError:
                data = {}
            profile = self.profiles.get(str((data or {}).get("user_id") or ""))
            if not profile:
                return {
                    "error": ERROR_NOT_FOLLOWER,
                    "message": "User has not followed the OA",
                }
            return {"error": 0, "message": "Success", "data": dict(profile)}

    def _consent(self, query):
        """The consent page: the OA admin agrees at once."""
        redirect_uri = (query.get("redirect_uri") or [""])[0]
        if (query.get("app_id") or [""])[0] != self.app_id or not redirect_uri:
            return None
        code = f"CODE-{self._next_id()}"
        with self._lock:
            self.auth_codes[code] = {
                "challenge": (query.get("code_challenge") or [""])[0],
                "used": False,
            }
        params = {
            "code": code,
            "oa_id": self.oa_id,
            "state": (query.get("state") or [""])[0],
        }
        return f"{redirect_uri}?{urlencode(params)}"

    def _answer_code(self, form):
        """``grant_type=authorization_code``: the code once, with its verifier."""
        grant = self.auth_codes.get(form.get("code") or "")
        verifier = form.get("code_verifier") or ""
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if (
            not grant
            or grant["used"]
            or form.get("app_id") != self.app_id
            or not verifier
            or challenge != grant["challenge"]
        ):
            return {
                "error": ERROR_CODE,
                "error_name": "Invalid authorization code",
                "error_description": "The code is invalid, used or its verifier "
                "does not match",
            }
        grant["used"] = True
        number = self._next_id()
        self.access_token = f"AT-{number}"
        self.refresh_token = f"RT-{number}"
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": "90000",
        }

    def _answer_token(self, headers, form):
        with self._lock:
            if headers.get("secret_key") != self.app_secret:
                return {
                    "error": ERROR_SECRET,
                    "error_name": "Invalid secret key",
                    "error_description": "The app secret key is wrong",
                }
            if form.get("grant_type") == "authorization_code":
                return self._answer_code(form)
            token = form.get("refresh_token")
            if (
                form.get("grant_type") != "refresh_token"
                or form.get("app_id") != self.app_id
                or not token
                or token in self.used_refresh_tokens
                or token != self.refresh_token
            ):
                return {
                    "error": ERROR_REFRESH,
                    "error_name": "Invalid refresh token",
                    "error_description": "The refresh token is invalid or was "
                    "already used",
                }
            number = self._next_id()
            self.used_refresh_tokens.add(token)
            self.access_token = f"AT-{number}"
            self.refresh_token = f"RT-{number}"
            return {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            }


class _Handler(BaseHTTPRequestHandler):
    fake = None
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the tests read :attr:`FakeZaloServer.requests` instead."""

    def _send_json(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self, **values):
        entry = {
            "method": self.command,
            "path": urlsplit(self.path).path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            **values,
        }
        with self.fake._lock:
            self.fake.requests.append(entry)
        return entry

    def do_GET(self):
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if self.fake.delay:
            time.sleep(self.fake.delay)
        if path == PROFILE_PATH:
            answer = self.fake._answer_profile(headers, query)
            if answer == "http500":
                self._record(query=query, answer=500)
                self._send_json(500, {"message": "Internal error"})
                return
            self._record(query=query, answer=answer["error"])
            self._send_json(200, answer)
            return
        if path == PERMISSION_PATH:
            location = self.fake._consent(query)
            self._record(query=query, answer=0 if location else 400)
            if not location:
                self._send_json(400, {"error": 400, "message": "Invalid app"})
                return
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._record(answer=None)
        name = path[len(FILES_PREFIX) :] if path.startswith(FILES_PREFIX) else None
        if name not in self.fake.files:
            self._send_json(404, {"error": 404, "message": "Not found"})
            return
        content, content_type = self.fake.files[name]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_POST(self):
        path = urlsplit(self.path).path
        if self.fake.delay:
            time.sleep(self.fake.delay)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        if path == TOKEN_PATH:
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            answer = self.fake._answer_token(headers, form)
            self._record(form=form, json=None, answer=answer.get("error", 0))
            self._send_json(200, answer)
            return
        if path in (UPLOAD_IMAGE_PATH, UPLOAD_FILE_PATH):
            kind = "image" if path == UPLOAD_IMAGE_PATH else "file"
            answer = self.fake._answer_upload(
                headers, kind, headers.get("content-type", ""), raw
            )
            self._record(json=None, size=len(raw), answer=answer["error"])
            self._send_json(200, answer)
            return
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        if path == CS_PATH:
            answer = self.fake._answer_cs(headers, body)
            if answer == "disconnect":
                self._record(json=body, answer="disconnect")
                # Drop the connection without a word, as a network failure does.
                self.close_connection = True
                return
            if answer == "http500":
                self._record(json=body, answer=500)
                self._send_json(500, {"message": "Internal error"})
                return
            self._record(json=body, answer=answer["error"])
            self._send_json(200, answer)
            return
        if path == QUOTA_PATH:
            self._record(json=body, answer=0)
            self._send_json(
                200,
                {
                    "error": 0,
                    "message": "Success",
                    "data": {"quota_type": "reply", "remain": "7", "total": "8"},
                },
            )
            return
        self._record(json=body, answer=404)
        self._send_json(404, {"error": 404, "message": "Not found"})
