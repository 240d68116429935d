#!/usr/bin/env bash
# Large-group benchmark (docs/performance.md, "Large groups"): N users and one groupOfNames
# holding all of them, loaded offline with slapadd, against a 10-member group on the same slapd.
# Measures PATCH add/remove of one member (big vs small, with the LDAP operations each request
# cost from the bridge's access log), GET with excludedAttributes=members, GET with every member
# (members/s, the bridge's peak RSS; scim.max_members_inline is raised to N for it), and GET
# /Groups?filter=members.value eq "<id>".
#
#   N=100000     users in the big group (uid=user0 .. user{N-1}); 20 more users are loaded
#   REPEAT=20    requests per measurement (the median and p90 are reported)
#   FULL_GETS=3  GETs of the big group with all its members
#   BUILD_DIR=build-bench  (Release; set BUILD_DIR=build to reuse a RelWithDebInfo build)
#   SKIP_BUILD=1  use the binaries already in BUILD_DIR
#   KEEP_WORK=1   keep the work dir (slapd data, bridge log)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-100000}
REPEAT=${REPEAT:-20}
FULL_GETS=${FULL_GETS:-3}
BUILD_DIR=${BUILD_DIR:-build-bench}
EXTRA=20
SMALL=10

log() { echo "groups-bench: $*" >&2; }

devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge

work=$(mktemp -d /tmp/scimldap-groups-bench.XXXXXX)
source tests/bench/lib.sh
bench_build scim-ldap-devslapd scim-ldap-bridge

# --- data: N+EXTRA users, cn=big with the first N, cn=small with the first SMALL ------------
log "generating $((N + EXTRA)) users and the groups"
python3 tests/bench/make_users.py --users $((N + EXTRA)) --output "$work/users.ldif"
python3 - "$N" "$SMALL" >>"$work/users.ldif" <<'PY'
import sys
n, small = int(sys.argv[1]), int(sys.argv[2])
people = "ou=People,dc=example,dc=org"
for name, count in (("big", n), ("small", small)):
    out = [f"dn: cn={name},ou=Groups,dc=example,dc=org", "objectClass: groupOfNames",
           "objectClass: scimBridgeObject", f"cn: {name}"]
    out += [f"member: uid=user{k},{people}" for k in range(count)]
    sys.stdout.write("\n".join(out) + "\n\n")
PY
load_offline "$work/users.ldif"
start_devslapd --port "$ldap_port"
read_slapd_info

uuid_of() {  # uuid_of DN
    ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
        -b "$1" -s base entryUUID | sed -n 's/^entryUUID: //p'
}
big_id=$(uuid_of cn=big,ou=Groups,dc=example,dc=org)
small_id=$(uuid_of cn=small,ou=Groups,dc=example,dc=org)
member_id=$(uuid_of uid=user5,ou=People,dc=example,dc=org)
extra_ids=()
for k in $(seq "$N" $((N + EXTRA - 1))); do
    extra_ids+=("$(uuid_of "uid=user$k,ou=People,dc=example,dc=org")")
done

# --- the bridge (access log on: each request's LDAP operation count) --------------------------
start_bench_bridge "{\"http\": {\"max_body_bytes\": 1048576}, \"scim\": {\"max_members_inline\": $N},
  \"logging\": {\"level\": \"info\"}}"
base="http://127.0.0.1:$http_port/scim/v2"
auth="Authorization: Bearer $token"

