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

from .main import FORM_URL

_logger = logging.getLogger(__name__)

# Where /ticket/close leaves why a close was refused, for the ticket's page.
CLOSE_ERROR_KEY = "sgc_ticket_close_error"


def _to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SgcHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, **kw):
        """Close a ticket from the portal, with the caller's own rights: their own
        ticket only, a "done" stage means the customer confirms satisfaction
        (SOP V.4), a cancel needs its reason. All or nothing.

        helpdesk_mgmt's version took GET, looked the ticket up with sudo and
        checked only the target stage: any logged-in user could close any ticket.
        """
        ticket_id, stage_id = _to_int(kw.get("ticket_id")), _to_int(kw.get("stage_id"))
        if not ticket_id or not stage_id:
            raise NotFound()
        ticket = request.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not ticket or not ticket.has_access("read"):
            raise NotFound()
        url = f"/my/ticket/{ticket.id}"
        stage = request.env["helpdesk.ticket.stage"].browse(stage_id).exists()
        if not stage or not stage.has_access("read") or not stage.close_from_portal:
            return redirect(url)
        try:
            with request.env.cr.savepoint():
                ticket._sgc_close_from_portal(stage, reason=kw.get("reason"))
        except AccessError:
            _logger.info("Portal close of ticket %s refused: no right", ticket.id)
            request.session[CLOSE_ERROR_KEY] = request.env._(
                "You may not close or cancel this request."
            )
        except UserError as exc:
            _logger.info("Portal close of ticket %s refused: %s", ticket.id, exc)
            request.session[CLOSE_ERROR_KEY] = str(exc)
        return redirect(url)

    @http.route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, **kw):
        """SGC's request form is the one way in from the web (rate limit, file
        checks, acknowledgement): helpdesk_mgmt's portal form leads there."""
        return request.redirect(FORM_URL, code=303)

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True)
    def submit_ticket(self, **kw):
        """helpdesk_mgmt's submission skipped the form's limits: nothing is
        created here; the customer is sent to SGC's form."""
        _logger.info("Refused a submission to /submitted/ticket (use %s)", FORM_URL)
        return request.redirect(FORM_URL, code=303)


class SgcCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    # helpdesk_mgmt's labels of the ticket list's search bar are its own code
    # terms, which only its own translations reach (it ships no Vietnamese): the
    # addon words them, in its own terms.
    def _sgc_relabel(self, values, labels):
        for key, label in labels.items():
            if key in values:
                values[key] = dict(values[key], label=label)
        return values

    def _ticket_get_searchbar_sortings(self):
        _ = request.env._
        return self._sgc_relabel(
            super()._ticket_get_searchbar_sortings(),
            {
                "date": _("Newest first"),
                "name": _("By title"),
                "stage": _("By stage"),
                "update": _("Latest stage change"),
            },
        )

    def _ticket_get_searchbar_groupby(self):
        _ = request.env._
        return self._sgc_relabel(
            super()._ticket_get_searchbar_groupby(),
            {
                "none": _("No grouping"),
                "category": _("By type of request"),
                "stage": _("By stage"),
            },
        )

    def _ticket_get_searchbar_inputs(self):
        _ = request.env._
        return self._sgc_relabel(
            super()._ticket_get_searchbar_inputs(),
            {
                "all": _("Search everywhere"),
                "number": _("Search in the request code"),
                "name": _("Search in the title"),
            },
        )

    @http.route()
    def portal_my_tickets(self, *args, **kw):
        response = super().portal_my_tickets(*args, **kw)
        filters = getattr(response, "qcontext", {}).get("searchbar_filters")
        if filters:
            self._sgc_relabel(filters, {"all": request.env._("All requests")})
        return response

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["sgc_close_error"] = request.session.pop(CLOSE_ERROR_KEY, None)
        return values

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
            # sudo (inside): the ticket of the logged-in customer (record rules)
            # or of the valid access token mailed to them; only their answer is
            # recorded, by _record_satisfaction.
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
            with request.env.cr.savepoint():
                ticket._record_satisfaction(
                    "portal", note=(note or "")[:2000], satisfied=satisfied == "yes"
                )
        except UserError as exc:
            _logger.info("Satisfaction on %s not recorded: %s", ticket.number, exc)
        return redirect(url)
