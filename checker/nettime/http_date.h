// HTTP Date header values (RFC 9110 section 5.6.7) as points in time.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tlsdoctor::nettime {

// Years a Date may name. No server's clock is outside them, and the point in time must fit
// system_clock's nanoseconds (1677-2262): a Date in year 6026 would overflow it.
inline constexpr int kFirstDateYear = 1900;
inline constexpr int kLastDateYear = 2200;

// Accepts the three forms a recipient must: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the
// obsolete RFC 850 form ("Sunday, 06-Nov-94 08:49:37 GMT", two-digit years read as within 50
// years of 2000) and asctime ("Sun Nov  6 08:49:37 1994"). The weekday is not checked against the
// date (servers get it wrong; the date itself is what matters). nullopt for anything else,
// including out-of-range fields and years outside 1900-2200.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace tlsdoctor::nettime
