# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import models

# The jobs of a ticket whose trouble staff must see on the ticket itself.
TICKET_JOB_METHODS = {"_sgc_job_acknowledge", "_sgc_job_intake"}


class QueueJob(models.Model):
    _inherit = "queue.job"

    def write(self, vals):
        """A ticket's job that is postponed after an error, or that failed for
        good, says so on the ticket: never lost silently."""
        retried = self.browse()
        if vals.get("state") == "pending" and vals.get("result"):
            retried = self.filtered(
                lambda job: (
                    job.state in ("started", "enqueued")
                    and job.model_name == "helpdesk.ticket"
                    and job.method_name in TICKET_JOB_METHODS
                )
            )
        res = super().write(vals)
        for job in retried:
            for ticket in job.records.exists():
                ticket.with_context(mail_create_nosubscribe=True)._message_log(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "%(task)s did not succeed (attempt %(attempt)s of "
                        "%(max)s), it is retried automatically: %(error)s",
                        task=job.name or job.method_name,
                        attempt=job.retry,
                        max=job.max_retries or "∞",
                        error=job.result or "",
                    )
                )
        return res
