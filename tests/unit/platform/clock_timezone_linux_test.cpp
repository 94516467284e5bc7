// Tests for platform/src/clock_timezone_linux.cpp: every way $TZ and /etc/localtime can be set.
#include <catch2/catch.hpp>

#include <ctime>
#include <filesystem>

#include "lab/subprocess.h"
#include "platform/clock.h"
#include "temp_sysroot.h"

namespace platform = tlsdoctor::platform;
using namespace std::chrono_literals;
using tlsdoctor::test::TempSysroot;

namespace {

const std::filesystem::path kBerlin = std::string(TLSDOCTOR_FIXTURES_DIR) +
                                      "/sysroot-debian/usr/share/zoneinfo/Europe/Berlin";
const std::filesystem::path kSydney = std::string(TLSDOCTOR_FIXTURES_DIR) +
                                      "/sysroot-intercepted/usr/share/zoneinfo/Australia/Sydney";

// 2026-07-01 12:00 UTC: summer in Berlin (CEST, +02:00), winter in Sydney (AEST, +10:00).
const auto kJuly = std::chrono::system_clock::from_time_t(1782907200);

// A sysroot with Berlin and Sydney in its zone database and nothing else.
struct ZoneRoot {
  TempSysroot root;
  ZoneRoot() {
    root.copy(kBerlin, "/usr/share/zoneinfo/Europe/Berlin");
    root.copy(kSydney, "/usr/share/zoneinfo/Australia/Sydney");
  }
  platform::TimezoneFacts facts(std::optional<std::string> tz = std::nullopt) const {
    auto env = root.env();
    if (tz) env.vars["TZ"] = *tz;
    return platform::timezone_facts(env, kJuly);
  }
};

}  // namespace

TEST_CASE("time zone: nothing set means UTC", "[clock][timezone]") {
  ZoneRoot z;
  const auto facts = z.facts();
  CHECK(facts.source == platform::ZoneSource::Default);
  CHECK_FALSE(facts.localtime_present);
  CHECK(facts.zone == "UTC");
  CHECK(facts.zone_valid);
  CHECK(facts.offset_now.offset == 0s);
  CHECK(facts.errors.empty());
}

TEST_CASE("time zone: the TZ variable", "[clock][timezone]") {
  ZoneRoot z;
  z.root.link("/etc/localtime", "../usr/share/zoneinfo/Australia/Sydney");

  SECTION("a database name overrides /etc/localtime") {
    const auto facts = z.facts("Europe/Berlin");
    CHECK(facts.source == platform::ZoneSource::TzVariable);
    CHECK(facts.tz_variable == "Europe/Berlin");
    CHECK(facts.zone == "Europe/Berlin");
    CHECK(facts.zone_in_database);
    CHECK(facts.zone_valid);
    CHECK(facts.offset_now.offset == 2h);
    CHECK(facts.offset_now.dst);
    CHECK(facts.offset_now.abbreviation == "CEST");
    CHECK(facts.localtime_zone == "Australia/Sydney");  // still reported
  }
  SECTION("a leading colon") {
    const auto facts = z.facts(":Europe/Berlin");
    CHECK(facts.zone == "Europe/Berlin");
    CHECK(facts.offset_now.offset == 2h);
  }
  SECTION("an absolute path") {
    const auto facts = z.facts("/usr/share/zoneinfo/Europe/Berlin");
    CHECK(facts.zone_valid);
    CHECK(facts.zone_in_database);
    CHECK(facts.zone_file == "/usr/share/zoneinfo/Europe/Berlin");
    CHECK(facts.offset_now.offset == 2h);
  }
  SECTION("empty means UTC") {
    const auto facts = z.facts("");
    CHECK(facts.zone == "UTC");
    CHECK(facts.zone_valid);
    CHECK(facts.offset_now.offset == 0s);
  }
  SECTION("a POSIX rule that names no file") {
    const auto facts = z.facts("CET-1CEST,M3.5.0,M10.5.0/3");
    CHECK(facts.zone_valid);
    CHECK_FALSE(facts.zone_in_database);
    CHECK(facts.offset_now.offset == 2h);
    CHECK(facts.offset_now.abbreviation == "CEST");
  }
  SECTION("a misspelt zone: glibc silently uses UTC") {
    const auto facts = z.facts("Europe/Berln");
    CHECK_FALSE(facts.zone_valid);
    CHECK_FALSE(facts.zone_in_database);
    CHECK(facts.offset_now.offset == 0s);
    REQUIRE(facts.errors.size() == 1);
    CHECK(facts.errors.front().input == "$TZ");
  }
  SECTION("a colon forbids the POSIX reading") {
    const auto facts = z.facts(":CET-1CEST,M3.5.0,M10.5.0/3");
    CHECK_FALSE(facts.zone_valid);
  }
  SECTION("a name that climbs out of the database is not looked up") {
    z.root.copy(kBerlin, "/etc/not-a-zone-dir/Berlin");
    const auto facts = z.facts("../../../../etc/not-a-zone-dir/Berlin");
    CHECK_FALSE(facts.zone_valid);
    CHECK_FALSE(facts.zone_in_database);
  }
  SECTION("TZDIR names another database") {
    z.root.copy(kBerlin, "/opt/zones/Europe/Berlin");
    auto env = z.root.env();
    env.vars["TZ"] = "Europe/Berlin";
    env.vars["TZDIR"] = "/opt/zones";
    const auto facts = platform::timezone_facts(env, kJuly);
    CHECK(facts.zone_valid);
    CHECK(facts.zone_file == "/opt/zones/Europe/Berlin");
  }
  SECTION("TZ=':' means the system default") {
    const auto facts = z.facts(":");
    CHECK(facts.source == platform::ZoneSource::TzVariable);
    CHECK(facts.zone == "Australia/Sydney");
    CHECK(facts.offset_now.offset == 10h);
  }
}

