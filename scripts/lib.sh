# Shared helpers for scripts/start.sh, scripts/test.sh and bench/run.sh.
# Sourced, not executed. Every helper prints what it does and fails loudly.
#
# sgc_bootstrap brings a machine to where the scripts can run, installing only what is
# missing: Debian packages, PostgreSQL, Odoo's source (cached outside the repository),
# the project's virtualenv .venv/ with Odoo's requirements and the addon's, and a
# database role. A second run finds everything in place and installs nothing.

SGC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
SGC_DB_USER=${SGC_DB_USER:-sgc_odoo}

# Odoo 18.0 Community at a pinned revision: the root commit of a verbatim import of
# Odoo's 18.0 branch. The digest is of the files Odoo runs from (odoo/, addons/,
# odoo-bin, requirements.txt, setup*), computed by scripts/odoo_source.py: every
# tarball or folder of this revision gives it, whatever its compression.
SGC_ODOO_REV=2268dca3b2af20bfadd08000b4b49459b93ecb06
SGC_ODOO_DIGEST=a0c9539dd6b29cf3bf95b6ca360b1da6c5c36df71e34348f7556e8b88bc2b312
SGC_ODOO_URL=https://github.com/dglezz1/odoo-18.0/archive/${SGC_ODOO_REV}.tar.gz
# Where the source is unpacked (and looked up first): outside the repository, shared
# by every clone of it.
SGC_CACHE=${SGC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sgc-helpdesk}
SGC_VENV=${SGC_VENV:-$SGC_ROOT/.venv}
export SGC_ODOO_REV SGC_ODOO_DIGEST SGC_CACHE

# Pinned: the 18.0 release this addon is tested against.
OCA_ADDON_PINS=(
    "odoo-addon-helpdesk_mgmt==18.0.1.19.5"
    "odoo-addon-helpdesk_mgmt_crm==18.0.1.0.1.7"
    # Jobs (acknowledgements, notices, Zalo) run after the request commits.
    "odoo-addon-queue_job==18.0.4.1.2.2"
)
# A venv of Python 3.11 starts with setuptools 65, whose pkg_resources kills the gevent
# worker of a --workers server; pkg_resources itself is still wanted (gevent, Odoo).
SGC_SETUPTOOLS="setuptools>=70,<81"

# Debian packages: to build psycopg2 and python-ldap, to render PDF reports, and the
# PostgreSQL client tools the scripts call. PostgreSQL's server comes only when no
# server answers (sgc_ensure_postgres). test.sh adds SGC_APT_TEST.
SGC_APT_RUN=(build-essential libpq-dev libldap2-dev libsasl2-dev postgresql-client
    wkhtmltopdf fonts-noto-core fonts-dejavu-core)
# Browser tests (chromium), the KPI PDF read back (pdftotext), the shipped nginx
# configuration checked with nginx -t, the compose file checked with docker-compose
# config (Debian's docker-compose; a machine with Docker's compose plugin uses that).
SGC_APT_TEST=(chromium poppler-utils nginx docker-compose)
# The addon's own Python dependencies (its manifest's external_dependencies), pinned.
# holidays: the public holiday calendars (Vietnam's lunar holidays, substitute days).
# It declares python-dateutil>=2.9 while Odoo pins 2.8.2, with which it works (its
# only dependency): installed without dependencies, like the OCA wheels.
ADDON_PYTHON_PINS=(
    "holidays==0.109"
)

sgc_log() { printf '[sgc] %s\n' "$*" >&2; }
sgc_die() { printf '[sgc] ERROR: %s\n' "$*" >&2; exit 2; }

# Install the given Debian packages that are missing, as root or through sudo.
# SGC_APT=0 skips the step (a container image that has its own).
sgc_ensure_debian_packages() {
    [ "${SGC_APT:-1}" = 0 ] && return 0
    if ! command -v dpkg-query >/dev/null 2>&1; then
        sgc_log "not a Debian/Ubuntu system: make sure these (or their equivalents) are installed: $*"
        return 0
    fi
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || sgc_die "missing Debian packages: ${missing[*]}
    Install them as root:  apt-get install ${missing[*]}  (or set SGC_APT=0 to skip this step)"
        sudo=(sudo)
    fi
    sgc_log "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq || sgc_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || sgc_die "apt-get could not install: ${missing[*]}"
}

# Odoo's version and source folder as $PY sees them (ODOO_VERSION, ODOO_SRC); fails
# quietly when $PY cannot import Odoo. One import: Odoo's takes a second or more.
sgc_probe_odoo() {
    local out
    out=$("$PY" -c 'import os, odoo.release as r
print(r.version, os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))' 2>/dev/null) \
        || return 1
    read -r ODOO_VERSION ODOO_SRC <<< "$out"
    SGC_PROBED_PY=$PY
}

