// One plain-HTTP GET of a known page, to see whether something on the network answers in its place.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.h"

namespace tlsdoctor::refclient {

// The most of the run's deadline the fetch may use.
inline constexpr std::chrono::seconds kCaptiveFetchBudget{5};
// The reference's page is one line; a portal's sign-in page is kept this far, for the report.
inline constexpr std::size_t kMaxCaptiveBodyBytes = 64 * 1024;

struct CaptivePage {
  std::string url;
  bool reached = false;  // an HTTP answer came back
  std::string error;     // libcurl's words when not
  long http_status = 0;
  std::string location;       // a redirect's Location
  std::string content_type;
  std::string body;           // at most kMaxCaptiveBodyBytes
  bool body_truncated = false;
};

// GET `url` (http:// only; redirects are recorded, never followed) through `proxy`, or directly;
// `resolve` as curl's --resolve entries.
CaptivePage fetch_captive_page(const std::string& url, const std::optional<std::string>& proxy,
                               const std::vector<std::string>& resolve, const Deadline& deadline);

}  // namespace tlsdoctor::refclient
