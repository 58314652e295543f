# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskEscalationStep(models.Model):
    """One person of a department's escalation chain for urgent tickets with no
    first contact in time (ITS map: Huynh Quang Tin -> Thai Hong Binh -> Huynh Tan
    Vinh). A department without a chain of its own uses the chain without one."""

    _name = "helpdesk.escalation.step"
    _description = "Helpdesk Escalation Step"
    _order = "team_id, sequence, delay_minutes, id"

    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Department",
        ondelete="cascade",
        help="Empty: the chain of departments that have none of their own.",
    )
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Person",
        required=True,
        domain="[('share', '=', False)]",
    )
    delay_minutes = fields.Integer(
        string="After (minutes)",
        required=True,
        help="Working minutes (the company's working hours, holidays excluded) "
        "after the request arrived without first contact.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "delay_positive",
            "CHECK(delay_minutes > 0)",
            "An escalation delay must be positive.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self._sgc_replan()
        return steps

    def write(self, vals):
        res = super().write(vals)
        self._sgc_replan()
        return res

    def unlink(self):
        res = super().unlink()
        self._sgc_replan()
        return res

    def _sgc_replan(self):
        """The open tickets' steps ahead follow the changed chains."""
        # sudo: the SLA engine's queue, rebuilt from the chains a manager edits.
        self.env["helpdesk.ticket.timer"].sudo()._sgc_replan_escalations()

    @api.model
    def _chain_for(self, team):
        steps = self.search([("team_id", "=", team.id)]) if team else self.browse()
        if not steps:
            steps = self.search([("team_id", "=", False)])
        return steps.sorted(lambda s: (s.sequence, s.delay_minutes, s.id))

    @api.model
    def _chains(self):
        """{department id (0: the chain of departments without one): its steps
        in order}, read once."""
        chains = {}
        for step in self.search([]).sorted(
            lambda s: (s.sequence, s.delay_minutes, s.id)
        ):
            chains.setdefault(step.team_id.id or 0, self.browse())
            chains[step.team_id.id or 0] |= step
        return chains
