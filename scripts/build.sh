#!/usr/bin/env bash
# Configures and builds into ${BUILD_DIR:-build} (Ninja, ccache). Extra args are build targets.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# The shared cache lives under HOME; a CI or service account may have none (set -u would stop
# here) or an unwritable one: fall back to a per-user dir under TMPDIR, or build without ccache.
if [ -z "${CCACHE_DIR:-}" ]; then
  if [ -n "${HOME:-}" ] && mkdir -p "$HOME/.cache/ccache" 2>/dev/null && [ -w "$HOME/.cache/ccache" ]; then
    CCACHE_DIR=$HOME/.cache/ccache
  else
    CCACHE_DIR=${TMPDIR:-/tmp}/ccache-$(id -u)
  fi
fi
export CCACHE_DIR
# Paths below the checkout are hashed relative to it, so clones in other places share the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
mkdir -p "$CCACHE_DIR" 2>/dev/null && [ -w "$CCACHE_DIR" ] || export CCACHE_DISABLE=1
if [ ! -f "$build_dir/build.ninja" ]; then
  # SCIMLDAP_CMAKE_ARGS: options of a new build dir, e.g. -DSCIMLDAP_SANITIZE=ON (scripts/test.sh).
  # shellcheck disable=SC2086 # several options, split on purpose
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
    ${SCIMLDAP_CMAKE_ARGS:-} >/dev/null
fi
jobs=${BUILD_JOBS:-$(nproc)}
if [ $# -gt 0 ]; then
  cmake --build "$build_dir" -j "$jobs" --target "$@"
else
  cmake --build "$build_dir" -j "$jobs"
fi
