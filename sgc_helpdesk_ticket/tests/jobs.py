# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run the stored queue_job jobs the way queue_job's runner does.

Nothing is mocked: the jobs are the ``queue.job`` rows the code under test
stored, loaded and performed by queue_job's own ``Job`` and its controller's
methods, with its retry (postpone) and failure (on_fail) handling. Only the
transport differs: the runner calls ``/queue_job/runjob`` over HTTP and commits,
here the test's transaction holds everything (savepoints instead of commits).
"""

import traceback

from odoo import fields
from odoo.tools import config, mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job


class JobsMixin:
    def _pending_jobs(self, domain=None, due_only=True):
        domain = [("state", "=", "pending")] + list(domain or [])
        if due_only:
            domain += ["|", ("eta", "=", False), ("eta", "<=", fields.Datetime.now())]
        # sudo: test set-up and inspection, no user input
        return self.env["queue.job"].sudo().search(domain, order="priority, id")

    def run_jobs(self, domain=None, due_only=True, max_rounds=10):
        """Perform the due pending jobs (and those they queue), like the runner.
        Returns the queue.job records that were run."""
        assert config["test_enable"], "jobs run in a test transaction only"
        ran = self.env["queue.job"]
        for _round in range(max_rounds):
            jobs = self._pending_jobs(domain, due_only) - ran
            if not jobs:
                break
            for record in jobs:
                self._run_one(record.uuid)
            ran |= jobs
        self.env.invalidate_all()
        return ran

    def _run_one(self, uuid):
        env = self.env(user=self.env.ref("base.user_root").id)
        job = Job.load(env, uuid)
        job.set_enqueued()
        job.set_started()
        job.store()
        try:
            with env.cr.savepoint(), mute_logger("odoo.addons.queue_job"):
                RunJobController._try_perform_job(env, job)
        except RetryableJobError as err:
            job.env.clear()
            job.postpone(result=str(err), seconds=err.seconds)
            job.set_pending(reset_retry=False)
            job.store()
        except Exception as exc:  # pylint: disable=broad-except
            job.env.clear()
            vals = RunJobController._get_failure_values(
                job, traceback.format_exc(), exc
            )
            job.set_failed(**vals)
            job.store()
            job.on_fail(vals)
        return job
