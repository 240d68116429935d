#!/usr/bin/env bash
# Side-by-side benchmark: raw LDAP vs the bridge against the same slapd (docs/performance.md).
# Builds what it needs, loads N users into a fresh slapd (offline, slapadd), starts the bridge,
# runs every measurement, prints a table with PASS/FAIL per target and writes JSON to BENCH_OUT.
# Besides the targets' runs, two that explain them: raw_same (the raw client sending the very
# search the bridge sends, from `explain --search`) and healthz (the bridge's HTTP floor).
#
#   N=100000            users to load (uid=user0 .. user{N-1})
#   DURATION=10         measured seconds per run;  WARMUP=2  unmeasured seconds before each
#   CONCURRENCY="8 32 64"
#   PAGE_CONCURRENCY=1  concurrency of the paging runs (d)
#   BENCH_OUT=BUILD_DIR/bench-results.json
#   BUILD_DIR=build-bench   BUILD_JOBS=2
#   SLAPD_CPUS= BRIDGE_CPUS= LOADGEN_CPUS=   taskset CPU lists (empty: unpinned, the default)
#   BRIDGE_IO_THREADS=2 BRIDGE_POOL_SIZE=2 BRIDGE_LOG_LEVEL=warn   bridge config
#   BRIDGE_BIN=         the bridge binary (default: BUILD_DIR/scim-ldap-bridge)
#   BRIDGE_LDAP=ldap    ldaps: slapd also serves TLS (throwaway CA) and the bridge uses ldaps://
#                       (raw LDAP stays on ldap://, the same baseline as without TLS)
#   KEEP_WORK=1         keep the work dir (slapd data, logs, raw JSON) after the run
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-100000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-"8 32 64"}
PAGE_CONCURRENCY=${PAGE_CONCURRENCY:-1}
BUILD_DIR=${BUILD_DIR:-build-bench}
BENCH_OUT=${BENCH_OUT:-$top/$BUILD_DIR/bench-results.json}
SLAPD_CPUS=${SLAPD_CPUS:-}
BRIDGE_CPUS=${BRIDGE_CPUS:-}
LOADGEN_CPUS=${LOADGEN_CPUS:-}
BRIDGE_IO_THREADS=${BRIDGE_IO_THREADS:-2}
BRIDGE_POOL_SIZE=${BRIDGE_POOL_SIZE:-2}
BRIDGE_LOG_LEVEL=${BRIDGE_LOG_LEVEL:-warn}
BRIDGE_LDAP=${BRIDGE_LDAP:-ldap}
tls_args=()
[ "$BRIDGE_LDAP" = ldaps ] && tls_args=(--tls)
[ "$N" -ge 100 ] || { echo "bench: N must be at least 100" >&2; exit 2; }

log() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$(now)"; }
# taskset prefixes (empty: unpinned). Arrays, not a shell function: a function run with & is a
# subshell, and $! would then be the subshell instead of the process we must watch and stop.
pin() { [ -z "$1" ] || printf '%s\n' taskset -c "$1"; }
mapfile -t pin_slapd < <(pin "$SLAPD_CPUS")
mapfile -t pin_bridge < <(pin "$BRIDGE_CPUS")
mapfile -t pin_loadgen < <(pin "$LOADGEN_CPUS")

# --- build -------------------------------------------------------------------------------------
log "building (Release, $BUILD_DIR)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCIMLDAP_BUILD_BENCH=ON >/dev/null
BUILD_DIR=$BUILD_DIR BUILD_JOBS=${BUILD_JOBS:-2} scripts/build.sh \
    scim-ldap-devslapd scim-ldap-bridge ldap_load http_load >/dev/null
bin=$top/$BUILD_DIR
devslapd_bin=$bin/tests/scim-ldap-devslapd
bridge_bin=${BRIDGE_BIN:-$bin/scim-ldap-bridge}
ldap_load=$bin/tests/bench/ldap_load
http_load=$bin/tests/bench/http_load

work=$(mktemp -d /tmp/scimldap-bench.XXXXXX)
results=$work/results
mkdir -p "$results"
source tests/bench/lib.sh

# --- slapd with N users ------------------------------------------------------------------------
start_devslapd() {  # start_devslapd [--port P]: starts it and waits for its info file
    rm -f "$work/slapd.json"
    "${pin_slapd[@]}" "$devslapd_bin" --dir "$work/slapd" --info-file "$work/slapd.json" \
        "${tls_args[@]}" "$@" \
        >>"$work/devslapd.log" 2>&1 &
    devslapd_pid=$!
    wait_for_devslapd
}

