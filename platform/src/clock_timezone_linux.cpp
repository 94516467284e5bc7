// The time zone on Linux: $TZ, /etc/localtime, /etc/timezone, resolved as glibc does, without tzset.
#include <array>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "platform/clock.h"
#include "platform/file_read.h"
#include "platform/sysroot_path.h"
#include "platform/tzif.h"

// glibc's tzset() reads $TZ and /etc/localtime into process-wide state and is not thread-safe;
// we read the same inputs ourselves, under the sysroot, and evaluate the TZif data directly.
namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kLocaltime = "/etc/localtime";
constexpr std::string_view kEtcTimezone = "/etc/timezone";
// Where distributions keep the zone database: Debian, RHEL, SUSE, Arch and Alpine use the
// first; the others are glibc's historical default and NixOS's.
constexpr std::array<std::string_view, 3> kZoneinfoDirs{"/usr/share/zoneinfo", "/usr/lib/zoneinfo",
                                                        "/etc/zoneinfo"};
// A zone name is "Area/City" or "Area/Region/City"; anything this long is not one.
constexpr std::size_t kMaxZoneNameLength = 255;

struct LoadedZone {
  TzifData data;
  std::string file;   // where the link chain ended (user's view)
  std::string bytes;  // to recognise a copied /etc/localtime
};

