#!/usr/bin/env bash
# ctest install.layout: `cmake --install BUILD --prefix TMP` (a non-default prefix) puts the
# binary, the systemd unit, the profiles, the LDIF and the JSON schemas where docs/operations.md
# says, the unit starts the binary of that prefix, and the installed binary finds the shipped
# profiles by name in its own data dir (not in the source tree it was built from).
# Usage: install_layout.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
prefix=$(mktemp -d "${TMPDIR:-/tmp}/scimldap-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"

failed=0
fail() { echo "install.layout: $*" >&2; failed=1; }

data=share/scim-ldap-bridge
for f in bin/scim-ldap-bridge lib/systemd/system/scim-ldap-bridge.service \
         $data/profiles/openldap-inetorgperson.json $data/profiles/classlark.json \
         $data/ldif/scim-bridge.schema $data/ldif/scim-bridge.ldif $data/ldif/seed.ldif \
         $data/config.schema.json $data/profile.schema.json $data/example-config.json \
         $data/logrotate.conf \
         share/doc/scim-ldap-bridge/operations.md share/doc/scim-ldap-bridge/configuration.md; do
  [ -f "$prefix/$f" ] || fail "missing $f"
done
[ -x "$prefix/bin/scim-ldap-bridge" ] || fail "bin/scim-ldap-bridge is not executable"

unit=$prefix/lib/systemd/system/scim-ldap-bridge.service
grep -qx "ExecStart=$prefix/bin/scim-ldap-bridge serve --config /etc/scim-ldap-bridge/config.json" "$unit" ||
  fail "the unit does not start $prefix/bin/scim-ldap-bridge: $(grep ExecStart "$unit")"
grep -qx "Documentation=file://$prefix/share/doc/scim-ldap-bridge/operations.md" "$unit" ||
  fail "the unit's Documentation= is not the installed operations.md"
# The hardening docs/operations.md describes: systemd's own rating, "OK" is at most 2.0.
if command -v systemd-analyze >/dev/null; then
  exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
  [ -n "$exposure" ] || fail "systemd-analyze security gave no exposure level for the unit"
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' ||
    fail "the unit's exposure level is $exposure, above 2.0 (OK)"
fi

# Both shipped profiles by name; no SCIMLDAP_PROFILE_DIR to help.
config=$prefix/config.json
cat >"$config" <<'JSON'
{
  "listen": {"host": "127.0.0.1", "port": 8443},
  "ldap": {"uris": ["ldap://127.0.0.1:389"], "bind_dn": "cn=scim-bridge,ou=Services,dc=example,dc=org",
           "password_file": "/nonexistent/ldap.password"},
  "tenants": [
    {"name": "default", "profile": "openldap-inetorgperson",
     "users_base": "ou=People,dc=example,dc=org", "groups_base": "ou=Groups,dc=example,dc=org",
     "roles_base": "ou=Roles,dc=example,dc=org"},
    {"name": "classlark", "profile": "classlark",
     "users_base": "ou=People,ou=classlark,dc=example,dc=org",
     "groups_base": "ou=Groups,ou=classlark,dc=example,dc=org",
     "roles_base": "ou=Roles,ou=classlark,dc=example,dc=org",
     "archive_base": "ou=Archive,ou=classlark,dc=example,dc=org"}
  ],
  "tokens": [
    {"name": "idp", "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "tenant": "default"}
  ]
}
JSON
bin=$prefix/bin/scim-ldap-bridge
out=$(env -u SCIMLDAP_PROFILE_DIR "$bin" check --config "$config" 2>&1) ||
  fail "check with the installed profiles failed: $out"
[ "$out" = "config OK: 2 tenants, 1 tokens" ] || fail "unexpected check output: $out"

# The profile really comes from the install: a broken installed copy is what check reports.
profile=$prefix/$data/profiles/classlark.json
echo '{"name": "classlark"' >"$profile"
if out=$(env -u SCIMLDAP_PROFILE_DIR "$bin" check --config "$config" 2>&1); then
  fail "check accepted a broken installed profile (read another copy?): $out"
fi
case $out in
  *"$profile: "*) ;;
  *) fail "check did not name the installed profile $profile: $out" ;;
esac

[ $failed -eq 0 ] && echo "install.layout: OK ($prefix)"
exit $failed
