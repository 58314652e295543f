#!/usr/bin/env bash
# Benchmarks of sgc_helpdesk_ticket side by side with plain helpdesk_mgmt (issue 7):
#   ./bench/run.sh [--tickets N] [--quick] [--reps N] [--load-seconds S] [--keep]
#                  [--profile] [--triage-only]
# Creates two throw-away databases (the addon; helpdesk_mgmt only), seeds the same
# tickets into both, measures, writes bench/results/latest.json and prints a table.
# The databases are dropped at the end unless --keep is given.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$SGC_ROOT"

TICKETS=100000
REPS=5
LOAD_SECONDS=30
QUICK=0
KEEP=0
TRIAGE_ONLY=0
PROFILE=()
while [ $# -gt 0 ]; do
    case "$1" in
        --tickets) TICKETS=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --load-seconds) LOAD_SECONDS=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --keep) KEEP=1; shift ;;
        # pyinstrument reports of the ORM measurements, in bench/results/profiles
        --profile) PROFILE=(--profile "$SGC_ROOT/bench/results/profiles"); shift ;;
        # Only the triage's benchmark (bench_triage.py): one database, no HTTP.
        --triage-only) TRIAGE_ONLY=1; shift ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) sgc_die "unknown argument: $1 (see --help)" ;;
    esac
done
OUT="$SGC_ROOT/bench/results/latest.json"
if [ $QUICK -eq 1 ]; then
    # A smoke run of every measurement: small data, one repetition, short load.
    # Its figures mean little: they go beside the full run's, not over them.
    TICKETS=2000
    REPS=1
    LOAD_SECONDS=5
    OUT="$SGC_ROOT/bench/results/quick.json"
fi

# wrk drives the load test (20 concurrent clients).
sgc_bootstrap wrk
if ! command -v wrk >/dev/null 2>&1; then
    sgc_log "wrk not found: the load test will be reported as not available" \
        "(Debian: apt-get install -y wrk)"
fi

RUN_ID=$(date +%s)_$$
DB="sgc_bench_${RUN_ID}"
BASE_DB="sgc_bench_base_${RUN_ID}"
WORK=$(mktemp -d)
CONF="$WORK/odoo-bench.conf"
# Mail stays queued in the benchmark (mail.mail.force.send.limit = 0 in both
# databases); should anything still try to send, it meets a closed local port.
# The servers of the benchmark run no job runner: the intake's requests are
# measured alone, and bench.py performs and measures the jobs they queued after.
export ODOO_QUEUE_JOB_CHANNELS=root:0
sgc_write_config "$CONF" "data_dir = $WORK/data" "smtp_server = 127.0.0.1" "smtp_port = 1"

cleanup() {
    if [ $KEEP -eq 1 ]; then
        sgc_log "kept databases $DB and $BASE_DB (config $CONF)"
        return
    fi
    dropdb --if-exists -U "$SGC_DB_USER" "$DB" 2>/dev/null || true
    dropdb --if-exists -U "$SGC_DB_USER" "$BASE_DB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ODOO_BIN=$(sgc_odoo_bin)
START=$(date +%s)
TRIAGE_OUT="$SGC_ROOT/bench/results/triage.json"
[ $QUICK -eq 1 ] && TRIAGE_OUT="$SGC_ROOT/bench/results/triage_quick.json"
export PYTHONDONTWRITEBYTECODE=1
if [ $TRIAGE_ONLY -eq 1 ]; then
    sgc_log "installing sgc_helpdesk_ticket into $DB (triage benchmark only)"
    # shellcheck disable=SC2086
    if ! $ODOO_BIN -c "$CONF" -d "$DB" -i sgc_helpdesk_ticket --without-demo=all \
            --stop-after-init --log-level=warn --http-port=0 > "$WORK/install.log" 2>&1 \
            || grep -qE " (ERROR|CRITICAL) " "$WORK/install.log"; then
        cat "$WORK/install.log" >&2
        sgc_die "installing the benchmark database failed (log above)"
    fi
    mkdir -p "$SGC_ROOT/bench/results"
    "$PY" "$SGC_ROOT/bench/bench_triage.py" --config "$CONF" --db "$DB" \
        --history "$TICKETS" --out "$TRIAGE_OUT"
    sgc_log "triage benchmark finished in $(( $(date +%s) - START )) s"
    exit 0
fi
sgc_log "installing sgc_helpdesk_ticket into $DB and helpdesk_mgmt into $BASE_DB"
# The two installs are independent: run them side by side.
# shellcheck disable=SC2086
$ODOO_BIN -c "$CONF" -d "$DB" -i sgc_helpdesk_ticket --without-demo=all \
    --stop-after-init --log-level=warn --http-port=0 > "$WORK/install.log" 2>&1 &
PID_SGC=$!
# shellcheck disable=SC2086
$ODOO_BIN -c "$CONF" -d "$BASE_DB" -i helpdesk_mgmt --without-demo=all \
    --stop-after-init --log-level=warn --http-port=0 > "$WORK/install_base.log" 2>&1 &
PID_BASE=$!
status=0
wait $PID_SGC || status=1
wait $PID_BASE || status=1
if [ $status -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$WORK/install.log" "$WORK/install_base.log"; then
    cat "$WORK/install.log" "$WORK/install_base.log" >&2
    sgc_die "installing the benchmark databases failed (log above)"
fi
sgc_log "installed in $(( $(date +%s) - START )) s"

export SGC_ODOO_BIN="$ODOO_BIN"
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$SGC_ROOT/bench/results"
"$PY" "$SGC_ROOT/bench/bench.py" \
    --config "$CONF" --db "$DB" --baseline-db "$BASE_DB" --work "$WORK" \
    --tickets "$TICKETS" --reps "$REPS" --load-seconds "$LOAD_SECONDS" \
    $([ $QUICK -eq 1 ] && echo --quick) "${PROFILE[@]}" \
    --out "$OUT"
sgc_log "benchmark finished in $(( $(date +%s) - START )) s"
# The triage (issue 14) on the same database: its own history of $TICKETS tickets.
"$PY" "$SGC_ROOT/bench/bench_triage.py" --config "$CONF" --db "$DB" \
    --history "$TICKETS" --out "$TRIAGE_OUT"
sgc_log "triage benchmark finished in $(( $(date +%s) - START )) s"
