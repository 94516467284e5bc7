// Tests for checker/nettime/trusted_time: the signed reference's time and the median of HTTP Dates.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "nettime/trusted_time.h"
#include "reference/protocol/protocol_version.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;
using nettime::DateSample;
using TimePoint = std::chrono::system_clock::time_point;

namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'795'000'000));

// A host whose Date says kNow + `server_ahead` (whole seconds, as HTTP has them), asked while
// this machine's clock read kNow + local_ahead, the request window `window` wide.
DateSample sample(std::string url, std::chrono::seconds server_ahead, std::chrono::milliseconds local_ahead = 0ms,
                  std::chrono::milliseconds window = 40ms) {
  DateSample s;
  s.url = std::move(url);
  s.answered = true;
  s.server_time = kNow + server_ahead;
  // Centre the window on the middle of the named second, so a true clock reads offset zero.
  s.sent = kNow + local_ahead + 500ms - window / 2;
  s.received = s.sent + window;
  return s;
}

std::chrono::milliseconds offset(const nettime::TrustedTime& t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.local - t.utc);
}

refclient::ReferenceExchange time_exchange(std::int64_t server_ms, std::int64_t sent_ms, std::int64_t received_ms,
                                           std::int64_t uncertainty_ms) {
  refclient::ReferenceExchange e;
  e.url = "https://ref.example/v1/time";
  e.reachable = true;
  e.http_status = 200;
  e.sent_unix_ms = sent_ms;
  e.received_unix_ms = received_ms;
  reference::CheckedAnswer a;
  a.envelope = {std::string(reference::kProtocolVersion), "time", "n", server_ms};
  a.key_id = "ed25519:abc";
  a.value = {{"protocol", std::string(reference::kProtocolVersion)}, {"kind", "time"}, {"nonce", "n"},
             {"time_unix_ms", server_ms},          {"uncertainty_ms", uncertainty_ms}};
  e.answer = a;
  return e;
}

}  // namespace

TEST_CASE("trusted time: the median of the Dates, their spread in the uncertainty", "[nettime]") {
  SECTION("three hosts agreeing on a clock three hours ahead") {
    const auto t = nettime::time_from_dates({sample("a", 0s, 3h), sample("b", 1s, 3h), sample("c", -1s, 3h)}, 3);
    REQUIRE(t);
    CHECK(offset(t->time) == 3h);
    CHECK(t->used.size() == 3);
    CHECK(t->outliers.empty());
    // Half a second of resolution, half the 40 ms window, one second of spread.
    CHECK(t->time.uncertainty == 1520ms);
    CHECK(t->time.source == "HTTP Date of 3 of 3 hosts (median)");
  }
  SECTION("an even count takes the middle two's mean") {
    const auto t = nettime::time_from_dates({sample("a", 0s), sample("b", 2s), sample("c", 4s), sample("d", 6s)}, 4);
    REQUIRE(t);
    CHECK(offset(t->time) == -3s);
  }
  SECTION("a host far from the others is set aside, not averaged in") {
    const auto t = nettime::time_from_dates(
        {sample("a", 0s), sample("b", 1s), sample("c", 0s), sample("portal", std::chrono::hours(-24 * 365))}, 4);
    REQUIRE(t);
    CHECK(t->used == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(t->outliers.size() == 1);
    CHECK(t->outliers.front().rfind("portal (", 0) == 0);
    CHECK(std::chrono::abs(offset(t->time)) < 1s);
  }
  SECTION("hosts without a Date are not counted") {
    auto missing = sample("m", 0s);
    missing.server_time.reset();
    auto failed = sample("f", 0s);
    failed.answered = false;
    failed.server_time.reset();
    const auto t = nettime::time_from_dates({missing, failed, sample("a", 0s)}, 3);
    REQUIRE_FALSE(t);
    CHECK(t.error() == "1 of 3 time sources gave a usable Date (at least 2 must agree)");
  }
  SECTION("one host is enough when only one was asked") {
    const auto t = nettime::time_from_dates({sample("only", 0s, -10min)}, 1);
    REQUIRE(t);
    CHECK(offset(t->time) == -10min);
  }
  SECTION("two hosts that disagree beyond the limit give no time") {
    const auto t = nettime::time_from_dates({sample("a", 0s), sample("b", 1h)}, 2);
    REQUIRE_FALSE(t);
    CHECK(t.error().find("disagree") != std::string::npos);
  }
  SECTION("nothing at all") {
    CHECK_FALSE(nettime::time_from_dates({}, 3));
  }
}

TEST_CASE("trusted time: the reference's signed answer", "[nettime]") {
  SECTION("the server's time, and its bound plus half the exchange as uncertainty") {
    const auto t = nettime::time_from_reference(time_exchange(1'000'000, 1'010'000, 1'010'200, 25));
    REQUIRE(t);
    CHECK(offset(*t) == 10'100ms);
    CHECK(t->uncertainty == 125ms);
    CHECK(t->source == "reference https://ref.example/v1/time (signed by ed25519:abc)");
  }
  SECTION("unreachable") {
    auto e = time_exchange(0, 0, 0, 0);
    e.reachable = false;
    e.error = "Connection refused";
    const auto t = nettime::time_from_reference(e);
    REQUIRE_FALSE(t);
    CHECK(t.error() == "the reference could not be reached: Connection refused");
  }
  SECTION("an answer not believed gives no time") {
    auto e = time_exchange(0, 0, 0, 0);
    e.answer.reset();
    e.refused = reference::AnswerFailure{reference::AnswerProblem::BadSignature, "unknown key"};
    CHECK_FALSE(nettime::time_from_reference(e));
  }
  SECTION("an error answer is not a time") {
    auto e = time_exchange(0, 0, 0, 0);
    e.answer->envelope.kind = "error";
    e.http_status = 429;
    const auto t = nettime::time_from_reference(e);
    REQUIRE_FALSE(t);
    CHECK(t.error() == "the reference answered with error, not the time (HTTP 429)");
  }
  SECTION("a malformed time answer") {
    auto e = time_exchange(0, 0, 0, 0);
    e.answer->value.erase("uncertainty_ms");
    CHECK_FALSE(nettime::time_from_reference(e));
  }
}
