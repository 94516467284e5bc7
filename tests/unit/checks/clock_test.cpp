// Tests for checker/checks/clock.cpp: each clock finding fires in one case and stays silent in another.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "checks/clock.h"
#include "checks/clock_facts_json.h"
#include "core/time_format.h"

namespace platform = tlsdoctor::platform;
using namespace std::chrono_literals;
using tlsdoctor::BuildInfo;
using tlsdoctor::CheckResult;
using tlsdoctor::CheckStatus;
using tlsdoctor::Finding;
using tlsdoctor::FindingId;
using tlsdoctor::Severity;
using tlsdoctor::checks::evaluate_clock;
using tlsdoctor::checks::TrustedTime;

namespace {

std::chrono::system_clock::time_point at(std::string_view rfc3339) {
  auto t = tlsdoctor::parse_rfc3339_utc(rfc3339);
  REQUIRE(t);
  return *t;
}

BuildInfo build() { return BuildInfo{"0.1.0-test", at("2026-11-01T00:00:00Z")}; }

// A machine with nothing to report: right time, a real zone, RTC in UTC, chrony in sync.
platform::ClockFacts healthy() {
  platform::ClockFacts f;
  f.utc_now = at("2026-11-22T07:40:12Z");
  f.timezone.source = platform::ZoneSource::Localtime;
  f.timezone.zone = "Europe/Berlin";
  f.timezone.zone_file = "/usr/share/zoneinfo/Europe/Berlin";
  f.timezone.zone_in_database = true;
  f.timezone.zone_valid = true;
  f.timezone.offset_now = platform::UtcOffset{3600s, false, "CET"};
  f.timezone.localtime_present = true;
  f.timezone.localtime_link = "../usr/share/zoneinfo/Europe/Berlin";
  f.timezone.localtime_resolved = "/usr/share/zoneinfo/Europe/Berlin";
  f.timezone.localtime_zone = "Europe/Berlin";
  f.timezone.localtime_zone_in_database = true;
  f.rtc.adjtime_present = true;
  f.rtc.mode = platform::RtcMode::Utc;
  f.kernel.state = 0;
  f.kernel.state_name = "TIME_OK";
  f.kernel.status = 0x2001;
  f.kernel.unsynchronized = false;
  f.kernel.max_error = 250ms;
  f.kernel.estimated_error = 2ms;
  f.ntp.systemd = true;
  platform::NtpClient chrony;
  chrony.name = "chrony";
  chrony.config_path = "/etc/chrony/chrony.conf";
  chrony.servers = {"2.debian.pool.ntp.org"};
  chrony.unit = "chrony.service";
  chrony.unit_installed = true;
  chrony.unit_enabled = true;
  f.ntp.clients.push_back(chrony);
  return f;
}

// A copy, so that it may be taken from a temporary result.
std::optional<Finding> find(const CheckResult& r, FindingId id) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.id == id; });
  if (it == r.findings.end()) return std::nullopt;
  return *it;
}

std::string evidence(const Finding& f, std::string_view key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "(absent)";
}

TrustedTime trusted(std::chrono::seconds local_minus_utc, std::chrono::milliseconds uncertainty = 100ms) {
  const auto utc = at("2026-11-22T07:40:12Z");
  return TrustedTime{utc, utc + local_minus_utc, uncertainty, "test reference (signed)"};
}

}  // namespace

