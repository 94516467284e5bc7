// Tests for checker/nettime/http_date: the three HTTP date forms, and everything that is not one.
#include <catch2/catch.hpp>

#include <string>

#include "core/time_format.h"
#include "lab/date_server.h"
#include "nettime/http_date.h"

using tlsdoctor::nettime::parse_http_date;

namespace {

std::string parsed(std::string_view text) {
  const auto t = parse_http_date(text);
  return t ? tlsdoctor::rfc3339_utc(*t) : "none";
}

}  // namespace

TEST_CASE("http date: the three forms RFC 9110 requires", "[nettime]") {
  CHECK(parsed("Sun, 06 Nov 1994 08:49:37 GMT") == "1994-11-06T08:49:37Z");
  CHECK(parsed("Sunday, 06-Nov-94 08:49:37 GMT") == "1994-11-06T08:49:37Z");
  CHECK(parsed("Sun Nov  6 08:49:37 1994") == "1994-11-06T08:49:37Z");
  CHECK(parsed("Thu, 01 Jan 1970 00:00:00 GMT") == "1970-01-01T00:00:00Z");
  CHECK(parsed("  Sun, 22 Nov 2026 20:58:04 GMT\r\n") == "2026-11-22T20:58:04Z");
}

TEST_CASE("http date: two-digit years and leap seconds", "[nettime]") {
  CHECK(parsed("Monday, 01-Jan-49 00:00:00 GMT") == "2049-01-01T00:00:00Z");
  CHECK(parsed("Friday, 01-Jan-50 00:00:00 GMT") == "1950-01-01T00:00:00Z");
  // 23:59:60 is the leap second: it reads as the next day's first second.
  CHECK(parsed("Sat, 31 Dec 2016 23:59:60 GMT") == "2017-01-01T00:00:00Z");
}

TEST_CASE("http date: the lab's formatter writes what the parser reads", "[nettime]") {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto back = parse_http_date(tlsdoctor::lab::http_date(now));
  REQUIRE(back.has_value());
  CHECK(*back == now);
}

TEST_CASE("http date: anything else is refused", "[nettime]") {
  for (const char* bad : {"", "now", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 31 Feb 2026 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
                          "Sun, 06 Nov 1994 08:49 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
                          "Funday, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 GMT and then a great deal more text than any date has"}) {
    INFO(bad);
    CHECK(parsed(bad) == "none");
  }
}

// Found by the http_date fuzz target: year 6026 overflowed system_clock's nanoseconds (UB) before
// the parser refused years no clock is in. The input is in tests/fuzz/corpus/http_date too.
TEST_CASE("http date: years outside 1900-2200 are refused, not overflowed", "[nettime]") {
  CHECK(parsed("Mon, 07 Dec 6026 12:02:35 GMT") == "none");
  CHECK(parsed("Mon Jan  1 00:00:00 0001") == "none");
  CHECK(parsed("Sun, 31 Dec 1899 23:59:59 GMT") == "none");
  CHECK(parsed("Mon, 01 Jan 1900 00:00:00 GMT") == "1900-01-01T00:00:00Z");
  CHECK(parsed("Sat, 31 Dec 2200 23:59:59 GMT") == "2200-12-31T23:59:59Z");
}
