# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .helpdesk_ticket import CLOSING_STAGE_KEY


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def send_mail(self, res_id, *args, **kwargs):
        """No closing mail for a ticket whose closing the SOP refused.

        helpdesk_ticket_close_inactive renders its closing mail with ``close``
        set in the context, its warning mail without it.
        """
        if (
            self.env.context.get(CLOSING_STAGE_KEY)
            and self.env.context.get("close")
            and self.model == "helpdesk.ticket"
        ):
            ticket = self.env["helpdesk.ticket"].browse(res_id)
            if ticket._sgc_inactive_close_skipped():
                return False
        return super().send_mail(res_id, *args, **kwargs)
