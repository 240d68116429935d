#!/usr/bin/env bash
# Cursor paging benchmark (docs/performance.md, "Paging at scale"): N users loaded offline with
# slapadd, then the whole tenant walked in pages of COUNT twice, by cursor (RFC 9865, nextCursor
# until there is none) and by startIndex (RFC 7644), one request at a time over one keep-alive
# connection. Prints per-page latency (p50, p90, p99, max, first page) and the whole walk's time.
#
#   N=100000     users (uid=user0 .. user{N-1})
#   COUNT=100    page size
#   ATTRIBUTES=userName  the walk's `attributes` parameter; empty: whole users, as Okta's
#                "Import users" asks (then the raw baseline returns the same LDAP attributes)
#   BUILD_DIR=build-bench  (Release; set BUILD_DIR=build to reuse a RelWithDebInfo build)
#   SKIP_BUILD=1  use the binaries already in BUILD_DIR
#   KEEP_WORK=1   keep the work dir (slapd data, bridge log, per-page times)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-100000}
COUNT=${COUNT:-100}
ATTRIBUTES=${ATTRIBUTES-userName}
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
read_slapd_info

start_bench_bridge

# The raw baseline: the same users by one paged search (RFC 2696, pages of COUNT) as the service
# account, with the filter and the attributes the bridge reads pages with (from `explain`).
plan=$(printf '{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":%s%s}' \
    "$COUNT" "${ATTRIBUTES:+,\"attributes\":[\"$ATTRIBUTES\"]}" |
    SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" explain --config "$work/bridge.json" --search)
raw_filter=$(sed -n 's/^filter: //p' <<<"$plan" | head -1)
read -r -a raw_attributes <<<"$(sed -n 's/^page attributes: //p' <<<"$plan" | head -1)"
t0=$(date +%s.%N)
ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$service_dn" -y "$service_password_file" \
    -b ou=People,dc=example,dc=org -E "pr=$COUNT/noprompt" "$raw_filter" "${raw_attributes[@]}" \
    >"$work/raw.ldif"
raw_seconds=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$t0" "$(date +%s.%N)")
raw_entries=$(grep -c '^dn: ' "$work/raw.ldif" || true)
log "raw paged search: $raw_entries entries in ${raw_seconds}s (${raw_attributes[*]})"

python3 - "$http_port" "$token" "$N" "$COUNT" "$work" "$ATTRIBUTES" "$raw_seconds" "$raw_entries" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse

port, token, n, count, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
attributes, raw_seconds, raw_entries = sys.argv[6], float(sys.argv[7]), int(sys.argv[8])
wanted = f"&attributes={attributes}" if attributes else ""
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
        body, took = get(f"count={count}{wanted}&cursor=" + urllib.parse.quote(cursor, safe=""))
        times.append(took)
        seen.update(r["userName"] for r in body["Resources"])
        cursor = body.get("nextCursor")
        if cursor is None:
            return times, seen

def by_index():
    times, seen, start = [], set(), 1
    while True:
        body, took = get(f"count={count}{wanted}&startIndex={start}")
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

print(f"| walk ({n} users, count={count}, attributes={attributes or 'all'}) | pages | p50 ms | p90 ms | p99 ms | max ms | first page ms | whole walk s | ÷ raw paged search |")
print("|---|---|---|---|---|---|---|---|---|")
for label, pages, p50, p90, p99, mx, first, total in rows:
    print(f"| {label} | {pages} | {p50:.1f} | {p90:.1f} | {p99:.1f} | {mx:.1f} | {first:.1f} | {total:.1f} | {total / raw_seconds:.2f} |")
print(f"| raw paged search (ldapsearch, {raw_entries} entries) | — | — | — | — | — | — | {raw_seconds:.2f} | 1 |")
PY
