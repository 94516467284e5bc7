// Asks the time sources in order of trust and records every attempt for the report.
#include "nettime/network_time.h"

#include <fmt/format.h>

#include "core/time_format.h"

namespace tlsdoctor::nettime {
namespace {

using Json = nlohmann::ordered_json;

Json sample_json(const DateSample& s) {
  return Json{{"url", s.url},
              {"answered", s.answered},
              {"http_status", s.http_status},
              {"date", s.date_header.empty() ? Json(nullptr) : Json(s.date_header)},
              {"server_time", s.server_time ? Json(rfc3339_utc(*s.server_time)) : Json(nullptr)},
              {"local_sent", s.answered ? Json(rfc3339_utc(s.sent)) : Json(nullptr)},
              {"round_trip_ms", s.answered ? Json(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      s.received - s.sent)
                                                      .count())
                                           : Json(nullptr)},
              {"error", s.error.empty() ? Json(nullptr) : Json(s.error)}};
}

}  // namespace

NetworkTime find_network_time(const TimeSources& sources, const Deadline& deadline) {
  NetworkTime out;
  out.facts = Json{{"reference", nullptr}, {"http_dates", nullptr}, {"chosen", nullptr}, {"unavailable", nullptr}};
  std::vector<std::string> reasons;
  if (sources.reference) {
    const auto exchange = refclient::fetch(*sources.reference, "/v1/time", "time", deadline.sub(kReferenceTimeBudget));
    auto time = time_from_reference(exchange);
    out.facts["reference"] = Json{{"url", exchange.url}, {"error", time ? Json(nullptr) : Json(time.error())}};
    if (time) {
      out.facts["chosen"] = time->source;
      out.time = std::move(*time);
      if (out.time->uncertainty <= kLooseTimeUncertainty || sources.dates.empty()) return out;
      out.facts["reference"]["loose"] = fmt::format(
          "its uncertainty is {} s (its own clock is not synchronised): HTTP Dates asked too",
          std::chrono::duration_cast<std::chrono::seconds>(out.time->uncertainty).count());
    } else {
      reasons.push_back(time.error());
    }
  }
  if (!sources.dates.empty()) {
    const auto samples = fetch_dates(sources.dates, sources.date_options, deadline);
    Json list = Json::array();
    for (const auto& s : samples) list.push_back(sample_json(s));
    auto consensus = time_from_dates(samples, sources.dates.size());
    out.facts["http_dates"] = Json{{"samples", std::move(list)},
                                   {"used", consensus ? Json(consensus->used) : Json::array()},
                                   {"outliers", consensus ? Json(consensus->outliers) : Json::array()},
                                   {"error", consensus ? Json(nullptr) : Json(consensus.error())}};
    if (consensus && (!out.time || consensus->time.uncertainty < out.time->uncertainty)) {
      out.facts["chosen"] = consensus->time.source;
      out.time = std::move(consensus->time);
    }
    if (out.time) return out;
    reasons.push_back(consensus.error());
  }
  if (out.time) return out;
  if (reasons.empty()) reasons.push_back("no time source configured (offline run)");
  std::string why;
  for (const auto& r : reasons) why += (why.empty() ? "" : "; ") + r;
  out.facts["unavailable"] = why;
  return out;
}

}  // namespace tlsdoctor::nettime
