// Exit codes follow the verdict as the command-line contract says.
#include <catch2/catch.hpp>

#include "report/report.h"

using namespace tlsdoctor::report;
using tlsdoctor::diagnosis::VerdictLayer;

TEST_CASE("exit codes: 0 healthy, 1 a cause was found, 3 nothing could run") {
  Report r;
  r.verdict.layer = VerdictLayer::None;
  CHECK(exit_code_for(r) == ExitCode::Healthy);
  r.verdict.layer = VerdictLayer::Local;
  r.verdict.cause = tlsdoctor::FindingId::ClockBeforeBuild;
  CHECK(exit_code_for(r) == ExitCode::ProblemsFound);
  r.verdict.layer = VerdictLayer::Server;
  CHECK(exit_code_for(r) == ExitCode::ProblemsFound);
  r.verdict.layer = VerdictLayer::Unknown;
  r.verdict.cause.reset();
  CHECK(exit_code_for(r) == ExitCode::CouldNotRun);
}
