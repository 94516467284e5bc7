// The observe token bucket: bursts, refill, Retry-After, IPv6 /64 keys and the bound on tracked clients.
#include <catch2/catch.hpp>

#include "reference/server/client_rate_limiter.h"

using namespace tlsdoctor::reference;
using namespace std::chrono_literals;

TEST_CASE("a client gets its burst, then waits one refill interval per request", "[rate_limiter]") {
  ClientRateLimiter limiter(3, 10s, 100);
  const auto start = ClientRateLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 3; ++i) CHECK(limiter.take("198.51.100.7", start).allowed);
  const auto refused = limiter.take("198.51.100.7", start);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 10s);
  // Four seconds on, six remain until the next token.
  const auto later = limiter.take("198.51.100.7", start + 4s);
  CHECK_FALSE(later.allowed);
  CHECK(later.retry_after == 6s);
  CHECK(limiter.take("198.51.100.7", start + 10s).allowed);
  CHECK_FALSE(limiter.take("198.51.100.7", start + 10s).allowed);
  // Another client has its own bucket.
  CHECK(limiter.take("198.51.100.8", start).allowed);
}

TEST_CASE("IPv6 clients share a bucket per /64", "[rate_limiter]") {
  CHECK(client_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(client_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64");
  CHECK(client_key("2001:db8:1:3::1") == "2001:db8:1:3::/64");
  CHECK(client_key("192.0.2.1") == "192.0.2.1");
  ClientRateLimiter limiter(1, 60s, 100);
  const auto now = ClientRateLimiter::Clock::now();
  CHECK(limiter.take("2001:db8:1:2::10", now).allowed);
  CHECK_FALSE(limiter.take("2001:db8:1:2::11", now).allowed);
  CHECK(limiter.take("2001:db8:1:3::10", now).allowed);
}

TEST_CASE("the tracked clients stay bounded, full buckets are forgotten first", "[rate_limiter]") {
  ClientRateLimiter limiter(1, 10s, 4);
  const auto start = ClientRateLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 4; ++i) CHECK(limiter.take("192.0.2." + std::to_string(i), start).allowed);
  CHECK(limiter.tracked_clients() == 4);
  // All four buckets are empty: a fifth client lands in the shared overflow bucket.
  CHECK(limiter.take("192.0.2.100", start).allowed);
  CHECK_FALSE(limiter.take("192.0.2.101", start).allowed);
  CHECK(limiter.tracked_clients() == 4);
  // Once the buckets have refilled they are dropped to make room, and newcomers get their own.
  CHECK(limiter.take("192.0.2.102", start + 20s).allowed);
  CHECK(limiter.tracked_clients() == 1);
  // A client that was forgotten with a full bucket starts with a full one: nothing was lost.
  CHECK(limiter.take("192.0.2.0", start + 20s).allowed);
}
