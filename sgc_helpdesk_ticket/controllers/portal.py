# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

_logger = logging.getLogger(__name__)


def _to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SgcHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["GET", "POST"])
    def support_ticket_close(self, **kw):
        """Close a ticket from the portal: only one's own ticket, and a "done"
        target means the customer confirms satisfaction (SOP V.4).

        helpdesk_mgmt's version looked the ticket up with sudo and checked only the
        target stage, so any logged-in user could close any ticket by id.
        """
        ticket_id, stage_id = _to_int(kw.get("ticket_id")), _to_int(kw.get("stage_id"))
        if not ticket_id or not stage_id:
            raise NotFound()
        ticket = request.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not ticket or not ticket.has_access("read"):
            raise NotFound()
        stage = request.env["helpdesk.ticket.stage"].sudo().browse(stage_id).exists()
        if not stage or not stage.close_from_portal:
            return redirect(f"/my/ticket/{ticket.id}")
        ticket = ticket.sudo()
        try:
            if stage.state == "done":
                ticket._record_satisfaction("portal", user=None)
            else:
                ticket.stage_id = stage
        except UserError as exc:
            _logger.info("Portal close of %s refused: %s", ticket.number, exc)
        return redirect(f"/my/ticket/{ticket.id}")


class SgcCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    @http.route(
        "/my/ticket/<int:ticket_id>/satisfaction",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_satisfaction(
        self, ticket_id, access_token=None, satisfied=None, note=None, **kw
    ):
        """The customer confirms (or refuses) that the work satisfies them."""
        try:
            ticket = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        url = f"/my/ticket/{ticket.id}"
        if access_token:
            url += f"?access_token={access_token}"
        if ticket.satisfaction_state != "pending" or ticket.state not in (
            "in_progress",
            "paused",
        ):
            return redirect(url)
        try:
            ticket._record_satisfaction(
                "portal", note=(note or "")[:2000], satisfied=satisfied == "yes"
            )
        except UserError as exc:
            _logger.info("Satisfaction on %s not recorded: %s", ticket.number, exc)
        return redirect(url)
