# Shared helpers for scripts/start.sh, scripts/test.sh and bench/run.sh.
# Sourced, not executed. Every helper prints what it does and fails loudly.

SGC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
SGC_DB_USER=${SGC_DB_USER:-sgc_odoo}
# Pinned: the 18.0 release this addon is tested against.
OCA_ADDON_PINS=(
    "odoo-addon-helpdesk_mgmt==18.0.1.19.5"
    "odoo-addon-helpdesk_mgmt_crm==18.0.1.0.1.7"
    # Jobs (acknowledgements, notices, Zalo) run after the request commits.
    "odoo-addon-queue_job==18.0.4.1.2.2"
)
# The addon's own Python dependencies (its manifest's external_dependencies), pinned.
# holidays: the public holiday calendars (Vietnam's lunar holidays, substitute days).
# It declares python-dateutil>=2.9 while Odoo pins 2.8.2, with which it works (its
# only dependency): installed without dependencies, like the OCA wheels.
ADDON_PYTHON_PINS=(
    "holidays==0.109"
)

sgc_log() { printf '[sgc] %s\n' "$*" >&2; }
sgc_die() { printf '[sgc] ERROR: %s\n' "$*" >&2; exit 2; }

# Odoo 18.0 must be importable by $PY; say how to get it otherwise.
sgc_require_odoo() {
    if ! ODOO_VERSION=$("$PY" -c 'import odoo.release as r; print(r.version)' 2>/dev/null); then
        sgc_die "Odoo 18.0 cannot be imported by '$PY'.
    Odoo is not on PyPI. Get Odoo 18.0 Community, then make it importable:
      * source: download https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
        (or clone https://github.com/odoo/odoo --branch 18.0 --depth 1), unpack it anywhere
        outside this repository, then run:  ./scripts/setup.sh /path/to/odoo-18.0
        (installs its requirements and puts it on $PY's path with a .pth file);
      * or use Docker instead: docker compose up  (see README.md).
    Set PYTHON=/path/to/python if Odoo lives in another interpreter."
    fi
    case "$ODOO_VERSION" in
        18.0*) ;;
        *) sgc_die "Odoo $ODOO_VERSION found, but this addon needs Odoo 18.0." ;;
    esac
    ODOO_SRC=$("$PY" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))')
    # A source checkout keeps the standard addons (web, mail, ...) beside the odoo package;
    # a .deb / wheel install keeps them inside odoo/addons, which Odoo always scans.
    SGC_ADDONS_PATH="$SGC_ROOT"
    if [ -d "$ODOO_SRC/addons/web" ]; then
        SGC_ADDONS_PATH="$ODOO_SRC/addons,$SGC_ROOT"
    fi
    export SGC_ADDONS_PATH ODOO_SRC
}

# Python packages the addon and its tests need, from PyPI. Odoo's own pins win.
sgc_install_python_deps() {
    local constraint=()
    if [ -f "$ODOO_SRC/requirements.txt" ]; then
        constraint=(-c "$ODOO_SRC/requirements.txt")
    fi
    sgc_log "installing Python dependencies (requirements-test.txt)"
    # The OCA wheels declare odoo==18.0.* which PyPI cannot satisfy: Odoo is
    # provided from source above, so the addons themselves go in without dependencies.
    "$PY" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
        "${OCA_ADDON_PINS[@]}" "${ADDON_PYTHON_PINS[@]}" \
        || sgc_die "pip could not install ${OCA_ADDON_PINS[*]} ${ADDON_PYTHON_PINS[*]}"
    "$PY" -m pip install -q --disable-pip-version-check --root-user-action=ignore "${constraint[@]}" \
        -r "$SGC_ROOT/requirements-test.txt" \
        || sgc_die "pip could not install requirements-test.txt"
}

# PostgreSQL: reachable, started if a local cluster is installed but stopped, and a role
# for Odoo (Odoo refuses the postgres superuser).
sgc_ensure_postgres() {
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        if command -v pg_lsclusters >/dev/null 2>&1; then
            sgc_log "PostgreSQL is not answering on $PGHOST:$PGPORT; starting the local cluster"
            pg_lsclusters --no-header | while read -r ver name port status _; do
                if [ "$port" = "$PGPORT" ] && [ "$status" != "online" ]; then
                    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start || true
                fi
            done
            for _ in $(seq 1 30); do
                pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
                sleep 1
            done
        fi
        pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null || sgc_die \
            "PostgreSQL does not answer on $PGHOST:$PGPORT. Install and start it
    (Debian: apt-get install postgresql), or set PGHOST/PGPORT to a running server."
    fi
    if ! psql -q -U "$SGC_DB_USER" -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
        sgc_log "creating PostgreSQL role $SGC_DB_USER"
        local create="CREATE ROLE $SGC_DB_USER LOGIN CREATEDB"
        psql -q -U postgres -d postgres -c "$create" >/dev/null 2>&1 \
            || (command -v runuser >/dev/null && runuser -u postgres -- psql -q -c "$create" >/dev/null 2>&1) \
            || sgc_die "cannot reach PostgreSQL as role $SGC_DB_USER, nor create it.
    Create it yourself: CREATE ROLE $SGC_DB_USER LOGIN CREATEDB PASSWORD '...';
    and set SGC_DB_USER / PGPASSWORD accordingly."
    fi
}

# Write an Odoo configuration for this machine: the committed odoo.conf plus the paths
# and the database role found above, and any further "key = value" options given
# after the file name, all in its [options] section. $1 = output file.
sgc_write_config() {
    local out=$1
    shift
    local extra
    extra=$(printf '%s\n' "db_user = $SGC_DB_USER" "addons_path = $SGC_ADDONS_PATH" "$@")
    sed -e '/^db_user *=/d' -e '/^addons_path *=/d' "$SGC_ROOT/odoo.conf" \
        | awk -v extra="$extra" '{ print } /^\[options\]/ { print extra }' > "$out"
}

# The odoo-bin to run: the source tree's, or the installed entry point.
sgc_odoo_bin() {
    if [ -f "$ODOO_SRC/odoo-bin" ]; then
        echo "$PY $ODOO_SRC/odoo-bin"
    elif command -v odoo >/dev/null 2>&1; then
        echo "odoo"
    else
        echo "$PY -m odoo"
    fi
}
