# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Measurements made inside this process, on the ORM: mail intake, SLA cron, KPI,
ticket list and kanban. Each figure is the median of several runs; queries come
from the cursor's own counter (``sql_log_count``), time from ``perf_counter``
(wall) and ``process_time`` (CPU of this process: PostgreSQL's is not in it)."""

import base64
import json
import socket
import statistics
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as day_time
from email.utils import format_datetime
from unittest import mock

from lxml import etree
from seed import SLA_WARN_DATE_SQL

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tools import SQL

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MAIL = """From: {name} <{sender}>
To: {to}
Subject: =?utf-8?b?{subject}?=
Message-ID: <{msg_id}>
Date: {date}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BENCHBOUNDARY"

--BENCHBOUNDARY
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Kính gửi SGC, chúng tôi cần lấy mẫu khí thải ống khói vào tuần sau
và phân tích ba mẫu nước thải. Xin báo giá và lịch lấy mẫu.
--BENCHBOUNDARY
Content-Type: application/pdf; name="so-do-nha-may.pdf"
Content-Disposition: attachment; filename="so-do-nha-may.pdf"
Content-Transfer-Encoding: base64

{pdf}
--BENCHBOUNDARY--
"""
SUBJECT = base64.b64encode("Yêu cầu lấy mẫu khí thải".encode()).decode()


def median(values):
    return statistics.median(values) if values else None


@contextmanager
def counting(cr):
    """Wall time, CPU time and queries of the block, in ``box``."""
    box = {}
    queries = cr.sql_log_count
    wall = time.perf_counter()
    cpu = time.process_time()
    yield box
    box["wall_s"] = time.perf_counter() - wall
    box["cpu_s"] = time.process_time() - cpu
    box["queries"] = cr.sql_log_count - queries


def summarize(samples, keys=("wall_s", "cpu_s", "queries")):
    """Median of each key over the runs, with the runs themselves."""
    result = {key: median([s[key] for s in samples]) for key in keys}
    result["runs"] = len(samples)
    result["samples"] = samples
    return result


@contextmanager
def capture_queries():
    """Record (sql, params, seconds) of every query run meanwhile."""
    recorded = []
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return original(self, query, params, log_exceptions)
        finally:
            recorded.append((query, params, time.perf_counter() - start))

    with mock.patch.object(sql_db.Cursor, "execute", execute):
        yield recorded


def explain_slowest(cr, recorded, count=2):
    """EXPLAIN ANALYZE of the slowest SELECTs recorded: where time goes."""
    plans = []
    ordered = sorted(recorded, key=lambda r: r[2], reverse=True)
    for query, params, seconds in ordered:
        if isinstance(query, SQL):
            query, params = query.code, query.params
        if not query.lstrip().upper().startswith("SELECT"):
            continue
        try:
            with cr.savepoint(flush=False):
                cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}", params)
                plan = [row[0] for row in cr.fetchall()]
        except Exception:  # noqa: BLE001 - a plan is a nice-to-have
            continue
        plans.append(
            {
                "ms": round(seconds * 1000, 1),
                "query": " ".join(query.split())[:600],
                "plan": plan,
            }
        )
        if len(plans) >= count:
            break
    return plans


@contextmanager
def profiled(name, outdir):
    """Profile the block with pyinstrument when asked (``--profile``) and
    installed; the text report goes to ``outdir``."""
    if not outdir:
        yield
        return
    try:
        from pyinstrument import Profiler
    except ImportError:
        yield
        return
    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        path = outdir / f"profile_{name}.txt"
        path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))


# ---------------------------------------------------------------------------
# 1. Intake through the mail gateway
# ---------------------------------------------------------------------------