TEST_CASE("clock check: a healthy machine has no findings", "[clock]") {
  const auto r = evaluate_clock(healthy(), build());
  CHECK(r.id == "clock");
  CHECK(r.title == "Clock and timezone");
  CHECK(r.findings.empty());
  CHECK(r.status == CheckStatus::Pass);
  CHECK(r.summary == "UTC 2026-11-22 07:40, Europe/Berlin (UTC+01:00), synchronised by chrony");
  CHECK(r.facts["utc_now"] == "2026-11-22T07:40:12Z");
  CHECK(r.facts["build_date"] == "2026-11-01T00:00:00Z");
  CHECK(r.facts["trusted_time"].is_null());  // the skew was not judged
  CHECK(r.facts["timezone"]["zone"] == "Europe/Berlin");
  CHECK(r.facts["timezone"]["utc_offset"] == "+01:00");
  CHECK(r.facts["rtc"]["mode"] == "utc");
  CHECK(r.facts["kernel"]["synchronized"] == true);
  CHECK(r.facts["kernel"]["status"] == "0x2001");
  CHECK(r.facts["ntp"]["in_use"] == nlohmann::ordered_json::array({"chrony"}));
  CHECK(r.facts["ntp"]["clients"][0]["servers"][0] == "2.debian.pool.ntp.org");
}

TEST_CASE("clock check: clock.before_build", "[clock]") {
  auto f = healthy();
  SECTION("fires when the clock is earlier than the build day") {
    f.utc_now = at("2000-01-01T00:00:00Z");
    const auto r = evaluate_clock(f, build());
    const auto finding = find(r, FindingId::ClockBeforeBuild);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Fail);
    CHECK(evidence(*finding, "system_time") == "2000-01-01T00:00:00Z");
    CHECK(evidence(*finding, "build_date") == "2026-11-01T00:00:00Z");
    CHECK_FALSE(finding->fix.empty());
    CHECK(r.status == CheckStatus::Fail);
    CHECK(r.findings.front().id == FindingId::ClockBeforeBuild);  // listed first
  }
  SECTION("silent from the build day on") {
    f.utc_now = build().build_time;
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockBeforeBuild));
  }
}

TEST_CASE("clock check: clock.skew against a trusted time", "[clock]") {
  const auto f = healthy();
  SECTION("not judged without a trusted time") {
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockSkew));
  }
  SECTION("two hours and 37 minutes ahead fails") {
    const auto r = evaluate_clock(f, build(), trusted(2h + 37min));
    const auto finding = find(r, FindingId::ClockSkew);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Fail);
    CHECK(finding->title == "The system clock is 2 h 37 min ahead of the correct time");
    CHECK(evidence(*finding, "skew_seconds") == "9420");
    CHECK_FALSE(find(r, FindingId::ClockTimezoneMismatch));
    CHECK(evidence(*finding, "trusted_source") == "test reference (signed)");
    CHECK(r.facts["trusted_time"]["source"] == "test reference (signed)");
    CHECK(r.facts["trusted_time"]["uncertainty_ms"] == 100);
  }
  SECTION("ten minutes behind warns") {
    const auto finding = find(evaluate_clock(f, build(), trusted(-10min)), FindingId::ClockSkew);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Warn);
    CHECK(finding->title == "The system clock is 10 min behind the correct time");
  }
  SECTION("silent within the tolerance") {
    CHECK_FALSE(find(evaluate_clock(f, build(), trusted(-3min)), FindingId::ClockSkew));
  }
  SECTION("silent when the source's uncertainty could explain it") {
    CHECK_FALSE(find(evaluate_clock(f, build(), trusted(6min, 2min)), FindingId::ClockSkew));
  }
  SECTION("a policy's tolerance moves the threshold both ways") {
    CHECK_FALSE(find(evaluate_clock(f, build(), trusted(-10min), 15min), FindingId::ClockSkew));
    const auto strict = find(evaluate_clock(f, build(), trusted(-3min), 60s), FindingId::ClockSkew);
    REQUIRE(strict.has_value());
    CHECK(strict->severity == Severity::Warn);
    CHECK(evidence(*strict, "tolerance_seconds") == "60");
    // Beyond an hour fails, unless the policy allows more than an hour (97 minutes: no zone step).
    CHECK(find(evaluate_clock(f, build(), trusted(-97min)), FindingId::ClockSkew)->severity == Severity::Fail);
    CHECK(find(evaluate_clock(f, build(), trusted(-97min), 2h), FindingId::ClockSkew) == std::nullopt);
    CHECK(find(evaluate_clock(f, build(), trusted(-200min), 2h), FindingId::ClockSkew)->severity == Severity::Fail);
  }
}

