// Tests for platform/src/clock_linux.cpp: clock facts from the five fixture sysroots and the kernel.
#include <catch2/catch.hpp>

#include <ctime>
#include <string>

#include "platform/clock.h"
#include "temp_sysroot.h"

namespace platform = tlsdoctor::platform;
using namespace std::chrono_literals;

namespace {

platform::Env fixture(const std::string& name) {
  platform::Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + name;
  env.run_programs = false;
  return env;
}

std::chrono::system_clock::time_point utc(int year, int month, int day, int hour = 12) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

struct ExpectedZone {
  const char* sysroot;
  const char* zone;
  std::chrono::seconds january;  // offset on 2026-01-15
  std::chrono::seconds july;     // offset on 2026-07-01
  bool july_dst;
  const char* etc_timezone;      // "" when the fixture has none
};

}  // namespace

TEST_CASE("clock: time zone of each fixture sysroot", "[clock]") {
  const ExpectedZone cases[] = {
      {"sysroot-debian", "Europe/Berlin", 1h, 2h, true, "Europe/Berlin"},
      {"sysroot-rhel-legacy", "America/New_York", -5h, -4h, true, ""},
      {"sysroot-rhel-future", "Asia/Kolkata", 5h + 30min, 5h + 30min, false, ""},
      {"sysroot-intercepted", "Australia/Sydney", 11h, 10h, false, "Australia/Sydney"},
  };
  for (const auto& c : cases) {
    INFO(c.sysroot);
    const auto env = fixture(c.sysroot);
    const auto winter = platform::timezone_facts(env, utc(2026, 1, 15));
    CHECK(winter.errors.empty());
    CHECK_FALSE(winter.tz_variable);
    CHECK(winter.source == platform::ZoneSource::Localtime);
    CHECK(winter.localtime_present);
    CHECK_FALSE(winter.localtime_dangling);
    CHECK(winter.localtime_link == "../usr/share/zoneinfo/" + std::string(c.zone));
    CHECK(winter.localtime_resolved == "/usr/share/zoneinfo/" + std::string(c.zone));
    CHECK(winter.localtime_zone == c.zone);
    CHECK(winter.localtime_zone_in_database == true);
    CHECK(winter.zone == c.zone);
    CHECK(winter.zone_valid);
    CHECK(winter.zone_in_database);
    CHECK(winter.zone_file == "/usr/share/zoneinfo/" + std::string(c.zone));
    CHECK(winter.offset_now.offset == c.january);
    if (std::string(c.etc_timezone).empty()) {
      CHECK_FALSE(winter.etc_timezone);
    } else {
      CHECK(winter.etc_timezone == c.etc_timezone);
      CHECK(winter.etc_timezone_in_database == true);
    }
    const auto summer = platform::timezone_facts(env, utc(2026, 7, 1));
    CHECK(summer.offset_now.offset == c.july);
    CHECK(summer.offset_now.dst == c.july_dst);
  }
}

TEST_CASE("clock: the broken fixture's dangling /etc/localtime", "[clock]") {
  const auto facts = platform::timezone_facts(fixture("sysroot-broken"), utc(2026, 7, 1));
  CHECK(facts.localtime_present);
  CHECK(facts.localtime_dangling);
  CHECK(facts.localtime_zone == "Europe/Atlantis");
  CHECK(facts.localtime_zone_in_database == false);
  CHECK(facts.localtime_resolved == "/usr/share/zoneinfo/Europe/Atlantis");
  CHECK(facts.etc_timezone == "Europe/Atlantis");
  CHECK(facts.etc_timezone_in_database == false);
  CHECK(facts.source == platform::ZoneSource::Localtime);
  CHECK(facts.zone == "Europe/Atlantis");
  CHECK_FALSE(facts.zone_valid);
  CHECK_FALSE(facts.zone_in_database);
  // What glibc then uses: UTC.
  CHECK(facts.offset_now.offset == 0s);
  CHECK(facts.offset_now.abbreviation == "UTC");
  REQUIRE_FALSE(facts.errors.empty());
  CHECK(facts.errors.front().input == "/etc/localtime");
}

