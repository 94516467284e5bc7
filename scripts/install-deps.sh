#!/usr/bin/env bash
# Installs the Debian 12 packages tlsdoctor needs to build and test; safe to run again.
set -euo pipefail

# Build: compilers, CMake, and the libraries found with find_package.
BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libssl-dev libcurl4-openssl-dev libboost-dev libboost-filesystem-dev
  libfmt-dev catch2 nlohmann-json3-dev libcli11-dev libexpected-dev libpacparser-dev
  ca-certificates
)
# Tests: outside programs the suite drives (faketime for clock scenarios, certutil for NSS
# databases, procps and time for the benchmarks, valijson for the report schema test, tzdata for
# the time-zone parser tests; squid as the real proxy for the probe route tests; tshark, curl
# and gnutls-cli to capture and fingerprint other clients' ClientHellos; mitmproxy as a real
# TLS-intercepting proxy between the checker and the reference; systemd for systemd-analyze,
# which checks the reference's unit file; haproxy in TCP mode sending PROXY v2 to the reference;
# nginx as the scenario suite's misconfigured sites; iptables for its network-namespace scenarios;
# groff to check that the man page renders; chromium, headless, to open the HTML report).
TEST_PACKAGES=(faketime libnss3-tools procps time openssl libvalijson-dev tzdata
  squid tshark curl gnutls-bin mitmproxy systemd haproxy nginx iptables groff-base chromium)

# Benchmarks: wrk as the load generator and nginx as the baseline of bench/reference_https.sh
# (in Debian 12 the package nginx holds /usr/sbin/nginx; nginx-light only adds modules).
BENCH_PACKAGES=(wrk nginx curl openssl)

# Packages: rpmbuild (rpm) for CPack's RPM generator, dpkg-shlibdeps (dpkg-dev) for the .deb
# dependencies.
PACKAGE_PACKAGES=(rpm dpkg-dev)

want=("${BUILD_PACKAGES[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${TEST_PACKAGES[@]}") ;;
    --bench) want+=("${BENCH_PACKAGES[@]}") ;;
    --package) want+=("${PACKAGE_PACKAGES[@]}") ;;
    *) echo "usage: $0 [--test] [--bench] [--package]" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