TEST_CASE("clock check: clock.timezone_mismatch when the skew is a whole zone step", "[clock]") {
  const auto f = healthy();  // Europe/Berlin, UTC+01:00 in November
  SECTION("ahead by this zone's own offset: the hardware clock's local time read as UTC") {
    const auto r = evaluate_clock(f, build(), trusted(1h + 20s));
    const auto finding = find(r, FindingId::ClockTimezoneMismatch);
    REQUIRE(finding.has_value());
    CHECK_FALSE(find(r, FindingId::ClockSkew));
    CHECK(finding->severity == Severity::Warn);  // one whole hour is not beyond an hour
    CHECK(finding->title ==
          "The system clock is 1 h ahead of the correct time, exactly this time zone's offset (UTC+01:00): the "
          "hardware clock keeps local time and was read as UTC");
    CHECK(evidence(*finding, "whole_offset") == "UTC+01:00");
    CHECK(evidence(*finding, "zone") == "Europe/Berlin");
    CHECK(finding->fix.find("RealTimeIsUniversal") != std::string::npos);
  }
  SECTION("behind by this zone's offset: the hardware clock's UTC read as local time") {
    const auto finding = find(evaluate_clock(f, build(), trusted(-1h)), FindingId::ClockTimezoneMismatch);
    REQUIRE(finding.has_value());
    CHECK(finding->title.find("the hardware clock keeps UTC and was read as local time") != std::string::npos);
    CHECK(finding->fix.find("set-local-rtc 0") != std::string::npos);
  }
  SECTION("a whole number of hours that is not this zone's offset: the zone is wrong") {
    const auto finding = find(evaluate_clock(f, build(), trusted(3h + 40s)), FindingId::ClockTimezoneMismatch);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Fail);
    CHECK(finding->title ==
          "The system clock is exactly 3 h ahead of the correct time: the time zone is probably wrong, and the clock "
          "was set to show local time under it");
    CHECK(evidence(*finding, "whole_offset") == "UTC+03:00");
    CHECK(finding->fix.find("set-timezone") != std::string::npos);
  }
  SECTION("quarter hours count (Nepal is UTC+05:45)") {
    const auto finding = find(evaluate_clock(f, build(), trusted(-(5h + 45min) + 30s)), FindingId::ClockTimezoneMismatch);
    REQUIRE(finding.has_value());
    CHECK(evidence(*finding, "whole_offset") == "UTC-05:45");
  }
  SECTION("the source's uncertainty widens the match") {
    CHECK(find(evaluate_clock(f, build(), trusted(3h + 4min, 5min)), FindingId::ClockTimezoneMismatch));
  }
  SECTION("a skew between zone steps is a plain skew") {
    const auto r = evaluate_clock(f, build(), trusted(3h + 5min));
    CHECK(find(r, FindingId::ClockSkew));
    CHECK_FALSE(find(r, FindingId::ClockTimezoneMismatch));
  }
  SECTION("further than any two zones are apart is a plain skew") {
    const auto r = evaluate_clock(f, build(), trusted(std::chrono::hours(24 * 30)));
    CHECK(find(r, FindingId::ClockSkew));
    CHECK_FALSE(find(r, FindingId::ClockTimezoneMismatch));
  }
  SECTION("silent within the tolerance, as the skew is") {
    CHECK(evaluate_clock(f, build(), trusted(4min)).findings.empty());
  }
}