TEST_CASE("clock: RTC mode from /etc/adjtime", "[clock]") {
  SECTION("fixtures") {
    CHECK(platform::rtc_facts(fixture("sysroot-debian")).mode == platform::RtcMode::Utc);
    CHECK(platform::rtc_facts(fixture("sysroot-rhel-legacy")).mode == platform::RtcMode::Local);
    CHECK(platform::rtc_facts(fixture("sysroot-rhel-future")).mode == platform::RtcMode::Utc);
    // Only two lines: adjtime_config(5) says the mode is then UTC.
    const auto two_lines = platform::rtc_facts(fixture("sysroot-intercepted"));
    CHECK(two_lines.adjtime_present);
    CHECK(two_lines.mode == platform::RtcMode::Utc);
    CHECK_FALSE(two_lines.error);
    const auto missing = platform::rtc_facts(fixture("sysroot-broken"));
    CHECK_FALSE(missing.adjtime_present);
    CHECK(missing.mode == platform::RtcMode::Unknown);
    CHECK_FALSE(missing.error);
  }
  SECTION("a third line that is neither UTC nor LOCAL") {
    tlsdoctor::test::TempSysroot root;
    root.write("/etc/adjtime", "0.0 0 0.0\n0\nlocaltime\n");
    const auto facts = platform::rtc_facts(root.env());
    CHECK(facts.mode == platform::RtcMode::Unknown);
    REQUIRE(facts.error);
    CHECK(facts.error->input == "/etc/adjtime");
  }
  SECTION("CRLF line ends and trailing spaces") {
    tlsdoctor::test::TempSysroot root;
    root.write("/etc/adjtime", "0.0 0 0.0\r\n0\r\nLOCAL  \r\n");
    CHECK(platform::rtc_facts(root.env()).mode == platform::RtcMode::Local);
  }
  SECTION("names") {
    CHECK(platform::to_string(platform::RtcMode::Local) == "local");
    CHECK(platform::to_string(platform::RtcMode::Utc) == "utc");
    CHECK(platform::to_string(platform::RtcMode::Unknown) == "unknown");
  }
}

TEST_CASE("clock: kernel synchronisation state has a sane shape", "[clock]") {
  // Read from the running kernel: only the shape can be checked.
  const auto kernel = platform::kernel_sync_facts();
  if (kernel.error) {
    WARN("ntp_adjtime() not available here: " << kernel.error->message);
    CHECK_FALSE(kernel.error->message.empty());
    return;
  }
  CHECK(kernel.state >= 0);
  CHECK(kernel.state <= 5);
  CHECK(kernel.state_name.starts_with("TIME_"));
  CHECK(kernel.max_error >= 0us);
  CHECK(kernel.estimated_error >= 0us);
  // STA_UNSYNC (0x40) in the raw bits and the flag agree.
  CHECK(kernel.unsynchronized == ((kernel.status & 0x40u) != 0));
}

TEST_CASE("clock: clock_facts gathers every part for each fixture", "[clock]") {
  for (const char* name : {"sysroot-debian", "sysroot-rhel-legacy", "sysroot-rhel-future",
                           "sysroot-intercepted", "sysroot-broken"}) {
    INFO(name);
    const auto before = std::chrono::system_clock::now();
    const auto facts = platform::clock_facts(fixture(name));
    const auto after = std::chrono::system_clock::now();
    CHECK(facts.utc_now >= before);
    CHECK(facts.utc_now <= after);
    CHECK_FALSE(facts.timezone.zone.empty());
    CHECK((facts.kernel.error || !facts.kernel.state_name.empty()));
    CHECK(facts.ntp.systemd);
  }
}

TEST_CASE("clock: source names", "[clock]") {
  CHECK(platform::to_string(platform::ZoneSource::TzVariable) == "TZ");
  CHECK(platform::to_string(platform::ZoneSource::Localtime) == "/etc/localtime");
  CHECK(platform::to_string(platform::ZoneSource::Default) == "default");
}
