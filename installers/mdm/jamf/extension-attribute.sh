#!/bin/sh
# Jamf Pro extension attribute: prints <result>STATUS: LAYER CAUSE (N fail, N warn)</result>.
# In Jamf Pro: Settings > Computer management > Extension attributes > New, input type Script.
# Smart groups match on the leading word: "healthy", "problems" or "error".
# TLSDOCTOR: the binary (default: tlsdoctor on PATH, else /usr/local/bin/tlsdoctor).
# TLSDOCTOR_ARGS: extra arguments; the policy in /etc/tlsdoctor/policy.json is followed when present.
set -f  # TLSDOCTOR_ARGS is split into words, never glob-expanded
TLSDOCTOR="${TLSDOCTOR:-$(command -v tlsdoctor || echo /usr/local/bin/tlsdoctor)}"
if [ ! -x "$TLSDOCTOR" ]; then
  echo "<result>error: tlsdoctor is not installed</result>"
  exit 0
fi
# shellcheck disable=SC2086
output=$("$TLSDOCTOR" -f jamf $TLSDOCTOR_ARGS 2>/dev/null)
status=$?
if [ "$status" -ge 2 ] || [ -z "$output" ]; then
  # A policy it cannot follow (2) or nothing it could run (3): say so rather than nothing.
  echo "<result>error: tlsdoctor exited $status</result>"
else
  printf '%s\n' "$output"
fi
exit 0
