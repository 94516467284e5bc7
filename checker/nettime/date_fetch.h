// HTTP Date headers from several HTTPS hosts at once, each paired with this machine's clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.h"

namespace tlsdoctor::nettime {

// The most hosts one run asks: a median of a handful is already robust, and each is a connection.
inline constexpr std::size_t kMaxDateSources = 16;
// The most of the run's deadline the Date requests may use together (they run concurrently).
inline constexpr std::chrono::seconds kDateFetchBudget{5};

struct DateSource {
  std::string url;                   // https://host[:port][/path]
  std::optional<std::string> proxy;  // the route this machine would take; nullopt: direct
};

struct DateFetchOptions {
  std::optional<std::string> ca_file;  // instead of the system store (tests, --ca-file)
  std::vector<std::string> resolve;    // curl's --resolve entries ("host:port:address")
};

// One host's answer. `sent` and `received` are this machine's clock when the request went out
// and when the answer's first byte came back: the server wrote its Date between the two.
struct DateSample {
  std::string url;
  bool answered = false;  // a response came back (any status)
  std::string error;      // why not (libcurl's words), or why its Date was unusable
  long http_status = 0;
  std::string date_header;  // as received; empty when absent
  std::optional<std::chrono::system_clock::time_point> server_time;  // parsed Date
  std::chrono::system_clock::time_point sent;
  std::chrono::system_clock::time_point received;
};

// HEAD requests to every source concurrently (at most kMaxDateSources; the rest are skipped
// with an error), bounded by `deadline` and kDateFetchBudget. The certificate is verified
// against the store but NOT against this machine's clock: when the clock is wrong, every
// certificate looks expired or not yet valid, and that is exactly when the time is needed.
// Redirects are not followed; a proxy's CONNECT answer never counts as the host's Date.
std::vector<DateSample> fetch_dates(const std::vector<DateSource>& sources, const DateFetchOptions& options,
                                    const Deadline& deadline);

}  // namespace tlsdoctor::nettime