# request METHOD PATH [BODY]: prints "status seconds ldap_ops"
request() {
    local out status secs ops
    if [ $# -ge 3 ]; then
        out=$(curl -s -o "$work/body.json" -w '%{http_code} %{time_total}' -X "$1" -H "$auth" \
            -H 'Content-Type: application/scim+json' --data "$3" "$base$2")
    else
        out=$(curl -s -o "$work/body.json" -w '%{http_code} %{time_total}' -X "$1" -H "$auth" \
            "$base$2")
    fi
    status=${out% *}
    secs=${out#* }
    ops=$(grep -o 'ldap_ops=[0-9]*' "$work/bridge.log" | tail -1 | cut -d= -f2)
    echo "$status $secs $ops"
}
patch_members() {  # patch_members GROUP_ID OPERATIONS_JSON
    request PATCH "/Groups/$1" \
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":$2}"
}

results=$work/results.tsv
: >"$results"
measure_patch() {  # measure_patch LABEL GROUP_ID
    local i id r
    for i in $(seq 0 $((REPEAT - 1))); do
        id=${extra_ids[$((i % EXTRA))]}
        r=$(patch_members "$2" "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$id\"}]}]")
        [ "${r%% *}" = 204 ] || { log "PATCH add on $1 answered $r: $(cat "$work/body.json")"; exit 1; }
        echo -e "$1 add\t$r" >>"$results"
        r=$(patch_members "$2" "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$id\\\"]\"}]")
        [ "${r%% *}" = 204 ] || { log "PATCH remove on $1 answered $r"; exit 1; }
        echo -e "$1 remove\t$r" >>"$results"
    done
}
measure_get() {  # measure_get LABEL PATH TIMES
    local i r
    for i in $(seq 1 "$3"); do
        r=$(request GET "$2")
        [ "${r%% *}" = 200 ] || { log "GET $2 answered $r"; exit 1; }
        echo -e "$1\t$r" >>"$results"
    done
}

log "measuring (REPEAT=$REPEAT)"
measure_patch small "$small_id"
measure_patch big "$big_id"
measure_get "small GET excludedAttributes=members" "/Groups/$small_id?excludedAttributes=members" "$REPEAT"
measure_get "big GET excludedAttributes=members" "/Groups/$big_id?excludedAttributes=members" "$REPEAT"
measure_get "filter members.value eq (excludedAttributes=members)" \
    "/Groups?filter=members.value%20eq%20%22$member_id%22&excludedAttributes=members" "$REPEAT"
hwm_before=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$bridge_pid/status")
rss_before=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$bridge_pid/status")
measure_get "big GET with members" "/Groups/$big_id" "$FULL_GETS"
members_seen=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("members", [])))' "$work/body.json")
hwm_after=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$bridge_pid/status")
rss_after=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$bridge_pid/status")
[ "$members_seen" = "$N" ] || { log "GET returned $members_seen members, expected $N"; exit 1; }

python3 - "$results" "$N" "$hwm_before" "$hwm_after" "$rss_before" "$rss_after" <<'PY'
import statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    label, rest = line.rstrip("\n").split("\t")
    status, secs, ops = rest.split()
    rows[label].append((float(secs) * 1000, int(ops)))
n = int(sys.argv[2])
def p90(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
print(f"{'measurement':<55} {'n':>3} {'median ms':>10} {'p90 ms':>9} {'ldap ops':>9}")
med = {}
for label, v in rows.items():
    ms = [x for x, _ in v]
    ops = sorted({o for _, o in v})
    med[label] = statistics.median(ms)
    print(f"{label:<55} {len(v):>3} {med[label]:>10.2f} {p90(ms):>9.2f} {','.join(map(str, ops)):>9}")
for op in ("add", "remove"):
    print(f"ratio big/small PATCH {op}: {med[f'big {op}'] / med[f'small {op}']:.2f}")
print(f"ratio big/small GET excludedAttributes=members: "
      f"{med['big GET excludedAttributes=members'] / med['small GET excludedAttributes=members']:.2f}")
full = med["big GET with members"] / 1000
print(f"GET with {n} members: {full:.2f} s median, {n / full:,.0f} members/s")
print(f"bridge peak RSS (VmHWM): {int(sys.argv[3]) // 1024} MiB before the full GETs, "
      f"{int(sys.argv[4]) // 1024} MiB after; VmRSS {int(sys.argv[5]) // 1024} -> {int(sys.argv[6]) // 1024} MiB")
PY
