// Renders the reference's counters in Prometheus' text format; label values come from fixed tables only.
#include "reference/server/server_metrics.h"

#include <fmt/format.h>

namespace tlsdoctor::reference {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Endpoint::Count)> kEndpointNames = {
    "healthz", "time", "echo", "observe", "metrics", "captive", "other"};
constexpr std::array<std::string_view, static_cast<std::size_t>(ServerError::Count)> kErrorNames = {
    "handshake_failed", "handshake_timeout", "proxy_header_invalid", "request_timeout", "connection_limit",
    "bad_request",      "not_found",         "too_large",            "rate_limited",    "busy",
    "forbidden_target", "internal"};
constexpr std::array<std::string_view, static_cast<std::size_t>(HandshakeVersion::Count)> kVersionNames = {
    "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

template <typename Enum>
constexpr std::size_t index(Enum value) {
  return static_cast<std::size_t>(value);
}

}  // namespace

std::string_view endpoint_name(Endpoint endpoint) { return kEndpointNames.at(index(endpoint)); }

Endpoint endpoint_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz") return Endpoint::Healthz;
  if (path == "/v1/time") return Endpoint::Time;
  if (path == "/v1/echo") return Endpoint::Echo;
  if (path == "/v1/observe") return Endpoint::Observe;
  if (path == "/metrics") return Endpoint::Metrics;
  return Endpoint::Other;
}

ServerError error_of(int status, std::string_view code) {
  if (status == 429) return code == "busy" ? ServerError::Busy : ServerError::RateLimited;
  if (status == 403) return ServerError::ForbiddenTarget;
  if (status == 404) return ServerError::NotFound;
  if (status == 413 || status == 431) return ServerError::TooLarge;
  if (status >= 500) return ServerError::Internal;
  return ServerError::BadRequest;
}

void ServerMetrics::count_request(Endpoint endpoint, int status, std::chrono::steady_clock::duration latency) {
  const std::size_t status_class = status >= 100 && status < 600 ? static_cast<std::size_t>(status / 100 - 1) : 4;
  ++requests_[index(endpoint)][status_class];
  const double seconds = std::chrono::duration<double>(latency).count();
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    if (seconds <= kLatencyBucketsSeconds[i]) {
      ++latency_buckets_[i];
      break;
    }
  }
  ++latency_count_;
  latency_sum_microseconds_ +=
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
}

void ServerMetrics::count_handshake(std::string_view negotiated_version) {
  for (std::size_t i = 0; i < kVersionNames.size(); ++i) {
    if (kVersionNames[i] == negotiated_version) ++handshakes_[i];
  }
}

void ServerMetrics::count_error(ServerError error) { ++errors_[index(error)]; }

std::string ServerMetrics::render() const {
  std::string out;
  out += "# HELP tlsdoctor_reference_requests_total HTTP requests answered, by endpoint and status class.\n";
  out += "# TYPE tlsdoctor_reference_requests_total counter\n";
  for (std::size_t e = 0; e < kEndpointNames.size(); ++e) {
    for (std::size_t c = 0; c < kStatusClasses; ++c) {
      out += fmt::format("tlsdoctor_reference_requests_total{{endpoint=\"{}\",code=\"{}xx\"}} {}\n", kEndpointNames[e],
                         c + 1, requests_[e][c].load());
    }
  }
  out += "# HELP tlsdoctor_reference_handshakes_total Completed TLS handshakes, by negotiated version.\n";
  out += "# TYPE tlsdoctor_reference_handshakes_total counter\n";
  for (std::size_t v = 0; v < kVersionNames.size(); ++v) {
    out += fmt::format("tlsdoctor_reference_handshakes_total{{version=\"{}\"}} {}\n", kVersionNames[v],
                       handshakes_[v].load());
  }
  out += "# HELP tlsdoctor_reference_errors_total Refused requests and failed connections, by class.\n";
  out += "# TYPE tlsdoctor_reference_errors_total counter\n";
  for (std::size_t e = 0; e < kErrorNames.size(); ++e) {
    out += fmt::format("tlsdoctor_reference_errors_total{{class=\"{}\"}} {}\n", kErrorNames[e], errors_[e].load());
  }
  out += "# HELP tlsdoctor_reference_request_duration_seconds From a complete request to its answer.\n";
  out += "# TYPE tlsdoctor_reference_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    out += fmt::format("tlsdoctor_reference_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kLatencyBucketsSeconds[i], cumulative);
  }
  const std::uint64_t count = latency_count_.load();
  out += fmt::format("tlsdoctor_reference_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count);
  out += fmt::format("tlsdoctor_reference_request_duration_seconds_sum {}\n",
                     static_cast<double>(latency_sum_microseconds_.load()) / 1e6);
  out += fmt::format("tlsdoctor_reference_request_duration_seconds_count {}\n", count);
  out += "# HELP tlsdoctor_reference_open_connections Connections open now.\n";
  out += "# TYPE tlsdoctor_reference_open_connections gauge\n";
  out += fmt::format("tlsdoctor_reference_open_connections {}\n", open_connections_.load());
  return out;
}

}  // namespace tlsdoctor::reference
