# Shared shell functions of the run and test commands. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

# Our addons, in dependency order. Bridges (auto_install) are found by their manifest.
RETAIL_ADDONS=(retail_base retail_pos retail_inventory retail_members retail_analytics retail_einvoice retail_platform retail_demo)

die() {
    echo "ERROR: $*" >&2
    exit 1
}

info() {
    echo "==> $*" >&2
}

odoo_importable() {
    "$PYTHON" -c 'import odoo.release, sys; sys.exit(0 if odoo.release.version_info[0] == 19 else 1)' 2>/dev/null
}

# Odoo's own addons folder(s): inside the package (wheel, deb) and beside it (source tree).
odoo_core_addons_path() {
    "$PYTHON" - <<'PY'
import os, odoo.release
package = os.path.dirname(os.path.abspath(odoo.release.__file__))
paths = [os.path.join(package, "addons"), os.path.join(os.path.dirname(package), "addons")]
print(",".join(p for p in paths if os.path.isfile(os.path.join(p, "point_of_sale", "__manifest__.py"))
               or os.path.isfile(os.path.join(p, "base", "__manifest__.py"))))
PY
}

addons_path() {
    echo "$(odoo_core_addons_path),$ROOT/addons"
}

odoo_bin() {
    "$PYTHON" -c 'import sys; from odoo.cli.command import main; sys.argv[0] = "odoo"; main()' "$@"
}

# Bridges: our auto_install addons, installed whenever their dependencies are.
retail_bridges() {
    local manifest
    for manifest in "$ROOT"/addons/*/__manifest__.py; do
        if grep -Eq "[\"']auto_install[\"']: *True" "$manifest"; then
            basename "$(dirname "$manifest")"
        fi
    done
}

# The Odoo modules our addons depend on, so one template database serves every test database.
core_dependencies() {
    "$PYTHON" - "$ROOT/addons" <<'PY'
import ast, os, sys
root = sys.argv[1]
ours = {name for name in os.listdir(root) if os.path.isfile(os.path.join(root, name, "__manifest__.py"))}
deps = set()
for name in ours:
    with open(os.path.join(root, name, "__manifest__.py")) as manifest:
        deps.update(ast.literal_eval(manifest.read()).get("depends", []))
# a localisation (the demo chain's Chinese chart) is installed by the step that needs it
print(",".join(sorted(dep for dep in deps - ours if not dep.startswith("l10n_"))))
PY
}

pg_bindir() {
    local dir
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$dir" ] || return 1
    echo "$dir"
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pg_start DIR PORT [throwaway]: a private cluster in DIR, owned by an unprivileged user when we
# are root. "throwaway" trades durability for speed (tests). Sets PGHOST (socket folder), PGPORT,
# PGUSER=odoo.
pg_start() {
    local dir="$1" port="$2" bindir runas=() options="-c max_connections=200"
    [ "${3:-}" = throwaway ] && options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    bindir="$(pg_bindir)" || die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: apt-get install postgresql"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user to own the cluster (apt-get install postgresql creates it)"
        chown postgres "$dir"
        runas=(runuser -u postgres --)
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        "${runas[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    if "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        # Already running (a previous run still serving): reuse it on the port it listens to.
        port="$(sed -n 4p "$dir/data/postmaster.pid")"
    else
        "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses='' $options" \
        start >/dev/null || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    export PGHOST="$dir" PGPORT="$port"
    if ! psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1; then
        psql -U postgres -d postgres -qc "CREATE ROLE odoo LOGIN SUPERUSER" >/dev/null
    fi
    export PGUSER=odoo
}

pg_stop() {
    local dir="$1" bindir runas=()
    bindir="$(pg_bindir)" || return 0
    [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
    [ -f "$dir/data/postmaster.pid" ] && "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    return 0
}