log "generating $N users"
python3 tests/bench/make_users.py --users "$N" --output "$work/users.ldif"
# First start creates the config and the seeded DIT; the users then go in offline (slapadd is
# far faster than ldapadd and runs no overlay, which plain users do not need).
t0=$(now)
load_offline "$work/users.ldif"
load_seconds=$(elapsed "$t0")
log "loaded $N users in ${load_seconds}s"
start_devslapd --port "$ldap_port"
ldap_uri=$(json_get "$work/slapd.json" ldap_uri)
admin_dn=$(json_get "$work/slapd.json" admin_dn)
admin_password=$(json_get "$work/slapd.json" admin_password)
service_dn=$(json_get "$work/slapd.json" service_dn)
service_password_file=$(json_get "$work/slapd.json" service_password_file)
bridge_ldap_keys="\"uris\": [\"$ldap_uri\"]"
if [ "$BRIDGE_LDAP" = ldaps ]; then
    bridge_ldap_keys="\"uris\": [\"$(json_get "$work/slapd.json" ldaps_uri)\"], \"ca_file\": \"$(json_get "$work/slapd.json" ca_file)\""
fi
slapd_pid=$(cat "$work/slapd/slapd.pid" 2>/dev/null || pgrep -P "$devslapd_pid" -x slapd)
# The launcher's readiness probe only sees that something answers on the port: make sure it is
# the slapd it started (with the users), not a stray one.
if [ "$(ps -o ppid= -p "$slapd_pid" 2>/dev/null | tr -d ' ')" != "$devslapd_pid" ]; then
    log "the slapd on $ldap_uri is not the launcher's child"
    exit 1
fi

# Reads every user once (warms the page cache for all runs) and keeps uid -> entryUUID.
ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
    -b ou=People,dc=example,dc=org '(uid=user*)' uid entryUUID >"$work/uuids.ldif"
python3 - "$work/uuids.ldif" "$work/uuids.tsv" <<'PY'
import sys
uid = uuid = None
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in list(src) + [""]:
        line = line.rstrip("\n")
        if line.startswith("uid: "):
            uid = line[5:]
        elif line.startswith("entryUUID: "):
            uuid = line[11:]
        elif not line and uid and uuid:
            out.write(f"{uid}\t{uuid}\n")
            uid = uuid = None
PY
loaded=$(wc -l <"$work/uuids.tsv")
[ "$loaded" -eq "$N" ] || { log "slapd holds $loaded users, expected $N"; exit 1; }
cut -f2 "$work/uuids.tsv" >"$work/ids.txt"

# --- (a) raw LDAP ------------------------------------------------------------------------------
loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
for c in $CONCURRENCY; do
    log "raw LDAP, concurrency $c"
    "${pin_loadgen[@]}" "$ldap_load" --uri "$ldap_uri" --bind-dn "$service_dn" \
        --password-file "$service_password_file" --concurrency "$c" --duration "$DURATION" \
        --warmup "$WARMUP" --users "$N" --label "raw c=$c" --watch "slapd=$slapd_pid" \
        >"$results/raw-c$c.json"
done

# --- the bridge --------------------------------------------------------------------------------
bridge_skip="" same_skip=""
rss_idle_kb="" hwm_idle_kb="" rss_after_kb=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_bridge() {
    local token hash http_port
    token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$token" >"$work/token"
    chmod 600 "$work/token"
    hash=$("$bridge_bin" hash-token "$token" 2>/dev/null || true)
    if ! [[ "$hash" =~ ^[0-9a-f]{64}$ ]]; then
        bridge_skip="scim-ldap-bridge hash-token is not available"
        return
    fi
    http_port=$(free_port)
    cat >"$work/bridge.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "http": {"io_threads": $BRIDGE_IO_THREADS},
  "ldap": {$bridge_ldap_keys, "bind_dn": "$service_dn",
           "password_file": "$service_password_file", "pool_size": $BRIDGE_POOL_SIZE},
  "tenants": [
    {"name": "bench", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org", "archive_base": "ou=Archive,dc=example,dc=org"}
  ],
  "tokens": [{"name": "bench", "sha256": "$hash", "tenant": "bench"}],
  "logging": {"level": "$BRIDGE_LOG_LEVEL", "format": "text"}
}
JSON
    SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "${pin_bridge[@]}" "$bridge_bin" serve \
        --config "$work/bridge.json" >"$work/bridge.log" 2>&1 &
    bridge_pid=$!
    local tries=0
    until curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; do
        if ! kill -0 "$bridge_pid" 2>/dev/null; then
            wait "$bridge_pid" 2>/dev/null || true
            bridge_pid=""
            bridge_skip="scim-ldap-bridge serve exited: $(tail -c 200 "$work/bridge.log" | tr '\n' ' ')"
            return
        fi
        tries=$((tries + 1))
        if [ "$tries" -gt 300 ]; then  # 15 s of polling
            bridge_skip="scim-ldap-bridge serve did not become ready"
            return
        fi
        sleep 0.05
    done
    bridge_port=$http_port
    base_url="http://127.0.0.1:$http_port/scim/v2"
}

