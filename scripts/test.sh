#!/usr/bin/env bash
# Runs the whole test suite on a throw-away PostgreSQL cluster that it starts and removes:
#   1. lint: every pre-commit hook (ruff, pylint-odoo, README.rst, file hygiene), one step each
#   2. pure-Python tests under tests/ (pytest)
#   3. each addon installed alone on a fresh database, with its own tests and tours
#   4. all addons together through retail_demo (bridges auto-install): the demo chain's
#      journeys and the bridges' tests
#   5. Odoo's own tests of the modules we extend, with the four retail addons installed (by default
#      without core's browser-tour classes; --core=full runs those too, --no-core none)
#   6. the peak-day drill, short form (bench/retail_pos_drill.py --short): no order lost or twice
# Steps 3 to 6 run side by side, RETAIL_TEST_JOBS at a time (default 2).
# Exits non-zero on any failure, skipped test or missing prerequisite, and ends with
# "N passed, M failed".
#
# Usage: scripts/test.sh [--no-lint] [--keep] [--no-core | --core=full] [ADDON ...]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LINT=1
KEEP=0
CORE="${RETAIL_CORE_TESTS:-quick}"
SELECTED=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-lint) LINT=0 ;;
        --keep) KEEP=1 ;;
        --core|--core=quick) CORE=quick ;;
        --core=full) CORE=full ;;
        --no-core) CORE="" ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) SELECTED+=("$1") ;;
    esac
    shift
done

# -- prerequisites: missing ones fail loudly, never turn into skipped tests ------------------
odoo_importable || die "Odoo 19.0 is not importable by $PYTHON. Install it first (README: 'Getting Odoo 19')."
CHROME=""
for candidate in google-chrome chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then CHROME="$candidate"; break; fi
done
[ -n "$CHROME" ] || die "no Chromium found (google-chrome, chromium or chromium-browser): browser tours cannot run. Install it: apt-get install chromium"
"$PYTHON" -c 'import websocket' 2>/dev/null || die "the Python package websocket-client is missing: browser tours would be skipped. pip install -r requirements.txt"
"$PYTHON" -c 'import pytest' 2>/dev/null || die "pytest is missing: pip install -r requirements-dev.txt"
command -v pdftotext >/dev/null 2>&1 || die "pdftotext is missing: the close pack tests read the PDF's text. Install it: apt-get install poppler-utils"
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || die "no Chinese font: the zh_CN close pack PDF would print no Chinese and its test fails. Install one: apt-get install fonts-wqy-zenhei"
command -v node >/dev/null 2>&1 || die "node is missing: a repository test runs the till's JavaScript. Install it: apt-get install nodejs"
pg_bindir >/dev/null || die "PostgreSQL server binaries not found: apt-get install postgresql"
if [ "$LINT" = 1 ]; then
    "$PYTHON" -c 'import pre_commit, pre_commit_hooks, pypandoc, ruff, pylint_odoo' 2>/dev/null \
        || die "pre-commit, pre-commit-hooks, pypandoc-binary, ruff or pylint-odoo is missing: the lint step cannot run. pip install -r requirements-dev.txt"
    git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 \
        || die "$ROOT is not a git clone: pre-commit lints the files git tracks (--no-lint skips the lint step)"
fi

