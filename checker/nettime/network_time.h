// Where the clock check's trusted time comes from: the signed reference first, then HTTP Dates.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/deadline.h"
#include "nettime/date_fetch.h"
#include "nettime/trusted_time.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::nettime {

// The most of the run's deadline the reference's /v1/time exchange may use.
inline constexpr std::chrono::seconds kReferenceTimeBudget{5};
// A signed time looser than this (a reference whose own clock is not synchronised says a day)
// cannot tell a wrong clock from a right one: the Date sources are asked as well, and the
// tighter answer wins. Five minutes is the skew the clock check first warns about.
inline constexpr std::chrono::minutes kLooseTimeUncertainty{5};

struct TimeSources {
  std::optional<refclient::ReferenceTarget> reference;  // asked first
  std::vector<DateSource> dates;                         // asked when the reference gives no time
  DateFetchOptions date_options;
};

struct NetworkTime {
  std::optional<TrustedTime> time;  // nullopt: no source gave a time to believe
  // What was asked and what came of it: {"reference": {...} | null, "http_dates": {...} | null,
  // "chosen": source | null, "unavailable": reason | null}.
  nlohmann::ordered_json facts;
};

// Asks the reference's signed /v1/time; when there is none, it gives no time, or its time is
// looser than kLooseTimeUncertainty, asks the Date sources (the tighter time is chosen). No
// sources at all (an offline run): no time, and the facts say so.
NetworkTime find_network_time(const TimeSources& sources, const Deadline& deadline);

}  // namespace tlsdoctor::nettime
