#!/usr/bin/env bash
# Builds the release packages (DEB, RPM and TGZ of tlsdoctor and of tlsdoctor-reference) into
# build/packages, then checks them on this machine: installs both .deb files, runs the installed
# binaries, lists each .rpm with rpm -qpl and each .tar.gz with tar, and removes the packages again.
# Needs root (or sudo) for the install; CI runs it after the test suites.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --package
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

cmake --preset release -DTLSDOCTOR_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release
rm -rf build/packages
cpack --config build/release/CPackConfig.cmake -B build/packages >/dev/null
shopt -s nullglob
debs=(build/packages/*.deb)
rpms=(build/packages/*.rpm)
tgzs=(build/packages/*.tar.gz)
echo "packages: ${debs[*]} ${rpms[*]} ${tgzs[*]}"
[[ ${#debs[@]} -eq 2 && ${#rpms[@]} -eq 2 && ${#tgzs[@]} -eq 2 ]] || { echo "expected 2 of each kind" >&2; exit 1; }

fail() { echo "package check failed: $*" >&2; exit 1; }

# Listings are kept in files before they are searched: `grep -q` in a pipe would end the
# listing early and pipefail would call that a failure.
list=build/packages/listing.txt
for rpm_file in "${rpms[@]}"; do
  echo "== rpm -qpl $rpm_file"
  rpm -qpl "$rpm_file" | tee "$list"
done
rpm -qpl build/packages/tlsdoctor-[0-9]*.rpm > "$list"
grep -qx /usr/bin/tlsdoctor "$list" || fail "the tlsdoctor rpm lacks /usr/bin/tlsdoctor"
rpm -qpl build/packages/tlsdoctor-reference-*.rpm > "$list"
grep -qx /usr/lib/systemd/system/tlsdoctor-reference.service "$list" || fail "the reference rpm lacks its systemd unit"
for tgz in "${tgzs[@]}"; do
  tar tzf "$tgz" > "$list"
  grep -q "^usr/bin/tlsdoctor" "$list" || fail "$tgz holds no tlsdoctor binary"
done

echo "== installing ${debs[*]}"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${debs[@]/#/./}" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq tlsdoctor tlsdoctor-reference >/dev/null' EXIT
[[ -x /usr/bin/tlsdoctor && -x /usr/bin/tlsdoctor-reference ]] || fail "the binaries are not in /usr/bin"
/usr/bin/tlsdoctor --version > "$list"
grep -q "OpenSSL 3" "$list" || fail "tlsdoctor --version"
status=0
/usr/bin/tlsdoctor --offline --no-policy -q || status=$?
[[ $status -le 1 ]] || fail "the installed tlsdoctor exited $status"
/usr/bin/tlsdoctor-reference --help >/dev/null || fail "tlsdoctor-reference --help"
for f in /usr/share/man/man1/tlsdoctor.1 /usr/share/bash-completion/completions/tlsdoctor \
         /usr/share/zsh/vendor-completions/_tlsdoctor /usr/share/tlsdoctor/mdm/intune/discovery.sh \
         /usr/lib/systemd/system/tlsdoctor-reference.service \
         /usr/share/doc/tlsdoctor-reference/examples/tlsdoctor-reference.json; do
  [[ -e $f ]] || fail "$f is not installed"
done
[[ -x /usr/share/tlsdoctor/mdm/jamf/extension-attribute.sh ]] || fail "the MDM scripts lost their execute bit"
echo "package check: ok (2 deb installed and run, 2 rpm listed, 2 tar.gz listed)"
