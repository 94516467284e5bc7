// Counters of the reference server and their Prometheus text rendering for GET /metrics.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tlsdoctor::reference {

// Fixed label sets, so that nothing a client sends can grow the metric families.
enum class Endpoint : std::size_t { Healthz, Time, Echo, Observe, Metrics, Captive, Other, Count };
enum class ServerError : std::size_t {
  HandshakeFailed,      // the TLS handshake ended in an error (alert, garbage, reset)
  HandshakeTimeout,     // kHandshakeTimeout passed first
  ProxyHeaderInvalid,   // PROXY v2 was required and what came was not one
  RequestTimeout,       // a request was not complete in time (slowloris)
  ConnectionLimit,      // refused at accept: kMaxConnections open
  BadRequest,           // 400/405
  NotFound,             // 404
  TooLarge,             // 413/431
  RateLimited,          // 429 from a client's token bucket
  Busy,                 // 429 from the global observe cap
  ForbiddenTarget,      // 403 from the SSRF guard
  Internal,             // 500
  Count
};
enum class HandshakeVersion : std::size_t { Tls10, Tls11, Tls12, Tls13, Count };

// Upper bounds (seconds) of the request latency histogram: echo and time answer in well
// under a millisecond here, observe takes as long as the target's handshakes.
inline constexpr std::array<double, 12> kLatencyBucketsSeconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                  0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

// Lock-free; every member may be bumped from any server thread.
class ServerMetrics {
 public:
  void count_request(Endpoint endpoint, int status, std::chrono::steady_clock::duration latency);
  void count_handshake(std::string_view negotiated_version);
  void count_error(ServerError error);
  void connection_opened() { ++open_connections_; }
  void connection_closed() { --open_connections_; }

  // The Prometheus text exposition format, version 0.0.4.
  std::string render() const;

 private:
  static constexpr std::size_t kStatusClasses = 5;  // 1xx..5xx
  std::array<std::array<std::atomic<std::uint64_t>, kStatusClasses>, static_cast<std::size_t>(Endpoint::Count)>
      requests_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(HandshakeVersion::Count)> handshakes_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(ServerError::Count)> errors_{};
  std::array<std::atomic<std::uint64_t>, kLatencyBucketsSeconds.size()> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_microseconds_{0};
  std::atomic<std::int64_t> open_connections_{0};
};

std::string_view endpoint_name(Endpoint endpoint);
// The endpoint a request path belongs to ("/v1/echo?nonce=x" is Echo).
Endpoint endpoint_of(std::string_view target);
// The error a refused request counts as, from its status and the router's error code.
ServerError error_of(int status, std::string_view code);

}  // namespace tlsdoctor::reference
