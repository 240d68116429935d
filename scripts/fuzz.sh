#!/usr/bin/env bash
# Runs one libFuzzer target for a time: scripts/fuzz.sh <target> <seconds> [libFuzzer options].
# Targets: filter_parser patch_request resource_json entry_decode http_request config_loader
# (tests/fuzz). Builds them with clang, ASan+UBSan and coverage into ${FUZZ_BUILD_DIR:-build-fuzz}
# (the whole tree instrumented), starts from the corpus kept in tests/fuzz/corpus/<target> and
# collects new inputs in the build dir. A crash leaves its input in <build>/artifacts/<target>/
# and exits non-zero. FUZZ_MERGE=1 afterwards minimises everything found into the kept corpus
# (-merge=1: only inputs that add coverage). Runs under nice 19: it is meant to soak.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
target=$1
seconds=$2
shift 2
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
kept=tests/fuzz/corpus/$target
work=$build_dir/corpus/$target
artifacts=$build_dir/artifacts/$target/
mkdir -p "$kept" "$work" "$artifacts"
command -v clang++ >/dev/null || { echo "fuzz: needs clang (apt-get install clang-14)" >&2; exit 1; }
if [ ! -f "$build_dir/build.ninja" ]; then
  CXX=clang++ BUILD_DIR=$build_dir \
    SCIMLDAP_CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++ -DSCIMLDAP_BUILD_FUZZERS=ON -DSCIMLDAP_CONFORMANCE_TESTS=OFF" \
    scripts/build.sh "${target}_fuzz"
else
  BUILD_DIR=$build_dir scripts/build.sh "${target}_fuzz"
fi
bin=$build_dir/tests/fuzz/${target}_fuzz
# -timeout: an input taking 10 s is a hang. -max_len: profiles and configs are bigger than
# libFuzzer's default 4 KiB.
nice -n 19 "$bin" -max_total_time="$seconds" -timeout=10 -max_len=32768 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$@" "$work" "$kept"
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  merged=$build_dir/merged/$target
  rm -rf "$merged" && mkdir -p "$merged"
  nice -n 19 "$bin" -merge=1 -max_len=32768 "$merged" "$kept" "$work"
  rm -rf "$kept" && mv "$merged" "$kept"
  echo "fuzz: $(find "$kept" -type f | wc -l) inputs kept in $kept"
fi
