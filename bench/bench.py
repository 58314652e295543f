# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark driver, started by bench/run.sh once both databases are installed.

Seeds the same tickets into the benchmark database (sgc_helpdesk_ticket) and the
baseline (helpdesk_mgmt only), measures, writes the JSON and prints the table.
"""

import argparse
import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

import http_bench
import measure
import report
import seed

import odoo
from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

SIDES = ("sgc", "baseline")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--baseline-db", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--profile", help="folder for pyinstrument reports of the ORM measurements"
    )
    return parser.parse_args(argv)


def log(message):
    print(f"[bench] {time.strftime('%H:%M:%S')} {message}", flush=True)


class Run:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.work)
        self.profile = Path(args.profile) if args.profile else None
        if self.profile:
            self.profile.mkdir(parents=True, exist_ok=True)
        self.dbs = {"sgc": args.db, "baseline": args.baseline_db}
        self.registries = {}
        self.refs = {}
        self.measures = {}
        self.errors = {}
        self.customers = 0

    def attempt(self, label, func, *args, **kwargs):
        """Run one measurement; a failure is recorded and the others go on."""
        log(label)
        try:
            return func(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported in the results
            traceback.print_exc()
            self.errors[label] = f"{type(error).__name__}: {error}"
            return None

    # ------------------------------------------------------------------ setup

    def setup(self):
        now = fields.Datetime.now()
        seeds = {}
        for side in SIDES:
            registry = Registry(self.dbs[side])
            self.registries[side] = registry
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                self.refs[side] = seed.prepare(env, addon=side == "sgc")
                rows, seconds = seed.seed(env, self.refs[side], self.args.tickets, now)
            vacuum_seconds = vacuum_analyze(self.dbs[side])
            seeds[side] = {
                "rows": rows,
                "seconds": round(seconds, 1),
                "vacuum_analyze_seconds": round(vacuum_seconds, 1),
            }
            log(f"seeded {side}: {rows} in {seconds:.1f} s")
        self.customers = seeds["sgc"]["rows"]["res_partner"]
        return seeds

    # ------------------------------------------------------------ measurements

    def in_process(self):
        args, reps, m = self.args, self.args.reps, self.measures
        m["ticket_views"] = {}
        for side in SIDES:
            uid = self.refs[side]["dept_user_id"]
            views = self.attempt(
                f"ticket list and kanban ({side})",
                measure.ticket_views,
                self.registries[side],
                uid,
                reps,
                profile_dir=self.profile if side == "sgc" else None,
                name=side,
            )
            if views:
                views["visible_tickets"] = measure.ticket_count_visible(
                    self.registries[side], uid
                )
                m["ticket_views"][side] = views
        registry = self.registries["sgc"]
        refs = self.refs["sgc"]
        m["sla_cron"] = {}
        for key, open_count in (("open_all", args.tickets), ("open_1k", 1000)):
            m["sla_cron"][key] = self.attempt(
                f"SLA cron over {open_count} open tickets",
                measure.sla_cron,
                registry,
                refs,
                open_count,
                reps,
                profile_dir=self.profile if key == "open_all" else None,
            )
        if measure.kpi_available(registry):
            periods = self.attempt("KPI periods", measure.kpi_periods, registry)
            if periods:
                kpi = m["kpi"] = {"periods": periods}
                for name, keep in (("month", False), ("all", True)):
                    period_id, tickets = periods[name]
                    result = self.attempt(
                        f"KPI computation ({name}: {tickets} tickets)",
                        measure.kpi_compute,
                        registry,
                        period_id,
                        reps,
                        keep=keep,
                        profile_dir=self.profile if name == "all" else None,
                        name=name,
                    )
                    if result:
                        result["tickets"] = tickets
                        kpi[f"compute_{name}"] = result
                # The same period with one ticket in 25: the query count must not
                # move with the number of tickets (the month above is another
                # period, with its own calendar reads).
                period_id, tickets = periods["all"]
                result = self.attempt(
                    f"KPI computation (all, one ticket in 25: {tickets // 25})",
                    measure.kpi_compute,
                    registry,
                    period_id,
                    reps,
                    name="all_small",
                    one_in=25,
                )
                if result:
                    result["tickets"] = tickets // 25
                    kpi["compute_all_small"] = result
        else:
            m["kpi"] = {"available": False}
            self.errors["kpi"] = "helpdesk.kpi.period.action_compute is missing"
        m["intake_mail"] = {}
        per_rep = 5 if args.quick else 20
        for side in SIDES:
            m["intake_mail"][side] = self.attempt(
                f"mail gateway intake ({side})",
                measure.mail_intake,
                self.registries[side],
                self.refs[side],
                reps,
                per_rep,
                self.customers,
                side,
            )

    def over_http(self):
        args, reps, m = self.args, self.args.reps, self.measures
        odoo_bin = _odoo_bin()
        per_rep = 3 if args.quick else 10
        servers = {}
        try:
            for side in SIDES:
                servers[side] = self.attempt(
                    f"starting the {side} server",
                    http_bench.Server(
                        odoo_bin, args.config, self.dbs[side], self.work
                    ).start,
                )
            sgc = servers.get("sgc")
            category = self.refs["sgc"]["categories"][0]
            if sgc:
                m["intake_form"] = {
                    "sgc": self.attempt(
                        "website form intake",
                        http_bench.form_submissions,
                        sgc,
                        category,
                        reps,
                        per_rep,
                        "seq",
                    )
                }
            m["intake_portal"] = {}
            for side in SIDES:
                if servers.get(side):
                    m["intake_portal"][side] = self.attempt(
                        f"portal form intake ({side})",
                        http_bench.portal_submissions,
                        servers[side],
                        self.refs[side]["portal_login"],
                        self.refs[side]["portal_password"],
                        self.refs[side]["categories"][0],
                        reps,
                        per_rep,
                        sgc_form=side == "sgc",
                    )
            kpi = m.get("kpi", {})
            if sgc and kpi.get("compute_all"):
                kpi["pdf"] = self.attempt(
                    "KPI PDF",
                    measure.kpi_pdf,
                    self.registries["sgc"],
                    kpi["periods"]["all"][0],
                    reps,
                    sgc.url,
                )
            if servers.get("baseline"):
                servers.pop("baseline").stop()
            if sgc and http_bench.wrk_available():
                m["form_load"] = self.attempt(
                    f"website form under load ({args.clients} clients, "
                    f"{args.load_seconds} s)",
                    self._load,
                    sgc,
                    category,
                )
            elif not http_bench.wrk_available():
                self.errors["form_load"] = "wrk is not installed"
        finally:
            for server in servers.values():
                if server:
                    server.stop()

    def _load(self, server, category):
        registry = self.registries["sgc"]
        before = _ticket_count(registry)
        result = http_bench.form_load(
            server, category, self.args.load_seconds, self.args.clients, self.work
        )
        result["tickets_created"] = _ticket_count(registry) - before
        return result


def _ticket_count(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT COUNT(*) FROM helpdesk_ticket")
        return cr.fetchone()[0]


def _odoo_bin():
    command = os.environ.get("SGC_ODOO_BIN")
    if not command:
        raise SystemExit("SGC_ODOO_BIN is not set: start the benchmark with run.sh")
    return command


def vacuum_analyze(db):
    """Fresh statistics and visibility maps, as autovacuum keeps them in use."""
    started = time.perf_counter()
    cr = sql_db.db_connect(db).cursor()
    try:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    finally:
        cr._cnx.autocommit = False
        cr.close()
    return time.perf_counter() - started


def main(argv):
    args = parse_args(argv)
    config.parse_config(["-c", args.config, "--log-level=warn"])
    started = time.perf_counter()
    run = Run(args)
    result = {
        "schema": 1,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "tickets": args.tickets,
        "repetitions": args.reps,
        "load_seconds": args.load_seconds,
        "clients": args.clients,
        "odoo": odoo.release.version,
        "machine": report.machine(),
    }
    result["seed"] = run.setup()
    run.in_process()
    run.over_http()
    # The jobs the intake queued (the servers ran without a job runner, so the
    # request figures are the requests' own): performed and measured apart.
    run.measures["intake_jobs"] = run.attempt(
        "intake jobs", measure.intake_jobs, run.registries["sgc"]
    )
    # Then end to end, with the job runner on: ticket to acknowledgement sent,
    # behind an empty queue (the jobs the sample above left are cancelled).
    run.measures["intake_jobs_cancelled"] = run.attempt(
        "cancelling the jobs left", measure.cancel_pending_jobs, run.registries["sgc"]
    )
    run.measures["ack_latency"] = run.attempt(
        "acknowledgement latency (job runner on)",
        http_bench.ack_latency,
        _odoo_bin(),
        args.config,
        args.db,
        run.work,
        run.refs["sgc"]["categories"][0],
        5 if args.quick else 20,
    )
    result["measures"] = run.measures
    result["errors"] = run.errors
    result["targets"] = report.targets(run.measures)
    result["figures"] = report.figures(run.measures)
    result["machine"]["load_average_end"] = report.machine()["load_average"]
    result["seconds"] = round(time.perf_counter() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str) + "\n")
    print()
    print(report.table(result))
    if run.errors:
        print("\nNot measured:")
        for name, error in run.errors.items():
            print(f"  {name}: {error}")
    print(f"\nResults: {out} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
