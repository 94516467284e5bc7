// Tests for platform/src/tzif.cpp: the TZif parser checked against glibc on this machine's zoneinfo.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lab/subprocess.h"
#include "platform/tzif.h"

namespace fs = std::filesystem;
using tlsdoctor::platform::local_time_type_at;
using tlsdoctor::platform::LocalTimeType;
using tlsdoctor::platform::parse_tzif;
using tlsdoctor::platform::TzifData;

namespace {

const fs::path kZoneinfo = "/usr/share/zoneinfo";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool have_zoneinfo() {
  if (fs::exists(kZoneinfo / "Europe/Berlin")) return true;
  if (tlsdoctor::lab::lab_required()) FAIL("tzdata is not installed (/usr/share/zoneinfo)");
  WARN("skipped: tzdata is not installed (/usr/share/zoneinfo)");
  return false;
}

TzifData load(const std::string& zone) {
  auto parsed = parse_tzif(slurp(kZoneinfo / zone));
  REQUIRE(parsed.has_value());
  return *parsed;
}

std::int64_t utc(int year, int month, int day, int hour = 12) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  return static_cast<std::int64_t>(timegm(&tm));
}

// glibc's view of one zone file. Setting TZ is allowed here: this is the test process and the
// Catch2 runner is single-threaded; the code under test never touches TZ or tzset().
class GlibcZone {
 public:
  explicit GlibcZone(const fs::path& file) {
    const char* old = std::getenv("TZ");
    if (old != nullptr) saved_ = old;
    had_ = old != nullptr;
    ::setenv("TZ", (":" + file.string()).c_str(), 1);
    ::tzset();
  }
  ~GlibcZone() {
    if (had_) {
      ::setenv("TZ", saved_.c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  GlibcZone(const GlibcZone&) = delete;
  GlibcZone& operator=(const GlibcZone&) = delete;

  static std::tm at(std::int64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::localtime_r(&tt, &tm);
    return tm;
  }

 private:
  std::string saved_;
  bool had_ = false;
};

std::vector<fs::path> all_zone_files() {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kZoneinfo); it != fs::recursive_directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    if (it->is_directory() && (name == "right" || name == "posix")) {
      it.disable_recursion_pending();  // the same zones again (right/ counts leap seconds)
      continue;
    }
    if (!it->is_regular_file() || name == "posixrules" || name == "localtime") continue;
    std::ifstream in(it->path(), std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    if (std::string_view(magic, 4) == "TZif") files.push_back(it->path());
  }
  return files;
}

}  // namespace

TEST_CASE("TZif: known offsets of real zones", "[tzif]") {
  if (!have_zoneinfo()) return;
  const auto berlin = load("Europe/Berlin");
  CHECK(berlin.version >= 2);
  auto winter = local_time_type_at(berlin, utc(2026, 1, 15));
  REQUIRE(winter);
  CHECK(winter->utc_offset == 3600);
  CHECK_FALSE(winter->is_dst);
  CHECK(winter->abbreviation == "CET");
  auto summer = local_time_type_at(berlin, utc(2026, 7, 1));
  REQUIRE(summer);
  CHECK(summer->utc_offset == 7200);
  CHECK(summer->is_dst);
  CHECK(summer->abbreviation == "CEST");

  // Past the last transition in the file the footer rule decides.
  auto far_summer = local_time_type_at(berlin, utc(2095, 7, 1));
  REQUIRE(far_summer);
  CHECK(far_summer->utc_offset == 7200);

  const auto kolkata = load("Asia/Kolkata");
  auto india = local_time_type_at(kolkata, utc(2026, 3, 1));
  REQUIRE(india);
  CHECK(india->utc_offset == 19800);

  const auto sydney = load("Australia/Sydney");
  auto january = local_time_type_at(sydney, utc(2060, 1, 10));
  REQUIRE(january);
  CHECK(january->utc_offset == 11 * 3600);
  CHECK(january->is_dst);
}

TEST_CASE("TZif: every zone on this machine agrees with glibc's localtime_r", "[tzif]") {
  if (!have_zoneinfo()) return;
  const auto files = all_zone_files();
  REQUIRE(files.size() > 100);
  // 1970 to 2100 every 31 days and 5 hours (so the hour of day varies); each transition the
  // file lists and the second before it; and past the last one, where the footer rule decides,
  // each change our answer shows between two samples, found exactly by bisection.
  constexpr std::int64_t kStep = 31 * 86400 + 5 * 3600;
  const std::int64_t first = utc(1970, 1, 2);
  const std::int64_t last = utc(2100, 1, 1);
  std::size_t compared = 0;
  std::size_t changes = 0;
  for (const auto& file : files) {
    INFO("zone file " << file.string());
    auto zone = parse_tzif(slurp(file));
    REQUIRE(zone.has_value());
    auto ours_at = [&](std::int64_t t) {
      auto type = local_time_type_at(*zone, t);
      if (!type) FAIL("no local time type: " << type.error());
      return *type;
    };
    auto same = [](const LocalTimeType& a, const LocalTimeType& b) {
      return a.utc_offset == b.utc_offset && a.is_dst == b.is_dst && a.abbreviation == b.abbreviation;
    };
    std::vector<std::int64_t> instants;
    for (const auto t : zone->transition_times) {
      if (t < first || t >= last) continue;
      instants.push_back(t - 1);
      instants.push_back(t);
    }
    // Bisection only where the footer rule decides; the file lists the earlier changes.
    const std::int64_t rule_from = zone->transition_times.empty() ? first : zone->transition_times.back();
    auto previous = ours_at(first);
    for (std::int64_t t = first; t < last; t += kStep) {
      instants.push_back(t);
      const auto current = ours_at(t);
      if (same(current, previous) || t - kStep < rule_from) {
        previous = current;
        continue;
      }
      std::int64_t lo = t - kStep;  // `previous` holds here, `current` at t
      std::int64_t hi = t;
      while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (same(ours_at(mid), current) ? hi : lo) = mid;
      }
      instants.push_back(hi - 1);
      instants.push_back(hi);
      previous = current;
      ++changes;
    }
    GlibcZone glibc(file);
    // Assertions only on a disagreement: a million passing CHECKs would dominate the run time.
    for (const auto t : instants) {
      const auto expected = GlibcZone::at(t);
      const auto ours = ours_at(t);
      if (ours.utc_offset != expected.tm_gmtoff || ours.is_dst != (expected.tm_isdst > 0) ||
          ours.abbreviation != expected.tm_zone) {
        INFO("instant " << t);
        CHECK(ours.utc_offset == expected.tm_gmtoff);
        CHECK(ours.is_dst == (expected.tm_isdst > 0));
        CHECK(ours.abbreviation == std::string(expected.tm_zone));
        FAIL("first disagreement in this zone");
      }
      ++compared;
    }
  }
  CHECK(compared > 200000);
  CHECK(changes > 10000);
}

