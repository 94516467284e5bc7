// A token bucket per client address, for the reference's expensive endpoint (observe): bursts allowed, floods refused.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tlsdoctor::reference {

struct RateDecision {
  bool allowed = true;
  // When refused: how long until the client's next token (the Retry-After header), at least 1 s.
  std::chrono::seconds retry_after{0};
};

// Thread-safe. Clients are keyed by address; IPv6 clients by their /64, since one host
// commonly holds a whole /64 and could otherwise rotate through fresh buckets.
class ClientRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `burst` requests at once, then one more per `refill_interval`. At most `max_clients`
  // buckets are kept: a full bucket is forgotten when room is needed (it is the same as a new
  // one); when every bucket is busy, clients beyond the limit share one overflow bucket.
  ClientRateLimiter(std::size_t burst, Clock::duration refill_interval, std::size_t max_clients);

  RateDecision take(std::string_view client_address, Clock::time_point now);

  std::size_t tracked_clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  void refill(Bucket& bucket, Clock::time_point now) const;
  void forget_full_buckets(Clock::time_point now);

  const double burst_;
  const Clock::duration refill_interval_;
  const std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Bucket overflow_;
};

// The bucket key of an address: the address itself for IPv4, its /64 prefix for IPv6
// ("2001:db8:1:2::/64"); text that is not an address is its own key.
std::string client_key(std::string_view address);

}  // namespace tlsdoctor::reference
