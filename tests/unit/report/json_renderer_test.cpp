// The JSON rendering follows docs/report-schema.json and carries the model faithfully.
#include <catch2/catch.hpp>

#include "lab/report_schema.h"
#include "report/json_renderer.h"
#include "sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;

TEST_CASE("a rendered report validates against the schema") {
  const auto doc = nlohmann::json::parse(render_json(test::sample_report()));
  const auto violations = lab::report_schema_violations(doc);
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
  CHECK(doc["schema"] == "tlsdoctor.report/1");
  CHECK(doc["verdict"]["layer"] == "local");
  CHECK(doc["verdict"]["cause"] == "proxy.unreachable");
  CHECK(doc["checks"].size() == 3);
  CHECK(doc["checks"][1]["findings"][0]["id"] == "proxy.unreachable");
  CHECK(doc["checks"][1]["findings"][0]["layer"] == "local");
  CHECK(doc["checks"][2]["status"] == "error");
  CHECK(doc["run"]["start"] == "2023-11-14T22:13:20Z");
}

TEST_CASE("a healthy report validates too, with a null cause and first step") {
  Report r = test::sample_report();
  r.checks.resize(1);
  r.checks[0].findings.clear();
  r.checks[0].status = CheckStatus::Pass;
  r.verdict = diagnosis::diagnose(r.checks);
  const auto doc = nlohmann::json::parse(render_json(r));
  CHECK(lab::report_schema_violations(doc).empty());
  CHECK(doc["verdict"]["layer"] == "none");
  CHECK(doc["verdict"]["cause"].is_null());
  CHECK(doc["verdict"]["first_step"].is_null());
}

TEST_CASE("the schema test can fail: a wrong status is caught") {
  auto doc = nlohmann::json::parse(render_json(test::sample_report()));
  doc["checks"][0]["status"] = "great";
  CHECK_FALSE(lab::report_schema_violations(doc).empty());
  doc = nlohmann::json::parse(render_json(test::sample_report()));
  doc["verdict"].erase("layer");
  CHECK_FALSE(lab::report_schema_violations(doc).empty());
}

TEST_CASE("invalid UTF-8 in facts is replaced, not thrown") {
  Report r = test::sample_report();
  r.checks[0].facts["subject"] = std::string("CN=Caf\xe9");
  CHECK_NOTHROW(nlohmann::json::parse(render_json(r)));
}
