// TZif files (RFC 8536): a bounds-checked parser and the lookup of the local time type in effect.
#include "platform/tzif.h"

#include <algorithm>

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kMagic = "TZif";
constexpr std::size_t kHeaderBytes = 44;  // magic, version, 15 reserved, six 32-bit counts
constexpr std::size_t kTypeRecordBytes = 6;  // utoff (4), isdst (1), desigidx (1)

struct Header {
  int version = 1;
  std::uint32_t isutcnt = 0;
  std::uint32_t isstdcnt = 0;
  std::uint32_t leapcnt = 0;
  std::uint32_t timecnt = 0;
  std::uint32_t typecnt = 0;
  std::uint32_t charcnt = 0;
};

std::uint32_t be32(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

std::int64_t be64(std::string_view bytes, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return static_cast<std::int64_t>(v);
}

tl::expected<Header, std::string> read_header(std::string_view bytes, std::size_t at) {
  if (bytes.size() < at + kHeaderBytes) return tl::unexpected(std::string("truncated header"));
  if (bytes.substr(at, kMagic.size()) != kMagic) return tl::unexpected(std::string("not a TZif file"));
  Header h;
  const char version = bytes[at + 4];
  if (version == '\0') {
    h.version = 1;
  } else if (version >= '2' && version <= '9') {
    h.version = version - '0';
  } else {
    return tl::unexpected(std::string("unknown TZif version"));
  }
  std::size_t p = at + 20;
  h.isutcnt = be32(bytes, p);
  h.isstdcnt = be32(bytes, p + 4);
  h.leapcnt = be32(bytes, p + 8);
  h.timecnt = be32(bytes, p + 12);
  h.typecnt = be32(bytes, p + 16);
  h.charcnt = be32(bytes, p + 20);
  if (h.typecnt == 0) return tl::unexpected(std::string("no local time types"));
  if (h.charcnt == 0) return tl::unexpected(std::string("no time zone abbreviations"));
  if (h.isutcnt != 0 && h.isutcnt != h.typecnt) return tl::unexpected(std::string("bad UT indicator count"));
  if (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) {
    return tl::unexpected(std::string("bad standard/wall indicator count"));
  }
  return h;
}

// Bytes of the data block that follows `h`, with `time_bytes` per transition time (4 or 8).
std::uint64_t block_size(const Header& h, std::uint64_t time_bytes) {
  return std::uint64_t{h.timecnt} * time_bytes + h.timecnt + std::uint64_t{h.typecnt} * kTypeRecordBytes +
         h.charcnt + std::uint64_t{h.leapcnt} * (time_bytes + 4) + h.isstdcnt + h.isutcnt;
}

tl::expected<TzifData, std::string> read_block(std::string_view bytes, std::size_t at,
                                                const Header& h, std::size_t time_bytes) {
  if (bytes.size() - at < block_size(h, time_bytes)) {
    return tl::unexpected(std::string("truncated data block"));
  }
  TzifData zone;
  zone.version = h.version;
  std::size_t p = at;
  zone.transition_times.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i, p += time_bytes) {
    const std::int64_t t =
        time_bytes == 8 ? be64(bytes, p) : static_cast<std::int32_t>(be32(bytes, p));
    if (!zone.transition_times.empty() && t <= zone.transition_times.back()) {
      return tl::unexpected(std::string("transition times not in ascending order"));
    }
    zone.transition_times.push_back(t);
  }
  zone.transition_types.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i, ++p) {
    const auto type = static_cast<std::uint8_t>(bytes[p]);
    if (type >= h.typecnt) return tl::unexpected(std::string("transition names a missing time type"));
    zone.transition_types.push_back(type);
  }
  const std::string_view chars = bytes.substr(p + std::size_t{h.typecnt} * kTypeRecordBytes, h.charcnt);
  zone.types.reserve(h.typecnt);
  for (std::uint32_t i = 0; i < h.typecnt; ++i, p += kTypeRecordBytes) {
    LocalTimeType type;
    type.utc_offset = static_cast<std::int32_t>(be32(bytes, p));
    if (type.utc_offset == INT32_MIN) return tl::unexpected(std::string("invalid UTC offset"));
    const auto is_dst = static_cast<unsigned char>(bytes[p + 4]);
    if (is_dst > 1) return tl::unexpected(std::string("invalid daylight-saving flag"));
    type.is_dst = is_dst == 1;
    const auto index = static_cast<unsigned char>(bytes[p + 5]);
    if (index >= chars.size()) return tl::unexpected(std::string("abbreviation index out of range"));
    const auto rest = chars.substr(index);
    type.abbreviation = std::string(rest.substr(0, rest.find('\0')));
    zone.types.push_back(std::move(type));
  }
  return zone;
}

}  // namespace

bool looks_like_tzif(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

tl::expected<TzifData, std::string> parse_tzif(std::string_view bytes) {
  if (bytes.size() > kMaxTzifBytes) return tl::unexpected(std::string("too large for a TZif file"));
  auto v1 = read_header(bytes, 0);
  if (!v1) return tl::unexpected(v1.error());
  if (v1->version == 1) return read_block(bytes, kHeaderBytes, *v1, 4);

  // Version 2+: skip the 32-bit block; the second header describes the 64-bit one.
  const std::uint64_t v1_size = block_size(*v1, 4);
  if (bytes.size() - kHeaderBytes < v1_size) return tl::unexpected(std::string("truncated data block"));
  const std::size_t second = kHeaderBytes + static_cast<std::size_t>(v1_size);
  auto v2 = read_header(bytes, second);
  if (!v2) return tl::unexpected(v2.error());
  auto zone = read_block(bytes, second + kHeaderBytes, *v2, 8);
  if (!zone) return zone;

  const std::size_t footer_at = second + kHeaderBytes + static_cast<std::size_t>(block_size(*v2, 8));
  if (footer_at < bytes.size()) {
    if (bytes[footer_at] != '\n') return tl::unexpected(std::string("footer does not start with a newline"));
    const auto end = bytes.find('\n', footer_at + 1);
    if (end == std::string_view::npos) return tl::unexpected(std::string("unterminated footer"));
    zone->footer = std::string(bytes.substr(footer_at + 1, end - footer_at - 1));
    if (!zone->footer.empty()) {
      auto rule = parse_posix_tz(zone->footer);
      if (!rule) return tl::unexpected("bad footer rule: " + rule.error());
      zone->footer_rule = std::move(*rule);
    }
  }
  return zone;
}

tl::expected<LocalTimeType, std::string> local_time_type_at(const TzifData& zone,
                                                            std::int64_t utc_seconds) {
  if (zone.types.empty()) return tl::unexpected(std::string("zone has no local time types"));
  const auto& times = zone.transition_times;
  if (zone.footer_rule && (times.empty() || utc_seconds >= times.back())) {
    return local_time_type_at(*zone.footer_rule, utc_seconds);
  }
  if (times.empty() || utc_seconds < times.front()) return zone.types.front();
  // The latest transition at or before the instant.
  const auto after = std::upper_bound(times.begin(), times.end(), utc_seconds);
  const auto index = static_cast<std::size_t>(after - times.begin()) - 1;
  return zone.types[zone.transition_types[index]];
}

}  // namespace tlsdoctor::platform
