#!/usr/bin/env bash
# Sets up (apt), builds and runs the whole test suite with ctest: first the plain build in
# build, then the same suite built with ASan+UBSan in build-asan (docs/reliability.md, "Fuzzing
# and sanitizers"). `--plain` runs only the first, `--sanitize` only the second. Other arguments
# go to ctest. Exit code: non-zero when a run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
plain=1
sanitized=1
ctest_args=()
for a in "$@"; do
  case "$a" in
    --sanitize) plain=0 sanitized=1 ;;
    --plain) plain=1 sanitized=0 ;;
    --all) plain=1 sanitized=1 ;;
    *) ctest_args+=("$a") ;;
  esac
done
scripts/setup.sh
jobs=${TEST_JOBS:-$(nproc)}
status=0
# After each run: no test password in any log output (tests/log_scan.sh); a run of the whole
# suite must also show it scanned a whole suite's logs.
scan=()
[ "${#ctest_args[@]}" -eq 0 ] && scan=(--full-run)
if [ "$plain" = 1 ]; then
  scripts/build.sh
  (cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$jobs" "${ctest_args[@]}") || status=$?
  tests/log_scan.sh "${BUILD_DIR:-build}" "${scan[@]}" || status=$?
fi
if [ "$sanitized" = 1 ]; then
  # The conformance suites (node, the IdPs' test collections) test SCIM behaviour, not memory,
  # and take minutes: the plain run has them. The valgrind test is left out by CMake.
  asan_dir=${ASAN_BUILD_DIR:-build-asan}
  BUILD_DIR=$asan_dir SCIMLDAP_CMAKE_ARGS="-DSCIMLDAP_SANITIZE=ON -DSCIMLDAP_CONFORMANCE_TESTS=OFF" \
    scripts/build.sh
  # Leaks too (LeakSanitizer); Debian libraries' own findings are suppressed in the files named,
  # each with its reason. UBSan stops at its first finding (-fno-sanitize-recover).
  supp=$PWD/tests/sanitizers
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
  (cd "$asan_dir" && ctest --output-on-failure -j "$jobs" "${ctest_args[@]}") || status=$?
  tests/log_scan.sh "$asan_dir" "${scan[@]}" || status=$?
fi
exit "$status"