ADDONS=()
for addon in "${RETAIL_ADDONS[@]}"; do
    [ -f "$ROOT/addons/$addon/__manifest__.py" ] || continue
    if [ ${#SELECTED[@]} -eq 0 ] || [[ " ${SELECTED[*]} " == *" $addon "* ]]; then ADDONS+=("$addon"); fi
done
mapfile -t BRIDGES < <(retail_bridges)

LOGDIR="$ROOT/.test-logs"
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
WORK="$(mktemp -d /tmp/retail-test.XXXXXX)"
chmod 755 "$WORK"
cleanup() {
    pg_stop "$WORK/pg"
    if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
record() { # record STEP PASSED FAILED [NOTE]
    TOTAL_PASSED=$((TOTAL_PASSED + $2))
    TOTAL_FAILED=$((TOTAL_FAILED + $3))
    SUMMARY+=("$(printf '%-34s %5s passed %4s failed %s' "$1" "$2" "$3" "${4:-}")")
}

# -- 1. lint ----------------------------------------------------------------------------------
# The hooks of .pre-commit-config.yaml, the ones a commit runs, over every file git tracks; each
# hook is one step of the summary.
if [ "$LINT" = 1 ]; then
    info "lint (pre-commit run --all-files)"
    set +e
    (cd "$ROOT" && "$PYTHON" -m pre_commit run --all-files --color=never) >"$LOGDIR/pre-commit.log" 2>&1
    LINT_RC=$?
    set -e
    # a hook's line: "<name>.....Passed", "....Failed" or "....(no files to check)Skipped"
    HOOK_LINE='^(.*[^.])\.+(\(no files to check\))?(Passed|Failed|Skipped)$'
    hooks=0
    failed_hooks=0
    while IFS=$'\t' read -r hook status; do
        hooks=$((hooks + 1))
        case "$status" in
            Passed) record "lint: $hook" 1 0 ;;
            Skipped) record "lint: $hook" 0 0 "(no files to check)" ;;
            *)
                failed_hooks=$((failed_hooks + 1))
                # the hook's own output: from its line to the next hook's
                awk -v hook="$hook" '
                    /[^.]\.+(\(no files to check\))?(Passed|Failed|Skipped)$/ { inside = (index($0, hook ".") == 1) }
                    inside' "$LOGDIR/pre-commit.log" | head -60 >&2
                record "lint: $hook" 0 1 "(see .test-logs/pre-commit.log)"
                ;;
        esac
    done < <(sed -nE "s/$HOOK_LINE/\1\t\3/p" "$LOGDIR/pre-commit.log")
    if [ "$hooks" = 0 ] || { [ "$LINT_RC" != 0 ] && [ "$failed_hooks" = 0 ]; }; then
        tail -30 "$LOGDIR/pre-commit.log" >&2
        record "lint: pre-commit" 0 1 "(exit $LINT_RC, no hook reported; see .test-logs/pre-commit.log)"
    fi
fi

