// Trusted time from a signed reference answer, or from the median of several hosts' HTTP Dates.
#include "nettime/trusted_time.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "reference/protocol/messages.h"

namespace tlsdoctor::nettime {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using TimePoint = std::chrono::system_clock::time_point;

TimePoint from_unix_ms(std::int64_t ms) { return TimePoint(duration_cast<TimePoint::duration>(milliseconds(ms))); }

TimePoint midpoint(TimePoint a, TimePoint b) { return a + (b - a) / 2; }

std::string signed_offset(milliseconds offset) {
  return fmt::format("{}{:.1f} s", offset.count() < 0 ? "-" : "+", static_cast<double>(std::abs(offset.count())) / 1000.0);
}

}  // namespace

tl::expected<TrustedTime, std::string> time_from_reference(const refclient::ReferenceExchange& exchange) {
  if (!exchange.reachable) return tl::unexpected("the reference could not be reached: " + exchange.error);
  if (exchange.refused) {
    return tl::unexpected("the reference's answer was not believed (" +
                          std::string(reference::to_string(exchange.refused->problem)) + ")");
  }
  if (!exchange.answer) return tl::unexpected(std::string("the reference sent no signed answer"));
  if (exchange.answer->envelope.kind != "time") {
    return tl::unexpected("the reference answered with " + exchange.answer->envelope.kind + ", not the time (HTTP " +
                          std::to_string(exchange.http_status) + ")");
  }
  const auto answer = reference::time_answer_from_json(exchange.answer->value);
  if (!answer) return tl::unexpected("the reference's time answer is malformed: " + answer.error().message);
  const auto sent = from_unix_ms(exchange.sent_unix_ms);
  const auto received = from_unix_ms(exchange.received_unix_ms);
  if (received < sent) return tl::unexpected(std::string("this machine's clock went backwards during the exchange"));
  TrustedTime t;
  t.utc = from_unix_ms(answer->envelope.time_unix_ms);
  t.local = midpoint(sent, received);
  t.uncertainty = duration_cast<milliseconds>(received - sent) / 2 + milliseconds(answer->uncertainty_ms);
  t.source = "reference " + exchange.url + " (signed by " + exchange.answer->key_id + ")";
  return t;
}

tl::expected<DateConsensus, std::string> time_from_dates(const std::vector<DateSample>& samples, std::size_t asked) {
  struct Reading {
    const DateSample* sample;
    milliseconds offset;  // local - utc
  };
  std::vector<Reading> readings;
  for (const auto& s : samples) {
    if (!s.server_time || s.received < s.sent) continue;
    // The Date names the second the server was in: its middle is the best single estimate.
    const TimePoint utc = *s.server_time + kHttpDateResolution / 2;
    readings.push_back({&s, duration_cast<milliseconds>(midpoint(s.sent, s.received) - utc)});
  }
  const std::size_t needed = std::min(kMinAgreeingDates, asked);
  if (readings.empty() || readings.size() < needed) {
    return tl::unexpected(fmt::format("{} of {} time sources gave a usable Date (at least {} must agree)",
                                      readings.size(), asked, needed));
  }
  std::vector<milliseconds> offsets;
  for (const auto& r : readings) offsets.push_back(r.offset);
  std::sort(offsets.begin(), offsets.end());
  const std::size_t n = offsets.size();
  const milliseconds median = n % 2 == 1 ? offsets[n / 2] : (offsets[n / 2 - 1] + offsets[n / 2]) / 2;

  DateConsensus out;
  milliseconds spread{0};
  milliseconds widest_window{0};
  const DateSample* anchor = nullptr;
  milliseconds anchor_distance = milliseconds::max();
  for (const auto& r : readings) {
    const auto distance = r.offset > median ? r.offset - median : median - r.offset;
    if (distance > kDateOutlierLimit) {
      out.outliers.push_back(r.sample->url + " (" + signed_offset(r.offset - median) + " from the others)");
      continue;
    }
    out.used.push_back(r.sample->url);
    spread = std::max(spread, distance);
    widest_window = std::max(widest_window, duration_cast<milliseconds>(r.sample->received - r.sample->sent) / 2);
    if (distance < anchor_distance) {
      anchor = r.sample;
      anchor_distance = distance;
    }
  }
  if (anchor == nullptr || out.used.size() < needed) {
    return tl::unexpected(fmt::format("the Dates of {} time sources disagree by more than {} s", readings.size(),
                                      kDateOutlierLimit.count()));
  }
  out.time.local = midpoint(anchor->sent, anchor->received);
  out.time.utc = out.time.local - median;
  out.time.uncertainty = kHttpDateResolution / 2 + widest_window + spread;
  out.time.source = fmt::format("HTTP Date of {} of {} hosts (median)", out.used.size(), asked);
  return out;
}

}  // namespace tlsdoctor::nettime
