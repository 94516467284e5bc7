// A point in time by which work must finish; every network step and the whole run have one.
#pragma once

#include <algorithm>
#include <chrono>

namespace tlsdoctor {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline after(std::chrono::milliseconds budget) { return Deadline(Clock::now() + budget); }
  explicit Deadline(Clock::time_point at) : at_(at) {}

  Clock::time_point at() const { return at_; }
  bool expired() const { return Clock::now() >= at_; }
  // Time left in whole milliseconds, rounded up and never negative: a wait of this long (poll's
  // timeout, libcurl's) never ends before the deadline. Rounding down woke poll up to 1 ms early,
  // and a probe then called a handshake timed out at 299.98 of its 300 ms.
  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now());
    return std::max(left, std::chrono::milliseconds{0});
  }
  // A deadline for one step: `budget` from now, but never past this one.
  Deadline sub(std::chrono::milliseconds budget) const {
    return Deadline(std::min(at_, Clock::now() + budget));
  }

 private:
  Clock::time_point at_;
};

}  // namespace tlsdoctor
