// Tests for platform/src/posix_tz.cpp: POSIX TZ rules, parsed and evaluated, checked against glibc.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <random>
#include <string>

#include "platform/posix_tz.h"

using tlsdoctor::platform::local_time_type_at;
using tlsdoctor::platform::parse_posix_tz;
using tlsdoctor::platform::PosixTzDate;

namespace {

std::int64_t utc(int year, int month, int day, int hour = 12, int minute = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return static_cast<std::int64_t>(timegm(&tm));
}

int offset_at(std::string_view rule, std::int64_t t) {
  auto parsed = parse_posix_tz(rule);
  REQUIRE(parsed);
  return local_time_type_at(*parsed, t).utc_offset;
}

}  // namespace

TEST_CASE("POSIX TZ: parsing", "[posix_tz]") {
  SECTION("standard time only") {
    auto rule = parse_posix_tz("UTC0");
    REQUIRE(rule);
    CHECK(rule->standard.abbreviation == "UTC");
    CHECK(rule->standard.utc_offset == 0);
    CHECK_FALSE(rule->daylight);
  }
  SECTION("offsets count west of Greenwich") {
    auto rule = parse_posix_tz("EST5");
    REQUIRE(rule);
    CHECK(rule->standard.utc_offset == -5 * 3600);
  }
  SECTION("quoted names and minutes") {
    auto rule = parse_posix_tz("<+0530>-5:30");
    REQUIRE(rule);
    CHECK(rule->standard.abbreviation == "+0530");
    CHECK(rule->standard.utc_offset == 19800);
  }
  SECTION("daylight saving with Mm.w.d dates and a time") {
    auto rule = parse_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3");
    REQUIRE(rule);
    REQUIRE(rule->daylight);
    CHECK(rule->daylight->utc_offset == 7200);
    CHECK(rule->daylight->is_dst);
    CHECK(rule->dst_start.kind == PosixTzDate::Kind::MonthWeekDay);
    CHECK(rule->dst_start.month == 3);
    CHECK(rule->dst_start.week == 5);
    CHECK(rule->dst_start.time == 7200);
    CHECK(rule->dst_end.time == 3 * 3600);
  }
  SECTION("daylight saving without dates gets glibc's US default") {
    auto rule = parse_posix_tz("XST5XDT");
    REQUIRE(rule);
    CHECK(rule->dst_start.month == 3);
    CHECK(rule->dst_end.month == 11);
  }
  SECTION("malformed rules are errors") {
    for (const char* bad : {"", "AB1", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "<EST5",
                            "EST5EDT,M3.2.0,M11.1.0 junk", "EST5EDT,J0,J365", "EST999"}) {
      INFO(bad);
      CHECK_FALSE(parse_posix_tz(bad));
    }
  }
}

TEST_CASE("POSIX TZ: evaluation", "[posix_tz]") {
  constexpr auto kEurope = "CET-1CEST,M3.5.0,M10.5.0/3";
  // 2026: last Sunday of March is the 29th, change at 01:00 UTC.
  CHECK(offset_at(kEurope, utc(2026, 3, 29, 0, 59)) == 3600);
  CHECK(offset_at(kEurope, utc(2026, 3, 29, 1, 0)) == 7200);
  // Last Sunday of October is the 25th, back at 03:00 CEST = 01:00 UTC.
  CHECK(offset_at(kEurope, utc(2026, 10, 25, 0, 59)) == 7200);
  CHECK(offset_at(kEurope, utc(2026, 10, 25, 1, 0)) == 3600);

  // Southern hemisphere: daylight saving spans New Year.
  constexpr auto kSydney = "AEST-10AEDT,M10.1.0,M4.1.0/3";
  CHECK(offset_at(kSydney, utc(2026, 12, 31, 23)) == 11 * 3600);
  CHECK(offset_at(kSydney, utc(2027, 1, 1, 1)) == 11 * 3600);
  CHECK(offset_at(kSydney, utc(2026, 7, 1)) == 10 * 3600);

  // RFC 8536's permanent daylight saving: daylight time all year, also across New Year.
  constexpr auto kPermanent = "EST5EDT,0/0,J365/25";
  CHECK(offset_at(kPermanent, utc(2026, 6, 1)) == -4 * 3600);
  CHECK(offset_at(kPermanent, utc(2027, 1, 1, 3)) == -4 * 3600);

  // Jn never counts February 29: J60 is March 1 in leap and common years alike.
  constexpr auto kJulian = "AAA0BBB,J60/0,J300/0";
  CHECK(offset_at(kJulian, utc(2028, 2, 29, 23)) == 0);
  CHECK(offset_at(kJulian, utc(2028, 3, 1, 1)) == 3600);
  // n counts it: day 59 is February 29 in a leap year.
  constexpr auto kZeroBased = "AAA0BBB,59/0,300/0";
  CHECK(offset_at(kZeroBased, utc(2028, 2, 29, 1)) == 3600);

  // Far outside any calendar: standard time, no overflow.
  CHECK(offset_at(kEurope, INT64_MAX) == 3600);
  CHECK(offset_at(kEurope, INT64_MIN) == 3600);
}

TEST_CASE("POSIX TZ: agrees with glibc on rules that name no zone file", "[posix_tz]") {
  const char* old = std::getenv("TZ");
  const std::string saved = old != nullptr ? old : "";
  for (const char* rule : {"CET-1CEST,M3.5.0,M10.5.0/3", "AEST-10AEDT,M10.1.0,M4.1.0/3",
                           "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "IST-2IDT,M3.4.4/26,M10.5.0",
                           "<+0530>-5:30", "NZST-12NZDT,M9.5.0,M4.1.0/3", "AAA3BBB,J60/1,J300/1"}) {
    INFO(rule);
    auto parsed = parse_posix_tz(rule);
    REQUIRE(parsed);
    // Test process only: the code under test never sets TZ.
    ::setenv("TZ", rule, 1);
    ::tzset();
    for (std::int64_t t = utc(2020, 1, 1); t < utc(2032, 1, 1); t += 6 * 3600 + 17 * 60) {
      const auto tt = static_cast<std::time_t>(t);
      std::tm expected{};
      ::localtime_r(&tt, &expected);
      const auto ours = local_time_type_at(*parsed, t);
      if (ours.utc_offset != expected.tm_gmtoff || ours.is_dst != (expected.tm_isdst > 0)) {
        INFO("instant " << t);
        CHECK(ours.utc_offset == expected.tm_gmtoff);
        FAIL("disagrees with glibc");
      }
    }
  }
  if (old != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST_CASE("POSIX TZ: random rule-like text never crashes the parser", "[posix_tz]") {
  constexpr std::string_view kAlphabet = "ABCXYZ<>+-0123456789:,./JM";
  std::mt19937 random(4242);  // fixed seed
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int n = length(random); n > 0; --n) text.push_back(kAlphabet[pick(random)]);
    auto rule = parse_posix_tz(text);
    if (!rule) continue;
    ++accepted;
    (void)local_time_type_at(*rule, 1'800'000'000);
  }
  // Also every prefix of a full rule.
  const std::string full = "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1";
  for (std::size_t n = 0; n <= full.size(); ++n) {
    auto rule = parse_posix_tz(full.substr(0, n));
    if (rule) (void)local_time_type_at(*rule, 0);
  }
  CHECK(parse_posix_tz(full).has_value());
  CHECK(accepted < 20000);
}
