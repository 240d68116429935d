#!/usr/bin/env bash
# Runs the IdP conformance suites (Okta's SCIM 2.0 SPEC test, both exports, and Microsoft's SCIM
# Postman collection; see docs/conformance.md) against a freshly started throwaway slapd and
# bridge. Each suite gets its own fresh, empty tenant. Exits 0 only when every failed check is
# listed in tests/conformance/rfc_exclusions.tsv (checks that contradict RFC 7643/7644); 77
# (skipped) when the suites are not there.
#
# Usage: scripts/conformance.sh [okta|okta-2016|okta-2017|azure|all]...   (default: all)
#   SCIMLDAP_CONFORMANCE_DIR   the suites (default: <repository>/../shared/conformance)
#   SCIMLDAP_BRIDGE_BIN, SCIMLDAP_DEVSLAPD_BIN
#                              binaries to test (default: build them into ${BUILD_DIR:-build})
#   SCIMLDAP_CONFORMANCE_TIMING=1   keep Okta's response-time assertions (ignored by default)
#   SCIMLDAP_CONFORMANCE_KEEP=1     keep the work dir (configs, bridge and suite logs)
#   SCIM_CONF_TOOLS, NEWMAN    where newman comes from (see the suites' README)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))
suites_dir=${SCIMLDAP_CONFORMANCE_DIR:-$top/../shared/conformance}
exclusions=$top/tests/conformance/rfc_exclusions.tsv
verdict=$top/tests/conformance/verdict.py

selected=()
for arg in "${@:-all}"; do
  case "$arg" in
    all) selected+=(okta-2016 okta-2017 azure) ;;
    okta) selected+=(okta-2016 okta-2017) ;;
    okta-2016 | okta-2017 | azure) selected+=("$arg") ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done

# A clone without the suites beside it (a fresh clone elsewhere) skips them: exit 77, which
# ctest reports as "Skipped" (SKIP_RETURN_CODE), not as a failure.
if [ ! -x "$suites_dir/run-okta-spec.sh" ] || [ ! -x "$suites_dir/run-azure-postman.sh" ]; then
  echo "conformance: skipped: the IdP suites are not in $suites_dir. Put them there (the" \
    "directory ../shared/conformance beside this repository) or set SCIMLDAP_CONFORMANCE_DIR" \
    "(docs/conformance.md)." >&2
  exit 77
fi
for tool in python3 ldapadd curl; do
  command -v "$tool" >/dev/null || { echo "conformance: $tool missing (scripts/setup.sh)" >&2; exit 2; }
done
case " ${selected[*]} " in
  *" azure "*)
    command -v npm >/dev/null || [ -n "${NEWMAN:-}" ] ||
      { echo "conformance: node/npm missing (scripts/setup.sh)" >&2; exit 2; } ;;
esac

