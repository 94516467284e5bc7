// The Jamf Pro extension attribute rendering: <result>…</result> around one short line.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

// Jamf shows an extension attribute in inventory lists and matches smart groups on it with
// "like": the line starts with the status word, then the layer and cause when there is one.
inline constexpr std::size_t kMaxJamfLineChars = 200;

// "<result>problems: local trust.root_missing (3 fail, 1 warn)</result>\n",
// "<result>healthy (2 warn)</result>\n". XML special characters escaped; the line is cut to
// kMaxJamfLineChars.
std::string render_jamf(const Report& report);

}  // namespace tlsdoctor::report
