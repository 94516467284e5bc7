// The few numbers an MDM rule or a SIEM summary needs from a report: status word, failures, warnings.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

struct StatusCounts {
  std::string status;  // "healthy", "problems" or "error" (the exit code's meaning)
  int fail = 0;        // findings of severity fail, over every check
  int warn = 0;
  int info = 0;
};

StatusCounts status_counts(const Report& report);

}  // namespace tlsdoctor::report
