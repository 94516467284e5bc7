// Tests for report/report_reader: what `compare` accepts as a report, and how it names what it refuses.
#include <catch2/catch.hpp>

#include <string>

#include "report/report.h"
#include "report/report_reader.h"

using tlsdoctor::report::kMaxReportDepth;
using tlsdoctor::report::parse_report;

TEST_CASE("report reader: a report of this schema is read", "[report_reader]") {
  const std::string text = std::string(R"({"schema": ")") + std::string(tlsdoctor::report::kSchema) +
                           R"(", "verdict": {"layer": "none"}})";
  const auto report = parse_report(text, "a.json");
  REQUIRE(report);
  CHECK((*report)["verdict"]["layer"] == "none");
}

TEST_CASE("report reader: not JSON, another schema and deep nesting are refused naming the file", "[report_reader]") {
  const auto not_json = parse_report("not json", "notes.txt");
  REQUIRE_FALSE(not_json);
  CHECK(not_json.error() == "notes.txt: not JSON (write reports with -f json)");

  const auto other = parse_report(R"({"schema": "something/1"})", "other.json");
  REQUIRE_FALSE(other);
  CHECK(other.error().find("other.json: not a tlsdoctor report") == 0);

  const auto array = parse_report("[1, 2]", "array.json");
  REQUIRE_FALSE(array);

  // One level past the limit, inside a report that would otherwise be read.
  std::string deep = std::string(R"({"schema": ")") + std::string(tlsdoctor::report::kSchema) + R"(", "x": )";
  for (std::size_t i = 0; i < kMaxReportDepth; ++i) deep += "[";
  for (std::size_t i = 0; i < kMaxReportDepth; ++i) deep += "]";
  deep += "}";
  const auto too_deep = parse_report(deep, "deep.json");
  REQUIRE_FALSE(too_deep);
  CHECK(too_deep.error() == "deep.json: not a tlsdoctor report (JSON nested deeper than 64 levels)");

  std::string shallow = std::string(R"({"schema": ")") + std::string(tlsdoctor::report::kSchema) + R"(", "x": )";
  for (std::size_t i = 0; i + 1 < kMaxReportDepth; ++i) shallow += "[";
  for (std::size_t i = 0; i + 1 < kMaxReportDepth; ++i) shallow += "]";
  shallow += "}";
  CHECK(parse_report(shallow, "shallow.json"));
}
