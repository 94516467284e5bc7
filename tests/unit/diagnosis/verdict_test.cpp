// Verdict rules: healthy, warnings only, priority among failures, nothing could run.
#include <catch2/catch.hpp>

#include "diagnosis/verdict.h"

using namespace tlsdoctor;
using namespace tlsdoctor::diagnosis;

namespace {

CheckResult check_with(std::string id, std::vector<Finding> findings) {
  CheckResult c;
  c.id = std::move(id);
  c.title = c.id;
  c.status = status_from_findings(findings);
  c.findings = std::move(findings);
  return c;
}

Finding finding(FindingId id, Severity s, std::string fix = "do this") {
  return Finding{id, s, std::string(to_string(id)) + " title", {}, std::move(fix)};
}

}  // namespace

TEST_CASE("no problems: the verdict is none and names no cause") {
  const auto v = diagnose({check_with("clock", {}), check_with("proxy", {finding(FindingId::ProxyInUse, Severity::Info, "")})});
  CHECK(v.layer == VerdictLayer::None);
  CHECK_FALSE(v.cause.has_value());
  CHECK(v.first_step.empty());
  CHECK_FALSE(v.missing_evidence.empty());
}

TEST_CASE("warnings alone keep the verdict at none but are listed as contributing") {
  const auto v = diagnose({check_with("clock", {finding(FindingId::ClockUnsynchronized, Severity::Warn)})});
  CHECK(v.layer == VerdictLayer::None);
  REQUIRE(v.contributing.size() == 1);
  CHECK(v.contributing[0] == FindingId::ClockUnsynchronized);
}

TEST_CASE("a failure is the cause, and a wrong clock outranks a trust failure found later") {
  const auto v = diagnose({
      check_with("trust_store", {finding(FindingId::TrustRootDistrusted, Severity::Fail, "remove it")}),
      check_with("clock", {finding(FindingId::ClockBeforeBuild, Severity::Fail, "set the clock")}),
  });
  CHECK(v.layer == VerdictLayer::Local);
  REQUIRE(v.cause.has_value());
  CHECK(*v.cause == FindingId::ClockBeforeBuild);
  CHECK(v.first_step == "set the clock");
  CHECK(v.summary == "clock.before_build title");
  REQUIRE(v.contributing.size() == 1);
  CHECK(v.contributing[0] == FindingId::TrustRootDistrusted);
  CHECK(v.confidence == Confidence::High);
}

TEST_CASE("a failure outranks any warning whatever their priority") {
  const auto v = diagnose({
      check_with("clock", {finding(FindingId::ClockBeforeBuild, Severity::Warn)}),
      check_with("proxy", {finding(FindingId::ProxyUnreachable, Severity::Fail, "fix proxy")}),
  });
  REQUIRE(v.cause.has_value());
  CHECK(*v.cause == FindingId::ProxyUnreachable);
}

TEST_CASE("when every check errored the verdict is unknown") {
  CheckResult broken;
  broken.id = "clock";
  broken.status = CheckStatus::Error;
  broken.error = "could not read";
  const auto v = diagnose({broken});
  CHECK(v.layer == VerdictLayer::Unknown);
  CHECK(v.confidence == Confidence::Low);
}

TEST_CASE("missing evidence names what the run could not observe") {
  auto skipped = check_with("interception", {});
  skipped.status = CheckStatus::Skip;
  SECTION("neither a reference nor a target") {
    const auto v = diagnose({check_with("clock", {}), skipped});
    REQUIRE(v.missing_evidence.size() == 1);
    CHECK(v.missing_evidence[0].find("no reference and no target") == 0);
  }
  SECTION("targets without a reference: the path cannot be told from the server") {
    const auto v = diagnose({check_with("clock", {}), skipped,
                             check_with("target", {finding(FindingId::ServerCertExpired, Severity::Fail)})});
    CHECK(v.layer == VerdictLayer::Server);
    REQUIRE(v.missing_evidence.size() == 1);
    CHECK(v.missing_evidence[0].find("no reference: a fault on the network path") == 0);
  }
  SECTION("a reference and targets: nothing missing") {
    const auto v = diagnose({check_with("interception", {}), check_with("target", {})});
    CHECK(v.missing_evidence.empty());
  }
}