TEST_CASE("TZif: malformed input is an error, never a crash", "[tzif]") {
  if (!have_zoneinfo()) return;
  const std::string good = slurp(kZoneinfo / "Europe/Berlin");
  REQUIRE(parse_tzif(good).has_value());

  SECTION("every truncation fails cleanly") {
    std::size_t accepted = 0;
    for (std::size_t n = 0; n < good.size(); ++n) {
      if (parse_tzif(std::string_view(good).substr(0, n)).has_value()) ++accepted;
    }
    // A cut exactly before the footer leaves a valid file without one; nothing else parses.
    CHECK(accepted <= 1);
  }
  SECTION("wrong magic") {
    auto bad = good;
    bad[0] = 'X';
    auto parsed = parse_tzif(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == "not a TZif file");
    CHECK_FALSE(tlsdoctor::platform::looks_like_tzif(bad));
    CHECK(tlsdoctor::platform::looks_like_tzif(good));
  }
  SECTION("unknown version byte") {
    auto bad = good;
    bad[4] = 'x';
    CHECK_FALSE(parse_tzif(bad));
  }
  SECTION("no local time types") {
    std::string header("TZif2", 5);
    header.append(15, '\0');
    header.append(24, '\0');  // all six counts zero
    auto parsed = parse_tzif(header);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == "no local time types");
  }
  SECTION("footer without its closing newline") {
    auto bad = good.substr(0, good.size() - 1);
    auto parsed = parse_tzif(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == "unterminated footer");
  }
  SECTION("a footer that is not a POSIX rule") {
    const auto footer_start = good.rfind('\n', good.size() - 2);
    REQUIRE(footer_start != std::string::npos);
    const auto bad = good.substr(0, footer_start) + "\nX\n";
    auto parsed = parse_tzif(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().starts_with("bad footer rule"));
  }
  SECTION("oversized input is refused before parsing") {
    std::string huge = good;
    huge.resize(tlsdoctor::platform::kMaxTzifBytes + 1, '\0');
    CHECK_FALSE(parse_tzif(huge));
  }
}

TEST_CASE("TZif: a version 1 file uses its 32-bit data block", "[tzif]") {
  // Hand-made: one transition at t=1000 from type 0 (+01:00 "AAA") to type 1 (+02:00 "BBB", DST).
  std::string file("TZif", 4);
  file.push_back('\0');
  file.append(15, '\0');
  auto be32 = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) file.push_back(static_cast<char>((v >> shift) & 0xff));
  };
  for (std::uint32_t count : {0u, 0u, 0u, 1u, 2u, 8u}) be32(count);  // isut isstd leap time type char
  be32(1000);
  file.push_back('\1');
  be32(3600);
  file.push_back('\0');
  file.push_back('\0');
  be32(7200);
  file.push_back('\1');
  file.push_back('\4');
  file.append("AAA\0BBB\0", 8);
  auto zone = parse_tzif(file);
  REQUIRE(zone);
  CHECK(zone->version == 1);
  CHECK(zone->footer.empty());
  CHECK(local_time_type_at(*zone, 999)->abbreviation == "AAA");
  CHECK(local_time_type_at(*zone, 1000)->abbreviation == "BBB");
  CHECK(local_time_type_at(*zone, 5'000'000'000)->utc_offset == 7200);

  SECTION("a transition naming a missing type is refused") {
    auto bad = file;
    bad[44 + 4] = '\7';
    auto parsed = parse_tzif(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == "transition names a missing time type");
  }
}

TEST_CASE("TZif: corrupted bytes are parsed or refused, never read out of bounds", "[tzif]") {
  if (!have_zoneinfo()) return;
  const std::string good = slurp(kZoneinfo / "America/New_York");
  std::mt19937 random(20261122);  // fixed seed: the same corruptions on every run
  std::uniform_int_distribution<std::size_t> position(0, good.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::size_t parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    auto bad = good;
    for (int flips = 1 + round % 4; flips > 0; --flips) bad[position(random)] = static_cast<char>(byte(random));
    auto zone = parse_tzif(bad);
    if (!zone) continue;
    ++parsed;
    // Whatever parsed must answer for any instant (run under ASan in CI).
    for (const std::int64_t t : {INT64_MIN, std::int64_t{-5'000'000'000}, std::int64_t{0},
                                 std::int64_t{1'800'000'000}, std::int64_t{5'000'000'000}, INT64_MAX}) {
      CHECK(local_time_type_at(*zone, t).has_value());
    }
  }
  CHECK(parsed > 0);  // flips inside transition data leave a valid file
}
