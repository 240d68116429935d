# shellcheck shell=bash
# What scripts/demo.sh and scripts/cluster-demo.sh share: throwaway slapds and bridges on
# loopback, their tokens and their config. Sourced; expects $top (the checkout), $work (a temp
# dir), $bridge_bin and $slapd_bin.

# json FILE KEY: one value of a JSON object file.
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

random_token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# start_devslapd NAME PORT [ARGS...]: scim-ldap-devslapd with its data in $work/NAME, until its
# connection details are in $work/NAME.json. Sets devslapd_pid (a child of this shell).
start_devslapd() {
  local name=$1 port=$2
  shift 2
  "$slapd_bin" --dir "$work/$name" --port "$port" --info-file "$work/$name.json" "$@" \
    >"$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do
    [ -s "$work/$name.json" ] && { devslapd_pid=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "slapd $name did not start:" >&2
  cat "$work/$name.log" >&2
  return 1
}

# wait_http_ready PORT PID WHAT: polls /readyz until 200, or fails when PID exits or 10 s pass.
wait_http_ready() {
  local port=$1 pid=$2 what=$3
  for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what exited" >&2; return 1; }
    sleep 0.05
  done
  echo "$what did not become ready on port $port" >&2
  return 1
}

# bridge_config HTTP_PORT LDAP_JSON HASH_DEFAULT HASH_CLASSLARK [MORE_JSON]: the demo's config
# on stdout. LDAP_JSON: the "ldap" object's members besides bind_dn and password_file (uris at
# least); MORE_JSON: further top-level members. $service_dn, $service_password_file: the slapd's.
bridge_config() {
  local http_port=$1 ldap=$2 hash_default=$3 hash_classlark=$4 more=${5:-}
  cat <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "ldap": {$ldap, "bind_dn": "$service_dn", "password_file": "$service_password_file"},
  "tenants": [
    {"name": "default", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org", "archive_base": "ou=Archive,dc=example,dc=org"},
    {"name": "classlark", "profile": "classlark",
     "users_base": "ou=People,ou=classlark,dc=example,dc=org",
     "groups_base": "ou=Groups,ou=classlark,dc=example,dc=org",
     "roles_base": "ou=Roles,ou=classlark,dc=example,dc=org",
     "archive_base": "ou=Archive,ou=classlark,dc=example,dc=org"}
  ],
  "tokens": [
    {"name": "demo-default", "sha256": "$hash_default", "tenant": "default"},
    {"name": "demo-classlark", "sha256": "$hash_classlark", "tenant": "classlark"}
  ],${more:+
  $more,}
  "logging": {"level": "info", "format": "text", "audit": {"file": "$work/audit-$http_port.log"}}
}
JSON
}
