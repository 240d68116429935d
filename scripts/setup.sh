#!/usr/bin/env bash
# Installs what the build, the demo and the tests need from Debian 12's packages, if missing.
# Never relies on a system service: slapd is run by the project itself (tests/support).
set -euo pipefail

# ldap-utils: the test support runs ldapmodify; openssl: the TLS tests make a throwaway
# certificate with it; python3, curl: the demo; libfmt-dev: used directly, not only via spdlog;
# libjemalloc-dev: the bridge's allocator (docs/architecture.md, "Dependencies"); valgrind: the
# test that the service's shutdown touches no freed memory (tests/CMakeLists.txt); prometheus:
# its promtool checks the /metrics scrape (tests/integration/metrics_test.cpp; the package's
# service is never started here); haproxy: the load balancer of scripts/cluster-demo.sh and its
# test (docs/scale-out.md; its service is never used either).
packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libldap-dev libspdlog-dev libfmt-dev libgtest-dev libssl-dev libjemalloc-dev
  slapd ldap-utils openssl curl python3 valgrind prometheus haproxy
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
# node + npm for the conformance suites' newman (scripts/conformance.sh). Only when there is no
# node at all: a NodeSource nodejs already bundles npm, and Debian's npm would conflict with it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: missing ${missing[*]}; run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may never have fetched package lists (update first, always) and may be
# running unattended-upgrades at boot (wait for the dpkg lock instead of failing).
apt=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
$sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq
$sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null

# Without an init system (containers, CI) invoke-rc.d starts nothing. Under systemd, slapd's
# maintainer script starts a system-wide slapd (a debconf-made dc=nodomain on port 389, all
# interfaces) that nothing here uses: stop and disable it, but only when this run installed it.
if [[ " ${missing[*]} " == *" slapd "* ]] && [ -d /run/systemd/system ]; then
  echo "setup: stopping and disabling the system slapd.service the package started" >&2
  $sudo systemctl disable --now slapd.service >/dev/null 2>&1 || true
fi
# The same for haproxy's (it would hold port 80 with the package's example config).
if [[ " ${missing[*]} " == *" haproxy "* ]] && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now haproxy.service >/dev/null 2>&1 || true
fi