def mail_intake(registry, refs, reps, per_rep, customers, tag, warmup=3):
    """Raw mails to the intake alias through ``message_process``, one
    transaction each as the mail fetcher does (commit included: the
    acknowledgement is sent at commit). Returns per-ticket medians."""
    samples = []
    sent = 0
    for rep in range(-1, reps):
        count = warmup if rep < 0 else per_rep
        totals = {"wall_s": 0.0, "cpu_s": 0.0, "queries": 0}
        for _i in range(count):
            sent += 1
            customer = (sent * 37) % customers + 1
            raw = MAIL.format(
                name=f"Khách hàng {customer}",
                sender=f"kh{customer}@khach-hang.bench.example",
                to=refs["alias"],
                subject=SUBJECT,
                msg_id=f"bench-{tag}-{sent}-{time.time_ns()}@khach-hang.bench.example",
                date=format_datetime(fields.Datetime.now()),
                pdf=base64.b64encode(PDF_BYTES).decode(),
            )
            cr = registry.cursor()
            try:
                env = api.Environment(cr, SUPERUSER_ID, {})
                with counting(cr) as box:
                    ticket_id = env["mail.thread"].message_process(False, raw)
                    cr.commit()
            finally:
                cr.close()
            if sent == 1:
                _check_ticket(registry, ticket_id)
            for key in totals:
                totals[key] += box[key]
        if rep >= 0:
            samples.append(
                {
                    "tickets": count,
                    "wall_s": totals["wall_s"] / count,
                    "cpu_s": totals["cpu_s"] / count,
                    "queries": totals["queries"] / count,
                    "tickets_per_s": count / totals["wall_s"],
                }
            )
    return summarize(samples, ("wall_s", "cpu_s", "queries", "tickets_per_s"))


def _check_ticket(registry, ticket_id):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not ticket_id or not env["helpdesk.ticket"].browse(ticket_id).exists():
            raise RuntimeError("the mail gateway did not create a ticket")


# ---------------------------------------------------------------------------
# 3. SLA cron
# ---------------------------------------------------------------------------

# Due now in every scenario, whatever the number of open tickets: 40 milestones
# inside their warning window, 40 just past their deadline, 20 assigned tickets
# not started, 20 unrouted (their routing is among the failures' kind), 10 urgent
# without first contact.
DUE = {"warn": 40, "fail": 40, "not_started": 20, "unrouted": 20, "escalate": 10}

SLA_RANK_SQL = """
CREATE TEMP TABLE bench_rank AS
SELECT id, row_number() OVER (ORDER BY id DESC) AS r FROM helpdesk_ticket
"""
# The ``open`` most recent tickets are open (the due ones first), the others
# closed; the SLA cron has dealt with everything before now.
SLA_TICKETS_SQL = """
UPDATE helpdesk_ticket t SET
    state = k.st,
    stage_id = (%(stages)s::jsonb ->> k.st)::int,
    start_reminder_sent = NOT k.r BETWEEN %(w_f)s + 1 AND %(w_f_s)s,
    is_routed = CASE WHEN k.r BETWEEN %(w_f_s)s + 1 AND %(w_f_s_u)s THEN FALSE
                     ELSE t.is_routed END,
    user_id = CASE WHEN k.r BETWEEN %(w_f)s + 1 AND %(w_f_s)s
                   THEN COALESCE(t.user_id, %(staff)s) ELSE t.user_id END,
    create_date = CASE WHEN k.r <= %(due)s
                       THEN LEAST(t.create_date, %(now)s - interval '1 hour')
                       ELSE t.create_date END,
    priority = CASE WHEN k.r > %(w_f_s_u)s AND k.r <= %(due)s THEN '3'
                    ELSE t.priority END,
    first_contact_date = CASE WHEN k.r > %(w_f_s_u)s AND k.r <= %(due)s THEN NULL
                              ELSE t.first_contact_date END,
    received_date = CASE WHEN k.r > %(w_f_s_u)s AND k.r <= %(due)s
                         THEN %(now)s - interval '45 minutes'
                         ELSE t.received_date END,
    escalation_level = CASE WHEN k.r > %(w_f_s_u)s AND k.r <= %(due)s THEN 0
                            ELSE 3 END
FROM (
    SELECT id, r,
           CASE WHEN r > %(open)s THEN 'done'
                WHEN r <= %(w_f)s THEN 'in_progress'
                WHEN r <= %(due)s THEN 'new'
                WHEN r %% 10 < 2 THEN 'new'
                WHEN r %% 10 < 9 THEN 'in_progress'
                ELSE 'paused' END AS st
    FROM bench_rank) k
WHERE k.id = t.id
"""
# The urgent tickets due for escalation have not been escalated yet.
SLA_ESCALATIONS_SQL = """
DELETE FROM helpdesk_ticket_escalation e USING bench_rank k
WHERE k.id = e.ticket_id AND k.r > %(w_f_s_u)s AND k.r <= %(due)s
"""
SLA_ROWS_CLEAR_SQL = """
UPDATE helpdesk_ticket_sla SET status = 'reached', reached_date = deadline
WHERE status = 'ongoing'
"""
# One ongoing milestone per open ticket, most due in the next five days.
SLA_ROWS_OPEN_SQL = """
UPDATE helpdesk_ticket_sla s SET
    status = 'ongoing', reached_date = NULL, warned = FALSE,
    failed_notified = FALSE, late_minutes = 0,
    deadline = CASE
        WHEN k.r <= %(w)s THEN %(now)s + interval '5 minutes'
        WHEN k.r <= %(w_f)s THEN %(now)s - interval '2 minutes'
        ELSE %(now)s + make_interval(mins => 60 + (s.ticket_id * 7919) %% 7200) END
FROM bench_rank k
WHERE k.id = s.ticket_id AND k.r <= %(open)s AND s.milestone = 'first_contact'
"""

