# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every HTTP route of sgc_helpdesk_ticket and helpdesk_mgmt, as the live routing
map has them, called the wrong way: anonymous, by another customer, with a wrong or
missing access token, without CSRF token, with the wrong method. Each answers a
4xx or a redirect, never a 500, and changes nothing. A route without a case in
ROUTES fails ``test_every_route_has_cases``.

The intake routes (the website form, the Zalo webhook) are covered here for method,
CSRF and signature only; their behaviour is in test_intake_web.py and test_zalo.py.
"""

import threading
from collections import namedtuple
from datetime import date

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SgcHelpdeskCase

MODULES = {"sgc_helpdesk_ticket", "helpdesk_mgmt"}
LOGIN = 303  # auth="user" routes send a visitor to /web/login

# who: None (visitor), "portal_a", "portal_b" (another customer), "kpi" (read-only
# staff). url: formatted with the fixtures (ticket, report, token...). data: a POST
# body (None: GET); csrf: add the session's CSRF token. expect: the status code;
# location: the end of the redirect's target.
Case = namedtuple(
    "Case", "label who method url data csrf expect location", defaults=(None,)
)

ROUTES = {
    "/ticket/close": [
        Case("visitor", None, "POST", "/ticket/close", "close_a", True, LOGIN),
        Case("GET", "portal_a", "GET", "/ticket/close?{close_a_qs}", None, False, 405),
        Case("no CSRF", "portal_a", "POST", "/ticket/close", "close_a", False, 400),
        Case(
            "other customer", "portal_b", "POST", "/ticket/close", "close_a", True, 404
        ),
        Case("no ticket", "portal_a", "POST", "/ticket/close", "no_ticket", True, 404),
        Case(
            "read-only staff",
            "kpi",
            "POST",
            "/ticket/close",
            "close_a",
            True,
            302,
            "/my/ticket/{ticket_a}",
        ),
    ],
    "/new/ticket": [
        Case("visitor", None, "GET", "/new/ticket", None, False, LOGIN),
        Case("customer", "portal_a", "GET", "/new/ticket", None, False, 303, "{form}"),
        Case("no CSRF", "portal_a", "POST", "/new/ticket", "empty", False, 400),
    ],
    "/submitted/ticket": [
        Case("visitor", None, "POST", "/submitted/ticket", "submit", True, LOGIN),
        Case("no CSRF", "portal_a", "POST", "/submitted/ticket", "submit", False, 400),
        Case(
            "customer",
            "portal_a",
            "POST",
            "/submitted/ticket",
            "submit",
            True,
            303,
            "{form}",
        ),
    ],
    "/my/tickets": [
        Case("visitor", None, "GET", "/my/tickets", None, False, LOGIN),
        Case("no CSRF", "portal_a", "POST", "/my/tickets", "empty", False, 400),
    ],
    "/my/tickets/page/<int:page>": [
        Case("visitor", None, "GET", "/my/tickets/page/2", None, False, LOGIN),
        Case("no CSRF", "portal_a", "POST", "/my/tickets/page/2", "empty", False, 400),
    ],
    "/my/ticket/<int:ticket_id>": [
        Case("visitor", None, "GET", "/my/ticket/{ticket_a}", None, False, 303, "/my"),
        Case(
            "wrong token",
            None,
            "GET",
            "/my/ticket/{ticket_a}?access_token=forged-0000",
            None,
            False,
            303,
            "/my",
        ),
        Case(
            "other customer",
            "portal_b",
            "GET",
            "/my/ticket/{ticket_a}",
            None,
            False,
            303,
            "/my",
        ),
        Case(
            "no CSRF", "portal_a", "POST", "/my/ticket/{ticket_a}", "empty", False, 400
        ),
    ],
    "/my/ticket/<int:ticket_id>/satisfaction": [
        Case(
            "GET",
            "portal_a",
            "GET",
            "/my/ticket/{ticket_a}/satisfaction",
            None,
            False,
            405,
        ),
        Case(
            "no CSRF",
            "portal_a",
            "POST",
            "/my/ticket/{ticket_a}/satisfaction",
            "satisfied",
            False,
            400,
        ),
        Case(
            "visitor, no token",
            None,
            "POST",
            "/my/ticket/{ticket_a}/satisfaction",
            "satisfied",
            True,
            404,
        ),
        Case(
            "visitor, wrong token",
            None,
            "POST",
            "/my/ticket/{ticket_a}/satisfaction?access_token=forged-0000",
            "satisfied",
            True,
            404,
        ),
        Case(
            "other customer",
            "portal_b",
            "POST",
            "/my/ticket/{ticket_a}/satisfaction",
            "satisfied",
            True,
            404,
        ),
    ],
    "/my/customer-reports": [
        Case("visitor", None, "GET", "/my/customer-reports", None, False, LOGIN),
        Case("POST", "portal_a", "POST", "/my/customer-reports", "empty", True, 405),
    ],
    "/my/customer-reports/<int:report_id>": [
        Case(
            "visitor, no token",
            None,
            "GET",
            "/my/customer-reports/{report_a}",
            None,
            False,
            404,
        ),
        Case(
            "visitor, wrong token",
            None,
            "GET",
            "/my/customer-reports/{report_a}?access_token=forged-0000",
            None,
            False,
            404,
        ),
        Case(
            "other customer",
            "portal_b",
            "GET",
            "/my/customer-reports/{report_a}",
            None,
            False,
            404,
        ),
        Case(
            "POST",
            "portal_a",
            "POST",
            "/my/customer-reports/{report_a}",
            "empty",
            True,
            405,
        ),
    ],
    # Intake: method and CSRF only (test_intake_web.py has the rest).
    "/yeu-cau-ho-tro-dich-vu": [
        Case("no CSRF", None, "POST", "{form}", "empty", False, 400),
        Case("PUT", None, "PUT", "{form}", "empty", False, 405),
    ],
    "/yeu-cau-ho-tro-dich-vu/da-tiep-nhan": [
        Case(
            "nothing submitted",
            None,
            "GET",
            "{form}/da-tiep-nhan",
            None,
            False,
            303,
            "{form}",
        ),
        Case("no CSRF", None, "POST", "{form}/da-tiep-nhan", "empty", False, 400),
    ],
    # Zalo: signed calls only (test_zalo.py has the rest); no CSRF by design.
    "/zalo/webhook": [
        Case("GET", None, "GET", "/zalo/webhook", None, False, 405),
        Case("unsigned", None, "POST", "/zalo/webhook", "zalo_event", False, 403),
    ],
    # The OA's connection: managers only (test_zalo.py has the manager's case).
    "/zalo/oauth/callback": [
        Case(
            "visitor", None, "GET", "/zalo/oauth/callback?state=x", None, False, LOGIN
        ),
        Case(
            "customer",
            "portal_a",
            "GET",
            "/zalo/oauth/callback?state=x",
            None,
            False,
            403,
        ),
    ],
}


def _route_modules(endpoint):
    """The addons whose controllers define (or override) this endpoint."""
    method = endpoint.func
    modules = set()
    for cls in type(method.__self__).mro():
        function = cls.__dict__.get(method.__name__)
        parts = cls.__module__.split(".")
        if hasattr(function, "original_routing") and parts[:2] == ["odoo", "addons"]:
            modules.add(parts[2])
    return modules


@tagged("post_install", "-at_install")
class TestRoutes(HttpCase, SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env,
            login="sgc_routes_a",
            password="sgc_routes_a",
            groups="base.group_portal",
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env,
            login="sgc_routes_b",
            password="sgc_routes_b",
            groups="base.group_portal",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.customer.is_company = True
        cls.ticket_a = cls._ticket(partner_id=cls.portal_a.partner_id.id)
        cls.ticket_a.write({"stage_id": cls.stages["in_progress"].id})
        cls.ticket_a.resolution = "Đã trả kết quả."
        cls.ticket_a.action_mark_work_done()
        (cls.stages["done"] | cls.stages["cancelled"]).close_from_portal = True
        cls.report_a = cls.env["helpdesk.customer.report"].create(
            {
                "partner_id": cls.customer.id,
                "month": date(2025, 5, 1),
                "ticket_ids": [Command.set(cls.ticket_a.ids)],
            }
        )
        cls.report_a._render_attachment()
        cls.report_a.state = "sent"
        cls.logins = {
            "portal_a": ("sgc_routes_a", "sgc_routes_a"),
            "portal_b": ("sgc_routes_b", "sgc_routes_b"),
            "kpi": ("sgc_kpi", "sgc_kpi"),
        }
        cls.bodies = {
            "empty": {},
            "close_a": {
                "ticket_id": cls.ticket_a.id,
                "stage_id": cls.stages["cancelled"].id,
                "reason": "route test",
            },
            "no_ticket": {"stage_id": cls.stages["cancelled"].id},
            "submit": {"subject": "route test", "description": "route test"},
            "satisfied": {"satisfied": "yes"},
            "zalo_event": {"app_id": "route-test", "event_name": "user_send_text"},
        }
        cls.fixtures = {
            "ticket_a": cls.ticket_a.id,
            "report_a": cls.report_a.id,
            "form": "/yeu-cau-ho-tro-dich-vu",
            "close_a_qs": f"ticket_id={cls.ticket_a.id}"
            f"&stage_id={cls.stages['cancelled'].id}",
        }

    def _snapshot(self):
        self.env.invalidate_all()
        ticket = self.ticket_a
        return (
            self.env["helpdesk.ticket"].search_count([]),
            ticket.stage_id,
            ticket.satisfaction_state,
            ticket.cancel_reason,
            self.report_a.state,
        )

    def _call(self, case):
        url = case.url.format(**self.fixtures)
        if case.data is None:
            return self.url_open(url, allow_redirects=False)
        data = dict(self.bodies[case.data])
        if case.csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        # Not url_open: it sends an empty body as GET.
        return self.opener.request(
            case.method,
            self.base_url() + url,
            data=data,
            allow_redirects=False,
            timeout=30,
        )

    def test_every_route_has_cases(self):
        # The routing map is built for the thread's database, as in a request.
        thread = threading.current_thread()
        previous = getattr(thread, "dbname", None)
        thread.dbname = self.env.cr.dbname
        try:
            routing_map = self.env["ir.http"].routing_map()
        finally:
            if previous is None:
                del thread.dbname
            else:
                thread.dbname = previous
        rules = {
            rule.rule
            for rule in routing_map.iter_rules()
            if _route_modules(rule.endpoint) & MODULES
        }
        self.assertIn("/ticket/close", rules)
        self.assertIn("/my/ticket/<int:ticket_id>", rules)
        missing = sorted(rules - set(ROUTES))
        self.assertFalse(missing, f"routes without cases in ROUTES: {missing}")
        gone = sorted(set(ROUTES) - rules)
        self.assertFalse(gone, f"cases of routes that no longer exist: {gone}")

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_wrong_calls_are_refused(self):
        before = self._snapshot()
        for route, cases in ROUTES.items():
            for case in cases:
                with self.subTest(route=route, case=case.label):
                    if case.who:
                        self.authenticate(*self.logins[case.who])
                    else:
                        self.authenticate(None, None)
                    response = self._call(case)
                    self.assertEqual(response.status_code, case.expect)
                    if case.location:
                        target = case.location.format(**self.fixtures)
                        location = response.headers["Location"].split("?")[0]
                        self.assertTrue(location.endswith(target), location)
                    if case.expect == LOGIN and case.location is None:
                        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self._snapshot(), before, "a refused call changed something")
