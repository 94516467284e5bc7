// Tests for report/jamf_renderer.cpp: one <result> line, status first, escaped and bounded.
#include <catch2/catch.hpp>

#include "report/jamf_renderer.h"
#include "unit/report/sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;

TEST_CASE("jamf: status, layer and cause in one result line", "[jamf]") {
  const auto r = test::sample_report();
  CHECK(render_jamf(r) == "<result>problems: local proxy.unreachable (1 fail, 1 warn)</result>\n");
}

TEST_CASE("jamf: a healthy run says so with its warnings", "[jamf]") {
  auto r = test::sample_report();
  r.checks.erase(r.checks.begin() + 1);  // drop the failing proxy check
  r.verdict = diagnosis::diagnose(r.checks);
  CHECK(render_jamf(r) == "<result>healthy (0 fail, 1 warn)</result>\n");
}

TEST_CASE("jamf: the line is one line, XML-safe and at most the bound", "[jamf]") {
  auto r = test::sample_report();
  r.verdict.cause.reset();
  r.verdict.layer = diagnosis::VerdictLayer::None;
  const auto out = render_jamf(r);
  REQUIRE(out.starts_with("<result>"));
  REQUIRE(out.ends_with("</result>\n"));
  const auto inner = out.substr(8, out.size() - 8 - 10);
  CHECK(inner.size() <= kMaxJamfLineChars);
  CHECK(inner.find('\n') == std::string::npos);
  CHECK(inner.find('<') == std::string::npos);
}
