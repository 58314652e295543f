#!/usr/bin/env bash
# Start the product natively: Odoo on http://localhost:8069 with a database (default
# "sgc") that has sgc_helpdesk_ticket, SGC's demo configuration and Vietnamese installed.
# On a fresh machine it first installs what is missing (scripts/lib.sh, sgc_bootstrap):
# Debian packages, PostgreSQL, Odoo's source, the virtualenv .venv/. The first start
# creates the database (about a minute and a half); later starts reuse everything.
# Environment: SGC_DB (database name), SGC_HTTP_PORT (default 8069), ODOO_SOURCE and
# PYTHON (README.md, Where Odoo comes from). Extra arguments go to odoo-bin.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SGC_ROOT"

sgc_bootstrap

DB=${SGC_DB:-sgc}
CONF="$SGC_ROOT/.odoo-local.conf"
sgc_write_config "$CONF"

INIT=()
state=$(psql -U "$SGC_DB_USER" -d "$DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'sgc_helpdesk_ticket'" 2>/dev/null || true)
if [ "$state" != "installed" ]; then
    sgc_log "first start: creating database $DB with sgc_helpdesk_ticket and demo data"
    INIT=(-i sgc_helpdesk_ticket --load-language=vi_VN)
fi
ODOO_BIN=$(sgc_odoo_bin)
sgc_log "Odoo on http://localhost:${SGC_HTTP_PORT:-8069} (database $DB, login admin / admin)"
# shellcheck disable=SC2086
exec $ODOO_BIN -c "$CONF" -d "$DB" --db-filter="^${DB}\$" \
    --http-port="${SGC_HTTP_PORT:-8069}" "${INIT[@]}" "$@"
