// Mapping a finished report to the process exit code.
#include "report/report.h"

namespace tlsdoctor::report {

ExitCode exit_code_for(const Report& report) {
  using diagnosis::VerdictLayer;
  switch (report.verdict.layer) {
    case VerdictLayer::None: return ExitCode::Healthy;
    case VerdictLayer::Unknown:
      return report.verdict.cause ? ExitCode::ProblemsFound : ExitCode::CouldNotRun;
    case VerdictLayer::Local:
    case VerdictLayer::Path:
    case VerdictLayer::Server: return ExitCode::ProblemsFound;
  }
  return ExitCode::CouldNotRun;
}

}  // namespace tlsdoctor::report
