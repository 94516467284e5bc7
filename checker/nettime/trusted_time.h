// The correct time from a source this machine does not control, and how it is worked out.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "nettime/date_fetch.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::nettime {

// What the source said the time was, and this machine's clock at that moment.
struct TrustedTime {
  std::chrono::system_clock::time_point utc;
  std::chrono::system_clock::time_point local;
  std::chrono::milliseconds uncertainty{0};  // +/- bound on (local - utc)
  std::string source;                        // "reference https://ref.example.com (signed)"
};

// An HTTP Date has whole seconds: the true time lies anywhere in the second it names.
inline constexpr std::chrono::milliseconds kHttpDateResolution{1000};
// A host whose Date is further than this from the others' median has a clock of its own
// problems (or is a captive portal's); it is set aside, not averaged in.
inline constexpr std::chrono::seconds kDateOutlierLimit{120};
// Hosts that must agree before their Dates are believed (fewer when fewer were asked).
inline constexpr std::size_t kMinAgreeingDates = 2;

// The signed /v1/time answer of `exchange` (already checked against the pinned keys): the
// server's time and its own error bound, plus half the exchange's duration on this machine.
// An error, in words, when the exchange has no usable signed time.
tl::expected<TrustedTime, std::string> time_from_reference(const refclient::ReferenceExchange& exchange);

struct DateConsensus {
  TrustedTime time;
  std::vector<std::string> used;      // urls whose Dates agreed
  std::vector<std::string> outliers;  // urls set aside, with their offset
};

// The median offset of the samples with a Date, outliers beyond kDateOutlierLimit set aside;
// the uncertainty is the Date's resolution, the widest request window, and the spread of the
// Dates kept. `asked` is how many sources were configured. An error, in words, when fewer
// than min(kMinAgreeingDates, asked) hosts agree.
tl::expected<DateConsensus, std::string> time_from_dates(const std::vector<DateSample>& samples, std::size_t asked);

}  // namespace tlsdoctor::nettime
