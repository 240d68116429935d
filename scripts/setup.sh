#!/usr/bin/env bash
# Installs what the build, the demo and the tests need from Debian 12's packages, if missing.
# Never relies on a system service: slapd is run by the project itself (tests/support).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libldap-dev libspdlog-dev libgtest-dev libssl-dev
  slapd ldap-utils curl python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node + npm for the conformance suites' newman (scripts/conformance.sh). Only when there is no
# node at all: a NodeSource nodejs already bundles npm, and Debian's npm would conflict with it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# RUNLEVEL=1 keeps slapd's maintainer script from starting a system-wide server.
$sudo env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
