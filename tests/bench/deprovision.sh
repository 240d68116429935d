#!/usr/bin/env bash
# Deprovisioning (issue 17, target 5; docs/performance.md, "Deprovisioning"): N users in
# GROUP_COUNT groups (cn=all-staff holds everyone, departments split them: 2 groups each), then
# DELETES of them removed through the bridge at CONCURRENCY, twice on a fresh slapd each: as
# shipped (no refint: the bridge takes the user out of its groups and managers itself) and with
# slapd's refint overlay on member and manager (`scim-ldap-devslapd --refint`), as many
# directories run it. Prints deletes/s, bridge and slapd CPU per delete, and how long slapd
# stayed busy after the last answer (its CPU sampled every 0.25 s until it idles).
#
#   N=10000  GROUP_COUNT=20  DELETES=2000  CONCURRENCY=8  MODES="shipped refint"
#   BUILD_DIR=build-bench (Release)  SKIP_BUILD=1  KEEP_WORK=1
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

N=${N:-10000}
GROUP_COUNT=${GROUP_COUNT:-20}
DELETES=${DELETES:-2000}
CONCURRENCY=${CONCURRENCY:-8}
MODES=${MODES:-"shipped refint"}
BUILD_DIR=${BUILD_DIR:-build-bench}

log() { echo "deprovision-bench: $*" >&2; }

root=$(mktemp -d /tmp/scimldap-deprovision-bench.XXXXXX)
work=$root
source tests/bench/lib.sh
bench_build scim-ldap-devslapd scim-ldap-bridge
devslapd_bin=$top/$BUILD_DIR/tests/scim-ldap-devslapd
bridge_bin=$top/$BUILD_DIR/scim-ldap-bridge

python3 tests/bench/make_users.py --users "$N" --output "$root/users.ldif"
python3 tests/bench/make_groups.py --users "$N" --groups "$GROUP_COUNT" >"$root/groups.ldif"

echo "| slapd | deletes | failed | wall s | deletes/s | bridge CPU ms/delete | slapd CPU ms/delete (with what follows) | slapd busy after the last answer, s |"
echo "|---|---|---|---|---|---|---|---|"
for mode in $MODES; do
    work=$root/$mode
    mkdir -p "$work"
    slapd_args=()
    [ "$mode" = refint ] && slapd_args=(--refint)
    load_offline "$root/users.ldif"
    start_devslapd --port "$ldap_port" "${slapd_args[@]}"
    read_slapd_info
    log "$mode: adding $GROUP_COUNT groups online"
    ldapadd -x -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" -f "$root/groups.ldif" >/dev/null
    ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
        -b ou=People,dc=example,dc=org '(uid=user*)' entryUUID >"$work/uuids.ldif"
    sed -n 's/^entryUUID: //p' "$work/uuids.ldif" >"$work/all-ids.txt"
    head -n "$DELETES" "$work/all-ids.txt" >"$work/ids.txt"
    start_bench_bridge
    log "$mode: deleting $DELETES users at concurrency $CONCURRENCY"
    python3 - "$mode" "$http_port" "$token" "$work/ids.txt" "$CONCURRENCY" "$bridge_pid" \
        "$slapd_pid" <<'PY'
import http.client, os, queue, sys, threading, time
mode, port, token, ids_file, concurrency, bridge_pid, slapd_pid = sys.argv[1:]
tick = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
ids = queue.Queue()
for line in open(ids_file):
    ids.put(line.strip())
total = ids.qsize()
failures = []
def worker():
    conn = http.client.HTTPConnection("127.0.0.1", int(port))
    while True:
        try:
            one = ids.get_nowait()
        except queue.Empty:
            return
        conn.request("DELETE", "/scim/v2/Users/" + one, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        r.read()
        if r.status != 204:
            failures.append(r.status)
b0, s0, t0 = cpu(bridge_pid), cpu(slapd_pid), time.monotonic()
threads = [threading.Thread(target=worker) for _ in range(int(concurrency))]
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.monotonic() - t0
b1, s1 = cpu(bridge_pid), cpu(slapd_pid)
# slapd busy after the last answer: until two samples in a row use under 5% of a CPU.
quiet, last, after = 0, s1, time.monotonic()
while quiet < 2:
    time.sleep(0.25)
    now = cpu(slapd_pid)
    quiet = quiet + 1 if now - last < 0.0125 else 0
    last = now
busy_after = time.monotonic() - after - 0.5
s2 = cpu(slapd_pid)
print(f"| {mode} | {total} | {len(failures)} | {wall:.1f} | {total / wall:.0f} | "
      f"{(b1 - b0) * 1000 / total:.2f} | {(s2 - s0) * 1000 / total:.2f} | {max(busy_after, 0):.1f} |")
PY
    # Every group let go of the deleted users (no dangling member value).
    left=$(ldapsearch -x -LLL -o ldif-wrap=no -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" \
        -b cn=all-staff,ou=Groups,dc=example,dc=org -s base member | grep -c '^member:' || true)
    log "$mode: cn=all-staff holds $left members (expected $((N - DELETES)))"
    stop_pid "$bridge_pid"
    bridge_pid=""
    stop_pid "$devslapd_pid"
    devslapd_pid=""
done
work=$root
