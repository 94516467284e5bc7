// Tests for checker/proxy/proxy_route.cpp: PAC answers and route comparison.
#include <catch2/catch.hpp>

#include "proxy/proxy_route.h"

using namespace tlsdoctor::proxy;

TEST_CASE("PAC answers parse into ordered routes") {
  auto routes = parse_pac_answer("PROXY proxy.corp:3128; SOCKS5 socks.corp; DIRECT");
  REQUIRE(routes);
  REQUIRE(routes->size() == 3);
  CHECK((*routes)[0].proxy.scheme == ProxyScheme::Http);
  CHECK((*routes)[0].proxy.host_port() == "proxy.corp:3128");
  CHECK((*routes)[1].proxy.scheme == ProxyScheme::Socks5);
  CHECK((*routes)[1].proxy.port == 1080);
  CHECK((*routes)[2].direct);
  CHECK(display_routes(*routes) == "http://proxy.corp:3128; socks5://socks.corp:1080; DIRECT");

  routes = parse_pac_answer(" proxy a ;;  HTTPS b:8443;socks c ");
  REQUIRE(routes);
  CHECK((*routes)[0].proxy.port == 80);  // browsers' default for PROXY without a port
  CHECK((*routes)[1].proxy.scheme == ProxyScheme::Https);
  CHECK((*routes)[2].proxy.scheme == ProxyScheme::Socks4);

  routes = parse_pac_answer("");
  REQUIRE(routes);
  CHECK(routes->size() == 1);
  CHECK(routes->front().direct);
}

TEST_CASE("malformed PAC answers are errors naming the item") {
  auto bad = parse_pac_answer("PROXY a:1; GOPHER b:2");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().input == "GOPHER b:2");
  CHECK_FALSE(parse_pac_answer("PROXY"));
  CHECK_FALSE(parse_pac_answer("undefined"));
  CHECK_FALSE(parse_pac_answer("PROXY a:99999"));
  CHECK_FALSE(parse_pac_answer("DIRECT x"));
}

TEST_CASE("routes compare by endpoint") {
  const auto a = ProxyRoute::via(*parse_proxy_url("http://p:3128"));
  const auto b = ProxyRoute::via(*parse_proxy_url("p:3128"));
  const auto c = ProxyRoute::via(*parse_proxy_url("http://p:8080"));
  CHECK(a.same_as(b));
  CHECK_FALSE(a.same_as(c));
  CHECK_FALSE(a.same_as(ProxyRoute::make_direct()));
  CHECK(ProxyRoute::make_direct().same_as(ProxyRoute::make_direct()));
  CHECK(ProxyRoute::make_direct().display() == "DIRECT");
}