TEST_CASE("clock check: clock.unsynchronized", "[clock]") {
  auto f = healthy();
  SECTION("fires when the kernel says STA_UNSYNC") {
    f.kernel.unsynchronized = true;
    f.kernel.state = 5;
    f.kernel.state_name = "TIME_ERROR";
    f.kernel.max_error = 16s;
    f.kernel.estimated_error = 16s;
    const auto r = evaluate_clock(f, build());
    const auto finding = find(r, FindingId::ClockUnsynchronized);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Warn);
    CHECK(evidence(*finding, "max_error") == "16 s");
    CHECK(evidence(*finding, "kernel_state") == "TIME_ERROR");
    CHECK(evidence(*finding, "ntp_client") == "chrony");
    CHECK(finding->fix.find("chronyc tracking") != std::string::npos);
    CHECK(r.status == CheckStatus::Warn);
    CHECK(r.summary.ends_with(", not synchronised"));
  }
  SECTION("without a client the fix turns automatic time on") {
    f.kernel.unsynchronized = true;
    f.ntp.clients.clear();
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockUnsynchronized);
    REQUIRE(finding.has_value());
    CHECK(finding->fix.find("timedatectl set-ntp true") != std::string::npos);
  }
  SECTION("silent when synchronised") {
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockUnsynchronized));
  }
  SECTION("silent when the kernel could not be asked") {
    f.kernel.error = platform::Error{"ntp_adjtime()", "Operation not permitted"};
    const auto r = evaluate_clock(f, build());
    CHECK_FALSE(find(r, FindingId::ClockUnsynchronized));
    CHECK(r.summary.ends_with(", synchronisation unknown"));
    CHECK(r.facts["kernel"]["synchronized"].is_null());
    CHECK(r.facts["kernel"]["error"]["input"] == "ntp_adjtime()");
  }
}

TEST_CASE("clock check: clock.ntp_not_configured", "[clock]") {
  auto f = healthy();
  SECTION("a warning when nothing keeps the clock in sync") {
    f.ntp.clients.clear();
    f.kernel.unsynchronized = true;
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockNtpNotConfigured);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Warn);
    CHECK(evidence(*finding, "clients_found") == "none");
    CHECK_FALSE(finding->fix.empty());
  }
  SECTION("a masked client does not count") {
    f.ntp.clients.front().unit_masked = true;
    f.kernel.unsynchronized = true;
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockNtpNotConfigured);
    REQUIRE(finding.has_value());
    CHECK(evidence(*finding, "clients_found") == "chrony (masked)");
  }
  SECTION("information only when the kernel is synchronised anyway (host keeps time)") {
    f.ntp.clients.clear();
    const auto r = evaluate_clock(f, build());
    const auto finding = find(r, FindingId::ClockNtpNotConfigured);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Info);
    CHECK(finding->fix.empty());
    CHECK(r.status == CheckStatus::Pass);
    CHECK(r.summary.ends_with(", synchronised"));
  }
  SECTION("silent when an enabled client exists") {
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockNtpNotConfigured));
  }
  SECTION("silent without systemd when a client is configured") {
    f.ntp.systemd = false;
    f.ntp.clients.front().unit_enabled = false;
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockNtpNotConfigured));
    CHECK(tlsdoctor::checks::ntp_clients_in_use(f.ntp) == std::vector<std::string>{"chrony"});
  }
}