TEST_CASE("time zone: forms of /etc/localtime", "[clock][timezone]") {
  ZoneRoot z;
  SECTION("an absolute link is followed inside the sysroot") {
    z.root.link("/etc/localtime", "/usr/share/zoneinfo/Europe/Berlin");
    const auto facts = z.facts();
    CHECK(facts.zone == "Europe/Berlin");
    CHECK(facts.zone_valid);
    CHECK(facts.offset_now.offset == 2h);
  }
  SECTION("a link into posix/ names the plain zone") {
    z.root.copy(kBerlin, "/usr/share/zoneinfo/posix/Europe/Berlin");
    z.root.link("/etc/localtime", "/usr/share/zoneinfo/posix/Europe/Berlin");
    const auto facts = z.facts();
    CHECK(facts.localtime_zone == "Europe/Berlin");
    CHECK(facts.localtime_zone_in_database == true);
  }
  SECTION("a copied file is named by an identical /etc/timezone zone") {
    z.root.copy(kBerlin, "/etc/localtime");
    z.root.write("/etc/timezone", "# written by the installer\n  Europe/Berlin  \n");
    const auto facts = z.facts();
    CHECK_FALSE(facts.localtime_link);
    CHECK_FALSE(facts.localtime_zone);
    CHECK(facts.etc_timezone == "Europe/Berlin");
    CHECK(facts.zone == "Europe/Berlin");
    CHECK(facts.zone_in_database);
    CHECK(facts.offset_now.offset == 2h);
  }
  SECTION("a copied file that differs from /etc/timezone keeps its path as name") {
    z.root.copy(kBerlin, "/etc/localtime");
    z.root.write("/etc/timezone", "Australia/Sydney\n");
    const auto facts = z.facts();
    CHECK(facts.zone == "/etc/localtime");
    CHECK_FALSE(facts.zone_in_database);
    CHECK(facts.zone_valid);
    CHECK(facts.offset_now.offset == 2h);  // the file decides, not the name
  }
  SECTION("a file that is not TZif") {
    z.root.write("/etc/localtime", "Europe/Berlin\n");
    const auto facts = z.facts();
    CHECK(facts.localtime_present);
    CHECK_FALSE(facts.localtime_dangling);
    CHECK_FALSE(facts.zone_valid);
    CHECK(facts.offset_now.offset == 0s);
    CHECK_FALSE(facts.errors.empty());
  }
  SECTION("a link loop") {
    z.root.link("/etc/localtime", "/etc/localtime");
    const auto facts = z.facts();
    CHECK(facts.localtime_present);
    CHECK_FALSE(facts.zone_valid);
    REQUIRE_FALSE(facts.errors.empty());
    CHECK(facts.errors.front().message == "too many levels of symbolic links");
  }
  SECTION("a dangling link under a valid TZ is still reported") {
    z.root.link("/etc/localtime", "../usr/share/zoneinfo/Mars/Olympus");
    const auto facts = z.facts("Europe/Berlin");
    CHECK(facts.zone_valid);
    CHECK(facts.localtime_dangling);
    CHECK(facts.localtime_zone == "Mars/Olympus");
    CHECK(facts.localtime_zone_in_database == false);
  }
}

TEST_CASE("time zone: this machine, compared with glibc", "[clock][timezone]") {
  // The real machine: whatever it is set to, our offset must be the one localtime_r gives.
  auto env = platform::Env::from_process();
  const auto now = std::chrono::system_clock::now();
  const auto facts = platform::timezone_facts(env, now);
  const auto tt = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::localtime_r(&tt, &tm);
  CHECK(facts.offset_now.offset == std::chrono::seconds{tm.tm_gmtoff});
  CHECK(facts.offset_now.dst == (tm.tm_isdst > 0));
}
