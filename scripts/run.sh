#!/usr/bin/env bash
# Serves the retail suite with a demo chain on http://localhost:8069.
#   - installs the project's Python packages when missing;
#   - installs Odoo 19.0 Community from Odoo's official source when Odoo is not importable
#     (or stops, saying how to install it by hand, when that source cannot be reached);
#   - uses the database server configured (PG* environment or db_host in config/odoo.conf),
#     otherwise a private PostgreSQL cluster in .local/pg (git-ignored);
#   - creates the database with every retail addon and the demo chain once, and reuses it.
#
# Usage: scripts/run.sh [--db NAME] [--port PORT] [--scale test|demo|bench] [--reset]
# Environment: RETAIL_DB, RETAIL_HTTP_PORT, ODOO_SRC (where Odoo's source goes, default
# ~/odoo-19.0), PYTHON.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${RETAIL_DB:-retail_demo}"
PORT="${RETAIL_HTTP_PORT:-8069}"
SCALE=demo
RESET=0
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="$2"; shift ;;
        --port) PORT="$2"; shift ;;
        --scale) SCALE="$2"; shift ;;
        --reset) RESET=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
    shift
done

manual_install_help() {
    cat >&2 <<'HELP'
Odoo 19.0 Community is not importable and could not be installed automatically.
Install it by hand from Odoo's official sources, then run this command again:

    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git ~/odoo-19.0
    # (or download and unpack https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz)
    cd ~/odoo-19.0
    sed -i 's/^cbor2==5.4.2 ;.*/cbor2==5.6.2 ; python_version < "3.12"/' requirements.txt   # Python 3.11 only
    python3 -m pip install -r requirements.txt
    python3 -m pip install --no-deps -e .

Debian/Ubuntu need the build headers first: apt-get install libpq-dev libldap2-dev libsasl2-dev
See https://www.odoo.com/documentation/19.0/administration/on_premise/source.html
HELP
    exit 1
}

install_odoo() {
    local src="${ODOO_SRC:-$HOME/odoo-19.0}"
    info "Odoo 19.0 is not importable: installing it from Odoo's official source into $src"
    if [ ! -f "$src/odoo/release.py" ]; then
        command -v git >/dev/null || manual_install_help
        timeout 600 git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$src" || manual_install_help
    fi
    local requirements
    requirements="$(mktemp)"
    sed 's/^cbor2==5.4.2 ;.*/cbor2==5.6.2 ; python_version < "3.12"/' "$src/requirements.txt" >"$requirements"
    "$PYTHON" -m pip install -r "$requirements" || manual_install_help
    "$PYTHON" -m pip install --no-deps -e "$src" || manual_install_help
    odoo_importable || manual_install_help
}

odoo_importable || install_odoo
if ! "$PYTHON" -c 'import numpy, pypinyin, cn2an, openpyxl, xlrd' 2>/dev/null; then
    info "installing the project's Python packages"
    "$PYTHON" -m pip install -r "$ROOT/requirements.txt"
fi

CONF="$ROOT/config/odoo.conf"
conf_value() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$CONF" 2>/dev/null | tail -1; }
DB_ARGS=()
CONF_HOST="$(conf_value db_host)"
if [ -n "${PGHOST:-}" ] || { [ -n "$CONF_HOST" ] && [ "$CONF_HOST" != False ]; }; then
    info "using the configured database server ${PGHOST:-$CONF_HOST}"
    [ -n "${PGHOST:-}" ] && DB_ARGS+=(--db_host="$PGHOST")
    [ -n "${PGPORT:-}" ] && DB_ARGS+=(--db_port="$PGPORT")
    [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user="$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password="$PGPASSWORD")
else
    PGDIR="$ROOT/.local/pg"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT/.local" 2>/dev/null; then
        mkdir -p "$ROOT/.local" && chmod 755 "$ROOT/.local"
        if ! runuser -u postgres -- test -x "$ROOT/.local" 2>/dev/null; then
            PGDIR="/var/tmp/retail-suite-pg-$(echo "$ROOT" | md5sum | cut -c1-8)"
            info "the postgres user cannot reach $ROOT; the private cluster lives in $PGDIR"
        fi
    fi
    PGPORT_PRIVATE="$(cat "$PGDIR/port" 2>/dev/null || free_port)"
    info "starting the private PostgreSQL cluster in $PGDIR (port $PGPORT_PRIVATE)"
    pg_start "$PGDIR" "$PGPORT_PRIVATE"
    echo "$PGPORT_PRIVATE" >"$PGDIR/port" 2>/dev/null || runuser -u postgres -- sh -c "echo $PGPORT_PRIVATE > '$PGDIR/port'"
    DB_ARGS+=(--db_host="$PGHOST" --db_port="$PGPORT" --db_user=odoo)
fi

COMMON=(-c "$CONF" --addons-path="$(addons_path)" --data-dir="$ROOT/.local/data" "${DB_ARGS[@]}")
ADDONS=()
for addon in "${RETAIL_ADDONS[@]}"; do
    [ -f "$ROOT/addons/$addon/__manifest__.py" ] && ADDONS+=("$addon")
done

db_ready() {
    odoo_bin shell "${COMMON[@]}" -d "$DB" --no-http --log-level=critical 2>/dev/null <<'PY' | grep -q RETAIL_READY
env.cr.execute("SELECT 1 FROM stock_warehouse WHERE retail_store_type = 'store' LIMIT 1")
print("RETAIL_READY" if env.cr.fetchone() else "RETAIL_EMPTY")
PY
}

if [ "$RESET" = 1 ]; then
    info "dropping database $DB"
    odoo_bin db "${COMMON[@]}" drop "$DB" >/dev/null 2>&1 || true
fi
if ! db_ready; then
    info "creating database $DB with ${ADDONS[*]} (a few minutes)"
    odoo_bin "${COMMON[@]}" -d "$DB" -i "$(IFS=,; echo "${ADDONS[*]}")" --stop-after-init --load-language=zh_CN
    # Loading Chinese at creation makes it the only active language: keep English too.
    echo "env['res.lang']._activate_lang('en_US'); env.cr.commit()" \
        | odoo_bin shell "${COMMON[@]}" -d "$DB" --no-http --log-level=warn >/dev/null
    info "building the $SCALE chain"
    # Odoo finds a command that lives in an addon only when --addons-path comes first.
    odoo_bin --addons-path="$(addons_path)" retail_chain "${COMMON[@]}" -d "$DB" --scale "$SCALE"
fi

# wkhtmltopdf fetches a report's stylesheets from the server: point it at the port served here
echo "env['ir.config_parameter'].sudo().set_param('report.url', 'http://127.0.0.1:$PORT'); env.cr.commit()" \
    | odoo_bin shell "${COMMON[@]}" -d "$DB" --no-http --log-level=warn >/dev/null

cat >&2 <<EOF2

  Retail suite on http://localhost:$PORT  (database $DB)
  Logins (password = login); each opens where its day starts:
    cashier    the S01 till: Continue Selling, employee PIN 1011 (a member: 13253259512)
    manager    S01's dashboard; Retail > Operations > Review Queue, Receive, Stocktakes
               (approvals at the till: PIN 246810)
    hq         dispatch proposals; Retail > Reporting > Chain Stock
    marketing  members and their reports
    finance    the accounting dashboard; Accounting > Reporting for points and cash drops
  Yesterday's close packs go out within a minute. README.md, "First day with the demo".

EOF2
exec "$PYTHON" -c 'import sys; from odoo.cli.command import main; sys.argv[0] = "odoo"; main()' \
    server "${COMMON[@]}" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