# The engine's queue as the events left it: a warning and a target ahead of every
# ongoing milestone of an open ticket, the not-started reminder of the assigned New
# tickets due now, the first escalation step of the urgent tickets due now.
SLA_TIMERS_SQL = """
DELETE FROM helpdesk_ticket_timer;
INSERT INTO helpdesk_ticket_timer
    (ticket_id, company_id, policy_id, sla_id, kind, level, due_date)
SELECT s.ticket_id, t.company_id, s.policy_id, s.id, k.kind, 0,
       CASE k.kind WHEN 'warn' THEN s.warn_date ELSE s.deadline END
FROM helpdesk_ticket_sla s
JOIN helpdesk_ticket t ON t.id = s.ticket_id
CROSS JOIN (VALUES ('warn'), ('deadline')) AS k(kind)
WHERE s.status = 'ongoing' AND t.state IN ('new', 'in_progress', 'paused');
INSERT INTO helpdesk_ticket_timer
    (ticket_id, company_id, policy_id, kind, level, due_date)
SELECT t.id, t.company_id, p.id, 'remind', 0, %(now)s - interval '5 minutes'
FROM bench_rank k
JOIN helpdesk_ticket t ON t.id = k.id
JOIN helpdesk_sla_policy p ON p.milestone = 'start' AND p.active
WHERE k.r BETWEEN %(w_f)s + 1 AND %(w_f_s)s;
INSERT INTO helpdesk_ticket_timer
    (ticket_id, company_id, policy_id, sla_id, step_id, kind, level, due_date)
SELECT t.id, t.company_id, s.policy_id, s.id, st.id, 'escalate', 1,
       %(now)s - interval '15 minutes'
FROM bench_rank k
JOIN helpdesk_ticket t ON t.id = k.id
JOIN helpdesk_ticket_sla s ON s.ticket_id = t.id AND s.milestone = 'first_contact'
CROSS JOIN (SELECT id FROM helpdesk_escalation_step WHERE active
            ORDER BY team_id NULLS FIRST, sequence, delay_minutes, id LIMIT 1) st
WHERE k.r > %(w_f_s_u)s AND k.r <= %(due)s;
"""


def _working_now(env):
    """The scenario's clock: 11:00 (company time) on the last working weekday of
    the company's calendar, three working hours into the day. The SLA counts
    working time, so the rows the scenario makes due are due whenever the
    benchmark runs (at night or on a holiday too)."""
    company = env.company
    Timer = env["helpdesk.ticket.timer"]
    today = company._sgc_now_local().date()
    for back in range(1, 60):
        day = today - timedelta(days=back)
        if day.weekday() < 5 and Timer._is_working_day(day, company):
            return company._sgc_local_to_utc(datetime.combine(day, day_time(11, 0)))
    return fields.Datetime.now()