# -- 2. pure-Python tests -----------------------------------------------------------------------
info "pure-Python tests (tests/)"
set +e
(cd "$ROOT" && "$PYTHON" -m pytest -q -p no:cacheprovider tests) >"$LOGDIR/pytest.log" 2>&1
PYTEST_RC=$?
set -e
tail -3 "$LOGDIR/pytest.log" >&2
PY_PASSED=$(grep -Eo '[0-9]+ passed' "$LOGDIR/pytest.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
PY_FAILED=$( (grep -Eo '[0-9]+ (failed|errors?)' "$LOGDIR/pytest.log" || true) | awk '{s += $1} END {print s + 0}')
PY_SKIPPED=$(grep -Eo '[0-9]+ skipped' "$LOGDIR/pytest.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
[ -z "$PY_FAILED" ] && PY_FAILED=0
if [ "$PYTEST_RC" != 0 ] && [ "$PY_FAILED" = 0 ]; then PY_FAILED=1; fi
record "pytest tests/" "$PY_PASSED" "$((PY_FAILED + PY_SKIPPED))" "$([ "$PY_SKIPPED" != 0 ] && echo "($PY_SKIPPED skipped count as failed)")"

# -- 3 and 4. Odoo tests ------------------------------------------------------------------------
info "starting a throw-away PostgreSQL cluster"
pg_start "$WORK/pg" "$(free_port)" throwaway
ADDONS_PATH="$(addons_path)"
DATA_DIR="$WORK/data"
# No step may hang the run: each Odoo step is stopped after RETAIL_STEP_TIMEOUT seconds (default
# 30 minutes: Odoo's own tests, the longest step, take about 16 on 2 cores beside another step,
# and more on a busy machine) and fails, naming the test it was running.
STEP_TIMEOUT="${RETAIL_STEP_TIMEOUT:-1800}"
odoo_run() { # odoo_run LOGFILE ARGS...
    local log="$1"
    shift
    set +e
    timeout --kill-after=30 "$STEP_TIMEOUT" \
        "$PYTHON" -c 'import sys; from odoo.cli.command import main; sys.argv[0] = "odoo"; main()' \
        --addons-path="$ADDONS_PATH" --data-dir="$DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user=odoo --http-port="${STEP_PORT:-$(free_port)}" --stop-after-init --log-level=info "$@" >"$log" 2>&1
    local rc=$?
    set -e
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        local last
        last="$(grep -Eo 'Starting [A-Za-z0-9_]+\.test_[A-Za-z0-9_]+' "$log" | tail -1 | cut -d' ' -f2)"
        echo "TIMEOUT: stopped after ${STEP_TIMEOUT}s while running ${last:-no test yet}" | tee -a "$log" >&2
    fi
    return $rc
}

# Parses an Odoo test log: passed = run - failed - errors - skipped; an ERROR/CRITICAL line
# outside the counted tests, a skipped test or a non-zero exit counts as a failure. Odoo's own
# tests skip some of themselves on purpose: for them (SKIPS=core) a skip is reported, and
# counted neither as passed nor as failed.
record_odoo_log() { # record_odoo_log STEP LOG RC [SKIPS]
    local step="$1" log="$2" rc="$3" skips="${4:-ours}" line run failed errors skipped logged note=""
    line="$(grep -Eo '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$log" | tail -1 || true)"
    if grep -q '^TIMEOUT: ' "$log"; then
        grep '^TIMEOUT: ' "$log" >&2
        record "$step" 0 1 "($(grep '^TIMEOUT: ' "$log" | tail -1 | cut -c10-); see .test-logs/$(basename "$log"))"
        return
    fi
    if [ -z "$line" ]; then
        tail -30 "$log" >&2
        record "$step" 0 1 "(no test report; see .test-logs/$(basename "$log"))"
        return
    fi
    failed="$(echo "$line" | awk '{print $1}')"
    errors="$(echo "$line" | awk '{print $3}')"
    run="$(echo "$line" | awk '{print $6}')"
    skipped="$(grep -Ec ': skipped ' "$log" || true)"
    logged="$(grep -Ec '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" || true)"
    local bad=$((failed + errors + skipped))
    if [ "$skips" = core ]; then
        bad=$((failed + errors))
        [ "$skipped" != 0 ] && note="($skipped skipped by Odoo itself)"
    fi
    if [ "$bad" = 0 ] && { [ "$logged" != 0 ] || [ "$rc" != 0 ]; }; then
        bad=1
        note="(error logged or exit $rc)"
    fi
    if [ "$skipped" != 0 ] && [ "$skips" != core ]; then note="$note ($skipped skipped count as failed)"; fi
    local tours
    tours="$(grep -c '\.browser: tour succeeded' "$log" || true)"
    if [ "$tours" != 0 ]; then note="$note ($tours browser tours ran)"; fi
    if [ "$bad" != 0 ]; then
        grep -E ' (ERROR|CRITICAL) |: skipped |^(FAIL|ERROR):' "$log" | grep -v "skipped by Odoo" | head -40 >&2 || true
        note="$note (see .test-logs/$(basename "$log"))"
    fi
    record "$step" $((run - failed - errors - skipped)) "$bad" "$note"
}

# The drill's last line: "drill: N orders, 0 lost, 0 duplicated, 0 inconsistent, ..."; it passes
# when the drill exits 0 with that line.
record_drill_log() { # record_drill_log STEP LOG RC
    local step="$1" log="$2" rc="$3" line
    line="$(grep -E '^drill: [0-9]+ orders' "$log" | tail -1 || true)"
    if [ "$rc" = 0 ] && [ -n "$line" ]; then
        record "$step" 1 0 "($line)"
    else
        tail -30 "$log" >&2
        record "$step" 0 1 "(${line:-no audit line}, exit $rc; see .test-logs/$(basename "$log"))"
    fi
}

