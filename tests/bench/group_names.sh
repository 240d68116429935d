#!/usr/bin/env bash
# Users who belong to big groups (issue 17, target 0; docs/performance.md, "Users in big
# groups"): N users, GROUP_COUNT groups — cn=all-staff holds every user, the others split them, so
# each user is in 2 — then `GET /Users?filter=userName eq` with its `groups` against the same
# lookup with `excludedAttributes=groups`, in alternating rounds. Target: with ÷ without ≥ 1/1.1.
#
#   N=10000  GROUP_COUNT=20  DURATION=10  WARMUP=2  CONCURRENCY="8 32"  ROUNDS=2
#   BUILD_DIR=build-bench (Release, bench tools on)  SKIP_BUILD=1  KEEP_WORK=1
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-10000}
GROUP_COUNT=${GROUP_COUNT:-20}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-"8 32"}
ROUNDS=${ROUNDS:-2}
BUILD_DIR=${BUILD_DIR:-build-bench}

log() { echo "group-names-bench: $*" >&2; }

work=$(mktemp -d /tmp/scimldap-group-names-bench.XXXXXX)
source tests/bench/lib.sh
bench_build scim-ldap-devslapd scim-ldap-bridge http_load
devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge
http_load=$top/$BUILD_DIR/tests/bench/http_load

# --- data: users offline, then the groups online so that memberof writes every memberOf --------
log "generating $N users"
python3 tests/bench/make_users.py --users "$N" --output "$work/users.ldif"
load_offline "$work/users.ldif"
start_devslapd --port "$ldap_port"
read_slapd_info

python3 tests/bench/make_groups.py --users "$N" --groups "$GROUP_COUNT" >"$work/groups.ldif"
log "adding $GROUP_COUNT groups online (memberof fills memberOf)"
ldapadd -x -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" -f "$work/groups.ldif" >/dev/null
member_of=$(ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
    -b "uid=user5,ou=People,dc=example,dc=org" -s base memberOf | grep -c '^memberOf:' || true)
[ "$member_of" -eq 2 ] || { log "user5 is in $member_of groups, expected 2"; exit 1; }

# --- the bridge --------------------------------------------------------------------------------
start_bench_bridge
groups_seen=$(curl -s -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$http_port/scim/v2/Users?filter=userName%20eq%20%22user5%22" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Resources"][0].get("groups", [])))')
[ "$groups_seen" -eq 2 ] || { log "the bridge shows $groups_seen groups for user5"; exit 1; }

# --- alternating rounds ------------------------------------------------------------------------
lookup='/scim/v2/Users?filter=userName%20eq%20%22user{K}%22'
results=$work/results
mkdir -p "$results"
for round in $(seq 1 "$ROUNDS"); do
    for c in $CONCURRENCY; do
        for kind in with without; do
            path=$lookup
            [ "$kind" = with ] || path="$lookup&excludedAttributes=groups"
            log "round $round, c=$c, groups $kind"
            "$http_load" --port "$http_port" --path "$path" --token-file "$work/token" \
                --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --users "$N" \
                --label "$kind c=$c" --watch "bridge=$bridge_pid" --watch "slapd=$slapd_pid" \
                >"$results/$kind-c$c-r$round.json"
        done
    done
done

python3 - "$results" "$CONCURRENCY" "$ROUNDS" <<'PY'
import json, sys, os
results, concurrency, rounds = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
def run(kind, c, r):
    return json.load(open(os.path.join(results, f"{kind}-c{c}-r{r}.json")))
print("| c | round | with groups req/s | without req/s | without ÷ with | bridge µs/req with / without | slapd µs/req with / without | p99 ms with / without | errors |")
print("|---|---|---|---|---|---|---|---|---|")
for c in concurrency:
    for r in range(1, rounds + 1):
        w, wo = run("with", c, r), run("without", c, r)
        def us(x, p):
            cpu = x["watched"][p].get("cpu_s", 0)
            return cpu / x["ops"] * 1e6 if x["ops"] else 0
        print(f"| {c} | {r} | {w['ops_per_s']:,.0f} | {wo['ops_per_s']:,.0f} | "
              f"{wo['ops_per_s'] / w['ops_per_s']:.3f} | {us(w, 'bridge'):.0f} / {us(wo, 'bridge'):.0f} | "
              f"{us(w, 'slapd'):.0f} / {us(wo, 'slapd'):.0f} | {w['p99_ms']:.2f} / {wo['p99_ms']:.2f} | "
              f"{w['errors']} / {wo['errors']} |")
PY