def _sla_scenario(env, refs, open_count, now):
    cr = env.cr
    env.flush_all()
    w, f, s, u, e = (DUE[k] for k in DUE)
    params = {
        "open": open_count,
        "w": w,
        "w_f": w + f,
        "w_f_s": w + f + s,
        "w_f_s_u": w + f + s + u,
        "due": w + f + s + u + e,
        "now": now,
        "stages": json.dumps(refs["stages"]),
        "staff": refs["staff"][0],
    }
    cr.execute("DROP TABLE IF EXISTS bench_rank")
    cr.execute(SLA_RANK_SQL)
    cr.execute(SLA_TICKETS_SQL, params)
    cr.execute(SLA_ESCALATIONS_SQL, params)
    cr.execute(SLA_ROWS_CLEAR_SQL)
    cr.execute(SLA_ROWS_OPEN_SQL, params)
    cr.execute(SLA_WARN_DATE_SQL)
    cr.execute(SLA_TIMERS_SQL, params)
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE helpdesk_ticket_sla")
    cr.execute("ANALYZE helpdesk_ticket_timer")
    cr.execute(
        """SELECT COUNT(*) FILTER (WHERE state IN ('new', 'in_progress', 'paused')),
                  COUNT(*) FROM helpdesk_ticket"""
    )
    open_tickets, tickets = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM helpdesk_ticket_sla WHERE status = 'ongoing'")
    ongoing = cr.fetchone()[0]
    env.invalidate_all()
    return {"open_tickets": open_tickets, "tickets": tickets, "ongoing_sla": ongoing}


def sla_cron(registry, refs, open_count, reps, profile_dir=None):
    """``_cron_sla_check()`` over ``open_count`` open tickets, in a transaction
    rolled back after each run (the per-batch commits are turned off for it) so
    that every run meets the same data."""
    samples = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        now = _working_now(env)
        scenario = _sla_scenario(env, refs, open_count, now)
        Sla = env["helpdesk.ticket.sla"]
        cls = type(Sla)
        steps = {}
        progress = {}

        def wrap(name):
            original = getattr(cls, name)

            def step(self, timers):
                steps[name] = steps.get(name, 0) + len(timers)
                return original(self, timers)

            return step

        def report_progress(self, done, remaining):
            progress["batches"] = done

        patches = [
            mock.patch.object(cls, "_auto_commit", lambda self: False),
            mock.patch.object(cls, "_report_progress", report_progress),
        ] + [
            mock.patch.object(cls, name, wrap(name))
            for name in (
                "_do_warn",
                "_do_deadline",
                "_do_remind",
                "_do_escalate",
            )
        ]
        for patch in patches:
            patch.start()
        try:
            cr.execute("SAVEPOINT bench_sla")
            # Run 0 warms the caches (templates, rules) as in a running server.
            for rep in range(-1, reps + (1 if profile_dir else 0)):
                steps.clear()
                name = f"sla_cron_{open_count}" if rep == reps else None
                with profiled(name, profile_dir if name else None):
                    with counting(cr) as box:
                        Sla.with_context(
                            lang="en_US", sgc_sla_now=now
                        )._cron_sla_check()
                        env.flush_all()
                if 0 <= rep < reps:
                    box.update(batches=progress.get("batches"), notified=dict(steps))
                    samples.append(box)
                cr.execute("ROLLBACK TO SAVEPOINT bench_sla")
                cr.precommit.clear()
                cr.postcommit.clear()
                env.invalidate_all()
        finally:
            for patch in patches:
                patch.stop()
            cr.rollback()
    result = summarize(samples)
    result.update(scenario)
    result["batches"] = samples[0]["batches"] if samples else None
    result["notified"] = samples[0]["notified"] if samples else None
    return result


# ---------------------------------------------------------------------------
# 4. KPI period
# ---------------------------------------------------------------------------