TEST_CASE("clock check: clock.timezone_invalid", "[clock]") {
  auto f = healthy();
  SECTION("a dangling /etc/localtime") {
    f.timezone.localtime_dangling = true;
    f.timezone.localtime_link = "../usr/share/zoneinfo/Europe/Atlantis";
    f.timezone.localtime_zone = "Europe/Atlantis";
    f.timezone.localtime_zone_in_database = false;
    f.timezone.zone = "Europe/Atlantis";
    f.timezone.zone_valid = false;
    f.timezone.offset_now = platform::UtcOffset{0s, false, "UTC"};
    const auto r = evaluate_clock(f, build());
    const auto finding = find(r, FindingId::ClockTimezoneInvalid);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Warn);
    CHECK(finding->title == "/etc/localtime points to a time zone that is not installed");
    CHECK(evidence(*finding, "localtime_link") == "/etc/localtime -> ../usr/share/zoneinfo/Europe/Atlantis (missing)");
    CHECK(evidence(*finding, "problems") == "/etc/localtime points to a time zone that is not installed");
    CHECK(evidence(*finding, "in_effect") == "UTC (the C library's fallback)");
    CHECK(finding->fix.find("timedatectl set-timezone") != std::string::npos);
    CHECK(r.summary == "UTC 2026-11-22 07:40, time zone broken (Europe/Atlantis; using UTC), synchronised by chrony");
  }
  SECTION("a TZ variable naming no zone") {
    f.timezone.source = platform::ZoneSource::TzVariable;
    f.timezone.tz_variable = "Europe/Berln";
    f.timezone.zone = "Europe/Berln";
    f.timezone.zone_valid = false;
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockTimezoneInvalid);
    REQUIRE(finding.has_value());
    CHECK(finding->title == "The TZ variable names a time zone that does not exist");
    CHECK(evidence(*finding, "tz_variable") == "Europe/Berln");
    CHECK(finding->fix.find("TZ variable") != std::string::npos);
  }
  SECTION("/etc/timezone naming a missing zone") {
    f.timezone.etc_timezone = "Mars/Olympus";
    f.timezone.etc_timezone_in_database = false;
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockTimezoneInvalid);
    REQUIRE(finding.has_value());
    CHECK(finding->title == "/etc/timezone names a time zone that does not exist");
  }
  SECTION("several problems share one finding, each evidence key once") {
    f.timezone.etc_timezone = "Mars/Olympus";
    f.timezone.etc_timezone_in_database = false;
    f.timezone.localtime_dangling = true;
    f.timezone.zone_valid = false;
    f.timezone.errors.push_back(platform::Error{"/etc/localtime", "dangling link"});
    f.timezone.errors.push_back(platform::Error{"/etc/timezone", "unreadable"});
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockTimezoneInvalid);
    REQUIRE(finding.has_value());
    CHECK(evidence(*finding, "problems") ==
          "/etc/localtime points to a time zone that is not installed; /etc/timezone names a time "
          "zone that does not exist");
    CHECK(evidence(*finding, "read_errors") == "/etc/localtime: dangling link; /etc/timezone: unreadable");
    for (const auto& e : finding->evidence) {
      CHECK(std::count_if(finding->evidence.begin(), finding->evidence.end(),
                          [&](const auto& other) { return other.key == e.key; }) == 1);
    }
  }
  SECTION("an /etc/localtime that is not a zone file") {
    f.timezone.zone_valid = false;
    f.timezone.errors.push_back(platform::Error{"/etc/localtime", "not a valid time zone file: not a TZif file"});
    const auto finding = find(evaluate_clock(f, build()), FindingId::ClockTimezoneInvalid);
    REQUIRE(finding.has_value());
    CHECK(finding->title == "/etc/localtime is not a valid time zone file");
  }
  SECTION("silent for a valid POSIX rule in TZ, though it is not a database name") {
    f.timezone.source = platform::ZoneSource::TzVariable;
    f.timezone.tz_variable = "CET-1CEST,M3.5.0,M10.5.0/3";
    f.timezone.zone = *f.timezone.tz_variable;
    f.timezone.zone_in_database = false;
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockTimezoneInvalid));
  }
  SECTION("silent when nothing names a zone (UTC by default)") {
    f.timezone = platform::TimezoneFacts{};
    const auto r = evaluate_clock(f, build());
    CHECK_FALSE(find(r, FindingId::ClockTimezoneInvalid));
    CHECK(r.summary == "UTC 2026-11-22 07:40, UTC (UTC+00:00), synchronised by chrony");
  }
}

