# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class ZaloWebhookController(http.Controller):
    @http.route(
        "/zalo/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def zalo_webhook(self, **kwargs):
        """Zalo OA events. Only calls signed with the OA secret key, with a
        recent timestamp, are stored; anything else is refused with 403. Zalo
        re-sends a call not answered 200 within about 2 seconds, so the webhook
        only stores the raw event (de-duplicated) and answers: the ticket, the
        downloads and every call to Zalo's API run as a job afterwards."""
        httprequest = request.httprequest
        raw_body = httprequest.get_data(cache=True)
        signature = httprequest.headers.get("X-ZEvent-Signature")
        if not signature:
            return self._refuse("missing signature")
        try:
            payload = json.loads(raw_body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return self._refuse("body is not a JSON object")
        # The account is looked up by the app id to check the signature with
        # its secret: nothing of the payload is rendered or evaluated.
        account = (
            # sudo: app id -> secret
            request.env["zalo.oa.account"].sudo()._get_for_app(payload.get("app_id"))
        )
        if not account:
            return self._refuse("unknown app_id")
        timestamp = account._webhook_timestamp(payload, httprequest.headers)
        if not account._check_signature(raw_body, signature, timestamp):
            return self._refuse("bad signature")
        if not account._is_timestamp_fresh(timestamp):
            return self._refuse("timestamp outside the accepted window")
        # A signed event of this account, stored as data (the public user has no
        # right on zalo.message); its processing is a job.
        request.env["zalo.message"].sudo()._process_webhook_event(account, payload)
        return request.make_json_response({"error": 0, "message": "ok"})

    def _refuse(self, reason):
        _logger.info(
            "Zalo webhook call from %s refused: %s",
            request.httprequest.remote_addr,
            reason,
        )
        return request.make_json_response(
            {"error": 403, "message": "forbidden"}, status=403
        )