# Odoo 18.0 importable by $PY: its version checked, ODOO_SRC and SGC_ADDONS_PATH set.
sgc_require_odoo() {
    [ "${SGC_PROBED_PY:-}" = "$PY" ] || sgc_probe_odoo || sgc_die "Odoo cannot be imported by $PY (run ./scripts/start.sh or
    ./scripts/test.sh, which set it up, or see README.md, Native run)"
    case "$ODOO_VERSION" in
        18.0*) ;;
        *) sgc_die "Odoo $ODOO_VERSION found, but this addon needs Odoo 18.0." ;;
    esac
    # A source checkout keeps the standard addons (web, mail, ...) beside the odoo package;
    # a .deb / wheel install keeps them inside odoo/addons, which Odoo always scans.
    SGC_ADDONS_PATH="$SGC_ROOT"
    if [ -d "$ODOO_SRC/addons/web" ]; then
        SGC_ADDONS_PATH="$ODOO_SRC/addons,$SGC_ROOT"
    fi
    export SGC_ADDONS_PATH ODOO_SRC
}

# The Python requirements of the addon and its tests, one a line: what the stamp of the
# virtualenv is made of, and what is checked in an interpreter used as it is.
sgc_addon_requirements() {
    printf '%s\n' "${OCA_ADDON_PINS[@]}" "${ADDON_PYTHON_PINS[@]}"
    grep -vE '^[[:space:]]*(#|$)' "$SGC_ROOT/requirements-test.txt"
}

# The Python that runs Odoo, in $PY:
#   * PYTHON set to an interpreter that imports Odoo 18.0: used as it is. Nothing is
#     installed into it unless it is a virtualenv; what the addon needs and it lacks is
#     named, with the command to install it.
#   * otherwise the project's virtualenv $SGC_VENV (.venv/), made from PYTHON (default
#     python3) and filled: Odoo's source on its path, Odoo's requirements, the OCA wheels
#     and requirements-test.txt. A stamp of what went in makes the next run a no-op.
# Nothing is ever installed into the interpreter the virtualenv is made from.
sgc_ensure_python() {
    if [ -n "${PYTHON:-}" ] && PY=$PYTHON && sgc_probe_odoo; then
        sgc_require_odoo
        sgc_check_python_as_is
        return 0
    fi
    local base=${PYTHON:-python3}
    command -v "$base" >/dev/null 2>&1 || sgc_die "no Python interpreter '$base' (set PYTHON)"
    "$base" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || sgc_die "$base is older than Python 3.10, which Odoo 18.0 needs (set PYTHON)"
    local base_id
    base_id=$("$base" -c 'import sys; print(sys.version.split()[0], sys.base_prefix)')
    PY="$SGC_VENV/bin/python"
    if [ -x "$PY" ] && [ "$("$PY" -c 'import sys; print(sys.version.split()[0], sys.base_prefix)' 2>/dev/null)" != "$base_id" ]; then
        sgc_log "$SGC_VENV was made from another Python than $base ($base_id): remaking it"
        rm -rf "$SGC_VENV"
    fi
    if [ ! -x "$PY" ]; then
        sgc_log "creating the virtualenv $SGC_VENV from $base ($base_id)"
        "$base" -m venv "$SGC_VENV" || sgc_die "$base cannot create a virtualenv
    (Debian: apt-get install python3-venv)"
    fi
    local site pth stamp src
    site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    pth="$site/sgc-odoo-source.pth"
    stamp="$SGC_VENV/.sgc-bootstrap"
    # Fast path: the same source, requirements and pins as the last complete run.
    src=$(cat "$pth" 2>/dev/null || true)
    if [ -n "$src" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sgc_venv_key "$src" "$base_id")" ] \
        && { [ ! -d "${ODOO_SOURCE:-}" ] || [ "$(cd "$ODOO_SOURCE" && pwd -P)" = "$src" ]; } \
        && sgc_probe_odoo && [ "$ODOO_SRC" = "$src" ]; then
        sgc_require_odoo
        return 0
    fi
    src=$("$base" "$SGC_ROOT/scripts/odoo_source.py" resolve --rev "$SGC_ODOO_REV" \
        --digest "$SGC_ODOO_DIGEST" --cache "$SGC_CACHE" --url "$SGC_ODOO_URL" \
        --sha256 "${ODOO_SOURCE_SHA256:-}" "${ODOO_SOURCE:-}") \
        || sgc_die "no Odoo source (above). Without internet, put Odoo $SGC_ODOO_REV into
    $SGC_CACHE/odoo-$SGC_ODOO_REV.tar.gz, or set ODOO_SOURCE to a folder, a tarball or a URL."
    src=$(cd "$src" && pwd -P)
    # The source folder on the path, not an editable install: the OCA wheels live in
    # the virtualenv's odoo/addons folder, which an editable finder would take for odoo.
    echo "$src" > "$pth"
    rm -f "$stamp"
    sgc_log "installing Odoo's requirements and the addon's into $SGC_VENV (about a minute, once)"
    local work
    work=$(mktemp -d)
    SGC_PIP_LOG="$work/pip.log"
    sgc_pip "$SGC_SETUPTOOLS" wheel
    # cbor2 5.4.2 (Odoo's pin for Python 3.11) builds only with setuptools<70: that limit
    # goes to its build alone, as a constraint of the build environment.
    echo 'setuptools<70' > "$work/build-constraint.txt"
    grep -E '^cbor2[=<> ]' "$src/requirements.txt" > "$work/cbor2.txt" || true
    if [ -s "$work/cbor2.txt" ]; then
        PIP_CONSTRAINT="$work/build-constraint.txt" sgc_pip -r "$work/cbor2.txt"
    fi
    sgc_pip -r "$src/requirements.txt"
    # The OCA wheels declare odoo==18.0.* which PyPI cannot satisfy: Odoo is the source
    # above, so the addons themselves go in without dependencies.
    sgc_pip --no-deps "${OCA_ADDON_PINS[@]}" "${ADDON_PYTHON_PINS[@]}"
    sgc_pip -c "$src/requirements.txt" -r "$SGC_ROOT/requirements-test.txt"
    rm -rf "$work"
    sgc_probe_odoo || sgc_die "the virtualenv cannot import Odoo from $src"
    sgc_require_odoo
    sgc_venv_key "$src" "$base_id" > "$stamp"
    sgc_log "virtualenv ready: $SGC_VENV (Odoo from $src)"
}

