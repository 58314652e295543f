# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

COUNTDOWN_STATES = [("ok", "On time"), ("at_risk", "At risk"), ("late", "Late")]


class HelpdeskTicket(models.Model):
    """The SLA at a glance: the nearest deadline of a ticket's ongoing
    milestones as a countdown ("còn 25 phút", "trễ 2 giờ")."""

    _inherit = "helpdesk.ticket"

    sla_next_deadline = fields.Datetime(
        string="Next SLA Deadline", compute="_compute_sla_countdown"
    )
    sla_countdown = fields.Char(
        string="SLA Countdown", compute="_compute_sla_countdown"
    )
    sla_countdown_state = fields.Selection(
        selection=COUNTDOWN_STATES,
        string="SLA Countdown State",
        compute="_compute_sla_countdown",
    )

    @api.depends("sla_ids.deadline", "sla_ids.status", "state")
    @api.depends_context("lang")
    def _compute_sla_countdown(self):
        now = fields.Datetime.now()
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        # One grouped read of the ongoing milestones of all these tickets.
        groups = (
            self.env["helpdesk.ticket.sla"]._read_group(
                [("ticket_id", "in", ids), ("status", "=", "ongoing")],
                ["ticket_id"],
                ["deadline:min", "warn_date:min"],
            )
            if ids
            else []
        )
        nearest = {ticket.id: (deadline, warn) for ticket, deadline, warn in groups}
        for ticket in self:
            deadline, warn = nearest.get(ticket.id, (False, False))
            if not deadline or ticket.state not in ("new", "in_progress"):
                ticket.sla_next_deadline = deadline
                ticket.sla_countdown = False
                ticket.sla_countdown_state = False
                continue
            ticket.sla_next_deadline = deadline
            if deadline <= now:
                state = "late"
            elif warn and warn <= now:
                state = "at_risk"
            else:
                state = "ok"
            ticket.sla_countdown_state = state
            ticket.sla_countdown = ticket._sgc_countdown_text(
                abs((deadline - now).total_seconds()) / 60.0, late=state == "late"
            )

    def _sgc_countdown_text(self, minutes, late):
        env = self.env
        if minutes < 60:
            value = max(int(minutes), 1)
            if late:
                return env._("%s min late", value)
            return env._("%s min left", value)
        if minutes < 48 * 60:
            value = int(minutes // 60)
            if late:
                return env._("%s h late", value)
            return env._("%s h left", value)
        value = int(minutes // 1440)
        if late:
            return env._("%s days late", value)
        return env._("%s days left", value)
