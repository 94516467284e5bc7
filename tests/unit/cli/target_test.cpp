// Targets and --resolve entries as users type them (checker/cli/target.cpp).
#include <catch2/catch.hpp>

#include "cli/target.h"

using namespace tlsdoctor::cli;

TEST_CASE("target forms: host, host:port, https URL, IPv6 with and without brackets", "[target]") {
  struct Case {
    const char* text;
    const char* host;
    std::uint16_t port;
  };
  for (const auto& c : {Case{"Example.TEST", "example.test", 443}, Case{"example.test:8443", "example.test", 8443},
                        Case{"https://example.test/path?q=1", "example.test", 443},
                        Case{"HTTPS://example.test:444/", "example.test", 444}, Case{"127.0.0.1:8443", "127.0.0.1", 8443},
                        Case{"[::1]:8443", "::1", 8443}, Case{"[2001:db8::1]", "2001:db8::1", 443},
                        Case{"2001:db8::1", "2001:db8::1", 443}}) {
    INFO(c.text);
    const auto t = parse_target(c.text);
    REQUIRE(t);
    CHECK(t->host == c.host);
    CHECK(t->port == c.port);
  }
  CHECK(parse_target("[::1]:8443")->display() == "[::1]:8443");
  CHECK(parse_target("a.test")->display() == "a.test:443");
}

TEST_CASE("bad targets are refused with the text in the message", "[target]") {
  for (const char* text : {"", ":443", "a.test:", "a.test:0", "a.test:65536", "a.test:x", "http://a.test",
                           "https://user@a.test", "[::1", "[not-v6]:443", "a b.test", "[::1]x"}) {
    INFO(text);
    const auto t = parse_target(text);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().message, Catch::Contains(std::string("'") + text + "'"));
  }
}

TEST_CASE("resolve entries: IPv4, bracketed and bare IPv6", "[target]") {
  auto e = parse_resolve("a.test:443:127.0.0.2");
  REQUIRE(e);
  CHECK(e->host == "a.test");
  CHECK(e->port == 443);
  CHECK(e->address == "127.0.0.2");
  CHECK(parse_resolve("a.test:443:[::1]")->address == "::1");
  CHECK(parse_resolve("a.test:443:::1")->address == "::1");
  for (const char* bad : {"a.test", "a.test:443", "a.test:x:127.0.0.1", "a.test:443:example.test", ":443:127.0.0.1"}) {
    INFO(bad);
    CHECK_FALSE(parse_resolve(bad));
  }
}
