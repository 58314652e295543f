# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import random
import time
from datetime import timedelta

from psycopg2 import errorcodes
from psycopg2.errors import OperationalError

from odoo import api, fields, models
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

RETRYABLE = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
}


class HelpdeskIntakeCounter(models.Model):
    """How many requests a sender (an address, an email) made in a time window.

    The intake's rate limits count here with one atomic statement per key
    (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) in a transaction of its
    own, so that concurrent requests from one sender are counted one after the
    other, whatever the isolation of the request's own transaction.
    """

    _name = "helpdesk.intake.counter"
    _description = "Intake Rate Counter"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True, default=0)

    _sql_constraints = [
        (
            "key_window_uniq",
            "unique(key, window_start)",
            "One counter per key and window.",
        ),
    ]

    @api.model
    def _bucket(self, minutes):
        """Start of the current fixed window of ``minutes`` (naive UTC)."""
        now = fields.Datetime.now()
        seconds = max(int(minutes), 1) * 60
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        elapsed = int((now - midnight).total_seconds())
        if seconds >= 86400:
            return midnight
        return midnight + timedelta(seconds=elapsed // seconds * seconds)

    @api.model
    def _hit(self, keys, minutes):
        """Count one request for each of ``keys`` in the current window and
        return the highest count, this request included. Committed at once in
        its own transaction: a refused or failed request still counts."""
        keys = sorted({key for key in keys if key})
        if not keys:
            return 0
        window = self._bucket(minutes)
        # A count need not wait for the disk (synchronous_commit off for this
        # transaction only): a crash loses at most the last few hits, never a
        # request, and the request does not wait for a second flush.
        query = SQL(
            """SET LOCAL synchronous_commit TO OFF;
               INSERT INTO helpdesk_intake_counter (key, window_start, hits)
               SELECT k, %(window)s, 1 FROM unnest(%(keys)s::varchar[]) AS k
               ON CONFLICT (key, window_start)
               DO UPDATE SET hits = helpdesk_intake_counter.hits + 1
               RETURNING hits""",
            window=window,
            keys=keys,
        )
        for attempt in range(10):
            with self.env.registry.cursor() as cr, mute_logger("odoo.sql_db"):
                try:
                    cr.execute(query)
                    hits = max(row[0] for row in cr.fetchall())
                    # Its own cursor: the count stays, whatever the request does.
                    cr.commit()  # pylint: disable=invalid-commit
                    return hits
                except OperationalError as error:
                    # A concurrent request updated the same counter after this
                    # transaction's snapshot: count again in a new transaction.
                    if error.pgcode not in RETRYABLE:
                        raise
                    cr.rollback()
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
        _logger.warning("Intake counter for %s: too much contention", keys)
        return 0

    @api.autovacuum
    def _gc_old_windows(self):
        """Counters of windows that ended more than a day ago are of no use."""
        self.env.cr.execute(
            "DELETE FROM helpdesk_intake_counter WHERE window_start < %s",
            (fields.Datetime.now() - timedelta(days=2),),
        )
