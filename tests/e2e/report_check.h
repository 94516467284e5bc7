// For end-to-end tests: the report the binary printed, parsed and checked against the schema.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lab/report_schema.h"
#include "lab/subprocess.h"

namespace tlsdoctor::test {

// Fails the test when the run timed out, printed no JSON, or broke the schema (each violation shown).
inline nlohmann::json schema_valid_report(const lab::ProcessResult& r) {
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  nlohmann::json doc;
  REQUIRE_NOTHROW(doc = nlohmann::json::parse(r.out));
  const auto violations = lab::report_schema_violations(doc);
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
  return doc;
}

}  // namespace tlsdoctor::test