if [ -z "${SCIMLDAP_BRIDGE_BIN:-}" ] || [ -z "${SCIMLDAP_DEVSLAPD_BIN:-}" ]; then
  (cd "$top" && scripts/build.sh scim-ldap-bridge scim-ldap-devslapd >/dev/null)
  build=${BUILD_DIR:-build}
  case "$build" in /*) ;; *) build=$top/$build ;; esac
  SCIMLDAP_BRIDGE_BIN=${SCIMLDAP_BRIDGE_BIN:-$build/scim-ldap-bridge}
  SCIMLDAP_DEVSLAPD_BIN=${SCIMLDAP_DEVSLAPD_BIN:-$build/tests/scim-ldap-devslapd}
fi
bridge_bin=$SCIMLDAP_BRIDGE_BIN
slapd_bin=$SCIMLDAP_DEVSLAPD_BIN

work=$(mktemp -d /tmp/scim-ldap-conformance.XXXXXX)
slapd_pid="" bridge_pid=""
# shellcheck disable=SC2317  # runs from the traps
cleanup() {
  trap - INT TERM EXIT
  [ -n "$bridge_pid" ] && kill -TERM "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null
  [ -n "$slapd_pid" ] && kill -TERM "$slapd_pid" 2>/dev/null && wait "$slapd_pid" 2>/dev/null
  if [ -n "${SCIMLDAP_CONFORMANCE_KEEP:-}" ]; then
    echo "conformance: work dir kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One tenant per suite, each below ou=conformance in its own subtree, created empty below.
tenant_dn() { echo "ou=$1,ou=conformance,dc=example,dc=org"; }
tenant_flags=()
for s in "${selected[@]}"; do tenant_flags+=(--tenant "$(tenant_dn "$s")"); done

"$slapd_bin" --dir "$work/slapd" "${tenant_flags[@]}" --info-file "$work/slapd.json" \
  >"$work/devslapd.log" 2>&1 &
slapd_pid=$!
for _ in $(seq 1 600); do
  [ -s "$work/slapd.json" ] && break
  kill -0 "$slapd_pid" 2>/dev/null || { cat "$work/devslapd.log" >&2; exit 1; }
  sleep 0.05
done
[ -s "$work/slapd.json" ] || { echo "conformance: slapd did not start" >&2; exit 1; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
ldap_uri=$(json "$work/slapd.json" ldap_uri)
admin_dn=$(json "$work/slapd.json" admin_dn)
admin_password=$(json "$work/slapd.json" admin_password)
service_dn=$(json "$work/slapd.json" service_dn)
service_password_file=$(json "$work/slapd.json" service_password_file)

{
  printf 'dn: ou=conformance,dc=example,dc=org\nobjectClass: organizationalUnit\nou: conformance\n\n'
  for s in "${selected[@]}"; do
    dn=$(tenant_dn "$s")
    printf 'dn: %s\nobjectClass: organizationalUnit\nou: %s\n\n' "$dn" "$s"
    for ou in People Groups Roles Archive; do
      printf 'dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$dn" "$ou"
    done
  done
} >"$work/tenants.ldif"
ldapadd -x -H "$ldap_uri" -D "$admin_dn" -w "$admin_password" -f "$work/tenants.ldif" \
  >"$work/ldapadd.log" 2>&1 || { cat "$work/ldapadd.log" >&2; exit 1; }

# Microsoft's collection was written against its sample server, which answers a user PATCH with
# 204 (RFC 7644 §3.5.2 allows 200 with the resource or 204): its tenant says patch_response
# no_content. The Okta suites never PATCH; their tenants keep the default.
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
declare -A token
tenants_json="" tokens_json=""
for s in "${selected[@]}"; do
  token[$s]=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  hash=$("$bridge_bin" hash-token "${token[$s]}")
  dn=$(tenant_dn "$s")
  patch_response=resource
  [ "$s" = azure ] && patch_response=no_content
  tenants_json+="${tenants_json:+,}
    {\"name\": \"conformance-$s\", \"profile\": \"openldap-inetorgperson\",
     \"users_base\": \"ou=People,$dn\", \"groups_base\": \"ou=Groups,$dn\",
     \"roles_base\": \"ou=Roles,$dn\", \"archive_base\": \"ou=Archive,$dn\",
     \"patch_response\": \"$patch_response\"}"
  tokens_json+="${tokens_json:+,}
    {\"name\": \"conformance-$s\", \"sha256\": \"$hash\", \"tenant\": \"conformance-$s\"}"
done
cat >"$work/bridge.json" <<JSON
{
  "listen": {"host": "127.0.0.1", "port": $http_port},
  "ldap": {"uris": ["$ldap_uri"], "bind_dn": "$service_dn",
           "password_file": "$service_password_file"},
  "tenants": [$tenants_json
  ],
  "tokens": [$tokens_json
  ],
  "logging": {"level": "info", "format": "text"}
}
JSON

SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$bridge_bin" serve --config "$work/bridge.json" \
  >"$work/bridge.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break
  kill -0 "$bridge_pid" 2>/dev/null || { echo "conformance: the bridge exited" >&2; cat "$work/bridge.log" >&2; exit 1; }
  sleep 0.05
done
curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null ||
  { echo "conformance: the bridge is not ready" >&2; cat "$work/bridge.log" >&2; exit 1; }
base_url="http://127.0.0.1:$http_port/scim/v2"

timing=(--ignore-timing)
[ -n "${SCIMLDAP_CONFORMANCE_TIMING:-}" ] && timing=()
status=0
for s in "${selected[@]}"; do
  echo "=== $s (tenant conformance-$s, $(tenant_dn "$s"))"
  case "$s" in
    okta-2016 | okta-2017)
      cmd=("$suites_dir/run-okta-spec.sh" "$base_url" "${token[$s]}" --suite "${s#okta-}" "${timing[@]}") ;;
    azure)
      cmd=("$suites_dir/run-azure-postman.sh" "$base_url" "${token[$s]}") ;;
  esac
  set +e
  "${cmd[@]}" >"$work/$s.out" 2>&1
  rc=$?
  set -e
  # The Postman runner keeps its report in a /tmp dir of its own and names it in its output:
  # moved into ours, so it goes (or is kept) with the rest of the run.
  for kept in $(grep -o '/tmp/azure-postman\.[A-Za-z0-9]*' "$work/$s.out" | sort -u); do
    [ -d "$kept" ] && mv "$kept" "$work/"
  done
  cat "$work/$s.out"
  python3 "$verdict" "$s" "$work/$s.out" "$rc" "$exclusions" || status=1
done
exit $status
