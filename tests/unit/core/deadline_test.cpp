// Deadlines: remaining time never negative, sub-deadlines never outlive their parent.
#include <catch2/catch.hpp>

#include <thread>

#include "core/deadline.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

TEST_CASE("a deadline in the past is expired with nothing remaining") {
  const Deadline d = Deadline::after(0ms);
  std::this_thread::sleep_for(1ms);
  CHECK(d.expired());
  CHECK(d.remaining() == 0ms);
}

TEST_CASE("sub never extends past the parent deadline") {
  const Deadline parent = Deadline::after(100ms);
  CHECK(parent.sub(10s).at() == parent.at());
  CHECK(parent.sub(10ms).at() < parent.at());
  CHECK_FALSE(parent.expired());
  CHECK(parent.remaining() <= 100ms);
}

TEST_CASE("remaining rounds a part of a millisecond up, so a wait of it never ends early") {
  const Deadline d(Deadline::Clock::now() + 2500us);
  const auto remaining = d.remaining();
  const auto actually_left = d.at() - Deadline::Clock::now();
  CHECK(remaining >= actually_left);  // rounding down gave 2 ms here
  CHECK(remaining <= 3ms);
  // Waiting exactly what remains reaches the deadline.
  std::this_thread::sleep_for(d.remaining());
  CHECK(d.expired());
}
