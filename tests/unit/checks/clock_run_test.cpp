// Tests for ClockCheck::run: the trusted time comes from the Context's sources (lab HTTPS hosts here).
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/clock.h"
#include "core/build_info.h"
#include "lab/date_server.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

// Lab time hosts `offset` from the true time, and a Context whose time sources are they.
struct SkewedHosts {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-clock-").value();
  lab::SkewedTimeHosts hosts;

  explicit SkewedHosts(std::chrono::seconds offset)
      : hosts(lab::SkewedTimeHosts::start(offset, (dir.path() / "root.pem").string()).value()) {}

  checks::Context context() const {
    checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(10s)};
    for (const auto& url : hosts.urls()) ctx.date_sources.push_back({url, std::nullopt});
    ctx.date_options.ca_file = hosts.ca_file;
    ctx.date_options.resolve = hosts.resolve_entries();
    return ctx;
  }
};

bool has(const CheckResult& r, FindingId id) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.id == id; });
}

}  // namespace

TEST_CASE("clock check run: hosts three hours ahead make this clock a time zone behind", "[clock]") {
  const SkewedHosts hosts(3h);
  const auto r = checks::ClockCheck().run(hosts.context());
  INFO(r.facts["time_sources"].dump());
  CHECK(has(r, FindingId::ClockTimezoneMismatch));
  CHECK_FALSE(has(r, FindingId::ClockSkew));
  CHECK(r.facts["time_sources"]["chosen"] == "HTTP Date of 2 of 2 hosts (median)");
  CHECK(r.facts["trusted_time"]["source"] == "HTTP Date of 2 of 2 hosts (median)");
  CHECK(r.status == CheckStatus::Fail);
}

TEST_CASE("clock check run: hosts 2 h 37 min behind make a plain skew", "[clock]") {
  const SkewedHosts hosts(-(2h + 37min));
  const auto r = checks::ClockCheck().run(hosts.context());
  INFO(r.facts["time_sources"].dump());
  CHECK(has(r, FindingId::ClockSkew));
  CHECK_FALSE(has(r, FindingId::ClockTimezoneMismatch));
}

TEST_CASE("clock check run: hosts agreeing with this clock raise nothing about the skew", "[clock]") {
  const SkewedHosts hosts(0s);
  const auto r = checks::ClockCheck().run(hosts.context());
  INFO(r.facts["time_sources"].dump());
  CHECK_FALSE(r.facts["trusted_time"].is_null());
  CHECK_FALSE(has(r, FindingId::ClockSkew));
  CHECK_FALSE(has(r, FindingId::ClockTimezoneMismatch));
}

TEST_CASE("clock check run: no sources, no skew judged, and the facts say why", "[clock]") {
  const checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(5s)};
  const auto r = checks::ClockCheck().run(ctx);
  CHECK(r.facts["trusted_time"].is_null());
  CHECK(r.facts["time_sources"]["unavailable"] == "no time source configured (offline run)");
}
