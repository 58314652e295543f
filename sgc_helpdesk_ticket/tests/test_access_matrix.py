# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may do what: the declared access matrix, checked against the live registry.

Every model the addon defines or extends has a row (a new model without one fails
``test_every_model_of_the_addon_is_declared``). A right is read (r), write (w),
create (c), unlink (u) on the model (ir.model.access); the record rules come after,
as cases. Least privilege, as decided for SGC:

- Department users handle their departments' tickets; the ticket monitor every
  ticket; the KPI accountant reads everything of tickets and KPI, and opens, computes
  and closes the current KPI period (a closed one is frozen for her); the helpdesk
  manager configures, reopens a closed period and edits the mail templates.
- What the SOP and the crons record (pauses, SLA statuses, escalations, daily update
  checks, KPI figures) is read-only to every group: the moves and the jobs write it
  (models/helpdesk_ticket.py, SOP_FIELDS for the ticket's own facts).
- Tickets are cancelled with a reason, never deleted (the manager's unlink is taken
  back from helpdesk_mgmt), and a portal user writes a ticket only through the
  close and satisfaction buttons (the ticket's write() refuses anything else).
- helpdesk_mgmt gave public users write on stages: taken back.
"""

from datetime import date

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import SgcHelpdeskCase

GROUPS = {
    "department": "sgc_helpdesk_ticket.group_department_user",
    "monitor": "sgc_helpdesk_ticket.group_ticket_monitor",
    "kpi": "sgc_helpdesk_ticket.group_kpi_accountant",
    "manager": "sgc_helpdesk_ticket.group_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}
OPERATIONS = ("read", "write", "create", "unlink")

# model: rights of (department, monitor, kpi, manager, portal, public)
MATRIX = {
    # Tickets: the portal's write is the close/satisfaction buttons only.
    "helpdesk.ticket": ("rwc-", "rwc-", "r---", "rwc-", "rw--", "----"),
    "helpdesk.ticket.team": ("r---", "r---", "r---", "rwcu", "r---", "----"),
    "helpdesk.ticket.category": ("r---", "r---", "r---", "rwcu", "r---", "r---"),
    "helpdesk.ticket.stage": ("r---", "r---", "r---", "rwcu", "r---", "r---"),
    "helpdesk.ticket.channel": ("r---", "r---", "r---", "rwcu", "----", "----"),
    # Work on a ticket
    "helpdesk.ticket.progress": ("r-c-", "r-c-", "r---", "r-c-", "----", "----"),
    "helpdesk.ticket.checklist.item": (
        "rwcu",
        "rwcu",
        "r---",
        "rwcu",
        "----",
        "----",
    ),
    "helpdesk.ticket.cancel.wizard": ("rwc-", "rwc-", "----", "rwc-", "----", "----"),
    "helpdesk.ticket.pause.wizard": ("rwc-", "rwc-", "----", "rwc-", "----", "----"),
    "helpdesk.ticket.satisfaction.wizard": (
        "rwc-",
        "rwc-",
        "----",
        "rwc-",
        "----",
        "----",
    ),
    # helpdesk_mgmt_crm's hand-off wizard: salespeople only (sales_team).
    "helpdesk.ticket.create.lead": ("----", "----", "----", "----", "----", "----"),
    # Recorded by the moves and the crons
    "helpdesk.ticket.pause": ("r---", "r---", "r---", "r---", "----", "----"),
    "helpdesk.ticket.sla": ("r---", "r---", "r---", "r---", "----", "----"),
    "helpdesk.ticket.escalation": ("r---", "r---", "r---", "r---", "----", "----"),
    "helpdesk.ticket.update.day": ("r---", "r---", "r---", "r---", "----", "----"),
    # The SLA engine's queue of what is ahead: the manager may look at it.
    "helpdesk.ticket.timer": ("----", "----", "----", "r---", "----", "----"),
    # SLA configuration
    "helpdesk.sla.policy": ("r---", "r---", "r---", "rwcu", "----", "----"),
    "helpdesk.escalation.step": ("r---", "r---", "----", "rwcu", "----", "----"),
    # KPI: a period's figures are written by its computation only (and never
    # while it is closed, see helpdesk_kpi_line.py); departments see none of it.
    # The KPI accountant opens, computes and closes the current period (SOP V.5);
    # a closed one is frozen for her (the manager reopens it).
    "helpdesk.kpi.period": ("----", "----", "rwc-", "rwcu", "----", "----"),
    "helpdesk.kpi.line": ("----", "----", "r---", "r---", "----", "----"),
    # Monthly customer reports: the monitor prepares and sends them; the portal
    # reads its own company's sent reports (rule).
    "helpdesk.customer.report": ("----", "rwc-", "r---", "rwcu", "r---", "----"),
    # Zalo: the messages are the OA's log (manager cancels or retries); the
    # account holds secrets, the manager's only.
    "zalo.message": ("r---", "r---", "----", "rw--", "----", "----"),
    "zalo.oa.account": ("----", "----", "----", "rwcu", "----", "----"),
    # Intake: the rate counters are the pipeline's (sudo), the manager reads them;
    # queue_job's jobs are its managers' (queue_job.group_queue_job_manager).
    "helpdesk.intake.counter": ("----", "----", "----", "r---", "----", "----"),
    "queue.job": ("----", "----", "----", "----", "----", "----"),
    # Triage: the learnt counts are written by the triage only (sudo, from the
    # tickets' words); the manager reads them.
    "helpdesk.ticket.triage.token": ("----", "----", "----", "r---", "----", "----"),
    # Placeholders of templates written as text: their expressions are code,
    # defined by the administrator; template editors (the manager) read them.
    "helpdesk.template.placeholder": (
        "----",
        "----",
        "----",
        "r---",
        "----",
        "----",
    ),
    # Extended core models, Odoo's own rights: customers are created by partner
    # managers or by the intake (sudo); templates by their creator or a template
    # editor, such as the helpdesk manager (mail's rules, see the cases below);
    # mail servers by the administrator.
    "res.partner": ("r---", "r---", "r---", "r---", "r---", "r---"),
    "res.company": ("r---", "r---", "r---", "r---", "r---", "r---"),
    "mail.template": ("rwcu", "rwcu", "rwcu", "rwcu", "----", "----"),
    "ir.mail_server": ("----", "----", "----", "----", "----", "----"),
    # Extended to compile the templates written as text after their translations
    # load: Odoo's rights (internal users read the list of modules, the
    # administrator installs them).
    "ir.module.module": ("r---", "r---", "r---", "r---", "----", "----"),
    # Public holidays and days off: Odoo's own rights (every internal user).
    "resource.calendar.leaves": ("rwcu", "rwcu", "rwcu", "rwcu", "----", "----"),
}
# Abstract models (defined or extended): no table, no rights of their own.
ABSTRACT = {"mail.thread", "helpdesk.ticket.intake", "helpdesk.ticket.triage"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(SgcHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            key: new_test_user(cls.env, login=f"sgc_matrix_{key}", groups=group)
            for key, group in GROUPS.items()
        }
        cls.users["department"].partner_id.parent_id = False
        # Record-rule cases: PTN's ticket of customer A, PKT's of customer B, a
        # ticket of another SGC company.
        cls.portal_a = new_test_user(
            cls.env, login="sgc_matrix_portal_a", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env, login="sgc_matrix_portal_b", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.ptn_ticket = cls._ticket()
        cls.pkt_ticket = cls._ticket(
            category_id=cls.cat_field.id, partner_id=cls.customer_b.id
        )
        cls.pkt_ticket.write({"stage_id": cls.stages["in_progress"].id})
        cls.env["helpdesk.ticket.progress"].create(
            {"ticket_id": cls.pkt_ticket.id, "note": "Đang đo đạc"}
        )
        other_company = cls.env["res.company"].create({"name": "SGC Miền Bắc"})
        cls.other_company_ticket = cls._ticket(
            category_id=False, company_id=other_company.id
        )
        customer_a = cls.customer
        customer_a.is_company = True
        Report = cls.env["helpdesk.customer.report"]
        cls.report_a = Report.create(
            {
                "partner_id": customer_a.id,
                "month": date(2025, 5, 1),
                "ticket_ids": [Command.set(cls.ptn_ticket.ids)],
            }
        )
        cls.report_a.state = "sent"
        cls.sgc_template = cls.env.ref(
            "sgc_helpdesk_ticket.mail_template_customer_report"
        )
        account = cls.env["zalo.oa.account"].with_context(active_test=False).search(
            [("company_id", "=", cls.env.company.id)], limit=1
        ) or cls.env["zalo.oa.account"].create(
            {"name": "Matrix OA", "app_id": "matrix-app"}
        )
        cls.pkt_zalo = cls.env["zalo.message"].create(
            {
                "account_id": account.id,
                "direction": "out",
                "kind": "reply",
                "ticket_id": cls.pkt_ticket.id,
                "text": "Chào chị",
                "state": "sent",
            }
        )

    def _rights(self, model, user):
        Model = self.env[model].with_user(user)
        return "".join(
            letter if Model.has_access(operation) else "-"
            for letter, operation in zip("rwcu", OPERATIONS, strict=True)
        )

    def test_model_rights_are_the_declared_ones(self):
        wrong = []
        for model, rights in MATRIX.items():
            for (group, user), expected in zip(self.users.items(), rights, strict=True):
                observed = self._rights(model, user)
                if observed != expected:
                    wrong.append(f"{model} / {group}: {observed}, declared {expected}")
        self.assertFalse(wrong, "\n".join(wrong))

    def test_every_model_of_the_addon_is_declared(self):
        """Every model sgc_helpdesk_ticket defines or extends (ir.model.data of
        the addon, models and wizards alike) has a row in MATRIX."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "sgc_helpdesk_ticket"), ("model", "=", "ir.model")]
        )
        models = set(self.env["ir.model"].browse(data.mapped("res_id")).mapped("model"))
        self.assertIn("helpdesk.ticket", models)
        self.assertIn("helpdesk.ticket.cancel.wizard", models)
        undeclared = sorted(models - set(MATRIX) - ABSTRACT)
        self.assertFalse(undeclared, f"declare the rights of {undeclared} in MATRIX")
        for model in ABSTRACT:
            self.assertTrue(self.env[model]._abstract, model)

    def test_record_rules(self):
        dept, monitor, kpi = self.user_ptn, self.monitor, self.accountant
        other_company = self.other_company_ticket
        pkt_child = {
            "progress": self.pkt_ticket.progress_ids,
            "SLA status": self.pkt_ticket.sla_ids,
        }
        cases = [
            # (case, user, records, operation, allowed)
            ("own department", dept, self.ptn_ticket, "read", True),
            ("own department", dept, self.ptn_ticket, "write", True),
            ("other department", dept, self.pkt_ticket, "read", False),
            ("other department", dept, self.pkt_ticket, "write", False),
            ("other department's progress", dept, pkt_child["progress"], "read", False),
            ("other department's SLA", dept, pkt_child["SLA status"], "read", False),
            ("other department's Zalo", dept, self.pkt_zalo, "read", False),
            ("monitor, any department", monitor, self.pkt_ticket, "write", True),
            ("monitor, Zalo of any ticket", monitor, self.pkt_zalo, "read", True),
            ("KPI accountant reads all", kpi, self.pkt_ticket, "read", True),
            ("KPI accountant writes none", kpi, self.pkt_ticket, "write", False),
            ("other SGC company", monitor, other_company, "read", False),
            ("other SGC company", self.manager, other_company, "read", False),
            ("customer's own company", self.portal_a, self.ptn_ticket, "read", True),
            ("customer's own company", self.portal_a, self.ptn_ticket, "write", True),
            ("other customer", self.portal_b, self.ptn_ticket, "read", False),
            ("other customer", self.portal_b, self.ptn_ticket, "write", False),
            ("own company's sent report", self.portal_a, self.report_a, "read", True),
            ("other customer's report", self.portal_b, self.report_a, "read", False),
            # SGC's templates are their editors' (mail: creator or template
            # editor): the helpdesk manager is one, a department user is not.
            ("SGC template", dept, self.sgc_template, "write", False),
            ("SGC template", monitor, self.sgc_template, "write", False),
            ("SGC template", self.manager, self.sgc_template, "write", True),
            ("SGC template", self.manager, self.sgc_template, "read", True),
        ]
        wrong = []
        for label, user, records, operation, allowed in cases:
            self.assertTrue(records, label)
            if records.with_user(user).has_access(operation) != allowed:
                wrong.append(f"{label}: {user.login} {operation} should be {allowed}")
        self.assertFalse(wrong, "\n".join(wrong))
