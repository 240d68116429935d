#!/usr/bin/env bash
# Sets up (apt), builds, then runs a throwaway slapd and the bridge on loopback until Ctrl-C.
#   SCIMLDAP_DEMO_HTTP_PORT  bridge port           (default 8080)
#   SCIMLDAP_DEMO_LDAP_PORT  slapd port            (default 3389)
#   SCIMLDAP_DEMO_INFO       also write the printed values as one JSON object to this file
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
scripts/setup.sh
echo "demo: building (the first build takes several minutes)" >&2
scripts/build.sh scim-ldap-bridge scim-ldap-devslapd >/dev/null
build=${BUILD_DIR:-build}
bridge_bin=$top/$build/scim-ldap-bridge
slapd_bin=$top/$build/tests/scim-ldap-devslapd

http_port=${SCIMLDAP_DEMO_HTTP_PORT:-8080}
ldap_port=${SCIMLDAP_DEMO_LDAP_PORT:-3389}
work=$(mktemp -d /tmp/scim-ldap-demo.XXXXXX)
slapd_pid="" bridge_pid=""

cleanup() {
  trap - INT TERM EXIT
  [ -n "$bridge_pid" ] && kill -TERM "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null
  [ -n "$slapd_pid" ] && kill -TERM "$slapd_pid" 2>/dev/null && wait "$slapd_pid" 2>/dev/null
  rm -rf "$work"
  echo "demo: stopped; nothing left running." >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=scripts/demo_lib.sh
. scripts/demo_lib.sh
start_devslapd slapd "$ldap_port" --sample || exit 1
slapd_pid=$devslapd_pid

ldap_uri=$(json "$work/slapd.json" ldap_uri)
admin_dn=$(json "$work/slapd.json" admin_dn)
admin_password=$(json "$work/slapd.json" admin_password)
service_dn=$(json "$work/slapd.json" service_dn)
service_password_file=$(json "$work/slapd.json" service_password_file)

token_default=$(random_token)
token_classlark=$(random_token)
bridge_config "$http_port" "\"uris\": [\"$ldap_uri\"]" \
  "$("$bridge_bin" hash-token "$token_default")" \
  "$("$bridge_bin" hash-token "$token_classlark")" >"$work/bridge.json"

SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" serve --config "$work/bridge.json" &
bridge_pid=$!
base_url="http://127.0.0.1:$http_port/scim/v2"
wait_http_ready "$http_port" "$bridge_pid" "demo: the bridge" || exit 1

if [ -n "${SCIMLDAP_DEMO_INFO:-}" ]; then
  cat >"$SCIMLDAP_DEMO_INFO" <<JSON
{"base_url": "$base_url", "ldap_uri": "$ldap_uri", "admin_dn": "$admin_dn",
 "admin_password": "$admin_password",
 "tokens": {"default": "$token_default", "classlark": "$token_classlark"}}
JSON
fi

cat <<TXT

scim-ldap-bridge demo is running (Ctrl-C stops the bridge and slapd).

  SCIM base URL : $base_url
  LDAP          : $ldap_uri   bind DN: $admin_dn   password: $admin_password
                  ldapsearch -x -H $ldap_uri -D '$admin_dn' -w '$admin_password' -b dc=example,dc=org

  tenant default   (profile openldap-inetorgperson, ou=People,dc=example,dc=org)
    token: $token_default
    curl -s -H 'Authorization: Bearer $token_default' '$base_url/Users?filter=userName%20eq%20%22alice%22'

  audit log     : tail -f $work/audit-$http_port.log   (one JSON line per write request)

  tenant classlark (profile classlark, ou=People,ou=classlark,dc=example,dc=org)
    token: $token_classlark
    curl -s -H 'Authorization: Bearer $token_classlark' '$base_url/Users'

TXT
wait "$bridge_pid"