info "template database with Odoo's modules: $(core_dependencies)"
odoo_run "$LOGDIR/template.log" -d retail_template -i "$(core_dependencies)" \
    || { tail -40 "$LOGDIR/template.log" >&2; die "could not build the template database"; }
clone_db() { # clone_db NAME: a fresh database from the template, filestore included
    psql -d postgres -qc "CREATE DATABASE \"$1\" TEMPLATE retail_template" >/dev/null
    if [ -d "$DATA_DIR/filestore/retail_template" ]; then
        cp -r "$DATA_DIR/filestore/retail_template" "$DATA_DIR/filestore/$1"
    fi
}

# The Odoo steps run side by side, RETAIL_TEST_JOBS at a time (default 2, one per core): each on
# its own database, port and log. Their results are recorded afterwards in a fixed order, so the
# summary reads the same however the steps interleaved.
JOBS="${RETAIL_TEST_JOBS:-2}"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "RETAIL_TEST_JOBS must be a positive number, not '$JOBS'"
STEP_NAMES=()   # step label, in summary order
STEP_LOGS=()    # its log
STEP_KINDS=()   # ours | core (whose own skips are reported apart) | drill (its audit line)
STEP_CMDS=()    # the shell function that runs it
STEP_WEIGHTS=() # expected minutes, longest started first
STEP_DBS=()     # its database, cloned from the template before it starts
add_step() { # add_step NAME LOG KIND WEIGHT DATABASE FUNCTION
    STEP_NAMES+=("$1"); STEP_LOGS+=("$2"); STEP_KINDS+=("$3"); STEP_WEIGHTS+=("$4"); STEP_DBS+=("$5")
    STEP_CMDS+=("$6")
}

# retail_demo depends on every other addon: its step is the one with all addons together.
ALONE=()
for addon in "${ADDONS[@]}"; do [ "$addon" = retail_demo ] || ALONE+=("$addon"); done
step_alone() { # step_alone ADDON
    odoo_run "$LOGDIR/alone_$1.log" -d "alone_$1" -i "$1" --test-enable --test-tags "/$1"
}
for addon in "${ALONE[@]}"; do
    case "$addon" in retail_base) weight=1 ;; retail_pos|retail_inventory) weight=6 ;; *) weight=4 ;; esac
    add_step "$addon (alone)" "$LOGDIR/alone_$addon.log" ours "$weight" "alone_$addon" "step_alone $addon"
done

