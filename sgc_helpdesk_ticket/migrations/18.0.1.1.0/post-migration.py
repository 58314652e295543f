# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One SLA engine: the separate jobs of the not-started reminder, the automatic
closing and the daily update watch become SLA policies run by the SLA cron.

The old jobs and the reminder's system parameter are removed (the delay moves to
the "start" policy), the urgent first-contact policies escalate, and what is
still ahead for the open tickets is planned, so that nothing due is lost: the
warnings not sent yet, the targets not missed yet, the escalation steps not
taken yet, the reminders of assigned New tickets and the closing of finished
ones. The companies' daily update timers are planned by the cron's first run."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

OLD_CRONS = (
    "sgc_helpdesk_ticket.ir_cron_daily_update_reminder",
    "sgc_helpdesk_ticket.ir_cron_daily_update_check",
    "sgc_helpdesk_ticket.ir_cron_auto_close",
)
OPEN_STATES = ("new", "in_progress", "paused")
# helpdesk_mgmt's stages are its own records, kept from updates (noupdate): SGC's
# Vietnamese closing and cancellation mails replace its English ones there, unless
# a manager chose another template of their own.
STAGE_MAILS = (
    ("helpdesk_mgmt.helpdesk_ticket_stage_done", "mail_template_ticket_closed"),
    ("helpdesk_mgmt.helpdesk_ticket_stage_cancelled", "mail_template_ticket_cancelled"),
    ("helpdesk_mgmt.helpdesk_ticket_stage_rejected", "mail_template_ticket_cancelled"),
)


def _stage_mails(env):
    for stage_xmlid, template_name in STAGE_MAILS:
        stage = env.ref(stage_xmlid, raise_if_not_found=False)
        template = env.ref(f"sgc_helpdesk_ticket.{template_name}", False)
        if not stage or not template:
            continue
        current = stage.mail_template_id
        origin = current.get_external_id().get(current.id, "") if current else ""
        if not current or origin.startswith("helpdesk_mgmt."):
            stage.mail_template_id = template


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _stage_mails(env)
    for xmlid in OLD_CRONS:
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron:
            action = cron.ir_actions_server_id
            cron.unlink()
            action.exists().unlink()
    start = env.ref("sgc_helpdesk_ticket.helpdesk_sla_policy_start", False)
    param = env.ref(
        "sgc_helpdesk_ticket.config_parameter_not_started_reminder_minutes", False
    )
    if param:
        try:
            minutes = int(param.value)
        except (TypeError, ValueError):
            minutes = 0
        if start and minutes > 0:
            start.target_minutes = minutes
        param.unlink()
    for xmlid in (
        "sgc_helpdesk_ticket.helpdesk_sla_policy_first_contact_p3",
        "sgc_helpdesk_ticket.helpdesk_sla_policy_first_contact_p2",
    ):
        policy = env.ref(xmlid, raise_if_not_found=False)
        if policy:
            policy.action = "escalate"
    # The old jobs' partial indexes over the tickets.
    cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_not_started_idx")
    cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_escalation_due_idx")

    Timer = env["helpdesk.ticket.timer"]
    rows = env["helpdesk.ticket.sla"].search(
        [("status", "=", "ongoing"), ("ticket_id.state", "in", OPEN_STATES)]
    )
    Timer._sgc_plan_sla(rows)
    Timer._sgc_replan_escalations()
    Ticket = env["helpdesk.ticket"]
    waiting = Ticket.search(
        [
            ("state", "=", "new"),
            ("user_id", "!=", False),
            ("start_reminder_sent", "=", False),
        ]
    )
    Timer._sgc_plan_ticket(waiting, "start", {t.id: t.create_date for t in waiting})
    finished = Ticket.search(
        [("state", "=", "in_progress"), ("work_done_date", "!=", False)]
    )
    Timer._sgc_plan_ticket(finished, "auto_close")
    _logger.info(
        "SLA engine: %s milestone statuses, %s New and %s finished tickets planned",
        len(rows),
        len(waiting),
        len(finished),
    )
