// The /metrics rendering: Prometheus text with fixed label sets, counters that move, a cumulative histogram.
#include <catch2/catch.hpp>

#include "reference/server/server_metrics.h"

using namespace tlsdoctor::reference;
using namespace std::chrono_literals;

TEST_CASE("metrics count requests, handshakes, errors and latency in Prometheus text", "[server_metrics]") {
  ServerMetrics metrics;
  metrics.count_request(Endpoint::Echo, 200, 300us);
  metrics.count_request(Endpoint::Echo, 200, 2ms);
  metrics.count_request(Endpoint::Observe, 429, 10s);
  metrics.count_handshake("TLSv1.3");
  metrics.count_handshake("TLSv1");
  metrics.count_handshake("SSLv3");  // not a label value: not counted anywhere
  metrics.count_error(ServerError::RateLimited);
  metrics.connection_opened();
  const std::string text = metrics.render();
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_requests_total{endpoint=\"echo\",code=\"2xx\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_requests_total{endpoint=\"observe\",code=\"4xx\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_handshakes_total{version=\"TLSv1.3\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_handshakes_total{version=\"TLSv1\"} 1\n"));
  CHECK_THAT(text, !Catch::Contains("SSLv3"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_errors_total{class=\"rate_limited\"} 1\n"));
  // Cumulative buckets: 300 us is under 0.0005 s; 2 ms under 0.0025 s; 10 s only in +Inf.
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_request_duration_seconds_bucket{le=\"0.0025\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_request_duration_seconds_bucket{le=\"5\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_request_duration_seconds_count 3\n"));
  CHECK_THAT(text, Catch::Contains("tlsdoctor_reference_open_connections 1\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE tlsdoctor_reference_request_duration_seconds histogram\n"));
}

TEST_CASE("request paths and refusals map onto the fixed label sets", "[server_metrics]") {
  CHECK(endpoint_of("/v1/echo?nonce=abc") == Endpoint::Echo);
  CHECK(endpoint_of("/v1/observe") == Endpoint::Observe);
  CHECK(endpoint_of("/healthz") == Endpoint::Healthz);
  CHECK(endpoint_of("/v1/echo/../../etc") == Endpoint::Other);
  CHECK(endpoint_name(Endpoint::Time) == "time");
  CHECK(error_of(429, "busy") == ServerError::Busy);
  CHECK(error_of(429, "rate_limited") == ServerError::RateLimited);
  CHECK(error_of(403, "forbidden_target") == ServerError::ForbiddenTarget);
  CHECK(error_of(431, "too_large") == ServerError::TooLarge);
  CHECK(error_of(405, "bad_request") == ServerError::BadRequest);
  CHECK(error_of(500, "internal") == ServerError::Internal);
}
