// Parses HTTP Date values in the three forms RFC 9110 requires recipients to accept.
#include "nettime/http_date.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace tlsdoctor::nettime {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                     "Friday", "Saturday", "Sunday"};

// The words of `text` split on spaces (runs of spaces count once: asctime pads the day).
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::optional<int> number(std::string_view digits, std::size_t min_len, std::size_t max_len) {
  if (digits.size() < min_len || digits.size() > max_len) return std::nullopt;
  int value = 0;
  for (const char c : digits) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<unsigned> month(std::string_view name) {
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return i + 1;
  }
  return std::nullopt;
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& names) {
  for (const auto n : names) {
    if (n == word) return true;
  }
  return false;
}

struct Fields {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::string_view clock;  // "08:49:37"
};

std::optional<std::chrono::system_clock::time_point> assemble(const Fields& f) {
  using namespace std::chrono;
  if (f.year < kFirstDateYear || f.year > kLastDateYear) return std::nullopt;
  const year_month_day date{year{f.year}, std::chrono::month{f.month}, std::chrono::day{f.day}};
  if (!date.ok() || f.clock.size() != 8 || f.clock[2] != ':' || f.clock[5] != ':') return std::nullopt;
  const auto h = number(f.clock.substr(0, 2), 2, 2);
  const auto m = number(f.clock.substr(3, 2), 2, 2);
  const auto s = number(f.clock.substr(6, 2), 2, 2);
  // 60 is a leap second, which an HTTP date may carry; it is read as the next second.
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
  return system_clock::time_point(sys_days(date)) + hours(*h) + minutes(*m) + seconds(*s);
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<Fields> imf_fixdate(const std::vector<std::string_view>& w) {
  if (w.size() != 6 || w[0].size() != 4 || w[0].back() != ',' || !one_of(w[0].substr(0, 3), kDays) || w[5] != "GMT") {
    return std::nullopt;
  }
  const auto day = number(w[1], 2, 2);
  const auto mon = month(w[2]);
  const auto year = number(w[3], 4, 4);
  if (!day || !mon || !year) return std::nullopt;
  return Fields{*year, *mon, static_cast<unsigned>(*day), w[4]};
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<Fields> rfc850(const std::vector<std::string_view>& w) {
  if (w.size() != 4 || w[0].size() < 2 || w[0].back() != ',' || !one_of(w[0].substr(0, w[0].size() - 1), kLongDays) ||
      w[3] != "GMT" || w[1].size() != 9 || w[1][2] != '-' || w[1][6] != '-') {
    return std::nullopt;
  }
  const auto day = number(w[1].substr(0, 2), 2, 2);
  const auto mon = month(w[1].substr(3, 3));
  const auto yy = number(w[1].substr(7, 2), 2, 2);
  if (!day || !mon || !yy) return std::nullopt;
  // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
  const int year = *yy < 50 ? 2000 + *yy : 1900 + *yy;
  return Fields{year, *mon, static_cast<unsigned>(*day), w[2]};
}

// "Sun Nov  6 08:49:37 1994"
std::optional<Fields> asctime_form(const std::vector<std::string_view>& w) {
  if (w.size() != 5 || !one_of(w[0], kDays)) return std::nullopt;
  const auto mon = month(w[1]);
  const auto day = number(w[2], 1, 2);
  const auto year = number(w[4], 4, 4);
  if (!mon || !day || !year) return std::nullopt;
  return Fields{*year, *mon, static_cast<unsigned>(*day), w[3]};
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  // A header value is short; anything long is not a date and is not worth splitting.
  if (text.size() > 64) return std::nullopt;
  const auto w = words(text);
  for (const auto form : {imf_fixdate, rfc850, asctime_form}) {
    if (const auto fields = form(w)) return assemble(*fields);
  }
  return std::nullopt;
}

}  // namespace tlsdoctor::nettime