TEST_CASE("clock check: clock.rtc_local_time", "[clock]") {
  auto f = healthy();
  SECTION("fires for LOCAL") {
    f.rtc.mode = platform::RtcMode::Local;
    const auto r = evaluate_clock(f, build());
    const auto finding = find(r, FindingId::ClockRtcLocalTime);
    REQUIRE(finding.has_value());
    CHECK(finding->severity == Severity::Warn);
    CHECK(evidence(*finding, "utc_offset") == "UTC+01:00");
    CHECK(finding->fix.find("set-local-rtc 0") != std::string::npos);
    CHECK(r.facts["rtc"]["mode"] == "local");
  }
  SECTION("silent for UTC and for unknown") {
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockRtcLocalTime));
    f.rtc = platform::RtcFacts{};
    CHECK_FALSE(find(evaluate_clock(f, build()), FindingId::ClockRtcLocalTime));
  }
}

TEST_CASE("clock check: formats", "[clock]") {
  using tlsdoctor::checks::format_duration;
  using tlsdoctor::checks::format_utc_offset;
  CHECK(format_utc_offset(0s) == "UTC+00:00");
  CHECK(format_utc_offset(19800s) == "UTC+05:30");
  CHECK(format_utc_offset(-12600s) == "UTC-03:30");
  CHECK(format_duration(250ms) == "250 ms");
  CHECK(format_duration(16s) == "16 s");
  CHECK(format_duration(10min) == "10 min");
  CHECK(format_duration(3h + 12min) == "3 h 12 min");
  CHECK(format_duration(24h * 30 + 4h) == "30 days 4 h");
  CHECK(format_duration(-2h) == "2 h");
}

TEST_CASE("clock check: run against the fixture sysroots", "[clock]") {
  const auto fixture = [](const char* name) {
    platform::Env env;
    env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + name;
    env.run_programs = false;
    return tlsdoctor::checks::Context{env, build(), tlsdoctor::Deadline::after(5s)};
  };
  const tlsdoctor::checks::ClockCheck check;
  CHECK(check.id() == "clock");
  CHECK(check.title() == "Clock and timezone");

  // The kernel's sync state is this machine's, so only the sysroot-driven findings are fixed.
  const auto debian = check.run(fixture("sysroot-debian"));
  CHECK(debian.summary.starts_with("UTC "));
  CHECK(debian.summary.find("Europe/Berlin (UTC+0") != std::string::npos);
  CHECK_FALSE(find(debian, FindingId::ClockTimezoneInvalid));
  CHECK_FALSE(find(debian, FindingId::ClockRtcLocalTime));
  CHECK_FALSE(find(debian, FindingId::ClockNtpNotConfigured));
  CHECK_FALSE(find(debian, FindingId::ClockBeforeBuild));
  CHECK(debian.facts["ntp"]["in_use"] == nlohmann::ordered_json::array({"systemd-timesyncd"}));

  const auto legacy = check.run(fixture("sysroot-rhel-legacy"));
  CHECK(find(legacy, FindingId::ClockRtcLocalTime));
  CHECK_FALSE(find(legacy, FindingId::ClockTimezoneInvalid));

  for (const char* name : {"sysroot-rhel-future", "sysroot-intercepted"}) {
    INFO(name);
    const auto r = check.run(fixture(name));
    CHECK_FALSE(find(r, FindingId::ClockTimezoneInvalid));
    CHECK_FALSE(find(r, FindingId::ClockRtcLocalTime));
    CHECK_FALSE(find(r, FindingId::ClockNtpNotConfigured));
  }

  const auto broken = check.run(fixture("sysroot-broken"));
  const auto zone = find(broken, FindingId::ClockTimezoneInvalid);
  REQUIRE(zone.has_value());
  CHECK(zone->title == "/etc/localtime points to a time zone that is not installed");
  CHECK(find(broken, FindingId::ClockNtpNotConfigured));  // timesyncd is masked
  CHECK_FALSE(find(broken, FindingId::ClockRtcLocalTime));
  CHECK(broken.facts["timezone"]["localtime"]["dangling"] == true);
  CHECK(broken.facts["rtc"]["mode"] == "unknown");
}
