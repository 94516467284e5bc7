// The MDM scripts in installers/mdm run against the built tlsdoctor: their output and exit codes as Intune and Jamf read them.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "lab/subprocess.h"

using namespace tlsdoctor;

namespace {

// A quick local run that asks no network.
constexpr const char* kArgs = "--offline --no-policy --only clock,trust_store";

lab::ProcessResult run_script(const std::string& script, std::map<std::string, std::optional<std::string>> env = {}) {
  lab::ProcessOptions options;
  options.env = {{"TLSDOCTOR", lab::tlsdoctor_binary()}, {"TLSDOCTOR_ARGS", std::string(kArgs)}};
  for (auto& [k, v] : env) options.env[k] = v;
  return lab::run_process({"sh", std::string(TLSDOCTOR_SOURCE_DIR) + "/installers/mdm/" + script}, options);
}

}  // namespace

TEST_CASE("intune discovery: one line of JSON with the settings the rules check, exit 0 even with problems") {
  for (const auto& cert_file : {std::optional<std::string>(), std::optional<std::string>("/nonexistent.pem")}) {
    const auto r = run_script("intune/discovery.sh", {{"SSL_CERT_FILE", cert_file}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    REQUIRE_FALSE(r.out.empty());
    CHECK(r.out.find('\n') == r.out.size() - 1);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["TlsdoctorHealthy"] == !cert_file.has_value());
    if (cert_file) CHECK(j["TlsdoctorCause"] == "trust.override_broken");
  }
  const auto missing = run_script("intune/discovery.sh", {{"TLSDOCTOR", "/nonexistent/tlsdoctor"}});
  CHECK(missing.exit_code == 0);
  CHECK(nlohmann::json::parse(missing.out)["TlsdoctorHealthy"] == false);
  // A policy tlsdoctor cannot follow (exit 2) is still a result, and not a compliant one.
  const auto bad_policy = run_script("intune/discovery.sh", {{"TLSDOCTOR_ARGS", "--offline --policy /nonexistent.json"}});
  CHECK(bad_policy.exit_code == 0);
  CHECK(nlohmann::json::parse(bad_policy.out)["TlsdoctorStatus"] == "error");
}

TEST_CASE("intune detection: exit 1 on problems, 0 when healthy, output under 2,048 characters") {
  const auto healthy = run_script("intune/detect.sh");
  INFO(healthy.out << healthy.err);
  CHECK(healthy.exit_code == 0);
  CHECK(healthy.out.find("Verdict") != std::string::npos);
  const auto broken = run_script("intune/detect.sh", {{"SSL_CERT_FILE", "/nonexistent.pem"}});
  CHECK(broken.exit_code == 1);
  CHECK(broken.out.size() < 2048);
  CHECK(broken.out.find("Verdict: local") != std::string::npos);
  CHECK(run_script("intune/detect.sh", {{"TLSDOCTOR", "/nonexistent/tlsdoctor"}}).exit_code == 1);
}

TEST_CASE("jamf extension attribute: a <result> line that smart groups can match") {
  const auto healthy = run_script("jamf/extension-attribute.sh");
  INFO(healthy.out << healthy.err);
  CHECK(healthy.exit_code == 0);
  CHECK(healthy.out.rfind("<result>healthy (", 0) == 0);
  const auto broken = run_script("jamf/extension-attribute.sh", {{"SSL_CERT_FILE", "/nonexistent.pem"}});
  CHECK(broken.out.rfind("<result>problems: local trust.override_broken (", 0) == 0);
  const auto missing = run_script("jamf/extension-attribute.sh", {{"TLSDOCTOR", "/nonexistent/tlsdoctor"}});
  CHECK(missing.out == "<result>error: tlsdoctor is not installed</result>\n");
  const auto bad_policy =
      run_script("jamf/extension-attribute.sh", {{"TLSDOCTOR_ARGS", "--offline --policy /nonexistent.json"}});
  CHECK(bad_policy.out == "<result>error: tlsdoctor exited 2</result>\n");
}
