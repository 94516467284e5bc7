// Tests for checker/proxy/pac_resolver.cpp: one download per PAC URL, failures passed on.
#include <catch2/catch.hpp>

#include <chrono>

#include "proxy/pac_resolver.h"
#include "unit/proxy/local_http_server.h"

using namespace tlsdoctor;
using namespace tlsdoctor::proxy;
using namespace std::chrono_literals;

TEST_CASE("the live resolver fetches once and evaluates per URL") {
  test::LocalHttpServer server;
  server.set("/p.pac", {200, "application/x-ns-proxy-autoconfig",
                        "function FindProxyForURL(u, h) {"
                        " return dnsDomainIs(h, '.corp.example') ? 'DIRECT' : 'PROXY p.corp:3128'; }"});
  LivePacResolver resolver(Deadline::after(10000ms));
  auto a = resolver.find(server.url("/p.pac"), "https://www.example.com/", "www.example.com");
  auto b = resolver.find(server.url("/p.pac"), "https://x.corp.example/", "x.corp.example");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->front().proxy.host_port() == "p.corp:3128");
  CHECK(b->front().direct);
  CHECK(server.requests() == 1);

  auto missing = resolver.find(server.url("/none.pac"), "https://a/", "a");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().failure == PacFailure::HttpStatus);
}
