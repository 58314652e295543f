#!/usr/bin/env bash
# The whole test suite, from a fresh clone (installing first what is missing, as
# scripts/start.sh does, plus the test tools: scripts/lib.sh, sgc_bootstrap):
#   1. the addon's own Odoo tests (pytest-odoo),
#   2. the repository-root tests/ (static checks, ruff, pylint-odoo, outside-in checks
#      against a server started on a free port),
#   3. helpdesk_mgmt's own test suite with sgc_helpdesk_ticket installed,
#   4. scripts/test_siblings.sh: the addon's suite and the OCA helpdesk siblings' suites,
#      with the siblings installed beside the addon (on by default, as in CI;
#      SGC_SIBLINGS=0 skips it, and so does SGC_TEST_PATHS).
# Creates throw-away databases and drops them at the end. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SGC_ROOT"

sgc_bootstrap "${SGC_APT_TEST[@]}"

RUN_ID=$(date +%s)_$$
DB="sgc_test_${RUN_ID}"
SERVER_DB="${DB}_srv"
JOBS_DB="${DB}_jobs"
SIBLINGS_DB="${DB}_siblings"
WORK=$(mktemp -d)
CONF="$WORK/odoo-test.conf"
# SGC_TEST_HTTP_PORT moves the test server off 8069 (two runs side by side).
sgc_write_config "$CONF" "data_dir = $WORK/data" "http_port = ${SGC_TEST_HTTP_PORT:-8069}" \
    "gevent_port = $(( ${SGC_TEST_HTTP_PORT:-8069} + 3 ))"

cleanup() {
    dropdb --if-exists -U "$SGC_DB_USER" "$DB" 2>/dev/null || true
    dropdb --if-exists -U "$SGC_DB_USER" "$SERVER_DB" 2>/dev/null || true
    dropdb --if-exists -U "$SGC_DB_USER" "$JOBS_DB" 2>/dev/null || true
    dropdb --if-exists -U "$SGC_DB_USER" "$SIBLINGS_DB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ODOO_BIN=$(sgc_odoo_bin)
sgc_log "installing sgc_helpdesk_ticket (with demo data) into $DB"
# shellcheck disable=SC2086
if ! $ODOO_BIN -c "$CONF" -d "$DB" -i sgc_helpdesk_ticket --stop-after-init \
        --log-level=warn --http-port=0 > "$WORK/install.log" 2>&1 \
        || grep -qE " (ERROR|CRITICAL) " "$WORK/install.log"; then
    cat "$WORK/install.log" >&2
    sgc_die "installing sgc_helpdesk_ticket failed (log above)"
fi
# The outside-in tests drive their own server on a copy, so that what they commit
# never meets the rolled-back Odoo tests.
createdb -U "$SGC_DB_USER" -T "$DB" "$SERVER_DB"
# One more for the test that stops a server between a request and its job.
createdb -U "$SGC_DB_USER" -T "$DB" "$JOBS_DB"

# --- OCA helpdesk siblings (scripts/test_siblings.sh) --------------------------------
# On unless SGC_SIBLINGS=0 or SGC_TEST_PATHS narrows the run. Their database is a copy
# (with its filestore) made now, before the suites below commit anything to $DB.
SIBLINGS_ON=1
if [ "${SGC_SIBLINGS:-1}" = 0 ] || [ -n "${SGC_TEST_PATHS:-}" ]; then
    SIBLINGS_ON=0
fi
if [ $SIBLINGS_ON = 1 ]; then
    createdb -U "$SGC_DB_USER" -T "$DB" "$SIBLINGS_DB"
    if [ -d "$WORK/data/filestore/$DB" ]; then
        cp -a "$WORK/data/filestore/$DB" "$WORK/data/filestore/$SIBLINGS_DB"
    fi
fi
# --------------------------------------------------------------------------------------

HELPDESK_TESTS=$("$PY" -c 'import importlib.util as u, os; s = u.find_spec("odoo.addons.helpdesk_mgmt"); print(os.path.join(s.submodule_search_locations[0], "tests"))')
# helpdesk_mgmt's test_js.py imports web's WebSuite, whose own methods pytest would collect
# as well (Odoo's runner does not run them for helpdesk_mgmt): keep helpdesk_mgmt's JS test.
HELPDESK_SUITE=()
for f in "$HELPDESK_TESTS"/test_*.py; do
    if [ "$(basename "$f")" = test_js.py ]; then
        HELPDESK_SUITE+=("$f::TestHelpdesMgmtJs::test_helpdesk_mgmt")
    else
        HELPDESK_SUITE+=("$f")
    fi
done
# Base tests that contradict one of SGC's rules on purpose are deselected by exact name
# (tests/helpdesk_mgmt_deselected.txt says which rule) by the plugin below.
export PYTHONPATH="$SGC_ROOT/tests${PYTHONPATH:+:$PYTHONPATH}"

export SGC_ODOO_CONF="$CONF" SGC_SERVER_DB="$SERVER_DB" SGC_JOBS_DB="$JOBS_DB" SGC_ODOO_BIN="$ODOO_BIN"
export PYTHONDONTWRITEBYTECODE=1
# The Odoo tests run the jobs they queue themselves, inside their own transaction
# (sgc_helpdesk_ticket/tests/jobs.py): no job runner may pick them up meanwhile.
# The outside-in tests start their server with the runner on (tests/conftest.py).
export ODOO_QUEUE_JOB_CHANNELS=root:0

SUITES=(sgc_helpdesk_ticket/tests tests "${HELPDESK_SUITE[@]}")
# SGC_TEST_PATHS narrows a run to some test paths while developing (CI never sets it).
if [ -n "${SGC_TEST_PATHS:-}" ]; then
    read -r -a SUITES <<< "$SGC_TEST_PATHS"
fi

set +e
"$PY" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn -o console_output_style=classic \
    -p pytest_sgc_deselect \
    "${SUITES[@]}" "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
    sgc_log "pytest collected no test: that is a failure"
    status=1
fi

# --- OCA helpdesk siblings (scripts/test_siblings.sh) --------------------------------
if [ $SIBLINGS_ON = 1 ]; then
    sgc_log "the addon beside the OCA helpdesk siblings (SGC_SIBLINGS=0 skips this)"
    siblings_status=0
    SGC_SIBLINGS_DB="$SIBLINGS_DB" SGC_SIBLINGS_DATA_DIR="$WORK/data" \
        "$SGC_ROOT/scripts/test_siblings.sh" "$@" || siblings_status=$?
    if [ $status -eq 0 ]; then
        status=$siblings_status
    fi
fi
# --------------------------------------------------------------------------------------
exit $status
