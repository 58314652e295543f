# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _check_ticket_has_empty_fields(self):
        """Nothing to check when the stage lists no field to validate.

        helpdesk_mgmt_stage_validation would then call ``read([])``, which reads
        every field, helpdesk_mgmt_crm's ``lead_ids`` among them: only Sales
        users may read it, so SGC's staff could not move a ticket at all.
        """
        self.ensure_one()
        # sudo: the stage's configuration, read as helpdesk_mgmt_stage_validation
        # reads it; the ticket's own fields are still read with the user's rights.
        if not self.stage_id.sudo().validate_field_ids:
            return False
        return super()._check_ticket_has_empty_fields()
