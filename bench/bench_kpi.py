"""Benchmark of the KPI period computation (issue 6).

    python3 bench/bench_kpi.py -c odoo.conf -d DATABASE [--tickets 100000]

Seeds N tickets (with their SLA milestones, daily update checks and a few
escalations) into one KPI period with set-based SQL inserts, then times the
period's computation and counts its queries (``cr.sql_log_count``). Everything is
rolled back at the end: the database is left as it was.
"""

import argparse
import json
import time
from datetime import datetime

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

YEAR, MONTH = 2024, 6  # a past period: 26/05/2024 - 25/06/2024


def seed(env, count, start, end):
    """Tickets spread over the period, people, departments, types, channels."""
    cr = env.cr
    company = env.company.id
    teams = env["helpdesk.ticket.team"].search([("is_department", "=", True)]).ids
    users = env["res.users"].search([("share", "=", False)], limit=20).ids
    categories = env["helpdesk.ticket.category"].search([]).ids
    channels = env["helpdesk.ticket.channel"].search([]).ids
    stages = {
        stage.state: stage.id
        for stage in env["helpdesk.ticket.stage"].search([], order="id desc")
    }
    policy = env["helpdesk.sla.policy"].create(
        {
            "name": "Benchmark",
            "milestone": "first_contact",
            "target_minutes": 120,
            "time_basis": "calendar",
            "active": False,
        }
    )
    seconds = int((end - start).total_seconds())
    env.flush_all()
    cr.execute(
        SQL(
            """INSERT INTO helpdesk_ticket (
                   name, description, number, company_id, satisfaction_state,
                   team_id, user_id, category_id, channel_id, stage_id, state,
                   received_date, create_date, write_date, create_uid, write_uid,
                   on_behalf, routed_date, routed_by_id, first_contact_date,
                   work_done_date, closed_date, cancelled_date, active)
               SELECT 'Benchmark ' || i, '<p>benchmark</p>', 'BENCH' || i,
                      %(company)s,
                      CASE WHEN mod(i, 3) = 0 THEN 'confirmed' ELSE 'none' END,
                      (%(teams)s::int[])[1 + mod(i, cardinality(%(teams)s::int[]))],
                      (%(users)s::int[])[1 + mod(i, cardinality(%(users)s::int[]))],
                      (%(cats)s::int[])[1 + mod(i, cardinality(%(cats)s::int[]))],
                      (%(chans)s::int[])[1 + mod(i, cardinality(%(chans)s::int[]))],
                      CASE WHEN mod(i, 10) < 6 THEN %(done)s
                           WHEN mod(i, 10) = 6 THEN %(cancelled)s
                           ELSE %(progress)s END,
                      CASE WHEN mod(i, 10) < 6 THEN 'done'
                           WHEN mod(i, 10) = 6 THEN 'cancelled'
                           ELSE 'in_progress' END,
                      r, r + interval '10 minutes', r, %(uid)s, %(uid)s,
                      mod(i, 2) = 0, r + interval '20 minutes', %(uid)s,
                      r + (mod(i, 180)) * interval '1 minute',
                      CASE WHEN mod(i, 10) < 6 THEN r + interval '30 hours' END,
                      CASE WHEN mod(i, 10) < 6
                           THEN r + (30 + mod(i, 80)) * interval '1 hour' END,
                      CASE WHEN mod(i, 10) = 6 THEN r + interval '2 hours' END,
                      TRUE
               FROM generate_series(1, %(count)s) AS i,
                    LATERAL (SELECT %(start)s::timestamp
                                    + mod(i * 7919, %(seconds)s) * interval '1 second'
                             AS r) AS rr""",
            company=company,
            teams=teams,
            users=users,
            cats=categories,
            chans=channels,
            done=stages["done"],
            cancelled=stages["cancelled"],
            progress=stages["in_progress"],
            uid=SUPERUSER_ID,
            count=count,
            start=start,
            seconds=seconds,
        )
    )
    cr.execute(
        SQL(
            """INSERT INTO helpdesk_ticket_sla (ticket_id, policy_id, milestone,
                   status, start_date, deadline, late_minutes)
               SELECT t.id, %(policy)s, m.milestone,
                      CASE WHEN mod(t.id, 4) = 0 THEN 'failed' ELSE 'reached' END,
                      t.received_date, t.received_date + interval '2 hours', 0
               FROM helpdesk_ticket t
               CROSS JOIN (VALUES ('create'), ('route'), ('first_contact'))
                   AS m(milestone)
               WHERE starts_with(t.number, 'BENCH')""",
            policy=policy.id,
        )
    )
    cr.execute(
        """INSERT INTO helpdesk_ticket_update_day (ticket_id, user_id, team_id,
               company_id, day, made)
           SELECT t.id, t.user_id, t.team_id, t.company_id,
                  (t.received_date + d * interval '1 day')::date, (t.id + d) % 5 > 0
           FROM helpdesk_ticket t CROSS JOIN generate_series(0, 2) AS d
           WHERE t.number LIKE 'BENCH%' AND t.state = 'in_progress'"""
    )
    cr.execute(
        """INSERT INTO helpdesk_ticket_escalation (ticket_id, user_id, level, date,
               team_id, company_id)
           SELECT t.id, t.user_id, 1, t.received_date + interval '1 hour',
                  t.team_id, t.company_id
           FROM helpdesk_ticket t
           WHERE t.number LIKE 'BENCH%' AND t.id % 50 = 0"""
    )
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE helpdesk_ticket_sla")
    env.invalidate_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Period = env["helpdesk.kpi.period"]
        period = Period._get_or_create(env.company, YEAR, MONTH)
        started = time.perf_counter()
        seed(env, args.tickets, period.date_start, period.date_end)
        seed_seconds = time.perf_counter() - started
        timings, queries = [], []
        for _rep in range(args.reps):
            env.flush_all()
            env.invalidate_all()
            count = cr.sql_log_count
            started = time.perf_counter()
            period.action_compute()
            env.flush_all()
            timings.append(time.perf_counter() - started)
            queries.append(cr.sql_log_count - count)
        total = period.line_ids.filtered(lambda line: line.scope == "company")
        result = {
            "tickets": args.tickets,
            "seed_seconds": round(seed_seconds, 2),
            "compute_seconds": [round(t, 3) for t in timings],
            "compute_queries": queries,
            "lines": len(period.line_ids),
            "received_count": total.received_count,
            "finished_count": total.finished_count,
            "at": datetime.now().isoformat(timespec="seconds"),
            "seed_window": [str(period.date_start), str(period.date_end)],
        }
        print(json.dumps(result, indent=2))
        assert total.received_count == args.tickets, result
        cr.rollback()


if __name__ == "__main__":
    main()
