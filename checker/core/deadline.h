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
  // Time left, never negative.
  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now());
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
