#!/usr/bin/env bash
# What TLS toward the directory costs the bridge: the same lookup through two bridges on one
# slapd, one over ldap://, one over ldaps://, in alternating rounds (docs/performance.md).
#
#   N=10000  DURATION=5  WARMUP=1  ROUNDS=3  CONCURRENCY="8 32"
#   BUILD_DIR=build-bench  BUILD_JOBS=2   KEEP_WORK=1 keeps the work dir
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
N=${N:-10000}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"8 32"}
BUILD_DIR=${BUILD_DIR:-build-bench}
log() { echo "tls-bench: $*" >&2; }
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

log "building (Release, $BUILD_DIR)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCIMLDAP_BUILD_BENCH=ON >/dev/null
BUILD_DIR=$BUILD_DIR BUILD_JOBS=${BUILD_JOBS:-2} scripts/build.sh \
    scim-ldap-devslapd scim-ldap-bridge http_load >/dev/null
bin=$top/$BUILD_DIR
work=$(mktemp -d /tmp/scimldap-tls-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

start_devslapd() {  # start_devslapd [args]: a TLS slapd in $work/slapd, waits for its info file
    rm -f "$work/slapd.json"
    "$bin/tests/scim-ldap-devslapd" --dir "$work/slapd" --tls --info-file "$work/slapd.json" "$@" \
        >>"$work/devslapd.log" 2>&1 &
    devslapd_pid=$!
    until [ -s "$work/slapd.json" ]; do
        kill -0 "$devslapd_pid" 2>/dev/null || { cat "$work/devslapd.log" >&2; exit 1; }
        sleep 0.05
    done
}

log "loading $N users"
python3 tests/bench/make_users.py --users "$N" --output "$work/users.ldif"
start_devslapd
port=$(json_get "$work/slapd.json" ldap_uri); port=${port##*:}
kill -TERM "$devslapd_pid"; wait "$devslapd_pid" || true
/usr/sbin/slapadd -q -f "$work/slapd/slapd.conf" -l "$work/users.ldif" >"$work/slapadd.log" 2>&1
start_devslapd --port "$port"
pids+=("$devslapd_pid")
slapd_pid=$(cat "$work/slapd/slapd.pid")

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$token" >"$work/token"
chmod 600 "$work/token"
hash=$("$bin/scim-ldap-bridge" hash-token "$token")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_bridge() {  # start_bridge NAME LDAP_KEYS: prints nothing, sets ${NAME}_port and _pid
    local name=$1 keys=$2 http_port
    http_port=$(free_port)
    cat >"$work/$name.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "http": {"io_threads": 2},
  "ldap": {$keys, "bind_dn": "$(json_get "$work/slapd.json" service_dn)",
           "password_file": "$(json_get "$work/slapd.json" service_password_file)", "pool_size": 2},
  "tenants": [
    {"name": "bench", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org"}
  ],
  "tokens": [{"name": "bench", "sha256": "$hash", "tenant": "bench"}],
  "logging": {"level": "warn", "format": "text"}
}
JSON
    SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bin/scim-ldap-bridge" serve \
        --config "$work/$name.json" >"$work/$name.log" 2>&1 &
    pids+=($!)
    eval "${name}_pid=$! ${name}_port=$http_port"
    until curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; do
        kill -0 "$!" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
        sleep 0.05
    done
}
start_bridge plain "\"uris\": [\"$(json_get "$work/slapd.json" ldap_uri)\"]"
start_bridge tls "\"uris\": [\"$(json_get "$work/slapd.json" ldaps_uri)\"], \"ca_file\": \"$(json_get "$work/slapd.json" ca_file)\""
grep -q "TLSv1" "$work/tls.log" 2>/dev/null || true

mkdir -p "$work/results"
for round in $(seq 1 "$ROUNDS"); do
    for c in $CONCURRENCY; do
        for name in plain tls; do
            port_var=${name}_port pid_var=${name}_pid
            log "round $round, $name, concurrency $c"
            "$bin/tests/bench/http_load" --port "${!port_var}" \
                --path '/scim/v2/Users?filter=userName%20eq%20%22user{K}%22' \
                --token-file "$work/token" --concurrency "$c" --duration "$DURATION" \
                --warmup "$WARMUP" --users "$N" --label "$name c=$c" \
                --watch "bridge=${!pid_var}" --watch "slapd=$slapd_pid" \
                >"$work/results/$name-c$c-r$round.json"
        done
    done
done

python3 - "$work/results" "$ROUNDS" $CONCURRENCY <<'PY'
import json, sys, os
results, rounds, concurrency = sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3:]]
def runs(name, c):
    return [json.load(open(os.path.join(results, f"{name}-c{c}-r{r}.json"))) for r in range(1, rounds + 1)]
def mean(xs): return sum(xs) / len(xs)
print("| C | ldap:// ops/s | ldaps:// ops/s | ldaps / ldap | p99 ms ldap / ldaps | bridge µs/op ldap / ldaps | slapd µs/op ldap / ldaps | errors |")
print("|---|---|---|---|---|---|---|---|")
for c in concurrency:
    row = {}
    for name in ("plain", "tls"):
        rs = runs(name, c)
        ops = sum(r["ops"] for r in rs)
        row[name] = dict(
            ops_s=mean([r["ops_per_s"] for r in rs]),
            p99=mean([r["p99_ms"] for r in rs]),
            bridge=sum(r["watched"]["bridge"]["cpu_s"] for r in rs) / ops * 1e6,
            slapd=sum(r["watched"]["slapd"]["cpu_s"] for r in rs) / ops * 1e6,
            errors=sum(r["errors"] for r in rs))
    p, t = row["plain"], row["tls"]
    print(f"| {c} | {p['ops_s']:,.0f} | {t['ops_s']:,.0f} | {t['ops_s'] / p['ops_s']:.2f} | "
          f"{p['p99']:.2f} / {t['p99']:.2f} | {p['bridge']:.0f} / {t['bridge']:.0f} | "
          f"{p['slapd']:.0f} / {t['slapd']:.0f} | {p['errors'] + t['errors']} |")
PY
