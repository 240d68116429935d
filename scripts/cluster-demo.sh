#!/usr/bin/env bash
# The scale-out topology of docs/scale-out.md on loopback until Ctrl-C: two slapd providers in
# multi-provider replication and a read-only consumer, two bridges with the same config, and
# HAProxy in front of them (round robin, health check on /readyz). Sets up (apt) and builds first.
#   SCIMLDAP_CLUSTER_HTTP_PORT   HAProxy's port: the one SCIM URL     (default 8080)
#   SCIMLDAP_CLUSTER_LDAP_PORT   provider 1; provider 2 and the consumer take the next two
#                                                                     (default 3389)
#   SCIMLDAP_CLUSTER_CONFIRM_WRITES  the bridges' ldap.confirm_writes: how long a write waits for
#                                the other provider to hold it; "0s": not at all  (default 2s)
#   SCIMLDAP_CLUSTER_INFO        also write the printed values as one JSON object to this file
#   SCIMLDAP_CLUSTER_KEEP        keep the logs and data when stopped
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
scripts/setup.sh
echo "cluster: building (the first build takes several minutes)" >&2
scripts/build.sh scim-ldap-bridge scim-ldap-devslapd >/dev/null
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
bridge_bin=$build/scim-ldap-bridge
slapd_bin=$build/tests/scim-ldap-devslapd

http_port=${SCIMLDAP_CLUSTER_HTTP_PORT:-8080}
ldap_port=${SCIMLDAP_CLUSTER_LDAP_PORT:-3389}
bridge_ports=($((http_port + 1)) $((http_port + 2)))
work=$(mktemp -d /tmp/scim-ldap-cluster.XXXXXX)
pids=()