# get URL OUT: status code on stdout, body in OUT.
get() {
    curl -s -o "$2" -w '%{http_code}' -H "Authorization: Bearer $(cat "$work/token")" \
        -H 'Accept: application/scim+json' "$1" || echo 000
}

# The lookup must answer exactly one user with its entryUUID as id before it is measured.
probe_lookup() {
    local status
    status=$(get "$base_url/Users?filter=userName%20eq%20%22user7%22" "$work/probe.json")
    [ "$status" = 200 ] || { echo "GET /Users?filter=userName eq answered $status"; return; }
    python3 - "$work/probe.json" "$(grep -P '^user7\t' "$work/uuids.tsv" | cut -f2)" <<'PY' || true
import json, sys
body = json.load(open(sys.argv[1]))
res = body.get("Resources", [])
if body.get("totalResults") != 1 or len(res) != 1 or res[0].get("userName") != "user7":
    print("GET /Users?filter=userName eq \"user7\" did not return exactly user7")
elif res[0].get("id") != sys.argv[2]:
    print("ids are not entryUUIDs; by-id run needs them")
PY
}

probe_page() {  # probe_page START: empty when the page answers count=100 users
    local status
    status=$(get "$base_url/Users?startIndex=$1&count=100&sortBy=userName" "$work/page.json")
    [ "$status" = 200 ] || { echo "GET /Users?startIndex=$1 answered $status"; return; }
    python3 - "$work/page.json" <<'PY' || true
import json, sys
body = json.load(open(sys.argv[1]))
if len(body.get("Resources", [])) != 100:
    print("the page did not hold 100 users")
PY
}

rss_of() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

run_http() {  # run_http NAME CONCURRENCY PATH [extra http_load args]
    local name=$1 c=$2 path=$3
    shift 3
    log "bridge $name, concurrency $c"
    "${pin_loadgen[@]}" "$http_load" --port "$bridge_port" --path "$path" \
        --token-file "$work/token" --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" \
        --users "$N" --label "$name c=$c" --watch "bridge=$bridge_pid" --watch "slapd=$slapd_pid" \
        "$@" >"$results/$name-c$c.json"
}