// Relative, no "..", no empty name: the only names glibc looks up in the database.
bool is_safe_zone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength || name.front() == '/') return false;
  if (name.find('\0') != std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = name.find('/', start);
    const auto part = name.substr(start, slash == std::string_view::npos ? name.npos : slash - start);
    if (part.empty() || part == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

tl::expected<LoadedZone, Error> load_zone_file(const Env& env, std::string_view absolute) {
  auto resolved = resolve_in_sysroot(env, absolute);
  if (!resolved) return tl::unexpected(resolved.error());
  if (!resolved->exists) {
    return tl::unexpected(Error{std::string(absolute), "no such file (link ends at " + resolved->path + ")"});
  }
  auto bytes = read_file(env, resolved->path, kMaxTzifBytes);
  if (!bytes) return tl::unexpected(bytes.error());
  auto data = parse_tzif(*bytes);
  if (!data) return tl::unexpected(Error{resolved->path, "not a valid time zone file: " + data.error()});
  return LoadedZone{std::move(*data), resolved->path, std::move(*bytes)};
}

// The zone file for a database name, from the first database directory that has it.
tl::expected<LoadedZone, Error> load_database_zone(const Env& env, std::string_view name) {
  if (!is_safe_zone_name(name)) return tl::unexpected(Error{std::string(name), "not a zone name"});
  std::optional<Error> first_error;
  for (const auto dir : kZoneinfoDirs) {
    auto zone = load_zone_file(env, std::string(dir) + "/" + std::string(name));
    if (zone) return zone;
    if (!first_error) first_error = zone.error();
  }
  return tl::unexpected(*first_error);
}

bool in_database(const Env& env, std::string_view name) { return load_database_zone(env, name).has_value(); }

// "Europe/Berlin" from ".../zoneinfo/Europe/Berlin" (and from the posix/ and right/ variants).
std::optional<std::string> zone_name_from_path(std::string_view path) {
  constexpr std::string_view kMarker = "zoneinfo/";
  const auto at = path.rfind(kMarker);
  if (at == std::string_view::npos || (at > 0 && path[at - 1] != '/')) return std::nullopt;
  std::string_view name = path.substr(at + kMarker.size());
  for (const std::string_view variant : {"posix/", "right/"}) {
    if (name.starts_with(variant)) name.remove_prefix(variant.size());
  }
  if (!is_safe_zone_name(name)) return std::nullopt;
  return std::string(name);
}

UtcOffset offset_of(const LocalTimeType& type) {
  return UtcOffset{std::chrono::seconds{type.utc_offset}, type.is_dst, type.abbreviation};
}

const UtcOffset kUtc{std::chrono::seconds{0}, false, "UTC"};

std::int64_t epoch_seconds(std::chrono::system_clock::time_point at) {
  return std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
}

UtcOffset offset_at(const LoadedZone& zone, std::chrono::system_clock::time_point at) {
  // parse_tzif never returns a zone without types, so the lookup cannot fail here.
  auto type = local_time_type_at(zone.data, epoch_seconds(at));
  return type ? offset_of(*type) : kUtc;
}

std::optional<std::string> first_word_line(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    return std::string(line);
  }
  return std::nullopt;
}

void read_etc_timezone(const Env& env, TimezoneFacts& facts) {
  auto text = read_file(env, kEtcTimezone);
  if (!text) {
    if (std::filesystem::exists(env.path(kEtcTimezone))) facts.errors.push_back(text.error());
    return;  // absent is normal outside Debian
  }
  facts.etc_timezone = first_word_line(*text);
  if (facts.etc_timezone) facts.etc_timezone_in_database = in_database(env, *facts.etc_timezone);
}

// Reads /etc/localtime's facts and returns its zone when it is usable.
std::optional<LoadedZone> read_localtime(const Env& env, TimezoneFacts& facts) {
  std::error_code ec;
  const auto real = env.path(kLocaltime);
  const auto status = std::filesystem::symlink_status(real, ec);
  if (!std::filesystem::exists(status)) return std::nullopt;
  facts.localtime_present = true;
  if (std::filesystem::is_symlink(status)) {
    const auto target = std::filesystem::read_symlink(real, ec);
    if (!ec) {
      facts.localtime_link = target.string();
      facts.localtime_zone = zone_name_from_path(target.string());
    }
  }
  auto resolved = resolve_in_sysroot(env, kLocaltime);
  if (!resolved) {
    facts.errors.push_back(resolved.error());
    return std::nullopt;
  }
  if (facts.localtime_link) {
    facts.localtime_resolved = resolved->path;
    if (!facts.localtime_zone) facts.localtime_zone = zone_name_from_path(resolved->path);
  }
  facts.localtime_dangling = !resolved->exists;
  if (facts.localtime_zone) facts.localtime_zone_in_database = in_database(env, *facts.localtime_zone);
  if (facts.localtime_dangling) {
    facts.errors.push_back(Error{std::string(kLocaltime), "dangling link to " + resolved->path});
    return std::nullopt;
  }
  auto zone = load_zone_file(env, kLocaltime);
  if (!zone) {
    facts.errors.push_back(zone.error());
    return std::nullopt;
  }
  return std::move(*zone);
}

// What a copied /etc/localtime is called: the /etc/timezone zone when its file is identical.
std::string name_for_localtime(const Env& env, const TimezoneFacts& facts, const LoadedZone& zone) {
  if (facts.localtime_zone) return *facts.localtime_zone;
  if (facts.etc_timezone) {
    auto named = load_database_zone(env, *facts.etc_timezone);
    if (named && named->bytes == zone.bytes) return *facts.etc_timezone;
  }
  return std::string(kLocaltime);
}

void use_localtime(const Env& env, TimezoneFacts& facts, const std::optional<LoadedZone>& zone,
                   std::chrono::system_clock::time_point at) {
  if (zone) {
    facts.zone = name_for_localtime(env, facts, *zone);
    facts.zone_file = zone->file;
    facts.zone_in_database = facts.localtime_zone_in_database.value_or(false) ||
                             (!facts.localtime_zone && facts.zone != kLocaltime);
    facts.zone_valid = true;
    facts.offset_now = offset_at(*zone, at);
  } else if (facts.localtime_present) {
    facts.zone = facts.localtime_zone.value_or(std::string(kLocaltime));
    facts.zone_in_database = facts.localtime_zone_in_database.value_or(false);
    facts.zone_valid = false;  // glibc silently falls back to UTC
    facts.offset_now = kUtc;
  } else {
    facts.source = ZoneSource::Default;
    facts.zone = "UTC";
    facts.zone_valid = true;
    facts.offset_now = kUtc;
  }
}

void use_tz_variable(const Env& env, TimezoneFacts& facts, std::string_view tz,
                     const std::optional<LoadedZone>& localtime,
                     std::chrono::system_clock::time_point at) {
  facts.source = ZoneSource::TzVariable;
  if (tz.empty()) {  // glibc: an empty TZ means UTC
    facts.zone = "UTC";
    facts.offset_now = kUtc;
    return;
  }
  const bool colon = tz.front() == ':';
  const std::string_view spec = colon ? tz.substr(1) : tz;
  if (spec.empty()) {  // TZ=":" selects the system default, like an unset TZ
    use_localtime(env, facts, localtime, at);
    facts.source = ZoneSource::TzVariable;
    return;
  }
  facts.zone = std::string(spec);
  tl::expected<LoadedZone, Error> zone = tl::unexpected(Error{});
  if (spec.front() == '/') {
    zone = load_zone_file(env, spec);
    if (auto name = zone_name_from_path(spec); name && zone) facts.zone_in_database = in_database(env, *name);
  } else if (auto tzdir = env.var("TZDIR"); tzdir && !tzdir->empty() && is_safe_zone_name(spec)) {
    zone = load_zone_file(env, *tzdir + "/" + std::string(spec));
    facts.zone_in_database = zone.has_value();
  } else {
    zone = load_database_zone(env, spec);
    facts.zone_in_database = zone.has_value();
  }
  if (zone) {
    facts.zone_file = zone->file;
    facts.offset_now = offset_at(*zone, at);
    return;
  }
  // glibc tries a POSIX rule when no file matched, unless the value began with ':'.
  if (!colon) {
    if (auto rule = parse_posix_tz(spec)) {
      auto type = local_time_type_at(*rule, epoch_seconds(at));
      facts.offset_now = offset_of(type);
      return;
    }
  }
  facts.zone_valid = false;
  facts.offset_now = kUtc;
  facts.errors.push_back(Error{"$TZ", "\"" + std::string(tz) +
                                          "\" is neither a zone in the database nor a POSIX rule"});
}

}  // namespace

std::string_view to_string(ZoneSource source) {
  switch (source) {
    case ZoneSource::TzVariable: return "TZ";
    case ZoneSource::Localtime: return "/etc/localtime";
    case ZoneSource::Default: return "default";
  }
  return "default";
}

TimezoneFacts timezone_facts(const Env& env, std::chrono::system_clock::time_point at) {
  TimezoneFacts facts;
  facts.tz_variable = env.var("TZ");
  read_etc_timezone(env, facts);
  const auto localtime = read_localtime(env, facts);
  if (facts.tz_variable) {
    use_tz_variable(env, facts, *facts.tz_variable, localtime, at);
  } else {
    facts.source = ZoneSource::Localtime;
    use_localtime(env, facts, localtime, at);
  }
  return facts;
}

}  // namespace tlsdoctor::platform
