#!/bin/sh
# Intune Remediations detection script (Linux): exits 1 when tlsdoctor finds a problem (or cannot
# run), 0 when the device is healthy, and prints the verdict in at most 2,000 characters (Intune
# keeps 2,048). TLSDOCTOR and TLSDOCTOR_ARGS as in discovery.sh.
MAX_OUTPUT=2000
set -f
TLSDOCTOR="${TLSDOCTOR:-$(command -v tlsdoctor || echo /usr/bin/tlsdoctor)}"
if [ ! -x "$TLSDOCTOR" ]; then
  echo "tlsdoctor is not installed ($TLSDOCTOR)"
  exit 1
fi
# shellcheck disable=SC2086
output=$("$TLSDOCTOR" -q --no-color $TLSDOCTOR_ARGS 2>&1)
status=$?
printf '%s\n' "$output" | tr '\n' ' ' | cut -c "1-$MAX_OUTPUT"
echo
if [ "$status" -eq 0 ]; then exit 0; fi
exit 1
