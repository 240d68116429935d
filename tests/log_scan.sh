#!/usr/bin/env bash
# Searches all log output of a ctest run (Testing/Temporary/LastTest.log: every test's output,
# the in-process bridges' logs, access and audit lines, and the daemons' logs that
# tests/support/bridge_process prints when it stops) for the passwords the integration tests
# send. Usage: tests/log_scan.sh BUILD_DIR [--full-run]. --full-run also demands evidence that
# the log is the whole suite's (audit and access lines), so the scan cannot pass on nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: tests/log_scan.sh BUILD_DIR [--full-run]}
log=$build/Testing/Temporary/LastTest.log
[ -f "$log" ] || { echo "log scan: no $log (did ctest run?)" >&2; exit 1; }

passwords=$(mktemp)
trap 'rm -f "$passwords"' EXIT
# The values of "password" in the tests' SCIM bodies (attribute or PATCH path), the
# directory's own passwords, and the bearer tokens the tests present (a token's name may be
# logged, the token never).
{
  grep -rhoP '"password"\s*:\s*"\K[^"]+' tests/integration/*.cpp
  grep -rhoP '"path"\s*:\s*"password"\s*,\s*"value"\s*:\s*"\K[^"]+' tests/integration/*.cpp
  grep -hoP 'constexpr const char\* (admin|service)_password = "\K[^"]+' \
    tests/support/slapd_launcher.hpp
  grep -rhoP 'constexpr const char\* \w*_token = "\K[^"]+' tests/support/bridge_fixture.hpp \
    tests/integration/*.cpp
} | sort -u >"$passwords"
count=$(wc -l <"$passwords")
if [ "$count" -lt 15 ]; then
  echo "log scan: found only $count test secrets in tests/integration; the pattern is stale" >&2
  exit 1
fi

if [ "${2:-}" = --full-run ]; then
  audit=$(grep -c '\[audit\]' "$log" || true)
  access=$(grep -c ' access id=' "$log" || true)
  if [ "$audit" -lt 100 ] || [ "$access" -lt 1000 ]; then
    echo "log scan: $log has $audit audit and $access access lines: not a whole suite's" >&2
    exit 1
  fi
fi

if grep -n -F -f "$passwords" "$log" >"$passwords.hits"; then
  echo "log scan: a test password or token appears in the test logs ($log):" >&2
  cut -c1-300 "$passwords.hits" | head -20 >&2
  rm -f "$passwords.hits"
  exit 1
fi
rm -f "$passwords.hits"
echo "log scan: none of $count test passwords and tokens in $(wc -l <"$log") lines of $log"
