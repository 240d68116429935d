#!/usr/bin/env bash
# Issue 16's measurements on the cluster of scripts/cluster-demo.sh (docs/scale-out.md, figures):
#
#   tests/cluster/failover.sh [provider|bridge|pairs]...      (default: all three)
#     provider  mixed write load through HAProxy; provider 1's slapd gets SIGKILL at KILL_AT s and
#               is restarted DOWN_S s later; afterwards both providers and the consumer must hold
#               every acknowledged write (tests/faults/check_directory.py against each).
#               REJOIN=empty (default): provider 1 comes back with an emptied database and takes
#               everything from provider 2 (docs/scale-out.md, "Bringing a provider back");
#               REJOIN=keep: with the database it died with
#     bridge    the same load; bridge 1 gets SIGKILL at KILL_AT s (HAProxy moves the traffic)
#     pairs     PAIRS create-then-GET pairs through HAProxy (reads on the consumer): not found?
#     throughput  the mixed load for ROUND_S s against bridge 1 alone and through HAProxy to
#               both bridges, ROUNDS alternating rounds each, then through HAProxy with bridge 2
#               killed (one bridge behind HAProxy): requests per second of each
#
#   CLIENTS=16 DURATION=40 KILL_AT=10 DOWN_S=10 PAIRS=1000 ROUND_S=15 ROUNDS=2 SEED=1
#   BUILD_DIR=build NO_BUILD=1
# Exit status 1 when a check fails; the figures are printed either way.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-40}
KILL_AT=${KILL_AT:-10}
DOWN_S=${DOWN_S:-10}
PAIRS=${PAIRS:-1000}
BUILD_DIR=${BUILD_DIR:-build}
case $BUILD_DIR in /*) bin=$BUILD_DIR ;; *) bin=$top/$BUILD_DIR ;; esac
scenarios=("$@")
ROUND_S=${ROUND_S:-15}
ROUNDS=${ROUNDS:-2}
[ ${#scenarios[@]} -gt 0 ] || scenarios=(provider bridge pairs)

log() { echo "cluster: $*" >&2; }
# shellcheck source=tests/cluster/lib.sh
. tests/cluster/lib.sh
info() { cluster_info "$info_file" "$@"; }
now() { date +%s.%N; }
if [ -z "${NO_BUILD:-}" ]; then
  BUILD_DIR=$BUILD_DIR scripts/build.sh scim-ldap-bridge scim-ldap-devslapd mixed_load >/dev/null
fi
work=$(mktemp -d /tmp/scimldap-cluster-measure.XXXXXX)
demo_pid="" restarted_pid=""
finish() {
  if [ -n "$demo_pid" ]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  stop_restarted
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap finish EXIT

start_cluster() {  # start_cluster DIR: cluster-demo.sh in the background until its info exists
  local dir=$1 http ldap
  mkdir -p "$dir"
  read -r http ldap < <(free_bases 2)
  BUILD_DIR=$bin SCIMLDAP_CLUSTER_HTTP_PORT=$http SCIMLDAP_CLUSTER_LDAP_PORT=$ldap \
    SCIMLDAP_CLUSTER_INFO=$dir/info.json scripts/cluster-demo.sh >"$dir/demo.log" 2>&1 &
  demo_pid=$!
  for _ in $(seq 1 1200); do
    [ -s "$dir/info.json" ] && break
    kill -0 "$demo_pid" 2>/dev/null || { tail -20 "$dir/demo.log" >&2; exit 1; }
    sleep 0.1
  done
  info_file=$dir/info.json
  http_port=$http
  admin_dn=$(info admin_dn) admin_password=$(info admin_password)
  info tokens default >"$dir/token"
  cluster_work=$(info work)
}

# The slapd this script restarted by hand is its own child, not the cluster's.
stop_restarted() {
  if [ -n "$restarted_pid" ]; then
    kill -TERM "$restarted_pid" 2>/dev/null || true
    wait "$restarted_pid" 2>/dev/null || true
    restarted_pid=""
  fi
}

stop_cluster() {
  kill -TERM "$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
  demo_pid=""
  stop_restarted
}

server_uri() {  # server_uri provider1|provider2|consumer
  case $1 in
    provider1) info providers 0 ;; provider2) info providers 1 ;; consumer) info consumer ;;
  esac
}
context_csn() {  # context_csn URI: the suffix's contextCSN values, sorted, on one line
  ldapsearch -x -LLL -H "$1" -D "$admin_dn" -w "$admin_password" -s base \
    -b dc=example,dc=org contextCSN 2>/dev/null | grep '^contextCSN' | sort | tr '\n' ' '
}
# caught_up "CSNS OF PROVIDER 1" "CSNS OF A REPLICA": the replica holds every change provider 1
# holds, from every server ID but 0 (the offline seed, stamped 000 on provider 1 alone, which
# delta-syncrepl never passes on). Not equality: a provider restarted with the database it died
# with may show an older CSN of its own server ID than the others hold.
caught_up() {
  python3 - "$1" "$2" <<'PY'
import sys
def csns(text):
    return {v.split("#")[2]: v for v in text.replace("contextCSN:", " ").split()}
first, replica = csns(sys.argv[1]), csns(sys.argv[2])
sys.exit(0 if all(sid == "000" or replica.get(sid, "") >= csn for sid, csn in first.items()) else 1)
PY
}

# check_servers DIR: every server's suffix against the journal; sets checks_ok
check_servers() {
  local dir=$1 name uri
  checks_ok=1
  # Replication lag: from the end of the load until each replica's contextCSN covers provider
  # 1's (every serverID's), at most 120 s.
  local start_lag lagged
  start_lag=$(now)
  local first replica
  first=$(info providers 0)
  for name in provider2 consumer; do
    lagged=1
    replica=$(server_uri "$name")
    for _ in $(seq 1 1200); do
      caught_up "$(context_csn "$first")" "$(context_csn "$replica")" && { lagged=0; break; }
      sleep 0.1
    done
    log "  $name caught up with provider 1 $(python3 -c "print(round($(now) - $start_lag, 1))")s after the load ended$([ "$lagged" = 0 ] || echo ' (NOT within 120 s)')"
  done
  for name in provider1 provider2 consumer; do
    uri=$(server_uri "$name")
    ldapsearch -x -LLL -o ldif-wrap=no -H "$uri" -D "$(info admin_dn)" \
      -w "$(info admin_password)" -b dc=example,dc=org '(objectClass=*)' '*' '+' \
      >"$dir/$name.ldif"
    python3 tests/faults/check_directory.py --journal "$dir/journal.jsonl" \
      --ldif "$dir/$name.ldif" --prefix load --archive-base "" >"$dir/check-$name.json" || true
    local violations
    violations=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["violation_count"])' \
      "$dir/check-$name.json")
    log "  $name: $violations violations ($dir/check-$name.json)"
    [ "$violations" = 0 ] || checks_ok=0
  done
}

run_load() {  # run_load DIR: mixed writes and reads through HAProxy, in the background
  "$bin/tests/faults/mixed_load" --port "$http_port" --token-file "$1/token" \
    --journal "$1/journal.jsonl" --clients "$CLIENTS" --duration "$DURATION" --prefix load \
    --seed "${SEED:-1}" >"$1/load.json" 2>"$1/load.err" &
  load_pid=$!
}

scenario_throughput() {
  local dir=$work/throughput round target port label rate
  start_cluster "$dir"
  local bridge1_port
  bridge1_port=$(info bridges 0 | sed 's/.*://')
  log "throughput: mixed load, $CLIENTS clients, ${ROUND_S}s rounds"
  : >"$dir/rounds.txt"
  run_round() {  # run_round LABEL PORT N, once the replicas have the previous round's writes
    local name
    for name in provider2 consumer; do
      for _ in $(seq 1 600); do
        caught_up "$(context_csn "$(info providers 0)")" "$(context_csn "$(server_uri "$name")")" &&
          break
        sleep 0.1
      done
    done
    "$bin/tests/faults/mixed_load" --port "$2" --token-file "$dir/token" \
      --journal "$dir/journal-$1-$3.jsonl" --clients "$CLIENTS" --duration "$ROUND_S" \
      --prefix "t$3${1:0:1}" --seed "$3" >"$dir/load-$1-$3.json" 2>"$dir/load-$1-$3.err"
    rate=$(python3 - "$dir/journal-$1-$3.jsonl" "$ROUND_S" <<'PY'
import json, sys
n = sum(1 for line in open(sys.argv[1]) if '"status"' in line and '"answered"' in line)
print(round(n / float(sys.argv[2])))
PY
)
    echo "$1 $rate" >>"$dir/rounds.txt"
    log "throughput: $1 round $3: $rate requests/s"
  }
  for round in $(seq 1 "$ROUNDS"); do
    run_round one_bridge_direct "$bridge1_port" "$round"
    run_round haproxy_two_bridges "$http_port" "$round"
  done
  kill -KILL "$(info pids bridge2)"
  sleep 3  # HAProxy's health check takes bridge 2 out
  run_round haproxy_one_bridge "$http_port" 1
  python3 - "$dir/rounds.txt" >"$work/throughput-summary.json" <<'PY'
import json, sys
rates = {}
for line in open(sys.argv[1]):
    label, rate = line.split()
    rates.setdefault(label, []).append(int(rate))
print(json.dumps({k: {"rounds": v, "mean": round(sum(v) / len(v))} for k, v in rates.items()}))
PY
  log "throughput: $(cat "$work/throughput-summary.json")"
  stop_cluster
}

failed=0
scenario_kill() {  # scenario_kill provider|bridge
  local kind=$1 dir=$work/$1
  start_cluster "$dir"
  log "$kind: $CLIENTS clients for ${DURATION}s through HAProxy, SIGKILL at ${KILL_AT}s"
  run_load "$dir"
  sleep "$KILL_AT"
  local t_fault t_restart
  t_fault=$(now)
  if [ "$kind" = provider ]; then
    local pid cmdline
    pid=$(cat "$cluster_work/provider1/slapd.pid")
    mapfile -d '' -t cmdline <"/proc/$pid/cmdline"
    kill -KILL "$pid"
    sleep "$DOWN_S"
    if [ "${REJOIN:-empty}" = empty ]; then
      rm -f "$cluster_work/provider1/db/"*.mdb
    fi
    t_restart=$(now)
    "${cmdline[@]}" >>"$dir/slapd-restarted.log" 2>&1 &
    restarted_pid=$!
    log "$kind: provider 1 restarted $(python3 -c "print(round($t_restart - $t_fault, 1))")s after the kill"
  else
    kill -KILL "$(info pids bridge1)"
  fi
  wait "$load_pid" || log "mixed_load: $(cat "$dir/load.err")"
  check_servers "$dir"
  # What the clients saw from the fault on: failed answers (5xx, none) and for how long.
  python3 - "$dir/journal.jsonl" "$t_fault" >"$dir/summary.json" <<'PY'
import json, sys
from collections import Counter
fault = float(sys.argv[2])
entries = []
for line in open(sys.argv[1]):
    e = json.loads(line)
    if "status" in e and "answered" in e and e.get("kind") != "readyz":
        entries.append(e)
failed = [e for e in entries if e["answered"] >= fault and (e["status"] == 0 or e["status"] >= 500)]
print(json.dumps({
    "requests": len(entries),
    "statuses": dict(sorted(Counter(str(e["status"]) for e in entries).items())),
    "failed_after_fault": len(failed),
    "failed_after_fault_by_status": dict(Counter(str(e["status"]) for e in failed)),
    "last_failure_after_fault_s": round(max(e["answered"] for e in failed) - fault, 3) if failed else None,
    "retried_writes": sum(1 for e in entries if e.get("attempt", 1) > 1),
}))
PY
  log "$kind: $(cat "$dir/summary.json")"
  cp "$dir/summary.json" "$work/$kind-summary.json"
  [ "$checks_ok" = 1 ] || failed=1
  stop_cluster
}

scenario_pairs() {
  local dir=$work/pairs
  start_cluster "$dir"
  log "pairs: $PAIRS create-then-GET pairs through HAProxy"
  python3 - "$http_port" "$(cat "$dir/token")" "$PAIRS" >"$dir/pairs.json" <<'PY'
import http.client, json, sys, time
port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
missing, statuses, started = 0, {}, time.time()
for i in range(n):
    conn.request("POST", "/scim/v2/Users", json.dumps({"userName": f"pair{i}"}), headers)
    r = conn.getresponse(); body = r.read()
    statuses[r.status] = statuses.get(r.status, 0) + 1
    if r.status != 201:
        continue
    uid = json.loads(body)["id"]
    conn.request("GET", "/scim/v2/Users/" + uid, headers=headers)
    g = conn.getresponse(); g.read()
    if g.status != 200:
        missing += 1
print(json.dumps({"pairs": n, "create_statuses": statuses, "not_found": missing,
                  "seconds": round(time.time() - started, 1)}))
PY
  log "pairs: $(cat "$dir/pairs.json")"
  cp "$dir/pairs.json" "$work/pairs-summary.json"
  [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["not_found"])' "$dir/pairs.json")" = 0 ] ||
    failed=1
  stop_cluster
}

for s in "${scenarios[@]}"; do
  case $s in
    provider | bridge) scenario_kill "$s" ;;
    pairs) scenario_pairs ;;
    throughput) scenario_throughput ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done
exit "$failed"
