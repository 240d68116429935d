#!/usr/bin/env bash
# ctest conformance.skipped_without_suites: a clone without ../shared/conformance beside it must
# still pass the test command, so scripts/conformance.sh exits 77 (ctest: Skipped) and says where
# the suites go, instead of failing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(SCIMLDAP_CONFORMANCE_DIR=/nonexistent "$here/../../scripts/conformance.sh" okta 2>&1)
code=$?
echo "$out"
[ "$code" -eq 77 ] || { echo "expected exit 77 (skipped), got $code" >&2; exit 1; }
grep -q "skipped: the IdP suites are not in /nonexistent" <<<"$out" ||
  { echo "the message does not say where the suites go" >&2; exit 1; }
