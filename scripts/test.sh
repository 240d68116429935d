#!/usr/bin/env bash
# Sets up (apt), builds and runs the whole test suite with ctest. Exit code = the suite's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "${TEST_JOBS:-$(nproc)}" "$@"
