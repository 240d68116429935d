#!/usr/bin/env bash
# Cursor paging benchmark (docs/performance.md, "Paging at scale"): N users loaded offline with
# slapadd, then the whole tenant walked in pages of COUNT twice, by cursor (RFC 9865, nextCursor
# until there is none) and by startIndex (RFC 7644), one request at a time over one keep-alive
# connection. Prints per-page latency (p50, p90, p99, max, first page) and the whole walk's time.
#
#   N=100000     users (uid=user0 .. user{N-1})
#   COUNT=100    page size
#   BUILD_DIR=build-bench  (Release; set BUILD_DIR=build to reuse a RelWithDebInfo build)
#   SKIP_BUILD=1  use the binaries already in BUILD_DIR
#   KEEP_WORK=1   keep the work dir (slapd data, bridge log, per-page times)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-100000}
COUNT=${COUNT:-100}
BUILD_DIR=${BUILD_DIR:-build-bench}

log() { echo "cursor-bench: $*" >&2; }

devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge

work=$(mktemp -d /tmp/scimldap-cursor-bench.XXXXXX)
source tests/bench/lib.sh
bench_build scim-ldap-devslapd scim-ldap-bridge

log "generating $N users"
python3 tests/bench/make_users.py --users "$N" --output "$work/users.ldif"
load_offline "$work/users.ldif"
start_devslapd --port "$ldap_port"
ldap_uri=$(json_get "$work/slapd.json" ldap_uri)
service_dn=$(json_get "$work/slapd.json" service_dn)
service_password_file=$(json_get "$work/slapd.json" service_password_file)

start_bench_bridge

python3 - "$http_port" "$token" "$N" "$COUNT" "$work" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse

port, token, n, count, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
conn = http.client.HTTPConnection("127.0.0.1", int(port))
headers = {"Authorization": "Bearer " + token, "Accept": "application/scim+json"}

def get(query):
    t = time.perf_counter()
    conn.request("GET", "/scim/v2/Users?" + query, headers=headers)
    r = conn.getresponse()
    body = r.read()
    took = time.perf_counter() - t
    if r.status != 200:
        sys.exit(f"GET {query} answered {r.status}: {body[:300]!r}")
    return json.loads(body), took

def by_cursor():
    times, seen, cursor = [], set(), ""
    while True:
        body, took = get(f"count={count}&attributes=userName&cursor=" + urllib.parse.quote(cursor, safe=""))
        times.append(took)
        seen.update(r["userName"] for r in body["Resources"])
        cursor = body.get("nextCursor")
        if cursor is None:
            return times, seen

def by_index():
    times, seen, start = [], set(), 1
    while True:
        body, took = get(f"count={count}&attributes=userName&startIndex={start}")
        times.append(took)
        seen.update(r["userName"] for r in body["Resources"])
        start += count
        if start > body["totalResults"]:
            return times, seen

def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]

rows = []
for label, walk in (("cursor", by_cursor), ("startIndex", by_index)):
    t = time.perf_counter()
    times, seen = walk()
    total = time.perf_counter() - t
    if len(seen) < n:
        sys.exit(f"{label}: walked {len(seen)} distinct users, expected at least {n}")
    ms = [x * 1000 for x in times]
    rows.append((label, len(times), statistics.median(ms), pct(ms, 90), pct(ms, 99), max(ms), ms[0], total))
    with open(f"{work}/{label}-pages.txt", "w") as out:
        out.write("\n".join(f"{x:.3f}" for x in ms) + "\n")

print(f"| walk ({n} users, count={count}) | pages | p50 ms | p90 ms | p99 ms | max ms | first page ms | whole walk s |")
print("|---|---|---|---|---|---|---|---|")
for label, pages, p50, p90, p99, mx, first, total in rows:
    print(f"| {label} | {pages} | {p50:.1f} | {p90:.1f} | {p99:.1f} | {mx:.1f} | {first:.1f} | {total:.1f} |")
PY
