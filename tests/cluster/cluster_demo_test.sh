#!/usr/bin/env bash
# scripts/cluster-demo.sh end to end (docs/scale-out.md): creates through HAProxy reach both
# bridges and every slapd; a bridge killed with SIGKILL loses no request sent after it died
# (HAProxy sends a refused connection to the other bridge); Ctrl-C leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/scim-ldap-cluster-test.XXXXXX)
demo_pid=""
finish() {
  if [ -n "$demo_pid" ]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT
fail() {  # the demo's log without its banner's credentials (the log scan looks for them)
  echo "FAIL: $*" >&2
  [ -f "$work/demo.log" ] &&
    grep -viE "password|token|bearer| -w |secret" "$work/demo.log" | tail -30 >&2
  exit 1
}

# shellcheck source=tests/cluster/lib.sh
. tests/cluster/lib.sh
read -r http_port ldap_port < <(free_bases 2)
SCIMLDAP_CLUSTER_HTTP_PORT=$http_port SCIMLDAP_CLUSTER_LDAP_PORT=$ldap_port \
  SCIMLDAP_CLUSTER_INFO=$work/info.json scripts/cluster-demo.sh >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 1200); do
  [ -s "$work/info.json" ] && break
  kill -0 "$demo_pid" 2>/dev/null || fail "cluster-demo.sh exited"
  sleep 0.1
done
[ -s "$work/info.json" ] || fail "the cluster did not start within 120 s"
info() { cluster_info "$work/info.json" "$@"; }
base=$(info base_url)
token=$(info tokens default)
admin_dn=$(info admin_dn)
admin_password=$(info admin_password)
cluster_work=$(info work)

create() {
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/scim+json' -d "{\"userName\": \"$1\"}" "$base/Users"
}
holds() {  # holds URI UID: the server has the user, within 10 s
  for _ in $(seq 1 100); do
    ldapsearch -x -LLL -H "$1" -D "$admin_dn" -w "$admin_password" -s base \
      -b "uid=$2,ou=People,dc=example,dc=org" 1.1 >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

for i in 1 2 3 4; do
  [ "$(create "cluster.user$i")" = 201 ] || fail "create $i through HAProxy was not 201"
done
for uri in "$(info providers 0)" "$(info providers 1)" "$(info consumer)"; do
  holds "$uri" cluster.user4 || fail "$uri does not hold cluster.user4"
done
for port in $((http_port + 1)) $((http_port + 2)); do
  lines=$(wc -l <"$cluster_work/audit-$port.log")
  [ "$lines" -ge 1 ] || fail "the bridge on $port got no create (round robin)"
done
echo "creates spread over both bridges and replicated to both providers and the consumer"

# Create, then GET by id at once: round robin sends the GET to the other bridge, which reads
# from the consumer (or, for an id it does not hold yet, from the provider).
missing=0
for i in $(seq 1 20); do
  id=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    -d "{\"userName\": \"cluster.pair$i\"}" "$base/Users" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/Users/$id")
  [ "$status" = 200 ] || missing=$((missing + 1))
done
[ "$missing" = 0 ] || fail "$missing of 20 create-then-GET pairs did not find the user"
echo "20 create-then-GET pairs through HAProxy: all found"

bridge1=$(info bridges 0)
kill -KILL "$(info pids bridge1)"
# The kill is at once, but a dying process closes its sockets only after its memory is gone
# (slow under ASan): until then its port accepts connections and drops them, which HAProxy
# answers 502. "After it died" is once its port refuses connections (curl's exit status 7).
for _ in $(seq 1 100); do
  rc=0
  curl -s -o /dev/null --max-time 1 "$bridge1/healthz" || rc=$?
  [ "$rc" = 7 ] && break
  sleep 0.1
done
for i in $(seq 1 10); do
  status=$(create "cluster.after$i")
  [ "$status" = 201 ] || fail "create $i after bridge 1 died answered $status"
done
echo "10 creates after bridge 1 got SIGKILL: all 201"

kill -TERM "$demo_pid"
wait "$demo_pid" 2>/dev/null || true
demo_pid=""
for name in provider1 provider2 consumer bridge2 haproxy; do
  ! kill -0 "$(info pids "$name")" 2>/dev/null || fail "$name still runs after Ctrl-C"
done
[ ! -d "$cluster_work" ] || fail "the cluster's work dir is left behind"
echo "PASS"
