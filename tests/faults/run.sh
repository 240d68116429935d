#!/usr/bin/env bash
# The fault harness (issue 13; docs/reliability.md sections 1, 2 and 5): a throwaway slapd, the
# real bridge binary, the mixed-load generator writing a journal, a fault, then the checker
# comparing the directory with what was acknowledged. One scenario per run of slapd + bridge.
#
#   tests/faults/run.sh [quick|kill|freeze|load|all]      (default: all = kill freeze load)
#     quick   8 clients, 5 s, no fault; checker (what ctest runs as faults.quick)
#     kill    32 clients; slapd SIGKILLed at KILL_AT s, restarted on its data dir 3 s later
#     freeze  32 clients; slapd SIGSTOPped at KILL_AT s for 5 s (a frozen directory)
#     load    256 clients for 60 s; fds and RSS of the bridge before and after
#
#   BUILD_DIR=build   NO_BUILD=1 (use what is built)   OUT_DIR=BUILD_DIR/faults (results)
#   BRIDGE_BIN, DEVSLAPD_BIN: other binaries than BUILD_DIR's
#   CLIENTS, DURATION (override the scenario's), KILL_AT=10, DOWN_S=3, FREEZE_S=5
#   ROUNDS=1 (load: rounds of load on one bridge)  SETTLE_S=30 (load: RSS sampled each second after each)
#   CHECK_DELAY_S (seconds between the end of the load and the directory dump; 30, quick: 0)
#   SEED=1 (the generator's)
#   MIXED_LOAD_BIN: another generator binary
#   DELETE_MODE=archive (or delete)   KEEP_WORK=1   BRIDGE_LOG_LEVEL=warn
# Exit status: 1 when the checker or a scenario's target failed (the figures are printed anyway).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
BUILD_DIR=${BUILD_DIR:-build}
KILL_AT=${KILL_AT:-10}
DOWN_S=${DOWN_S:-3}
FREEZE_S=${FREEZE_S:-5}
DELETE_MODE=${DELETE_MODE:-archive}
BRIDGE_LOG_LEVEL=${BRIDGE_LOG_LEVEL:-warn}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(all)
[ "${scenarios[0]}" != all ] || scenarios=(kill freeze load)

log() { echo "faults: $*" >&2; }
now() { date +%s.%N; }
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

if [ -z "${NO_BUILD:-}" ]; then
    log "building ($BUILD_DIR)"
    BUILD_DIR=$BUILD_DIR BUILD_JOBS=${BUILD_JOBS:-1} scripts/build.sh \
        scim-ldap-devslapd scim-ldap-bridge mixed_load >/dev/null