start_bridge
lookup_skip="$bridge_skip" byid_skip="$bridge_skip" page_skip="$bridge_skip"
if [ -z "$bridge_skip" ]; then
    rss_idle_kb=$(rss_of "$bridge_pid" VmRSS)
    hwm_idle_kb=$(rss_of "$bridge_pid" VmHWM)
    probe=$(probe_lookup)
    case "$probe" in
        "") ;;
        "ids are not entryUUIDs"*) byid_skip=$probe ;;
        *) lookup_skip=$probe byid_skip=$probe ;;
    esac
    page_skip=$(probe_page 1)
    [ -n "$page_skip" ] || page_skip=$(probe_page $((N - 99)))
    # The lookup's own LDAP search, as the bridge plans it, sent by the raw client. These two
    # runs only explain the others: a failure is logged and skipped, never fatal.
    printf '%s' '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                  "filter": "userName eq \"user{K}\""}' |
        SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" explain \
            --config "$work/bridge.json" --search >"$work/lookup-search.txt" \
            2>"$work/lookup-search.err" || true
    same_base=$(sed -n 's/^base: //p' "$work/lookup-search.txt")
    same_filter=$(sed -n 's/^filter: //p' "$work/lookup-search.txt")
    same_attrs=$(sed -n 's/^attributes: //p' "$work/lookup-search.txt" | tr ' ' ',')
    if [ -z "$same_filter" ]; then
        same_skip="explain --search failed: $(head -c 200 "$work/lookup-search.err" | tr '\n' ' ')"
        log "$same_skip"
    fi
    for c in $CONCURRENCY; do
        [ -z "$same_skip" ] || break
        log "raw LDAP with the bridge's search, concurrency $c"
        "${pin_loadgen[@]}" "$ldap_load" --uri "$ldap_uri" --bind-dn "$service_dn" \
            --password-file "$service_password_file" --concurrency "$c" --duration "$DURATION" \
            --warmup "$WARMUP" --users "$N" --label "raw_same c=$c" --watch "slapd=$slapd_pid" \
            --base "$same_base" --filter "$same_filter" --attrs "$same_attrs" \
            >"$results/raw_same-c$c.json" ||
            { log "raw_same c=$c failed"; rm -f "$results/raw_same-c$c.json"; }
    done
    for c in $CONCURRENCY; do
        run_http healthz "$c" /healthz ||
            { log "healthz c=$c failed"; rm -f "$results/healthz-c$c.json"; }
    done
    for c in $CONCURRENCY; do
        if [ -z "$lookup_skip" ]; then
            run_http lookup "$c" '/scim/v2/Users?filter=userName%20eq%20%22user{K}%22'
        fi
    done
    for c in $CONCURRENCY; do
        if [ -z "$byid_skip" ]; then
            run_http byid "$c" '/scim/v2/Users/{ID}' --ids-file "$work/ids.txt"
        fi
    done
    if [ -z "$page_skip" ]; then
        run_http page_first "$PAGE_CONCURRENCY" '/scim/v2/Users?startIndex=1&count=100&sortBy=userName'
        run_http page_deep "$PAGE_CONCURRENCY" \
            "/scim/v2/Users?startIndex=$((N - 99))&count=100&sortBy=userName"
    fi
    rss_after_kb=$(rss_of "$bridge_pid" VmRSS)
fi
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------
export N DURATION WARMUP CONCURRENCY PAGE_CONCURRENCY load_seconds loadavg_start loadavg_end \
    SLAPD_CPUS BRIDGE_CPUS LOADGEN_CPUS BRIDGE_IO_THREADS BRIDGE_POOL_SIZE BRIDGE_LOG_LEVEL \
    lookup_skip byid_skip page_skip same_skip rss_idle_kb hwm_idle_kb rss_after_kb
BENCH_COMMIT=$(git rev-parse --short HEAD) BENCH_SLAPD=$(/usr/sbin/slapd -VV 2>&1 | head -1) \
    python3 - >"$results/meta.json" <<'PY'
import json, os
e = os.environ
kb = lambda name: int(e[name]) if e.get(name) else None
print(json.dumps({
    "users": int(e["N"]), "duration_s": float(e["DURATION"]), "warmup_s": float(e["WARMUP"]),
    "concurrency": [int(c) for c in e["CONCURRENCY"].split()],
    "page_concurrency": int(e["PAGE_CONCURRENCY"]),
    "slapadd_seconds": float(e["load_seconds"]), "cpus": os.cpu_count(),
    "loadavg_start": e["loadavg_start"], "loadavg_end": e["loadavg_end"],
    "pinning": {"slapd": e["SLAPD_CPUS"], "bridge": e["BRIDGE_CPUS"],
                "loadgen": e["LOADGEN_CPUS"]},
    "bridge_config": {"io_threads": int(e["BRIDGE_IO_THREADS"]),
                      "pool_size": int(e["BRIDGE_POOL_SIZE"]),
                      "log_level": e["BRIDGE_LOG_LEVEL"]},
    "commit": e["BENCH_COMMIT"], "slapd_version": e["BENCH_SLAPD"].strip(),
    "skipped": {"lookup": e["lookup_skip"], "byid": e["byid_skip"], "page": e["page_skip"],
                "raw_same": e["same_skip"] or e["lookup_skip"],
                "healthz": e["lookup_skip"]},
    "bridge_rss_kb": {"idle": kb("rss_idle_kb"), "idle_hwm": kb("hwm_idle_kb"),
                      "after_load": kb("rss_after_kb")},
}))
PY
mkdir -p "$(dirname "$BENCH_OUT")"
status=0
python3 tests/bench/summarize.py "$results" "$BENCH_OUT" || status=$?
log "results written to $BENCH_OUT"
exit "$status"  # 1 when a measured target failed; skipped targets do not fail the run
