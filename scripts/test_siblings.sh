#!/usr/bin/env bash
# The addon beside the OCA helpdesk siblings an Odoo shop adds:
#   1. the siblings pinned below come from PyPI into a folder of this run, on the addons
#      path of this run only (the other runs never see them);
#   2. they are installed into a database where sgc_helpdesk_ticket is already installed
#      ($SGC_SIBLINGS_DB, a copy that scripts/test.sh makes; without it this script
#      installs the addon into a new one), the addon is upgraded with them (as a later
#      update of the addon would be), and the glue modules at the repository root
#      (sgc_helpdesk_ticket_<sibling>, auto_install) follow by themselves;
#   3. one pytest session on that database runs the addon's suite, the glue modules'
#      suites and each sibling's suite. A sibling test that contradicts an SGC rule on
#      purpose is deselected by name in tests/siblings_deselected.txt, the rule beside it.
# scripts/test.sh runs this after its own suites (SGC_SIBLINGS=0 skips it). Extra
# arguments go to pytest. The database and the folder are dropped at the end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SGC_ROOT"

# Pinned: the newest 18.0 releases, tested beside the addon. Like OCA_ADDON_PINS they
# declare odoo==18.0.*, which PyPI cannot satisfy, so they go in without dependencies;
# the OCA modules they depend on are pinned here as well.
SGC_SIBLING_PINS=(
    "odoo-addon-helpdesk_mgmt_rating==18.0.1.0.2.4"
    "odoo-addon-helpdesk_ticket_close_inactive==18.0.1.1.3.1"
    "odoo-addon-helpdesk_mgmt_merge==18.0.1.0.2.9"
    "odoo-addon-helpdesk_type==18.0.1.3.0.4"
    "odoo-addon-helpdesk_mgmt_template==18.0.1.0.0.6"
    "odoo-addon-helpdesk_mgmt_stage_validation==18.0.1.0.0.8"
    "odoo-addon-helpdesk_ticket_partner_response==18.0.1.3.1"
    "odoo-addon-helpdesk_mgmt_timesheet==18.0.1.2.1.1"
    "odoo-addon-helpdesk_mgmt_project==18.0.1.3.0.9"
    "odoo-addon-helpdesk_ticket_related==18.0.1.0.0.12"
    # helpdesk_mgmt_timesheet's dependency (OCA timesheet).
    "odoo-addon-project_timesheet_time_control==18.0.1.0.7.3"
)
# The siblings installed and tested (their own suites run).
SIBLING_MODULES=(
    helpdesk_mgmt_rating
    helpdesk_ticket_close_inactive
    helpdesk_mgmt_merge
    helpdesk_type
    helpdesk_mgmt_template
    helpdesk_mgmt_stage_validation
    helpdesk_ticket_partner_response
    helpdesk_mgmt_timesheet
    helpdesk_mgmt_project
    helpdesk_ticket_related
)

# The same bootstrap as test.sh (a no-op when test.sh has just run it): the project's
# virtualenv (or PYTHON as it is) in $PY, PostgreSQL and its role.
sgc_bootstrap "${SGC_APT_TEST[@]}"
started=$SECONDS

SIB_WORK=$(mktemp -d)
if [ -n "${SGC_SIBLINGS_DB:-}" ]; then
    DB=$SGC_SIBLINGS_DB
    DATA_DIR=${SGC_SIBLINGS_DATA_DIR:?SGC_SIBLINGS_DATA_DIR: the data_dir of $DB}
else
    DB="sgc_siblings_$(date +%s)_$$"
    DATA_DIR="$SIB_WORK/data"
fi
cleanup_siblings() {
    dropdb --if-exists -U "$SGC_DB_USER" "$DB" 2>/dev/null || true
    rm -rf "$SIB_WORK" "$DATA_DIR/filestore/$DB"
}
trap cleanup_siblings EXIT

sgc_log "installing the OCA helpdesk siblings (pinned, from PyPI) for this run"
"$PY" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$SIB_WORK/site" "${SGC_SIBLING_PINS[@]}" \
    || sgc_die "pip could not install ${SGC_SIBLING_PINS[*]}"