fi
case $BUILD_DIR in /*) bin=$BUILD_DIR ;; *) bin=$top/$BUILD_DIR ;; esac
OUT_DIR=${OUT_DIR:-$bin/faults}
devslapd_bin=${DEVSLAPD_BIN:-$bin/tests/scim-ldap-devslapd}
bridge_bin=${BRIDGE_BIN:-$bin/scim-ldap-bridge}
mixed_load=${MIXED_LOAD_BIN:-$bin/tests/faults/mixed_load}
mkdir -p "$OUT_DIR"

work=$(mktemp -d /tmp/scimldap-faults.XXXXXX)
devslapd_pid="" slapd_pid="" own_slapd_pid="" bridge_pid=""

stop_pid() {  # stop_pid PID: SIGCONT (it may be frozen), SIGTERM, then wait if it is our child
    [ -n "$1" ] || return 0
    kill -CONT "$1" 2>/dev/null || true
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    wait "$1" 2>/dev/null || true
}
stop_all() {
    stop_pid "$bridge_pid"
    stop_pid "$own_slapd_pid"
    [ -z "$slapd_pid" ] || kill -CONT "$slapd_pid" 2>/dev/null || true
    stop_pid "$devslapd_pid"
    bridge_pid="" own_slapd_pid="" slapd_pid="" devslapd_pid=""
}
cleanup() {
    trap - INT TERM EXIT
    stop_all
    if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- slapd and the bridge ----------------------------------------------------------------------
start_slapd() {  # a fresh devslapd in $1; sets slapd_pid, ldap_uri, admin_dn, admin_password
    local dir=$1
    "$devslapd_bin" --dir "$dir/slapd" --info-file "$dir/slapd.json" >>"$dir/devslapd.log" 2>&1 &
    devslapd_pid=$!
    until [ -s "$dir/slapd.json" ]; do
        kill -0 "$devslapd_pid" 2>/dev/null || { cat "$dir/devslapd.log" >&2; exit 1; }
        sleep 0.05  # readiness polling: the launcher writes the file once slapd answers
    done
    ldap_uri=$(json_get "$dir/slapd.json" ldap_uri)
    admin_dn=$(json_get "$dir/slapd.json" admin_dn)
    admin_password=$(json_get "$dir/slapd.json" admin_password)
    slapd_pid=$(cat "$dir/slapd/slapd.pid")
}

slapd_answers() {
    ldapwhoami -x -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" >/dev/null 2>&1
}

start_bridge() {  # the real binary on a free port; sets bridge_pid, bridge_port
    local dir=$1 token hash
    token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$token" >"$dir/token"
    hash=$("$bridge_bin" hash-token "$token")
    bridge_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # The shipped profile with the delete mode asked for (archive: deleted users move to
    # ou=Archive, leaving their role groups, which the checker verifies).
    python3 - "$top/mapping/profiles/openldap-inetorgperson.json" "$dir/profile.json" \
        "$DELETE_MODE" <<'PY'
import json, sys
profile = json.load(open(sys.argv[1]))
profile["name"] = "faults-" + sys.argv[3]
profile["resources"]["User"]["delete"] = {"mode": sys.argv[3]}
json.dump(profile, open(sys.argv[2], "w"), indent=1)
PY
    cat >"$dir/bridge.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $bridge_port},
  "ldap": {"uris": ["$ldap_uri"], "bind_dn": "$(json_get "$dir/slapd.json" service_dn)",
           "password_file": "$(json_get "$dir/slapd.json" service_password_file)"},
  "tenants": [
    {"name": "faults", "profile": "$dir/profile.json",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org", "archive_base": "ou=Archive,dc=example,dc=org"}
  ],
  "tokens": [{"name": "faults", "sha256": "$hash", "tenant": "faults"}],
  "logging": {"level": "$BRIDGE_LOG_LEVEL", "format": "text"}
}
JSON
    SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" serve --config "$dir/bridge.json" \
        >"$dir/bridge.log" 2>&1 &
    bridge_pid=$!
    for _ in $(seq 300); do
        curl -fs "http://127.0.0.1:$bridge_port/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$bridge_pid" 2>/dev/null || break
        sleep 0.05
    done
    log "the bridge did not become ready:"; tail -20 "$dir/bridge.log" >&2
    exit 1
}

fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
proc_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

run_load() {  # run_load DIR CLIENTS DURATION [more mixed_load args]: in the background
    local dir=$1 clients=$2 duration=$3
    shift 3
    "$mixed_load" --port "$bridge_port" --token-file "$dir/token" --journal "$dir/journal.jsonl" \
        --clients "$clients" --duration "$duration" --prefix load --seed "${SEED:-1}" "$@" \
        >"$dir/load.json" 2>"$dir/load.err" &
    load_pid=$!
}

check_directory() {  # check_directory DIR DELAY: dump the suffix, compare with the journal
    local dir=$1
    # slapd's refint renames and removes member values in the background after answering and
    # falls behind under load (docs/reliability.md, section 2): the dump waits CHECK_DELAY_S.
    sleep "${CHECK_DELAY_S:-$2}"
    ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
        -b dc=example,dc=org '(objectClass=*)' '*' '+' >"$dir/directory.ldif"
    local archive=""
    [ "$DELETE_MODE" != archive ] || archive=ou=Archive,dc=example,dc=org
    python3 tests/faults/check_directory.py --journal "$dir/journal.jsonl" \
        --ldif "$dir/directory.ldif" --prefix load --archive-base "$archive" >"$dir/check.json"
}

# --- scenarios ---------------------------------------------------------------------------------
scenario_fault() {  # scenario_fault kill|freeze
    local kind=$1 dir=$work/$1 clients=${CLIENTS:-32} duration=${DURATION:-40}
    mkdir -p "$dir"
    start_slapd "$dir"
    start_bridge "$dir"
    local loadavg_start
    loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
    log "$kind: $clients clients for ${duration}s, fault at ${KILL_AT}s"
    run_load "$dir" "$clients" "$duration" --readyz-every-ms 100
    sleep "$KILL_AT"
    local t_fault t_restart="" t_back
    local events=()
    if [ "$kind" = kill ]; then
        local cmdline
        mapfile -d '' -t cmdline <"/proc/$slapd_pid/cmdline"
        t_fault=$(now)
        kill -KILL "$slapd_pid"
        sleep "$DOWN_S"
        # The same command line, on the same data dir and port (mdb survives a SIGKILL).
        t_restart=$(now)
        "${cmdline[@]}" >>"$dir/slapd-restarted.log" 2>&1 &
        own_slapd_pid=$!
        events+=(--event "restart=$t_restart")
    else
        t_fault=$(now)
        kill -STOP "$slapd_pid"
        sleep "$FREEZE_S"
        kill -CONT "$slapd_pid"
        t_restart=$(now)
        events+=(--event "restart=$t_restart")  # resumed
    fi
    local polls=0
    until slapd_answers; do
        polls=$((polls + 1))
        if [ "$polls" -gt 1500 ]; then  # 30 s and more: the restart failed
            log "$kind: slapd does not answer after the fault"; tail -5 "$dir/slapd-restarted.log" >&2
            exit 1
        fi
        sleep 0.02
    done
    t_back=$(now)
    log "$kind: slapd answers again $(python3 -c "print(round($t_back - $t_fault, 2))")s after the fault"
    wait "$load_pid" || { log "mixed_load failed: $(cat "$dir/load.err")"; }
    local loadavg_end
    loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
    check_directory "$dir" 30 || true
    python3 tests/faults/summarize_run.py --journal "$dir/journal.jsonl" \
        --event "fault=$t_fault" "${events[@]}" --event "back=$t_back" --fault fault --restart restart \
        --back back \
        >"$dir/summary.json"
    stop_all
    report "$kind" "$dir" "$loadavg_start" "$loadavg_end"
}

# Samples the bridge's VmRSS each second for SETTLE_S seconds (a quiet IO thread hands its
# allocator cache back within 5 s, jemalloc purges freed pages after dirty_decay_ms, 5 s:
# bridge/cli/thread_cache_release.cpp, bridge/allocator_config.cpp); sets rss_settled (the
# last sample) and rss_series (all of them, as JSON members).
settle_rss() {
    rss_series=""
    for i in $(seq "${SETTLE_S:-30}"); do
        sleep 1
        rss_settled=$(proc_kb "$bridge_pid" VmRSS)
        rss_series+="${rss_series:+, }\"$i\": $rss_settled"
    done
}

scenario_load() {
    local dir=$work/load clients=${CLIENTS:-256} duration=${DURATION:-60} rounds=${ROUNDS:-1}
    mkdir -p "$dir"
    start_slapd "$dir"
    start_bridge "$dir"
    # A short warm-up first, so lazily made things (LDAP pool, allocator arenas) count as the
    # starting point, as they would in a bridge that has served before.
    "$mixed_load" --port "$bridge_port" --token-file "$dir/token" --journal "$dir/warmup.jsonl" \
        --clients 8 --duration 3 --prefix warm >/dev/null
    local fds_before rss_before hwm_before loadavg_start rss_series rss_settled
    settle_rss
    fds_before=$(fd_count "$bridge_pid")
    rss_before=$rss_settled
    hwm_before=$(proc_kb "$bridge_pid" VmHWM)
    loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
    local fds_after="" rounds_json="" r
    : >"$dir/journal.jsonl"
    for r in $(seq "$rounds"); do
        log "load: round $r: $clients clients for ${duration}s (bridge fds $(fd_count "$bridge_pid"), VmRSS $(proc_kb "$bridge_pid" VmRSS) kB)"
        run_load "$dir" "$clients" "$duration" --prefix "load$r" --journal "$dir/round-$r.jsonl"
        wait "$load_pid" || log "mixed_load failed: $(cat "$dir/load.err")"
        cat "$dir/round-$r.jsonl" >>"$dir/journal.jsonl"
        # The clients have closed; give the bridge a moment to see every FIN.
        for _ in $(seq 50); do
            fds_after=$(fd_count "$bridge_pid")
            [ "$fds_after" -gt "$fds_before" ] || break
            sleep 0.1
        done
        settle_rss
        fds_after=$(fd_count "$bridge_pid")
        rounds_json+="${rounds_json:+, }{\"fds_after\": $fds_after, \"vmrss_kb_after_seconds\": {$rss_series}}"
    done
    local loadavg_end hwm_after
    loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
    hwm_after=$(proc_kb "$bridge_pid" VmHWM)
    check_directory "$dir" 30 || true
    python3 tests/faults/summarize_run.py --journal "$dir/journal.jsonl" >"$dir/summary.json"
    printf '{"fds_before": %s, "fds_after": %s, "vmrss_kb_before": %s, "vmrss_kb_after": %s, "vmhwm_kb_before": %s, "vmhwm_kb_after": %s, "rounds": [%s]}\n' \
        "$fds_before" "$fds_after" "$rss_before" "$rss_settled" "$hwm_before" "$hwm_after" \
        "$rounds_json" >"$dir/process.json"
    stop_all
    report load "$dir" "$loadavg_start" "$loadavg_end"
}

scenario_quick() {
    local dir=$work/quick
    mkdir -p "$dir"
    start_slapd "$dir"
    start_bridge "$dir"
    run_load "$dir" "${CLIENTS:-8}" "${DURATION:-5}"
    wait "$load_pid" || { log "mixed_load failed: $(cat "$dir/load.err")"; }
    check_directory "$dir" 0 || true
    python3 tests/faults/summarize_run.py --journal "$dir/journal.jsonl" >"$dir/summary.json"
    stop_all
    report quick "$dir" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# Prints the scenario's figures and verdict, keeps them in OUT_DIR; sets failed on a miss.
failed=0
report() {
    local name=$1 dir=$2
    cp "$dir/journal.jsonl" "$OUT_DIR/$name-journal.jsonl"
    local process=$dir/process.json
    [ -f "$process" ] || echo '{}' >"$process"
    local verdict=0
    python3 - "$name" "$dir" "$3" "$4" "$OUT_DIR/$name.json" <<'PY' || verdict=$?
import json, sys
name, d, load_start, load_end, out = sys.argv[1:]
summary = json.load(open(f"{d}/summary.json"))
check = json.load(open(f"{d}/check.json"))
process = json.load(open(f"{d}/process.json"))
misses = []
if check["violation_count"]:
    misses.append(f"{check['violation_count']} directory violations")
if summary["status_500"]:
    misses.append(f"{summary['status_500']} answers 500")
if summary["no_answer"]:
    misses.append(f"{summary['no_answer']} requests without an answer")
if summary["over_request_timeout"]:
    misses.append(f"{summary['over_request_timeout']} requests past the 30 s request deadline")
if summary["status_503_without_retry_after"]:
    misses.append(f"{summary['status_503_without_retry_after']} 503 without Retry-After")
fault = summary.get("fault")
if fault:
    if fault["while_down_not_503_with_retry_after"]:
        misses.append("5xx other than 503+Retry-After while slapd was down")
    if fault["first_success_after_back_s"] is None or fault["first_success_after_back_s"] > 2:
        misses.append("first success more than 2 s after slapd was back")
    if set(fault["readyz_while_down"]) <= {"200"}:
        misses.append("/readyz answered ready all the time slapd was down")
    ready = fault["readyz_ready_after_restart_s"]
    if ready is None or ready > fault["slapd_answers_after_restart_s"] + 2:
        misses.append("/readyz not ready within 2 s of slapd answering again")
# quick runs beside other tests in ctest: a 503 there may be a timeout under contention.
if name == "load" and summary["server_errors"]:
    misses.append(f"{summary['server_errors']} 5xx")
if name in ("load", "quick"):
    if summary["connection_errors"]:
        misses.append(f"{summary['connection_errors']} connection errors")
if process:
    if process["fds_after"] != process["fds_before"]:
        misses.append(f"fds {process['fds_before']} -> {process['fds_after']}")
    if process["vmrss_kb_after"] > 1.1 * process["vmrss_kb_before"]:
        misses.append("VmRSS more than 10 % above its pre-load value")
result = {"scenario": name, "loadavg_start": load_start, "loadavg_end": load_end,
          "requests": summary, "process": process,
          "check": {k: check[k] for k in ("users", "groups", "uncertain_outcomes",
                                          "violation_count", "violation_kinds", "note_count")},
          "violations": check["violations"], "notes": check["notes"], "misses": misses}
json.dump(result, open(out, "w"), indent=1)
print(json.dumps(result, indent=1))
print(f"faults: {name}: " + ("PASS" if not misses else "FAIL: " + "; ".join(misses)),
      file=sys.stderr)
sys.exit(1 if misses else 0)
PY
    [ "$verdict" = 0 ] || failed=1
}

for s in "${scenarios[@]}"; do
    case "$s" in
        kill | freeze) scenario_fault "$s" ;;
        load) scenario_load ;;
        quick) scenario_quick ;;
        *) log "unknown scenario $s (quick|kill|freeze|load|all)"; exit 2 ;;
    esac
done
exit "$failed"
