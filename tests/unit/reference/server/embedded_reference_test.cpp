// Tests for reference/server/embedded_reference.cpp: the in-process reference the protocols check measures against.
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include "reference/server/embedded_reference.h"
#include "tls/loopback.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

TEST_CASE("the embedded reference listens on 127.0.0.1 and completes the versions policy allows", "[embedded_reference]") {
  const auto curve = GENERATE(tls::SelfSignedKey::P256, tls::SelfSignedKey::P384);
  auto embedded = reference::EmbeddedReference::start(curve);
  REQUIRE(embedded);
  const auto address = (*embedded)->address();
  CHECK(ntohl(address.sin_addr.s_addr) == INADDR_LOOPBACK);
  CHECK(ntohs(address.sin_port) != 0);
  CHECK((*embedded)->public_key().id.size() == 16);
  const std::array versions{tls::TlsVersion::Tls1_2, tls::TlsVersion::Tls1_3};
  const auto report = tls::measure_loopback_at(address, Deadline::after(10s), versions);
  REQUIRE(report.results.size() == 2);
  CHECK(report.results[0].outcome == tls::LoopbackOutcome::Accepted);
  CHECK(report.results[0].negotiated == "TLSv1.2");
  CHECK(report.results[1].outcome == tls::LoopbackOutcome::Accepted);
  CHECK(report.results[1].negotiated == "TLSv1.3");
}

TEST_CASE("each embedded reference has its own key and port, and stops when destroyed", "[embedded_reference]") {
  auto first = reference::EmbeddedReference::start();
  auto second = reference::EmbeddedReference::start();
  REQUIRE(first);
  REQUIRE(second);
  CHECK((*first)->public_key().id != (*second)->public_key().id);
  const auto address = (*first)->address();
  CHECK(address.sin_port != (*second)->address().sin_port);
  first->reset();
  const std::array versions{tls::TlsVersion::Tls1_3};
  const auto after = tls::measure_loopback_at(address, Deadline::after(5s), versions);
  CHECK(after.results.front().outcome != tls::LoopbackOutcome::Accepted);
}
