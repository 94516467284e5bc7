#!/bin/sh
# Intune custom compliance discovery script (Linux): prints tlsdoctor's one-line JSON of the
# settings tlsdoctor-rules.json checks. Upload both in Intune (Devices > Compliance > Scripts).
# TLSDOCTOR: the binary (default: tlsdoctor on PATH, else /usr/bin/tlsdoctor).
# TLSDOCTOR_ARGS: extra arguments (for example --policy FILE); the policy in
# /etc/tlsdoctor/policy.json is followed when present.
TLSDOCTOR="${TLSDOCTOR:-$(command -v tlsdoctor || echo /usr/bin/tlsdoctor)}"
if [ ! -x "$TLSDOCTOR" ]; then
  # Missing binary: a result the rules mark non-compliant, rather than no result at all.
  echo '{"TlsdoctorStatus":"error","TlsdoctorHealthy":false,"TlsdoctorLayer":"unknown","TlsdoctorCause":"","TlsdoctorFailCount":1,"TlsdoctorWarnCount":0,"TlsdoctorVersion":"0.0.0"}'
  exit 0
fi
# shellcheck disable=SC2086  # TLSDOCTOR_ARGS is a list of arguments on purpose
"$TLSDOCTOR" -f intune $TLSDOCTOR_ARGS
# Intune reads the JSON, not the exit code: a device with problems is reported, not an error.
exit 0
