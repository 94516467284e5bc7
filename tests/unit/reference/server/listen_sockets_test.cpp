// Tests for the reference's listen addresses and acceptors (reference/server/listen_sockets.cpp).
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include "reference/server/listen_sockets.h"

using namespace tlsdoctor::reference;

TEST_CASE("listen addresses: forms accepted and refused by name", "[listen_sockets]") {
  CHECK(parse_listen_address("127.0.0.1:443").value().port == 443);
  CHECK(parse_listen_address("[::1]:8443").value().address == "::1");
  CHECK(parse_listen_address("0.0.0.0:0").value().port == 0);
  CHECK(parse_listen_address("localhost:443").error().input == "localhost:443");
  CHECK_FALSE(parse_listen_address("127.0.0.1"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:99999"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:44x"));
}

TEST_CASE("acceptors bind what they are given, siblings share the ports the first got", "[listen_sockets]") {
  boost::asio::io_context io;
  auto first = bind_all(io, {"127.0.0.1:0", "127.0.0.1:0"}, true);
  REQUIRE(first);
  const auto ports = bound_ports(*first);
  REQUIRE(ports.size() == 2);
  CHECK(ports[0] != 0);
  CHECK(ports[1] != 0);
  CHECK(ports[0] != ports[1]);
  auto siblings = bind_all(io, {"127.0.0.1:0", "127.0.0.1:0"}, true, ports);
  REQUIRE(siblings);
  CHECK(bound_ports(*siblings) == ports);
  // Without SO_REUSEPORT the same port is taken.
  auto taken = bind_all(io, {"127.0.0.1:" + std::to_string(ports[0])}, false);
  REQUIRE_FALSE(taken);
  CHECK(taken.error().input == "127.0.0.1:" + std::to_string(ports[0]));
  // A closed acceptor reports port 0.
  first->front().close();
  CHECK(bound_ports(*first).front() == 0);
}

TEST_CASE("an address that is not this machine's cannot be listened on, and says which", "[listen_sockets]") {
  boost::asio::io_context io;
  // 192.0.2.1 (TEST-NET-1) is never a local address.
  auto refused = bind_all(io, {"127.0.0.1:0", "192.0.2.1:0"}, false);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().input == "192.0.2.1:0");
  CHECK(refused.error().message.find("cannot listen") == 0);
  auto not_an_address = bind_all(io, {"example.test:443"}, false);
  REQUIRE_FALSE(not_an_address);
  CHECK(not_an_address.error().input == "example.test:443");
}
