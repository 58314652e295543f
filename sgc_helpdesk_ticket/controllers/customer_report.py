# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SgcCustomerReportPortal(CustomerPortal):
    """The customer's monthly reports in the portal: only the sent reports of
    the user's own company (record rule), or one report with its access token."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "customer_report_count" in counters:
            Report = request.env["helpdesk.customer.report"]
            values["customer_report_count"] = (
                Report.search_count([]) if Report.has_access("read") else 0
            )
        return values

    @http.route(
        "/my/customer-reports", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_my_customer_reports(self, **kw):
        Report = request.env["helpdesk.customer.report"]
        reports = Report.search([]) if Report.has_access("read") else Report
        values = self._prepare_portal_layout_values()
        values.update(reports=reports, page_name="customer_report")
        return request.render("sgc_helpdesk_ticket.portal_my_customer_reports", values)

    @http.route(
        "/my/customer-reports/<int:report_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_my_customer_report(self, report_id, access_token=None, **kw):
        """The report's PDF, as it was mailed."""
        try:
            report = self._document_check_access(
                "helpdesk.customer.report", report_id, access_token=access_token
            )
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        attachment = report.attachment_id
        if report.state != "sent" or not attachment:
            raise NotFound()
        content = base64.b64decode(attachment.datas)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", attachment.mimetype or "application/pdf"),
                ("Content-Length", str(len(content))),
                (
                    "Content-Disposition",
                    http.content_disposition(attachment.name),
                ),
            ],
        )