def kpi_available(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return "helpdesk.kpi.period" in env and hasattr(
            env["helpdesk.kpi.period"], "action_compute"
        )


def kpi_periods(registry):
    """A period holding every seeded ticket (24 months) and the last full monthly
    period, created and committed; returns {name: (id, tickets received)}."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Period = env["helpdesk.kpi.period"]
        company = env.company
        cr.execute("SELECT MIN(received_date) FROM helpdesk_ticket")
        first = cr.fetchone()[0]
        now = fields.Datetime.now()
        everything = Period.create(
            {
                "name": "BENCH-24M",
                "company_id": company.id,
                "date_start": first - timedelta(days=1),
                "date_end": now,
            }
        )
        year, month = Period._closing_month_of(company, now)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        monthly = Period._get_or_create(company, year, month)
        periods = {}
        for name, period in (("all", everything), ("month", monthly)):
            cr.execute(
                """SELECT COUNT(*) FROM helpdesk_ticket
                   WHERE received_date BETWEEN %s AND %s""",
                (period.date_start, period.date_end),
            )
            periods[name] = (period.id, cr.fetchone()[0])
        return periods


def kpi_compute(
    registry, period_id, reps, keep=False, profile_dir=None, name="", one_in=None
):
    """``action_compute()`` of one period; rolled back after each run except the
    last when ``keep`` (the PDF then prints those figures). With ``one_in``, only
    one ticket in that many stays active during the run (the KPI counts active
    tickets only), so the same period is measured with fewer tickets; the
    archiving is rolled back with the run."""
    samples = []
    for rep in range(-1, reps + (1 if profile_dir else 0)):
        cr = registry.cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if one_in:
                cr.execute(
                    "UPDATE helpdesk_ticket SET active = FALSE WHERE id %% %s != 0",
                    (one_in,),
                )
            period = env["helpdesk.kpi.period"].browse(period_id)
            pname = f"kpi_{name}" if rep == reps else None
            with profiled(pname, profile_dir if pname else None):
                with counting(cr) as box:
                    period.action_compute()
                    env.flush_all()
            if 0 <= rep < reps:
                box["lines"] = len(period.line_ids)
                samples.append(box)
            if keep and rep == reps - 1:
                cr.commit()
            else:
                cr.rollback()
        finally:
            cr.close()
    result = summarize(samples)
    result["lines"] = samples[0]["lines"] if samples else None
    return result


def kpi_pdf(registry, period_id, reps, report_url):
    """The period's PDF (wkhtmltopdf; the page's assets come from ``report_url``,
    the benchmark's own server)."""
    samples = []
    size = None
    for _rep in range(reps):
        cr = registry.cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("report.url", report_url)
            with counting(cr) as box:
                pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(
                    "sgc_helpdesk_ticket.action_report_helpdesk_kpi_period",
                    [period_id],
                )
            size = len(pdf)
            samples.append(box)
            cr.rollback()
        finally:
            cr.close()
    result = summarize(samples)
    result["bytes"] = size
    return result


# ---------------------------------------------------------------------------
# 5. Ticket list and kanban, as the web client loads them
# ---------------------------------------------------------------------------


def _specification(fields_info, arch, view_type):
    """``web_search_read``'s specification for the fields of a view."""
    root = etree.fromstring(arch)
    spec = {}
    for node in root.iter("field"):
        # Fields of an embedded sub-view belong to another model.
        if any(a.tag == "field" for a in node.iterancestors()):
            continue
        name = node.get("name")
        info = fields_info.get(name)
        if not info or info["type"] == "properties":
            continue
        if info["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def _views(env):
    Ticket = env["helpdesk.ticket"]
    views = Ticket.get_views([(False, "list"), (False, "kanban")])
    fields_info = views["models"]["helpdesk.ticket"]
    fields_info = fields_info.get("fields", fields_info)
    return {
        view_type: _specification(
            fields_info, views["views"][view_type]["arch"], view_type
        )
        for view_type in ("list", "kanban")
    }


def _user_env(cr, uid):
    env = api.Environment(cr, uid, {})
    company = env.user.company_id.id
    return api.Environment(
        cr,
        uid,
        {
            "lang": "en_US",
            "tz": "Asia/Ho_Chi_Minh",
            "uid": uid,
            "allowed_company_ids": [company],
            "bin_size": True,
        },
    )


def ticket_views(registry, uid, reps, explain=True, profile_dir=None, name=""):
    """First page of the list (80 rows) and the kanban grouped by stage (each
    open column's first 40 cards), as user ``uid``, each in a fresh
    transaction (a new request)."""
    with registry.cursor() as cr:
        specs = _views(_user_env(cr, uid))
    results = {}
    for view_type in ("list", "kanban"):
        samples = []
        plans = []
        for rep in range(reps + 1 + (1 if profile_dir else 0)):
            # Run 0 warms the registry caches (rules, views) as a running
            # server has them; it is not counted.
            with registry.cursor() as cr:
                Ticket = _user_env(cr, uid)["helpdesk.ticket"]
                pname = f"{view_type}_{name}" if rep == reps + 1 else None
                with profiled(pname, profile_dir if pname else None):
                    with capture_queries() as recorded, counting(cr) as box:
                        rows = _load_view(Ticket, view_type, specs[view_type])
                if 0 < rep <= reps:
                    box["rows"] = rows
                    samples.append(box)
                if explain and rep == reps:
                    plans = explain_slowest(cr, recorded)
                cr.rollback()
        results[view_type] = summarize(samples)
        results[view_type]["rows"] = samples[0]["rows"] if samples else None
        results[view_type]["slowest_queries"] = plans
    return results


def _load_view(Ticket, view_type, spec):
    if view_type == "list":
        result = Ticket.web_search_read([], spec, limit=80, count_limit=10001)
        return len(result["records"])
    groups = Ticket.web_read_group([], [], ["stage_id"], limit=80, lazy=True)
    rows = 0
    for group in groups["groups"]:
        if group.get("__fold"):
            continue
        result = Ticket.web_search_read(
            group["__domain"], spec, limit=40, count_limit=10001
        )
        rows += len(result["records"])
    return rows


def ticket_count_visible(registry, uid):
    with registry.cursor() as cr:
        return _user_env(cr, uid)["helpdesk.ticket"].search_count([])


# ---------------------------------------------------------------------------
# 6. The intake's jobs (queue_job), measured on their own
# ---------------------------------------------------------------------------


def cancel_pending_jobs(registry):
    """Cancel the jobs still pending (the load test queues one per request, more
    than ``intake_jobs`` performs on a fast machine), so that the next
    measurement's runner meets an empty queue; returns how many."""
    with registry.cursor() as cr:
        cr.execute("UPDATE queue_job SET state = 'cancelled' WHERE state = 'pending'")
        return cr.rowcount


def intake_jobs(registry, limit=2000):
    """Perform the jobs the intake measurements queued (acknowledgements, staff
    notices, SLA starts), one transaction each as queue_job's runner does, with
    the mail going to an SMTP sink on 127.0.0.1. Returns jobs per second and
    the median wall time and queries per job, by job method."""
    # Imported here: the baseline database has no queue_job.
    from aiosmtpd.controller import Controller

    from odoo.addons.queue_job.controllers.main import RunJobController
    from odoo.addons.queue_job.job import Job

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Sink.received += 1
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            sink_server = env["ir.mail_server"].create(
                {
                    "name": "bench SMTP sink",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": port,
                    "sequence": 0,
                }
            )
            cr.execute(
                "SELECT uuid FROM queue_job WHERE state = 'pending' "
                "ORDER BY id LIMIT %s",
                (limit,),
            )
            uuids = [row[0] for row in cr.fetchall()]
        by_method = {}
        failed = 0
        started = time.perf_counter()
        for uuid in uuids:
            cr = registry.cursor()
            try:
                env = api.Environment(cr, SUPERUSER_ID, {})
                job = Job.load(env, uuid)
                job.set_started()
                job.store()
                with counting(cr) as box:
                    RunJobController._try_perform_job(env, job)
                    cr.commit()
                by_method.setdefault(job.method_name, []).append(box)
            except Exception:  # noqa: BLE001 - counted, the others go on
                cr.rollback()
                failed += 1
            finally:
                cr.close()
        elapsed = time.perf_counter() - started
        with registry.cursor() as cr:
            # Gone with the sink: later measurements use the configured SMTP.
            cr.execute("DELETE FROM ir_mail_server WHERE id = %s", (sink_server.id,))
    finally:
        controller.stop()
    result = {
        "jobs": len(uuids),
        "failed": failed,
        "mails_received": Sink.received,
        "jobs_per_s": len(uuids) / elapsed if elapsed else 0.0,
    }
    for method, boxes in by_method.items():
        result[method] = {
            "count": len(boxes),
            "wall_s": median([b["wall_s"] for b in boxes]),
            "queries": median([b["queries"] for b in boxes]),
        }
    return result
