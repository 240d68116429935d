#!/usr/bin/env bash
# ctest schema.forms_equivalent: ldif/scim-bridge.schema (slapd.conf form) and
# ldif/scim-bridge.ldif (cn=config form) define the same schema. Each form is loaded into its own
# slapd and the project's attributeTypes/objectClasses are compared as slapd publishes them in
# cn=Subschema (its canonical rendering, so layout differences in the files do not matter).
# Usage: schema_forms_equivalent.sh LDIF_DIR
set -euo pipefail
ldif_dir=$(cd "${1:?usage: $0 LDIF_DIR}" && pwd)
arc=2.25.278060200785238319785375731013156814003
work=$(mktemp -d "${TMPDIR:-/tmp}/scimldap-schema-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Form 1: slapd.conf including the .schema file.
cat >"$work/conf.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include $ldif_dir/scim-bridge.schema
pidfile $work/conf.pid
CONF

# Form 2: a cn=config directory built by slapadd, including the .ldif file.
mkdir "$work/config.d"
cat >"$work/config.ldif" <<CONF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $work/config.pid

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file://$ldif_dir/scim-bridge.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
CONF
/usr/sbin/slapadd -n 0 -F "$work/config.d" -l "$work/config.ldif" >"$work/slapadd.log" 2>&1 ||
  { cat "$work/slapadd.log"; exit 1; }

# Starts slapd on a unix socket (no port to pick) and prints the project's schema, sorted.
published_schema() {
  local name=$1; shift
  local socket="$work/$name.sock"
  local uri="ldapi://$(printf %s "$socket" | sed 's|/|%2F|g')"
  /usr/sbin/slapd -d 0 -h "$uri" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do  # readiness polling, about 10 s at most
    if ldapsearch -x -H "$uri" -b "" -s base 1.1 >/dev/null 2>&1; then break; fi
    sleep 0.05
  done
  ldapsearch -x -LLL -o ldif-wrap=no -H "$uri" -b cn=Subschema -s base attributeTypes objectClasses |
    grep -E "^(attributeTypes|objectClasses): \( $arc\." | sort
}

published_schema conf -f "$work/conf.conf" >"$work/conf.out"
published_schema config -F "$work/config.d" >"$work/config.out"

attribute_types=$(grep -c '^attributeTypes:' "$work/conf.out" || true)
object_classes=$(grep -c '^objectClasses:' "$work/conf.out" || true)
if [ "$attribute_types" -eq 0 ] || [ "$object_classes" -eq 0 ]; then
  echo "FAIL: the slapd.conf form published no definitions under $arc"; cat "$work/conf.log"; exit 1
fi
if ! diff -u "$work/conf.out" "$work/config.out"; then
  echo "FAIL: scim-bridge.schema and scim-bridge.ldif differ (as published by slapd, above)"; exit 1
fi
echo "OK: $attribute_types attributeTypes and $object_classes objectClasses identical in both forms"
