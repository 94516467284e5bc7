// Counts findings by severity and names the run's status as the exit code does.
#include "report/mdm_status.h"

namespace tlsdoctor::report {

StatusCounts status_counts(const Report& report) {
  StatusCounts out;
  switch (exit_code_for(report)) {
    case ExitCode::Healthy: out.status = "healthy"; break;
    case ExitCode::ProblemsFound: out.status = "problems"; break;
    case ExitCode::UsageError:
    case ExitCode::CouldNotRun: out.status = "error"; break;
  }
  for (const auto& check : report.checks) {
    for (const auto& f : check.findings) {
      switch (f.severity) {
        case Severity::Fail: ++out.fail; break;
        case Severity::Warn: ++out.warn; break;
        case Severity::Info: ++out.info; break;
      }
    }
  }
  return out;
}

}  // namespace tlsdoctor::report
