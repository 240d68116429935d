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

devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge

work=$(mktemp -d /tmp/scimldap-bulk-bench.XXXXXX)
source tests/bench/lib.sh
bench_build scim-ldap-devslapd scim-ldap-bridge

"$devslapd_bin" --dir "$work/slapd" --info-file "$work/slapd.json" >>"$work/devslapd.log" 2>&1 &
devslapd_pid=$!
wait_for_devslapd
read_slapd_info

start_bench_bridge "{\"http\": {\"max_body_bytes\": 4194304},
  \"scim\": {\"bulk\": {\"max_operations\": $SIZE, \"max_payload_bytes\": 4194304}},
  \"logging\": {\"audit\": {\"file\": \"$work/audit.log\"}}}"

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
