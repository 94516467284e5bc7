#!/bin/sh
# Jamf Pro extension attribute: prints <result>STATUS: LAYER CAUSE (N fail, N warn)</result>.
# In Jamf Pro: Settings > Computer management > Extension attributes > New, input type Script.
# Smart groups match on the leading word: "healthy", "problems" or "error".
# TLSDOCTOR: the binary (default: tlsdoctor on PATH, else /usr/local/bin/tlsdoctor).
# TLSDOCTOR_ARGS: extra arguments; the policy in /etc/tlsdoctor/policy.json is followed when present.
TLSDOCTOR="${TLSDOCTOR:-$(command -v tlsdoctor || echo /usr/local/bin/tlsdoctor)}"
if [ ! -x "$TLSDOCTOR" ]; then
  echo "<result>error: tlsdoctor is not installed</result>"
  exit 0
fi
# shellcheck disable=SC2086
"$TLSDOCTOR" -f jamf $TLSDOCTOR_ARGS
exit 0
