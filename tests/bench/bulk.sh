#!/usr/bin/env bash
# Bulk benchmark (docs/performance.md, "Bulk"): N users created by N single POST /Users, then N
# more by POST /Bulk in requests of SIZE operations, on one keep-alive connection each way.
# Prints wall time, requests/s of creates, and the CPU seconds the bridge and slapd used.
#
#   N=1000        users per way
#   SIZE=100      operations per bulk request
#   BUILD_DIR=build-bench  (Release)   SKIP_BUILD=1  use the binaries already there
#   KEEP_WORK=1   keep the work dir
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-1000}
SIZE=${SIZE:-100}
BUILD_DIR=${BUILD_DIR:-build-bench}

log() { echo "bulk-bench: $*" >&2; }

if [ -z "${SKIP_BUILD:-}" ]; then
    log "building ($BUILD_DIR)"
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    BUILD_DIR=$BUILD_DIR BUILD_JOBS=${BUILD_JOBS:-2} scripts/build.sh \
        scim-ldap-devslapd scim-ldap-bridge >/dev/null
fi
devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge

work=$(mktemp -d /tmp/scimldap-bulk-bench.XXXXXX)
source tests/bench/lib.sh

"$devslapd_bin" --dir "$work/slapd" --info-file "$work/slapd.json" >>"$work/devslapd.log" 2>&1 &
devslapd_pid=$!
wait_for_devslapd
ldap_uri=$(json_get "$work/slapd.json" ldap_uri)
service_dn=$(json_get "$work/slapd.json" service_dn)
service_password_file=$(json_get "$work/slapd.json" service_password_file)
slapd_pid=$(cat "$work/slapd/slapd.pid")

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash=$("$bridge_bin" hash-token "$token")
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/bridge.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "http": {"io_threads": 2, "max_body_bytes": 4194304},
  "scim": {"bulk": {"max_operations": $SIZE, "max_payload_bytes": 4194304}},
  "ldap": {"uris": ["$ldap_uri"], "bind_dn": "$service_dn",
           "password_file": "$service_password_file", "pool_size": 2},
  "tenants": [
    {"name": "bench", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org"}
  ],
  "tokens": [{"name": "bench", "sha256": "$hash", "tenant": "bench"}],
  "logging": {"level": "warn", "format": "text", "audit": {"file": "$work/audit.log"}}
}
JSON
start_bridge "$bridge_bin" "$work/bridge.json" "$work/bridge.log" "$http_port"

python3 - "$http_port" "$token" "$N" "$SIZE" "$bridge_pid" "$slapd_pid" <<'PY'
import http.client, json, os, sys, time
port, token, n, size, bridge_pid, slapd_pid = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"}
tick = os.sysconf("SC_CLK_TCK")

def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

def user(name):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name,
            "name": {"givenName": "Bulk", "familyName": name}, "title": "Bench"}

def measure(label, send):
    conn = http.client.HTTPConnection("127.0.0.1", int(port))
    b0, s0, t0 = cpu(bridge_pid), cpu(slapd_pid), time.monotonic()
    created = send(conn)
    wall = time.monotonic() - t0
    b, s = cpu(bridge_pid) - b0, cpu(slapd_pid) - s0
    print(f"{label:<22} {created:>6} created  {wall:7.2f} s  {created / wall:8.1f} creates/s  "
          f"bridge CPU {b * 1000 / created:6.3f} ms/create  slapd CPU {s * 1000 / created:6.3f} ms/create")
    return wall, b

def singles(conn):
    ok = 0
    for i in range(n):
        conn.request("POST", "/scim/v2/Users", json.dumps(user(f"single{i}")), headers)
        r = conn.getresponse(); r.read()
        ok += r.status == 201
    return ok

def bulks(conn):
    ok = 0
    for start in range(0, n, size):
        ops = [{"method": "POST", "path": "/Users", "bulkId": f"b{i}", "data": user(f"bulk{i}")}
               for i in range(start, min(n, start + size))]
        body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops}
        conn.request("POST", "/scim/v2/Bulk", json.dumps(body), headers)
        r = conn.getresponse()
        results = json.loads(r.read())["Operations"]
        ok += sum(o["status"] == "201" for o in results)
    return ok

print(f"bulk-bench: {n} creates each way, bulks of {size} operations")
single_wall, single_cpu = measure("single POST /Users", singles)
bulk_wall, bulk_cpu = measure(f"POST /Bulk ({size}/req)", bulks)
print(f"bulk/single: wall {bulk_wall / single_wall:.2f}, bridge CPU {bulk_cpu / single_cpu:.2f}")
PY
