// Token buckets per client, refilled continuously; memory bounded by a cap on tracked clients.
#include "reference/server/client_rate_limiter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace tlsdoctor::reference {

std::string client_key(std::string_view address) {
  const std::string text(address);
  std::array<unsigned char, 16> bytes{};
  if (address.find(':') == std::string_view::npos || ::inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) {
    return text;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  std::array<char, INET6_ADDRSTRLEN> prefix{};
  ::inet_ntop(AF_INET6, bytes.data(), prefix.data(), prefix.size());
  return std::string(prefix.data()) + "/64";
}

ClientRateLimiter::ClientRateLimiter(std::size_t burst, Clock::duration refill_interval, std::size_t max_clients)
    : burst_(static_cast<double>(std::max<std::size_t>(1, burst))),
      refill_interval_(std::max<Clock::duration>(refill_interval, std::chrono::milliseconds(1))),
      max_clients_(std::max<std::size_t>(1, max_clients)) {
  overflow_.tokens = burst_;
}

void ClientRateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
  if (now <= bucket.updated) return;
  const double earned = std::chrono::duration<double>(now - bucket.updated) / refill_interval_;
  bucket.tokens = std::min(burst_, bucket.tokens + earned);
  bucket.updated = now;
}

void ClientRateLimiter::forget_full_buckets(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

RateDecision ClientRateLimiter::take(std::string_view client_address, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const std::string key = client_key(client_address);
  auto found = buckets_.find(key);
  if (found == buckets_.end() && buckets_.size() >= max_clients_) forget_full_buckets(now);
  Bucket* bucket = nullptr;
  if (found != buckets_.end()) {
    bucket = &found->second;
  } else if (buckets_.size() < max_clients_) {
    bucket = &buckets_.emplace(key, Bucket{burst_, now}).first->second;
  } else {
    bucket = &overflow_;
  }
  refill(*bucket, now);
  if (bucket->tokens >= 1.0) {
    bucket->tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket->tokens) * std::chrono::duration<double>(refill_interval_).count();
  return RateDecision{false, std::chrono::seconds(std::max<long>(1, static_cast<long>(std::ceil(wait))))};
}

std::size_t ClientRateLimiter::tracked_clients() const {
  const std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace tlsdoctor::reference
