#!/usr/bin/env bash
# Big answers with bounded memory (docs/reliability.md, "7. Big answers with bounded memory").
# One slapd (loaded offline with slapadd) holding three tenants:
#   big      USERS users (ou=People): the concurrent unfiltered list walks
#   members  MEMBERS users and cn=huge holding all of them (below ou=members)
#   other    OTHER users (ou=People,ou=classlark): userName lookups during every phase
# and, for each bridge binary given, the phases of tests/bench/memory_load.py: WALKERS
# concurrent GET /Users?count=10, BIG_WALKERS concurrent count=1000, GET of the huge group (1 and
# GROUP_CLIENTS at once), with the bridge's peak RSS (VmHWM) per phase.
#
#   BRIDGES="before=/path/to/old/scim-ldap-bridge after=build/scim-ldap-bridge"
#                    label=binary pairs, run one after the other on the same data
#                    (default: after=$BUILD_DIR/scim-ldap-bridge)
#   BUILD_DIR=build  where scim-ldap-devslapd and the default bridge are (built beforehand)
#   USERS=24600 MEMBERS=100000 OTHER=200 WALKERS=50 BIG_WALKERS=100 GROUP_CLIENTS=4
#   KEEP_WORK=1      keep the work dir (slapd data, bridge logs)
# Runs niced; a few minutes on 2 shared cores (most of it slapadd).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
# Niced: the machine is shared (a caller that niced it already keeps its own value).
[ "$(nice)" -ge 10 ] || renice -n 10 $$ >/dev/null 2>&1 || true

USERS=${USERS:-24600}
MEMBERS=${MEMBERS:-100000}
OTHER=${OTHER:-200}
WALKERS=${WALKERS:-50}
BIG_WALKERS=${BIG_WALKERS:-100}
GROUP_CLIENTS=${GROUP_CLIENTS:-4}
BUILD_DIR=${BUILD_DIR:-build}
BRIDGES=${BRIDGES:-after=$top/$BUILD_DIR/scim-ldap-bridge}
devslapd_bin=${DEVSLAPD:-$top/$BUILD_DIR/tests/scim-ldap-devslapd}
suffix="dc=example,dc=org"
members="ou=members,$suffix"  # a further tenant: devslapd --tenant grants the service account

log() { echo "memory-bench: $*" >&2; }

if [ -n "${WORK:-}" ]; then
    work=$WORK  # reused as it is when it holds a loaded slapd (KEEP_WORK=1 of an earlier run)
    mkdir -p "$work"
    KEEP_WORK=1
else
    work=$(mktemp -d /tmp/scimldap-memory-bench.XXXXXX)
fi
source tests/bench/lib.sh

start_devslapd() {
    rm -f "$work/slapd.json"
    "$devslapd_bin" --dir "$work/slapd" --info-file "$work/slapd.json" --tenant "$members" "$@" \
        >>"$work/devslapd.log" 2>&1 &
    devslapd_pid=$!
    wait_for_devslapd
}

# --- data ------------------------------------------------------------------------------------
if [ -f "$work/loaded" ]; then
    log "reusing the directory loaded in $work"
    start_devslapd --port "$(cat "$work/loaded")"
else
log "generating $USERS + $MEMBERS + $OTHER users and a group of $MEMBERS"
{
    printf 'dn: %s\nobjectClass: organizationalUnit\nou: members\n\n' "$members"
    for ou in People Groups Roles Archive; do
        printf 'dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$members" "$ou"
    done
    python3 tests/bench/make_users.py --users "$USERS" --base "ou=People,$suffix"
    python3 tests/bench/make_users.py --users "$MEMBERS" --base "ou=People,$members" |
        sed 's/user\([0-9]\)/member\1/g'
    python3 tests/bench/make_users.py --users "$OTHER" --base "ou=People,ou=classlark,$suffix" |
        sed 's/user\([0-9]\)/pupil\1/g'
    python3 - "$MEMBERS" "$members" <<'PY'
import sys
n, base = int(sys.argv[1]), sys.argv[2]
out = [f"dn: cn=huge,ou=Groups,{base}", "objectClass: groupOfNames",
       "objectClass: scimBridgeObject", "cn: huge"]
out += [f"member: uid=member{k},ou=People,{base}" for k in range(n)]
sys.stdout.write("\n".join(out) + "\n\n")
PY
} >"$work/data.ldif"
start=$(date +%s)
load_offline "$work/data.ldif"
log "slapadd took $(($(date +%s) - start)) s"
start_devslapd --port "$ldap_port"
echo "$ldap_port" >"$work/loaded"
fi
read_slapd_info
group_id=$(ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
    -b "cn=huge,ou=Groups,$members" -s base entryUUID | sed -n 's/^entryUUID: //p')

log "cn=huge: entryUUID ${group_id:-(none)}"
# --- one bridge after the other ---------------------------------------------------------------
token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
big_token=$(token)
members_token=$(token)
other_token=$(token)
for pair in $BRIDGES; do
    label=${pair%%=*}
    bridge_bin=${pair#*=}
    http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    tenant() {  # tenant NAME PEOPLE GROUPS ROLES
        printf '{"name": "%s", "profile": "openldap-inetorgperson", "users_base": "%s", "groups_base": "%s", "roles_base": "%s"}' "$@"
    }
    tok() { printf '{"name": "%s", "sha256": "%s", "tenant": "%s"}' "$1" "$("$bridge_bin" hash-token "$2")" "$1"; }
    cat >"$work/bridge-$label.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "http": {"io_threads": 2},
  "ldap": {"uris": ["$ldap_uri"], "bind_dn": "$service_dn",
           "password_file": "$service_password_file", "pool_size": 2},
  "tenants": [
    $(tenant big "ou=People,$suffix" "ou=Groups,$suffix" "ou=Roles,$suffix"),
    $(tenant members "ou=People,$members" "ou=Groups,$members" "ou=Roles,$members"),
    $(tenant other "ou=People,ou=classlark,$suffix" "ou=Groups,ou=classlark,$suffix" "ou=Roles,ou=classlark,$suffix")
  ],
  "tokens": [$(tok big "$big_token"), $(tok members "$members_token"), $(tok other "$other_token")],
  "logging": {"level": "warn"}
}
JSON
    start_bridge "$bridge_bin" "$work/bridge-$label.json" "$work/bridge-$label.log" "$http_port"
    echo "== $label: $bridge_bin"
    python3 tests/bench/memory_load.py --port "$http_port" --pid "$bridge_pid" \
        --token "$big_token" --other-token "$other_token" --other-users "$OTHER" \
        --members-token "$members_token" --group-id "$group_id" --walkers "$WALKERS" \
        --big-walkers "$BIG_WALKERS" --group-clients "$GROUP_CLIENTS"
    stop_pid "$bridge_pid"
    bridge_pid=""
done
