#!/usr/bin/env bash
# Retired: kept so that "./scripts/setup.sh /path/to/odoo-18.0" still works. It used to
# pip-install Odoo's requirements into the machine's python3; now it prepares what
# scripts/start.sh and scripts/test.sh use (Debian packages, PostgreSQL, the project's
# virtualenv .venv/ with that Odoo on its path) and installs nothing into python3.
#   ./scripts/setup.sh [/path/to/odoo-18.0 | odoo.tar.gz | URL]
# Without an argument: the pinned Odoo, from the cache or downloaded (README.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [ $# -gt 0 ]; then
    export ODOO_SOURCE=$1
fi
sgc_bootstrap
sgc_log "ready: Odoo $ODOO_VERSION from $ODOO_SRC, run by $PY"
