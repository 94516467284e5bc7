// The Intune custom compliance rendering: the compact one-line JSON a discovery script returns.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

// The settings installers/mdm/intune/tlsdoctor-rules.json checks, one flat object with string,
// integer and boolean values only (what Intune's custom compliance accepts):
// {"TlsdoctorStatus":"problems","TlsdoctorHealthy":false,"TlsdoctorLayer":"local",
//  "TlsdoctorCause":"trust.root_missing","TlsdoctorFailCount":1,"TlsdoctorWarnCount":2,
//  "TlsdoctorVersion":"0.1.0"} and a newline.
std::string render_intune(const Report& report);

}  // namespace tlsdoctor::report
