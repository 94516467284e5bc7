// Tests for report/intune_renderer.cpp: one compact line of flat settings Intune's rules can compare.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "report/intune_renderer.h"
#include "unit/report/sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;

TEST_CASE("intune: one line of flat string, integer and boolean settings", "[intune]") {
  const auto out = render_intune(test::sample_report());
  REQUIRE(out.back() == '\n');
  CHECK(out.find('\n') == out.size() - 1);
  const auto j = nlohmann::json::parse(out);
  REQUIRE(j.is_object());
  for (const auto& [key, value] : j.items()) {
    INFO(key);
    CHECK(key.starts_with("Tlsdoctor"));
    CHECK((value.is_string() || value.is_number_integer() || value.is_boolean()));
  }
  CHECK(j["TlsdoctorStatus"] == "problems");
  CHECK(j["TlsdoctorHealthy"] == false);
  CHECK(j["TlsdoctorLayer"] == "local");
  CHECK(j["TlsdoctorCause"] == "proxy.unreachable");
  CHECK(j["TlsdoctorFailCount"] == 1);
  CHECK(j["TlsdoctorWarnCount"] == 1);
  CHECK(j["TlsdoctorVersion"] == "0.1.0");
}

TEST_CASE("intune: the settings the rules file checks are the ones rendered", "[intune]") {
  std::ifstream in(std::string(TLSDOCTOR_SOURCE_DIR) + "/installers/mdm/intune/tlsdoctor-rules.json");
  REQUIRE(in);
  const auto rules = nlohmann::json::parse(in);
  const auto rendered = nlohmann::json::parse(render_intune(test::sample_report()));
  REQUIRE(rules.contains("Rules"));
  REQUIRE_FALSE(rules["Rules"].empty());
  for (const auto& rule : rules["Rules"]) {
    INFO(rule.dump());
    CHECK(rendered.contains(rule["SettingName"].get<std::string>()));
    for (const char* field : {"SettingName", "Operator", "DataType", "Operand", "MoreInfoUrl", "RemediationStrings"}) {
      CHECK(rule.contains(field));
    }
    bool english = false;
    for (const auto& s : rule["RemediationStrings"]) english = english || s["Language"] == "en_US";
    CHECK(english);
  }
}
