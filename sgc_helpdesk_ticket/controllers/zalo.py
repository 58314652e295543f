# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from ..models.zalo_oa_account import MANAGER_GROUP, OAUTH_CALLBACK_PATH, ZaloApiError

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


class ZaloOAuthController(http.Controller):
    @http.route(
        OAUTH_CALLBACK_PATH,
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def zalo_oauth_callback(self, code=None, state=None, oa_id=None, **kwargs):
        """Where Zalo sends the manager back after the OA's consent: the
        authorization code is exchanged for the tokens of the account whose
        "Connect Zalo OA" started it (the state is single-use and expires)."""
        if not request.env.user.has_group(MANAGER_GROUP):
            raise Forbidden()
        Account = request.env["zalo.oa.account"]
        account = Account._oauth_account_for_state(state)
        if not account:
            return request.render(
                "sgc_helpdesk_ticket.zalo_oauth_result",
                {
                    "error": request.env._(
                        "This connection link is unknown or expired: start again "
                        "with the Connect Zalo OA button."
                    )
                },
                status=400,
            )
        error = False
        if not code:
            error = request.env._("Zalo sent no authorization code.")
        else:
            try:
                account._oauth_complete(code, oa_id=oa_id)
            except ZaloApiError as exc:
                error = str(exc)
        return request.render(
            "sgc_helpdesk_ticket.zalo_oauth_result",
            {
                "error": error,
                "account": account.with_env(request.env),
                "back_url": f"/odoo/action-sgc_helpdesk_ticket.zalo_oa_account_action/"
                f"{account.id}",
            },
            status=400 if error else 200,
        )
