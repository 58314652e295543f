#!/usr/bin/env bash
# One-time native set-up on Debian/Ubuntu, for a machine that has internet access:
#   ./scripts/setup.sh /path/to/odoo-18.0-source
# Installs the Debian packages Odoo and the tests need (as root), Odoo's Python
# requirements, and makes that Odoo source importable by python3 (a .pth file).
# Get the source from https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
# or: git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo
set -euo pipefail
SRC=${1:?usage: scripts/setup.sh /path/to/odoo-18.0-source}
SRC=$(cd "$SRC" && pwd)
PY=${PYTHON:-python3}
[ -f "$SRC/odoo/release.py" ] || { echo "no Odoo source in $SRC" >&2; exit 2; }

APT_PACKAGES="postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev
    chromium wkhtmltopdf poppler-utils fonts-noto-core fonts-dejavu-core wrk gettext"
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $APT_PACKAGES
fi

# cbor2 5.4.2 (pinned by Odoo for Python 3.11) builds only with setuptools<70; keep that
# limit to its build, since an old setuptools at run time breaks the gevent worker.
BUILD_CONSTRAINT=$(mktemp)
echo 'setuptools<70' > "$BUILD_CONSTRAINT"
PIP_CONSTRAINT="$BUILD_CONSTRAINT" "$PY" -m pip install -q "cbor2==5.4.2; python_version < '3.12'"
rm -f "$BUILD_CONSTRAINT"
"$PY" -m pip install -q -r "$SRC/requirements.txt"

SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$SRC" > "$SITE/odoo18-source.pth"
"$PY" -c 'import odoo.release as r; print("Odoo", r.version, "is importable")'