step_all_addons() {
    local tags="/retail_base:TestSuiteTogether,/retail_demo" bridge
    for bridge in "${BRIDGES[@]}"; do tags="$tags,/$bridge"; done
    odoo_run "$LOGDIR/all_addons.log" -d all_addons -i "$(IFS=,; echo "${ADDONS[*]}")" \
        --test-enable --test-tags "$tags"
}
if [ ${#SELECTED[@]} -eq 0 ] || [[ " ${SELECTED[*]} " == *" retail_demo "* ]]; then
    add_step "all addons + demo + bridges" "$LOGDIR/all_addons.log" ours 7 all_addons step_all_addons
fi

# Odoo's own tests of the modules we extend, with our addons installed: updating those modules
# runs their at_install and post_install tests in a registry that contains our overrides.
CORE_MODULES=(point_of_sale pos_loyalty pos_hr loyalty stock product_expiry stock_account)
# Core classes that drive the till or the web client in a browser; --core=full runs them too.
CORE_TOUR_CLASSES=(/point_of_sale:TestUi /point_of_sale:MobileTestUi /point_of_sale:TestTaxCommonPOS
    /point_of_sale:TestGenericLocalization /point_of_sale:TestPosCashRounding
    /point_of_sale:TestPoSProductVariants /point_of_sale:TestPosPerformance /pos_loyalty:TestUi
    /pos_hr:TestUi /stock:TestStockPickingTour /stock:TestStockReportTour
    /product_expiry:TestProductExpiryTour)
step_core() {
    # the retail addons (not the demo chain, which loads the Chinese chart of accounts)
    if ! odoo_run "$LOGDIR/core_install.log" -d core_with_retail -i "$(IFS=,; echo "${ALONE[*]}")"; then
        tail -40 "$LOGDIR/core_install.log" >"$LOGDIR/core_tests.log"
        echo "could not install the retail addons for the core tests (see .test-logs/core_install.log)" >>"$LOGDIR/core_tests.log"
        return 1
    fi
    local tags="" module class
    for module in "${CORE_MODULES[@]}"; do tags="$tags,/$module"; done
    if [ "$CORE" = quick ]; then
        for class in "${CORE_TOUR_CLASSES[@]}"; do tags="$tags,-$class"; done
    fi
    odoo_run "$LOGDIR/core_tests.log" -d core_with_retail -u "$(IFS=,; echo "${CORE_MODULES[*]}")" \
        --test-enable --test-tags "${tags#,}"
}
if [ -n "$CORE" ] && [ ${#SELECTED[@]} -eq 0 ]; then
    add_step "Odoo core tests ($CORE)" "$LOGDIR/core_tests.log" core 9 core_with_retail step_core
fi

# The peak-day drill in its short form: tills selling over HTTP against a prefork server on its
# own PostgreSQL cluster, with a killed worker, a database restart, resent calls, an offline
# backlog, a session closed behind a till and two devices of one till; it fails when an order is
# lost, recorded twice or inconsistent with its stock, books or points.
step_drill() {
    local http_port
    http_port="$(free_port)"
    set +e
    timeout --kill-after=30 "$STEP_TIMEOUT" "$PYTHON" "$ROOT/bench/retail_pos_drill.py" --short \
        --workdir "$WORK/drill" --pg-port "$(free_port)" --http-port "$http_port" >"$LOGDIR/drill.log" 2>&1
    local rc=$?
    set -e
    return $rc
}
if [ ${#SELECTED[@]} -eq 0 ] || [[ " ${SELECTED[*]} " == *" retail_pos "* ]]; then
    add_step "peak-day drill (short)" "$LOGDIR/drill.log" drill 3 none step_drill
fi

# Longest first, then at most JOBS at once; each step's exit code goes to a file beside its log.
mapfile -t ORDER < <(for i in "${!STEP_NAMES[@]}"; do echo "${STEP_WEIGHTS[$i]} $i"; done | sort -k1,1nr -k2,2n | cut -d' ' -f2)
info "${#STEP_NAMES[@]} Odoo steps, $JOBS at a time"
# Each step gets its own HTTP port, chosen here, so two steps never pick the same one.
USED_PORTS=" "
for i in "${ORDER[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
    info "start: ${STEP_NAMES[$i]}"
    [ "${STEP_DBS[$i]}" = none ] || clone_db "${STEP_DBS[$i]}"
    port="$(free_port)"
    while [[ "$USED_PORTS" == *" $port "* ]]; do port="$(free_port)"; done
    USED_PORTS="$USED_PORTS$port "
    (
        rc=0
        started=$SECONDS
        STEP_PORT="$port" ${STEP_CMDS[$i]} || rc=$?
        echo "$rc" >"${STEP_LOGS[$i]}.rc"
        echo "==> done: ${STEP_NAMES[$i]} (exit $rc, $((SECONDS - started)) s)" >&2
    ) &
done
wait
for i in "${!STEP_NAMES[@]}"; do
    rc="$(cat "${STEP_LOGS[$i]}.rc" 2>/dev/null || echo 1)"
    touch "${STEP_LOGS[$i]}"
    if [ "${STEP_KINDS[$i]}" = drill ]; then
        record_drill_log "${STEP_NAMES[$i]}" "${STEP_LOGS[$i]}" "$rc"
    else
        record_odoo_log "${STEP_NAMES[$i]}" "${STEP_LOGS[$i]}" "$rc" "${STEP_KINDS[$i]}"
    fi
done

echo
echo "Summary (logs in .test-logs/):"
printf '  %s\n' "${SUMMARY[@]}"
echo
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" = 0 ]
