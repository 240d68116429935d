#!/usr/bin/env bash
# Misbehaving clients against the real daemon (docs/reliability.md, points 5 and 6), on the demo's
# throwaway slapd and bridge (scripts/demo.sh, default cap of 1,024 connections):
#   1. Python's http.client POSTs a 12 MB body before it reads anything: it must read the 413;
#   2. SOCKETS sockets dribble a header one byte a second and reconnect when closed, for DURATION
#      seconds, while a client with a token makes a request every 0.2 s (tests/bench/slowloris.py).
#   SOCKETS=1100  DURATION=30  BUILD_DIR=build (the bridge measured is BUILD_DIR's)
#   SCIMLDAP_DEMO_HTTP_PORT=18080  SCIMLDAP_DEMO_LDAP_PORT=13389
set -euo pipefail
cd "$(dirname "$0")/../.."
sockets=${SOCKETS:-1100}
seconds=${DURATION:-30}
ulimit -n "$(ulimit -Hn)"  # the flood and the bridge each hold SOCKETS descriptors
export SCIMLDAP_DEMO_HTTP_PORT=${SCIMLDAP_DEMO_HTTP_PORT:-18080}
export SCIMLDAP_DEMO_LDAP_PORT=${SCIMLDAP_DEMO_LDAP_PORT:-13389}

work=$(mktemp -d /tmp/scim-ldap-misbehaving.XXXXXX)
demo_pid=""
cleanup() {
  [ -n "$demo_pid" ] && kill -TERM "$demo_pid" 2>/dev/null && wait "$demo_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
SCIMLDAP_DEMO_INFO=$work/demo.json scripts/demo.sh >"$work/demo.log" 2>&1 &
demo_pid=$!
until [ -s "$work/demo.json" ]; do  # written once the bridge answers /readyz
  kill -0 "$demo_pid" 2>/dev/null || { cat "$work/demo.log" >&2; exit 1; }
  sleep 0.1
done
port=$SCIMLDAP_DEMO_HTTP_PORT
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tokens"]["default"])' \
  "$work/demo.json")
bridge_pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)

echo "== 1. http.client, 12 MB body written before the answer is read"
python3 - "$port" "$token" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                   "userName": "big", "displayName": "x" * (12 << 20)}).encode()
try:
    c.request("POST", "/scim/v2/Users", body=body,
              headers={"Authorization": "Bearer " + sys.argv[2],
                       "Content-Type": "application/scim+json"})
    r = c.getresponse()
    print(r.status, r.getheader("Connection"), r.read().decode())
except OSError as e:
    print("failed:", type(e).__name__, e)
PY

echo "== 2. $sockets dribbling sockets for ${seconds} s"
cpu() { awk '{print $14 + $15}' "/proc/$bridge_pid/stat"; }  # user + system, in ticks
cpu_before=$(cpu)
python3 tests/bench/slowloris.py --port "$port" --token "$token" --sockets "$sockets" \
  --seconds "$seconds"
echo "bridge CPU during the flood: $(( ($(cpu) - cpu_before) * 1000 / $(getconf CLK_TCK) )) ms"
echo "bridge RSS after: $(awk '/VmRSS/{print $2, $3}' "/proc/$bridge_pid/status")," \
  "peak $(awk '/VmHWM/{print $2, $3}' "/proc/$bridge_pid/status")"
