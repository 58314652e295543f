# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from .helpdesk_kpi_period import _add_months, _to_local, _to_utc

REPORT_XMLID = "sgc_helpdesk_ticket.action_report_helpdesk_customer_report"
TEMPLATE_XMLID = "sgc_helpdesk_ticket.mail_template_customer_report"


class HelpdeskCustomerReport(models.Model):
    """The monthly report of one customer's requests ("GIÁM SÁT DỊCH VỤ KHÁCH
    HÀNG THÁNG MM/YYYY"): requests fall into the month they were received in."""

    _name = "helpdesk.customer.report"
    _description = "Helpdesk Monthly Customer Report"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "month desc, partner_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        domain="[('is_company', '=', True)]",
        help="The customer's commercial entity: its contacts' requests are all on "
        "its report.",
    )
    month = fields.Date(
        string="Month Start", required=True, readonly=True, help="First day."
    )
    month_label = fields.Char(string="Month", compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        selection=[("draft", "To send"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    sent_date = fields.Datetime(string="Sent On", readonly=True, tracking=True)
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Report File", readonly=True, copy=False
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_customer_report_ticket_rel",
        column1="report_id",
        column2="ticket_id",
        string="Requests",
        readonly=True,
    )
    ticket_count = fields.Integer(
        string="Number of Requests", compute="_compute_ticket_count", store=True
    )
    missing_job_code_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Finished without Job Code",
        compute="_compute_missing_job_code_ids",
    )
    missing_job_code_count = fields.Integer(
        string="Missing Job Codes", compute="_compute_missing_job_code_ids"
    )

    _sql_constraints = [
        (
            "partner_month_unique",
            "unique(company_id, partner_id, month)",
            "A customer has one report per month.",
        )
    ]

    @api.depends("partner_id", "month")
    def _compute_name(self):
        for report in self:
            label = report.month.strftime("%m/%Y") if report.month else ""
            report.month_label = label
            report.name = f"{label} - {report.partner_id.name or ''}"

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for report in self:
            report.ticket_count = len(report.ticket_ids)

    @api.depends("ticket_ids.state", "ticket_ids.job_code")
    def _compute_missing_job_code_ids(self):
        for report in self:
            missing = report.ticket_ids.filtered("missing_job_code")
            report.missing_job_code_ids = missing
            report.missing_job_code_count = len(missing)

    def _compute_access_url(self):
        for report in self:
            report.access_url = f"/my/customer-reports/{report.id}"

    # ---------------------------------------------------
    # Months and generation
    # ---------------------------------------------------

    @api.model
    def _month_bounds(self, month, company):
        """Naive UTC bounds [start, end) of a calendar month in company time."""
        year, mon = _add_months(month.year, month.month, 1)
        start = _to_utc(datetime.combine(month.replace(day=1), time.min), company)
        end = _to_utc(datetime.combine(date(year, mon, 1), time.min), company)
        return start, end

    @api.model
    def _tickets_by_customer(self, company, month, partner=None):
        """{commercial partner id: ticket ids} of the requests received in
        ``month``: one aggregate query."""
        start, end = self._month_bounds(month, company)
        self.env["helpdesk.ticket"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        partner_clause = (
            SQL("AND p.commercial_partner_id = %s", partner.id) if partner else SQL()
        )
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id,
                          ARRAY_AGG(t.id ORDER BY t.received_date, t.id)
                   FROM helpdesk_ticket t
                   JOIN res_partner p ON p.id = t.partner_id
                   WHERE t.company_id = %s AND t.active
                     AND t.received_date >= %s AND t.received_date < %s
                     %s
                   GROUP BY p.commercial_partner_id""",
                company.id,
                start,
                end,
                partner_clause,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _generate(self, company, month):
        """Create the month's missing reports and refresh the unsent ones."""
        month = month.replace(day=1)
        by_customer = self._tickets_by_customer(company, month)
        existing = {
            report.partner_id.id: report
            for report in self.search(
                [("company_id", "=", company.id), ("month", "=", month)]
            )
        }
        new_vals = [
            {
                "partner_id": partner_id,
                "month": month,
                "company_id": company.id,
                "ticket_ids": [Command.set(ticket_ids)],
            }
            for partner_id, ticket_ids in by_customer.items()
            if partner_id not in existing
        ]
        reports = self.create(new_vals)
        for partner_id, report in existing.items():
            if report.state == "draft" and partner_id in by_customer:
                report.ticket_ids = [Command.set(by_customer[partner_id])]
                reports |= report
        reports._render_attachment()
        return reports

    def _render_attachment(self):
        """Render each report's PDF and keep it as the report's file."""
        Report = self.env["ir.actions.report"]
        for report in self:
            content, kind = Report._render_qweb_pdf(REPORT_XMLID, report.ids)
            code = report.partner_id.customer_code or report.partner_id.id
            filename = "GIAM_SAT_DICH_VU_KHACH_HANG_THANG_{}_{}.{}".format(
                report.month.strftime("%m_%Y"), code, kind
            )
            vals = {
                "name": filename,
                "datas": base64.b64encode(content),
                "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                "res_model": self._name,
                "res_id": report.id,
            }
            if report.attachment_id:
                # sudo: the report's own PDF, rendered from its content for staff
                # who may write the report (attachments are not theirs to edit).
                report.attachment_id.sudo().write(vals)
            else:
                # sudo: as above, the report's first PDF.
                report.attachment_id = self.env["ir.attachment"].sudo().create(vals)
        return True

    def _recipients(self):
        """The customer if it has an address, else the contacts who asked."""
        self.ensure_one()
        if self.partner_id.email:
            return self.partner_id
        return self.ticket_ids.partner_id.filtered("email")

    # ---------------------------------------------------
    # Actions
    # ---------------------------------------------------

    def action_preview(self):
        self.ensure_one()
        return self.env.ref(REPORT_XMLID).report_action(self)

    def action_regenerate(self):
        """Refresh the list of requests and the file from the tickets as they
        are now."""
        for report in self:
            by_customer = self._tickets_by_customer(
                report.company_id, report.month, partner=report.partner_id
            )
            report.ticket_ids = [Command.set(by_customer.get(report.partner_id.id, []))]
        self._render_attachment()
        return True

    def action_open_missing_job_codes(self):
        self.ensure_one()
        return {
            "name": self.env._("Finished requests without a job code"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("id", "in", self.missing_job_code_ids.ids)],
        }

    def action_send(self):
        """Mail the report to the customer (and again when resent). Refused while
        a finished request has no job code."""
        template = self.env.ref(TEMPLATE_XMLID)
        for report in self:
            if report.missing_job_code_ids:
                raise UserError(
                    self.env._(
                        "Report %(report)s: fill in the job code of %(tickets)s "
                        "before sending it.",
                        report=report.name,
                        tickets=", ".join(report.missing_job_code_ids.mapped("number")),
                    )
                )
            recipients = report._recipients()
            if not recipients:
                raise UserError(
                    self.env._(
                        "Report %s: the customer has no email address.", report.name
                    )
                )
            if not report.attachment_id:
                report._render_attachment()
            report.message_post_with_source(
                template,
                partner_ids=recipients.ids,
                attachment_ids=report.attachment_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                email_layout_xmlid="sgc_helpdesk_ticket.mail_notification_sgc",
            )
            report.write({"state": "sent", "sent_date": fields.Datetime.now()})
        return True

    @api.model
    def _cron_monthly_reports(self):
        """Daily: make the previous month's reports (idempotent) and, where the
        company wants it, send those whose finished requests all have a job
        code; the others wait for staff."""
        for company in self.env["res.company"].search([]):
            now_local = _to_local(fields.Datetime.now(), company)
            year, month = _add_months(now_local.year, now_local.month, -1)
            reports = self.with_company(company)._generate(
                company, date(year, month, 1)
            )
            if company.helpdesk_customer_report_auto_send:
                ready = reports.filtered(
                    lambda r: (
                        r.state == "draft"
                        and not r.sent_date
                        and not r.missing_job_code_ids
                        and r._recipients()
                    )
                )
                ready.action_send()
        return True
