// Tests for checker/proxy/reachability.cpp: a listening port, a closed port, CONNECT_TO.
#include <catch2/catch.hpp>

#include <chrono>

#include "proxy/reachability.h"
#include "unit/proxy/local_http_server.h"

using namespace tlsdoctor;
using namespace tlsdoctor::proxy;
using namespace std::chrono_literals;

TEST_CASE("a listening proxy port is reachable") {
  test::LocalListener listener;
  const auto url = parse_proxy_url("http://127.0.0.1:" + std::to_string(listener.port()));
  REQUIRE(url);
  const auto r = check_proxy_reachable(*url, Deadline::after(3000ms));
  CHECK(r.reachable());
  CHECK(r.error.empty());
}

TEST_CASE("a closed proxy port is refused, quickly") {
  const auto url = parse_proxy_url("http://127.0.0.1:" + std::to_string(test::closed_local_port()));
  REQUIRE(url);
  const auto r = check_proxy_reachable(*url, Deadline::after(3000ms));
  CHECK_FALSE(r.reachable());
  CHECK(r.failure == ReachFailure::Refused);
  CHECK_FALSE(r.error.empty());
  CHECK(r.elapsed < 3000ms);
  CHECK(to_string(r.failure) == "refused");
}

TEST_CASE("a named proxy sent to 127.0.0.1 by CONNECT_TO needs no DNS") {
  test::LocalListener listener;
  const auto url = parse_proxy_url("http://proxy.corp.example:3128");
  REQUIRE(url);
  ReachOptions options;
  options.connect_to.push_back("proxy.corp.example:3128:127.0.0.1:" + std::to_string(listener.port()));
  CHECK(check_proxy_reachable(*url, Deadline::after(3000ms), options).reachable());
}

TEST_CASE("no time left is a timeout, without connecting") {
  test::LocalListener listener;
  const auto url = parse_proxy_url("http://127.0.0.1:" + std::to_string(listener.port()));
  const auto r = check_proxy_reachable(*url, Deadline::after(0ms));
  CHECK(r.failure == ReachFailure::TimedOut);
}