cleanup() {
  trap - INT TERM EXIT
  set +e  # a process already gone (or killed by a test) must not stop the clean-up
  # Last started, first stopped: HAProxy, the bridges, then the slapds.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null && wait "${pids[i]}" 2>/dev/null
  done
  if [ -n "${SCIMLDAP_CLUSTER_KEEP:-}" ]; then
    echo "cluster: stopped; logs and data kept in $work" >&2
  else
    rm -rf "$work"
    echo "cluster: stopped; nothing left running." >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=scripts/demo_lib.sh
. scripts/demo_lib.sh

uri() { echo "ldap://127.0.0.1:$1"; }
p1=$(uri "$ldap_port") p2=$(uri $((ldap_port + 1))) consumer=$(uri $((ldap_port + 2)))
# Provider 1 holds the seed and the sample; the others start empty and pull them, so every
# entry keeps one entryUUID (the SCIM id) everywhere.
start_devslapd provider1 "$ldap_port" --server-id 1 --provider "$p2" --sample || exit 1
pids+=("$devslapd_pid")
start_devslapd provider2 $((ldap_port + 1)) --server-id 2 --provider "$p1" --empty || exit 1
pids+=("$devslapd_pid")
start_devslapd consumer $((ldap_port + 2)) --server-id 3 --consumer --provider "$p1" \
  --provider "$p2" --empty || exit 1
pids+=("$devslapd_pid")

admin_dn=$(json "$work/provider1.json" admin_dn)
admin_password=$(json "$work/provider1.json" admin_password)
service_dn=$(json "$work/provider1.json" service_dn)
service_password_file=$(json "$work/provider1.json" service_password_file)
for replica in "$p2" "$consumer"; do
  for _ in $(seq 1 200); do
    ldapsearch -x -LLL -H "$replica" -D "$admin_dn" -w "$admin_password" -s base \
      -b "uid=alice,ou=People,dc=example,dc=org" 1.1 >/dev/null 2>&1 && continue 2
    sleep 0.05
  done
  echo "cluster: $replica did not replicate the sample within 10 s" >&2
  exit 1
done

# Every bridge: the same config (but its port): writes to the providers (one at a time), reads
# from the consumer; the same cursor key, so a page's next cursor works on the other bridge too.
openssl rand -base64 48 >"$work/cursor.key"
chmod 600 "$work/cursor.key"
token_default=$(random_token)
token_classlark=$(random_token)
hash_default=$("$bridge_bin" hash-token "$token_default")
hash_classlark=$("$bridge_bin" hash-token "$token_classlark")
for port in "${bridge_ports[@]}"; do
  bridge_config "$port" \
    "\"uris\": [\"$p1\", \"$p2\"], \"read_uris\": [\"$consumer\"], \"failback_after\": \"0s\",
     \"confirm_writes\": \"${SCIMLDAP_CLUSTER_CONFIRM_WRITES:-2s}\"" \
    "$hash_default" "$hash_classlark" "\"scim\": {\"cursor_key_file\": \"$work/cursor.key\"}" \
    >"$work/bridge-$port.json"
  SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" serve \
    --config "$work/bridge-$port.json" >"$work/bridge-$port.log" 2>&1 &
  pids+=($!)
  wait_http_ready "$port" "${pids[-1]}" "cluster: the bridge on $port" || exit 1
done

cat >"$work/haproxy.cfg" <<CFG
global
  log stderr format short local0 notice
defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A request whose connection to a bridge was refused never reached it: send it to the other
  # (only on connection failure, so a create is never sent twice). No idle connection to a
  # bridge is reused: one that died since would take the request and answer nothing (502).
  retries 2
  option redispatch 1
  http-reuse never
frontend scim
  bind 127.0.0.1:$http_port
  default_backend bridges
backend bridges
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 1
  server bridge1 127.0.0.1:${bridge_ports[0]} check
  server bridge2 127.0.0.1:${bridge_ports[1]} check
CFG
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
base_url="http://127.0.0.1:$http_port/scim/v2"
for _ in $(seq 1 200); do
  curl -fs -o /dev/null -H "Authorization: Bearer $token_default" "$base_url/ServiceProviderConfig" &&
    break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/haproxy.log" >&2; exit 1; }
  sleep 0.05
done

if [ -n "${SCIMLDAP_CLUSTER_INFO:-}" ]; then
  cat >"$SCIMLDAP_CLUSTER_INFO" <<JSON
{"base_url": "$base_url", "providers": ["$p1", "$p2"], "consumer": "$consumer",
 "bridges": ["http://127.0.0.1:${bridge_ports[0]}", "http://127.0.0.1:${bridge_ports[1]}"],
 "admin_dn": "$admin_dn", "admin_password": "$admin_password",
 "pids": {"provider1": ${pids[0]}, "provider2": ${pids[1]}, "consumer": ${pids[2]},
          "bridge1": ${pids[3]}, "bridge2": ${pids[4]}, "haproxy": ${pids[5]}},
 "work": "$work",
 "tokens": {"default": "$token_default", "classlark": "$token_classlark"}}
JSON
fi

cat <<TXT

scim-ldap-bridge cluster is running (Ctrl-C stops everything).

  SCIM base URL : $base_url   (HAProxy, round robin over the two bridges)
  bridges       : http://127.0.0.1:${bridge_ports[0]}  http://127.0.0.1:${bridge_ports[1]}
                  curl -s http://127.0.0.1:${bridge_ports[0]}/readyz   (names the LDAP provider it writes to)
  LDAP          : providers $p1 $p2 (multi-provider), consumer $consumer (read-only)
                  bind DN: $admin_dn   password: $admin_password
                  ldapsearch -x -H $consumer -D '$admin_dn' -w '$admin_password' -b dc=example,dc=org

  tenant default   token: $token_default
    curl -s -H 'Authorization: Bearer $token_default' '$base_url/Users?filter=userName%20eq%20%22alice%22'
  tenant classlark token: $token_classlark

  logs          : $work/*.log
TXT
wait "${pids[-1]}"