# pip install into $PY, its chatter kept in $SGC_PIP_LOG and shown when it fails.
sgc_pip() {
    if ! "$PY" -m pip install --disable-pip-version-check "$@" >> "$SGC_PIP_LOG" 2>&1; then
        tail -n 40 "$SGC_PIP_LOG" >&2
        sgc_die "pip install $* failed into $PY (its last lines above)"
    fi
}

# What the virtualenv holds, as one line: the stamp's content.
sgc_venv_key() {
    {
        printf '%s\n' "$SGC_ODOO_REV" "$1" "$2" "$SGC_SETUPTOOLS"
        cat "$1/requirements.txt" 2>/dev/null || true
        sgc_addon_requirements
    } | sha256sum | cut -d' ' -f1
}

# An interpreter used as it is: install what the addon needs only into a virtualenv.
sgc_check_python_as_is() {
    local missing
    missing=$(sgc_addon_requirements | "$PY" "$SGC_ROOT/scripts/odoo_source.py" missing) \
        || sgc_die "cannot check $PY's packages (above)"
    [ -z "$missing" ] && return 0
    if "$PY" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
        sgc_log "installing into $PY's virtualenv: $(echo $missing)"
        local constraint=()
        [ -f "$ODOO_SRC/requirements.txt" ] && constraint=(-c "$ODOO_SRC/requirements.txt")
        SGC_PIP_LOG=$(mktemp)
        sgc_pip --no-deps "${OCA_ADDON_PINS[@]}" "${ADDON_PYTHON_PINS[@]}"
        sgc_pip "${constraint[@]}" -r "$SGC_ROOT/requirements-test.txt"
        rm -f "$SGC_PIP_LOG"
        return 0
    fi
    sgc_die "$PY imports Odoo but lacks what the addon needs:
$(printf '      %s\n' $missing)
    It is not a virtualenv, so nothing is installed into it. Install them yourself
    ($PY -m pip install --no-deps ${OCA_ADDON_PINS[*]} ${ADDON_PYTHON_PINS[*]}; $PY -m pip install -r requirements-test.txt),
    or unset PYTHON to use the project's virtualenv (.venv/)."
}

# Everything start.sh, test.sh and bench/run.sh need; arguments: extra Debian packages.
sgc_bootstrap() {
    sgc_ensure_debian_packages "${SGC_APT_RUN[@]}" "$@"
    sgc_ensure_python
    sgc_ensure_postgres
}

# PostgreSQL: reachable, started if a local cluster is installed but stopped, and a role
# for Odoo (Odoo refuses the postgres superuser).
sgc_ensure_postgres() {
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        # None answers: a local server, installed if need be (its package makes and
        # starts a cluster on 5432), unless PGHOST names another machine.
        case "$PGHOST" in
            127.0.0.1 | localhost | ::1 | /*)
                if ! command -v pg_lsclusters >/dev/null 2>&1 \
                    || [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
                    sgc_ensure_debian_packages postgresql
                fi
                ;;
        esac
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
# and the database server and role found above (PGHOST, PGPORT, SGC_DB_USER), and any further "key = value" options given
# after the file name, all in its [options] section. $1 = output file.
sgc_write_config() {
    local out=$1
    shift
    local extra
    # A password stays in PGPASSWORD, which libpq reads: it is not written down.
    extra=$(printf '%s\n' "db_host = $PGHOST" "db_port = $PGPORT" "db_user = $SGC_DB_USER" \
        "addons_path = $SGC_ADDONS_PATH" "$@")
    # Every option given here replaces the committed file's own line for it.
    local keys
    keys=$(printf '%s\n' "$extra" | sed -nE 's/^([a-z_]+) *=.*/\1/p' | paste -sd '|')
    sed -E -e "/^(${keys}) *=/d" "$SGC_ROOT/odoo.conf" \
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
