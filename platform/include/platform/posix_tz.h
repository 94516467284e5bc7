// Parses POSIX TZ rule strings ("CET-1CEST,M3.5.0,M10.5.0/3") and evaluates them at an instant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace tlsdoctor::platform {

// One kind of local time: an offset from UTC, whether it is daylight saving, its abbreviation.
struct LocalTimeType {
  std::int32_t utc_offset = 0;  // seconds east of UTC (+3600 for CET)
  bool is_dst = false;
  std::string abbreviation;     // "CET", "+0530"
};

// When a daylight-saving change happens in a year (POSIX "date[/time]").
struct PosixTzDate {
  enum class Kind {
    JulianNoLeap,   // "Jn": day 1..365, February 29 is never counted
    ZeroBasedDay,   // "n": day 0..365, February 29 counted in leap years
    MonthWeekDay,   // "Mm.w.d": weekday d (0 = Sunday) of week w (5 = last) of month m
  };
  Kind kind = Kind::MonthWeekDay;
  int day = 0;      // Jn and n forms
  int month = 0;    // Mm.w.d: 1..12
  int week = 0;     // Mm.w.d: 1..5
  int weekday = 0;  // Mm.w.d: 0..6
  // Seconds after local midnight; RFC 8536 allows -167 to +167 hours.
  std::int32_t time = 2 * 3600;
};

struct PosixTz {
  LocalTimeType standard;
  std::optional<LocalTimeType> daylight;  // nullopt: the zone has no daylight saving
  PosixTzDate dst_start;                  // in local standard time
  PosixTzDate dst_end;                    // in local daylight time
};

// Parses a POSIX TZ rule, including the RFC 8536 extensions (quoted "<+0530>" names, hours up
// to 167 in transition times). A rule with daylight saving but no dates gets the US rules that
// glibc assumes ("M3.2.0,M11.1.0").
tl::expected<PosixTz, std::string> parse_posix_tz(std::string_view text);

// The local time type the rule gives at `utc_seconds`. Instants beyond about 30,000 years from
// now are treated as standard time (the calendar arithmetic would overflow).
LocalTimeType local_time_type_at(const PosixTz& rule, std::int64_t utc_seconds);

}  // namespace tlsdoctor::platform