SIB_ADDONS="$SIB_WORK/site/odoo/addons"
# Their Python dependencies (none at these pins): stop if a newer pin brings one.
missing=$("$PY" - "$SIB_ADDONS" <<'PY'
import ast, importlib.util, pathlib, sys
for manifest in sorted(pathlib.Path(sys.argv[1]).glob("*/__manifest__.py")):
    deps = ast.literal_eval(manifest.read_text()).get("external_dependencies", {})
    for name in deps.get("python", []):
        if importlib.util.find_spec(name) is None:
            print(f"{manifest.parent.name} needs the Python package {name}")
PY
)
[ -z "$missing" ] || sgc_die "$missing: pin it in scripts/test_siblings.sh and install it"

SGC_ADDONS_PATH="$SGC_ADDONS_PATH,$SIB_ADDONS"
CONF="$SIB_WORK/odoo-siblings.conf"
sgc_write_config "$CONF" "data_dir = $DATA_DIR"
ODOO_BIN=$(sgc_odoo_bin)

if [ -z "${SGC_SIBLINGS_DB:-}" ]; then
    sgc_log "installing sgc_helpdesk_ticket (with demo data) into $DB"
    # shellcheck disable=SC2086
    if ! $ODOO_BIN -c "$CONF" -d "$DB" -i sgc_helpdesk_ticket --stop-after-init \
            --log-level=warn --http-port=0 > "$SIB_WORK/install.log" 2>&1 \
            || grep -qE " (ERROR|CRITICAL) " "$SIB_WORK/install.log"; then
        cat "$SIB_WORK/install.log" >&2
        sgc_die "installing sgc_helpdesk_ticket failed (log above)"
    fi
fi

MODULES=$(IFS=,; echo "${SIBLING_MODULES[*]}")
sgc_log "installing ${MODULES//,/, } into $DB, upgrading sgc_helpdesk_ticket"
# shellcheck disable=SC2086
if ! $ODOO_BIN -c "$CONF" -d "$DB" -i "$MODULES" -u sgc_helpdesk_ticket --stop-after-init \
        --log-level=warn --http-port=0 > "$SIB_WORK/siblings.log" 2>&1 \
        || grep -qE " (ERROR|CRITICAL) " "$SIB_WORK/siblings.log"; then
    cat "$SIB_WORK/siblings.log" >&2
    sgc_die "installing the siblings beside sgc_helpdesk_ticket failed (log above)"
fi
# Every glue module whose sibling is installed must have followed (auto_install).
GLUE=()
for manifest in sgc_helpdesk_ticket_*/__manifest__.py; do
    [ -f "$manifest" ] && GLUE+=("$(dirname "$manifest")")
done
for glue in "${GLUE[@]}"; do
    state=$(psql -qtA -U "$SGC_DB_USER" -d "$DB" \
        -c "SELECT state FROM ir_module_module WHERE name = '$glue'")
    [ "$state" = installed ] || sgc_die "glue module $glue is '$state' in $DB, not installed"
done
sgc_log "siblings installed in $((SECONDS - started)) s"

SUITES=(sgc_helpdesk_ticket/tests)
for glue in "${GLUE[@]}"; do
    [ -d "$glue/tests" ] && SUITES+=("$glue/tests")
done
for name in "${SIBLING_MODULES[@]}"; do
    SUITES+=("$SIB_ADDONS/$name/tests")
done

export PYTHONPATH="$SGC_ROOT/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
# As in scripts/test.sh: the Odoo tests run the jobs they queue themselves.
export ODOO_QUEUE_JOB_CHANNELS=root:0
set +e
"$PY" -m pytest -p no:cacheprovider --rootdir="$SGC_ROOT" --odoo-config="$CONF" \
    --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    -o console_output_style=classic -p pytest_sgc_deselect \
    "${SUITES[@]}" "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
    sgc_log "pytest collected no test: that is a failure"
    status=1
fi
sgc_log "siblings run: $((SECONDS - started)) s in all"
exit $status
