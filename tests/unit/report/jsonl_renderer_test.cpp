// Tests for report/jsonl_renderer.cpp: one ECS event per finding and one for the verdict, each a line.
#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/jsonl_renderer.h"
#include "unit/report/sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;

namespace {

std::vector<nlohmann::json> events(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("jsonl: a finding per line with the ECS fields, then the verdict", "[jsonl]") {
  const auto e = events(render_jsonl(test::sample_report()));
  REQUIRE(e.size() == 3);  // two findings, one verdict
  for (const auto& event : e) {
    INFO(event.dump());
    CHECK(event["@timestamp"] == "2023-11-14T22:13:20Z");
    CHECK(event["ecs.version"] == std::string(kEcsVersion));
    CHECK(event["message"].is_string());
    CHECK(event["event"]["module"] == "tlsdoctor");
    CHECK(event["tlsdoctor"]["run_id"] == "0123456789abcdef");
    CHECK(event["host"]["os"]["name"] == "Debian GNU/Linux");
  }
  CHECK(e[0]["log.level"] == "warning");
  CHECK(e[0]["tlsdoctor"]["finding"]["id"] == "clock.unsynchronized");
  CHECK(e[0]["tlsdoctor"]["finding"]["evidence"]["maxerror_us"] == "16000000");
  CHECK(e[1]["log.level"] == "error");
  CHECK(e[1]["event"]["kind"] == "alert");
  CHECK(e[1]["event"]["outcome"] == "failure");
  CHECK(e[1]["tlsdoctor"]["check"] == "proxy");
  CHECK(e[1]["tlsdoctor"]["finding"]["layer"] == "local");
  CHECK(e[2]["event"]["dataset"] == "tlsdoctor.verdict");
  CHECK(e[2]["tlsdoctor"]["verdict"]["cause"] == "proxy.unreachable");
  CHECK(e[2]["tlsdoctor"]["verdict"]["status"] == "problems");
}

TEST_CASE("jsonl: a healthy run with no finding still gives its verdict line", "[jsonl]") {
  auto r = test::sample_report();
  r.checks = {};
  r.verdict = diagnosis::diagnose(r.checks);
  const auto e = events(render_jsonl(r));
  REQUIRE(e.size() == 1);
  CHECK(e[0]["log.level"] == "info");
  CHECK(e[0]["tlsdoctor"]["verdict"]["cause"].is_null());
}

TEST_CASE("jsonl: text that is not UTF-8 is replaced, never an exception", "[jsonl]") {
  auto r = test::sample_report();
  r.checks[0].findings[0].title = std::string("bad \xff byte");
  const auto e = events(render_jsonl(r));
  CHECK(e[0]["message"].get<std::string>().find("bad") == 0);
}
