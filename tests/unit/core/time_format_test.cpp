// RFC 3339 formatting and parsing of report timestamps.
#include <catch2/catch.hpp>

#include "core/time_format.h"

using namespace tlsdoctor;
using namespace std::chrono;

TEST_CASE("rfc3339_utc formats whole seconds in UTC") {
  CHECK(rfc3339_utc(system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  const auto t = sys_days{year{2024} / February / 29} + hours{23} + minutes{59} + seconds{58} +
                 milliseconds{999};
  CHECK(rfc3339_utc(t) == "2024-02-29T23:59:58Z");
}

TEST_CASE("parse_rfc3339_utc round-trips and rejects malformed text") {
  const auto t = sys_days{year{2026} / November / 22} + hours{7} + minutes{40};
  REQUIRE(parse_rfc3339_utc(rfc3339_utc(t)).has_value());
  CHECK(*parse_rfc3339_utc(rfc3339_utc(t)) == t);
  CHECK(parse_rfc3339_utc("2026-11-22T07:40:00.123Z").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2026-11-22 07:40:00").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2026-13-22T07:40:00Z").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2026-02-30T07:40:00Z").has_value());
  CHECK_FALSE(parse_rfc3339_utc("").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2026-11-22T07:40:00+01:00").has_value());
}
