// POSIX TZ rule strings: parsing (POSIX.1 plus RFC 8536 extensions) and evaluation at an instant.
#include "platform/posix_tz.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>

namespace tlsdoctor::platform {
namespace {

// RFC 8536 section 3.3.1 lets transition times run from -167 to +167 hours; POSIX offsets stay
// within 24 hours but accepting the same range costs nothing and never misreads a valid rule.
constexpr int kMaxHours = 167;
// Abbreviations are at least three characters (POSIX); longer than this is not a zone name.
constexpr std::size_t kMinNameLength = 3;
constexpr std::size_t kMaxNameLength = 64;
// Instants further than this from the epoch are not evaluated: std::chrono::year stops at
// +/-32767, and no zone rule means anything there.
constexpr std::int64_t kMaxEvaluatedSeconds = 900'000'000'000;  // about 28,500 years

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  char next() { return done() ? '\0' : text_[pos_++]; }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

tl::expected<int, std::string> read_number(Cursor& in, int max, std::string_view what) {
  if (!is_digit(in.peek())) return tl::unexpected("expected a number for " + std::string(what));
  int value = 0;
  while (is_digit(in.peek())) {
    value = value * 10 + (in.next() - '0');
    if (value > max) return tl::unexpected(std::string(what) + " out of range");
  }
  return value;
}

tl::expected<std::string, std::string> read_name(Cursor& in) {
  std::string name;
  if (in.take('<')) {
    while (!in.done() && in.peek() != '>') {
      const char c = in.next();
      if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-') {
        return tl::unexpected(std::string("invalid character in quoted zone name"));
      }
      name.push_back(c);
    }
    if (!in.take('>')) return tl::unexpected(std::string("unterminated '<' in zone name"));
  } else {
    while (is_alpha(in.peek())) name.push_back(in.next());
  }
  if (name.size() < kMinNameLength) {
    return tl::unexpected(std::string("zone abbreviation shorter than three characters"));
  }
  if (name.size() > kMaxNameLength) return tl::unexpected(std::string("zone abbreviation too long"));
  return name;
}

// "[+-]hh[:mm[:ss]]" as seconds, with the sign as written.
tl::expected<std::int32_t, std::string> read_hms(Cursor& in, std::string_view what) {
  int sign = 1;
  if (in.take('-')) {
    sign = -1;
  } else {
    in.take('+');
  }
  auto hours = read_number(in, kMaxHours, what);
  if (!hours) return tl::unexpected(hours.error());
  int minutes = 0;
  int seconds = 0;
  if (in.take(':')) {
    auto m = read_number(in, 59, what);
    if (!m) return tl::unexpected(m.error());
    minutes = *m;
    if (in.take(':')) {
      auto s = read_number(in, 59, what);
      if (!s) return tl::unexpected(s.error());
      seconds = *s;
    }
  }
  return sign * (*hours * 3600 + minutes * 60 + seconds);
}

tl::expected<PosixTzDate, std::string> read_date(Cursor& in) {
  PosixTzDate date;
  if (in.take('J')) {
    auto day = read_number(in, 365, "Julian day");
    if (!day) return tl::unexpected(day.error());
    if (*day < 1) return tl::unexpected(std::string("Julian day must be 1 to 365"));
    date.kind = PosixTzDate::Kind::JulianNoLeap;
    date.day = *day;
  } else if (in.take('M')) {
    auto month = read_number(in, 12, "month");
    if (!month || *month < 1 || !in.take('.')) return tl::unexpected(std::string("bad month in Mm.w.d"));
    auto week = read_number(in, 5, "week");
    if (!week || *week < 1 || !in.take('.')) return tl::unexpected(std::string("bad week in Mm.w.d"));
    auto weekday = read_number(in, 6, "weekday");
    if (!weekday) return tl::unexpected(std::string("bad weekday in Mm.w.d"));
    date.kind = PosixTzDate::Kind::MonthWeekDay;
    date.month = *month;
    date.week = *week;
    date.weekday = *weekday;
  } else {
    auto day = read_number(in, 365, "day of year");
    if (!day) return tl::unexpected(day.error());
    date.kind = PosixTzDate::Kind::ZeroBasedDay;
    date.day = *day;
  }
  if (in.take('/')) {
    auto time = read_hms(in, "transition time");
    if (!time) return tl::unexpected(time.error());
    date.time = *time;
  }
  return date;
}

std::int64_t days_since_epoch(std::chrono::year_month_day ymd) {
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

bool is_leap(int year) { return std::chrono::year{year}.is_leap(); }

// Local midnight of the rule's date in `year`, as days since the epoch.
std::int64_t rule_day(const PosixTzDate& date, int year) {
  using namespace std::chrono;
  const std::int64_t jan1 = days_since_epoch(std::chrono::year{year} / January / 1);
  switch (date.kind) {
    case PosixTzDate::Kind::JulianNoLeap: {
      std::int64_t day_of_year = date.day - 1;
      if (is_leap(year) && date.day >= 60) ++day_of_year;  // skip February 29
      return jan1 + day_of_year;
    }
    case PosixTzDate::Kind::ZeroBasedDay:
      return jan1 + date.day;
    case PosixTzDate::Kind::MonthWeekDay: {
      const auto month = std::chrono::month{static_cast<unsigned>(date.month)};
      const sys_days first{std::chrono::year{year} / month / 1};
      const auto first_weekday = static_cast<int>(weekday{first}.c_encoding());
      int day = 1 + (date.weekday - first_weekday + 7) % 7 + (date.week - 1) * 7;
      const auto last_day = static_cast<int>(static_cast<unsigned>(
          year_month_day_last{std::chrono::year{year} / month / std::chrono::last}.day()));
      while (day > last_day) day -= 7;  // week 5 means "the last such weekday"
      return first.time_since_epoch().count() + (day - 1);
    }
  }
  return jan1;
}

}  // namespace

tl::expected<PosixTz, std::string> parse_posix_tz(std::string_view text) {
  Cursor in(text);
  PosixTz rule;
  auto std_name = read_name(in);
  if (!std_name) return tl::unexpected(std_name.error());
  auto std_offset = read_hms(in, "UTC offset");
  if (!std_offset) return tl::unexpected(std_offset.error());
  // POSIX offsets count hours west of Greenwich; we store seconds east of UTC.
  rule.standard = LocalTimeType{-*std_offset, false, *std_name};
  if (in.done()) return rule;

  auto dst_name = read_name(in);
  if (!dst_name) return tl::unexpected(dst_name.error());
  LocalTimeType daylight{rule.standard.utc_offset + 3600, true, *dst_name};
  if (!in.done() && in.peek() != ',') {
    auto dst_offset = read_hms(in, "daylight-saving offset");
    if (!dst_offset) return tl::unexpected(dst_offset.error());
    daylight.utc_offset = -*dst_offset;
  }
  rule.daylight = daylight;
  if (in.done()) {
    // No dates: glibc falls back to the US rules (second Sunday in March to first in November).
    rule.dst_start = PosixTzDate{PosixTzDate::Kind::MonthWeekDay, 0, 3, 2, 0, 2 * 3600};
    rule.dst_end = PosixTzDate{PosixTzDate::Kind::MonthWeekDay, 0, 11, 1, 0, 2 * 3600};
    return rule;
  }
  if (!in.take(',')) return tl::unexpected(std::string("expected ',' before the start date"));
  auto start = read_date(in);
  if (!start) return tl::unexpected(start.error());
  if (!in.take(',')) return tl::unexpected(std::string("expected ',' before the end date"));
  auto end = read_date(in);
  if (!end) return tl::unexpected(end.error());
  if (!in.done()) {
    return tl::unexpected("unexpected text at position " + std::to_string(in.pos()));
  }
  rule.dst_start = *start;
  rule.dst_end = *end;
  return rule;
}

LocalTimeType local_time_type_at(const PosixTz& rule, std::int64_t utc_seconds) {
  if (!rule.daylight) return rule.standard;
  if (utc_seconds > kMaxEvaluatedSeconds || utc_seconds < -kMaxEvaluatedSeconds) return rule.standard;

  using namespace std::chrono;
  const auto utc_day = sys_days{days{utc_seconds >= 0 ? utc_seconds / 86400 : (utc_seconds - 86399) / 86400}};
  const int year = static_cast<int>(year_month_day{utc_day}.year());

  // Transitions of the neighbouring years too: with times up to 167 hours, and with zones whose
  // daylight saving spans New Year, the change in effect may belong to another year's rule.
  struct Change {
    std::int64_t at;
    bool to_dst;
  };
  std::array<Change, 8> changes{};
  std::size_t n = 0;
  for (int y = year - 2; y <= year + 1; ++y) {
    const std::int64_t start = rule_day(rule.dst_start, y) * 86400 + rule.dst_start.time -
                               rule.standard.utc_offset;
    const std::int64_t end =
        rule_day(rule.dst_end, y) * 86400 + rule.dst_end.time - rule.daylight->utc_offset;
    changes[n++] = Change{start, true};
    changes[n++] = Change{end, false};
  }
  // On a tie an end sorts before a start, so "end of this year = start of next" (RFC 8536's
  // permanent daylight saving, e.g. "EST5EDT,0/0,J365/25") stays in daylight saving.
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.at != b.at ? a.at < b.at : (!a.to_dst && b.to_dst);
  });
  bool in_dst = false;
  for (const auto& change : changes) {
    if (change.at > utc_seconds) break;
    in_dst = change.to_dst;
  }
  return in_dst ? *rule.daylight : rule.standard;
}

}  // namespace tlsdoctor::platform
