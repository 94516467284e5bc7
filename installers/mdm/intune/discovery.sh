#!/bin/sh
# Intune custom compliance discovery script (Linux): prints tlsdoctor's one-line JSON of the
# settings tlsdoctor-rules.json checks. Upload both in Intune (Devices > Compliance > Scripts).
# TLSDOCTOR: the binary (default: tlsdoctor on PATH, else /usr/bin/tlsdoctor).
# TLSDOCTOR_ARGS: extra arguments (for example --policy FILE); the policy in
# /etc/tlsdoctor/policy.json is followed when present.
set -f  # TLSDOCTOR_ARGS is split into words, never glob-expanded
TLSDOCTOR="${TLSDOCTOR:-$(command -v tlsdoctor || echo /usr/bin/tlsdoctor)}"
# No binary, a policy it cannot follow (exit 2) or nothing it could run (3): a result the rules
# mark non-compliant, rather than no result at all.
error_result='{"TlsdoctorStatus":"error","TlsdoctorHealthy":false,"TlsdoctorLayer":"unknown","TlsdoctorCause":"","TlsdoctorFailCount":1,"TlsdoctorWarnCount":0,"TlsdoctorVersion":"0.0.0"}'
if [ ! -x "$TLSDOCTOR" ]; then
  echo "$error_result"
  exit 0
fi
# shellcheck disable=SC2086  # TLSDOCTOR_ARGS is a list of arguments on purpose
output=$("$TLSDOCTOR" -f intune $TLSDOCTOR_ARGS)
status=$?
if [ "$status" -ge 2 ] || [ -z "$output" ]; then
  echo "$error_result"
else
  printf '%s\n' "$output"
fi
# Intune reads the JSON, not the exit code: a device with problems is reported, not an error.
exit 0
