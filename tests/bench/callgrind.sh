#!/usr/bin/env bash
# Instructions per request of the bridge under callgrind: deterministic where throughput on a
# shared 2-core machine is not (docs/performance.md, "Instructions per lookup").
#
#   tests/bench/callgrind.sh WORK_DIR [PATH]
#
# WORK_DIR: a work dir kept by `KEEP_WORK=1 tests/bench/run.sh` (its slapd data and users are
# reused; its slapd is started again on the same port and stopped at the end).
# PATH: the request, default the userName lookup; {K} is a random user, {ID} a random id.
#   BRIDGE_BIN=build-bench/scim-ldap-bridge  WARMUP_REQUESTS=500  REQUESTS=3000  CONCURRENCY=8
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
work=${1:?usage: tests/bench/callgrind.sh WORK_DIR [PATH]}
path=${2:-'/scim/v2/Users?filter=userName%20eq%20%22user{K}%22'}
bin=$top/build-bench
bridge_bin=${BRIDGE_BIN:-$bin/scim-ldap-bridge}
command -v valgrind >/dev/null || { echo "callgrind: valgrind is not installed" >&2; exit 2; }
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

devslapd_pid="" bridge_pid=""
cleanup() {
    [ -z "$bridge_pid" ] || { kill -TERM "$bridge_pid" 2>/dev/null; wait "$bridge_pid" 2>/dev/null || true; }
    [ -z "$devslapd_pid" ] || { kill -TERM "$devslapd_pid" 2>/dev/null; wait "$devslapd_pid" 2>/dev/null || true; }
}
trap cleanup EXIT

# The kept slapd, on the port it had.
port=$(json_get "$work/slapd.json" ldap_uri)
port=${port##*:}
mv "$work/slapd.json" "$work/slapd.json.before"
"$bin/tests/scim-ldap-devslapd" --dir "$work/slapd" --info-file "$work/slapd.json" --port "$port" \
    >>"$work/devslapd.log" 2>&1 &
devslapd_pid=$!
until [ -s "$work/slapd.json" ]; do
    kill -0 "$devslapd_pid" 2>/dev/null || { cat "$work/devslapd.log" >&2; exit 1; }
    sleep 0.05
done

# The bridge under callgrind, one IO thread (one thread's counts, no scheduling between them).
http_port=$(free_port)
hash=$("$bridge_bin" hash-token "$(cat "$work/token")")
cat >"$work/callgrind-bridge.json" <<JSON
{"listen": {"host": "127.0.0.1", "port": $http_port}, "http": {"io_threads": 1},
 "ldap": {"uris": ["$(json_get "$work/slapd.json" ldap_uri)"],
          "bind_dn": "$(json_get "$work/slapd.json" service_dn)",
          "password_file": "$(json_get "$work/slapd.json" service_password_file)", "pool_size": 1},
 "tenants": [{"name": "bench", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org", "archive_base": "ou=Archive,dc=example,dc=org"}],
 "tokens": [{"name": "bench", "sha256": "$hash", "tenant": "bench"}],
 "logging": {"level": "warn", "format": "text"}}
JSON
out=$work/callgrind.out
rm -f "$out" "$out".*
SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$bridge_bin" serve --config "$work/callgrind-bridge.json" >"$work/callgrind-bridge.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 600); do
    curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
users=$(wc -l <"$work/uuids.tsv")
load() {  # load REQUESTS
    "$bin/tests/bench/http_load" --port "$http_port" --path "$path" --token-file "$work/token" \
        --concurrency "${CONCURRENCY:-8}" --warmup 0 --requests "$1" --users "$users" \
        --ids-file "$work/ids.txt" --label callgrind
}
load "${WARMUP_REQUESTS:-500}" >/dev/null
callgrind_control -z "$bridge_pid" >/dev/null 2>&1
load "${REQUESTS:-3000}" >"$work/callgrind-load.json"
callgrind_control -d "$bridge_pid" >/dev/null 2>&1
dump=$(find "$work" -maxdepth 1 -name 'callgrind.out.*' -printf '%s %p\n' | sort -rn | head -1 | cut -d' ' -f2)
total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
ops=$(json_get "$work/callgrind-load.json" ops)
echo "$path: $((total / ops)) instructions per request ($ops requests; profile: $dump)"
