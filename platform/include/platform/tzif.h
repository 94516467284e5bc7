// Reads TZif time zone files (RFC 8536) and tells the local time type in effect at an instant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "platform/posix_tz.h"

namespace tlsdoctor::platform {

// Largest TZif file we parse. The biggest zones in tzdata ("fat" files with leap seconds, such
// as right/America/New_York) stay under 8 KB; 256 KB leaves room for any future growth while
// refusing to parse something that is clearly not a zone file.
inline constexpr std::size_t kMaxTzifBytes = 256u * 1024u;

struct TzifData {
  int version = 1;                             // 1, 2, 3 or 4 (from the header byte)
  std::vector<std::int64_t> transition_times;  // UTC seconds since the epoch, ascending
  std::vector<std::uint8_t> transition_types;  // index into `types`, one per transition
  std::vector<LocalTimeType> types;            // never empty once parsed
  std::string footer;  // POSIX TZ rule for instants after the last transition ("" if none)
  std::optional<PosixTz> footer_rule;  // the footer, parsed (nullopt when there is none)
};

// Parses a whole TZif file. Uses the 64-bit data block of version 2+ files and the 32-bit
// block of version 1 files. Errors name what is malformed ("truncated data block", "bad footer
// rule: ..."): a file whose footer does not parse is refused as a whole.
tl::expected<TzifData, std::string> parse_tzif(std::string_view bytes);

// True when `bytes` begins with the TZif magic (a cheap test before a full parse).
bool looks_like_tzif(std::string_view bytes);

// The local time type in effect at `utc_seconds`: type 0 before the first transition (RFC 8536
// section 3.2), the footer rule after the last one when the file has a footer, otherwise the
// type of the latest transition at or before the instant. Fails only for a TzifData that has
// no types (one parse_tzif never returns).
tl::expected<LocalTimeType, std::string> local_time_type_at(const TzifData& zone,
                                                            std::int64_t utc_seconds);

}  // namespace tlsdoctor::platform
