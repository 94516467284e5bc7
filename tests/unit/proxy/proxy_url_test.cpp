// Tests for checker/proxy/proxy_url.cpp: libcurl's proxy syntax, defaults and redaction.
#include <catch2/catch.hpp>

#include "proxy/proxy_url.h"

using namespace tlsdoctor::proxy;

TEST_CASE("proxy URLs: schemes, hosts, ports and libcurl's default ports") {
  auto p = parse_proxy_url("http://Proxy.Corp.example:3128/");
  REQUIRE(p);
  CHECK(p->scheme == ProxyScheme::Http);
  CHECK(p->scheme_given);
  CHECK(p->host == "proxy.corp.example");
  CHECK(p->port == 3128);
  CHECK(p->port_given);
  CHECK_FALSE(p->has_credentials());
  CHECK(p->display() == "http://proxy.corp.example:3128");

  p = parse_proxy_url("proxy:8080");
  REQUIRE(p);
  CHECK_FALSE(p->scheme_given);
  CHECK(p->scheme == ProxyScheme::Http);

  CHECK(parse_proxy_url("proxy")->port == 1080);
  CHECK(parse_proxy_url("https://proxy")->port == 443);
  CHECK(parse_proxy_url("socks5h://proxy")->port == 1080);
  CHECK(parse_proxy_url("socks://proxy")->scheme == ProxyScheme::Socks4);
  CHECK(parse_proxy_url("SOCKS4A://proxy")->scheme == ProxyScheme::Socks4a);
  CHECK(parse_proxy_url("socks5://proxy")->scheme == ProxyScheme::Socks5);

  p = parse_proxy_url("http://[2001:db8::1]:3128");
  REQUIRE(p);
  CHECK(p->host == "2001:db8::1");
  CHECK(p->host_port() == "[2001:db8::1]:3128");
  CHECK(parse_proxy_url("  http://p:1  ")->port == 1);
}

TEST_CASE("credentials are flagged, never kept, and redacted in display and errors") {
  auto p = parse_proxy_url("http://alice:s3cret@proxy.corp:3128");
  REQUIRE(p);
  CHECK(p->has_user);
  CHECK(p->has_password);
  CHECK(p->display() == "http://***@proxy.corp:3128");
  CHECK(p->display().find("s3cret") == std::string::npos);

  p = parse_proxy_url("bob@proxy.corp:3128");
  REQUIRE(p);
  CHECK(p->has_user);
  CHECK_FALSE(p->has_password);

  // An unencoded '@' or '/' in the password: the last '@' ends the credentials.
  p = parse_proxy_url("http://carol:p@ss/w@proxy.corp:3128");
  REQUIRE(p);
  CHECK(p->host == "proxy.corp");

  auto bad = parse_proxy_url("ftp://dave:hunter2@proxy:21");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().input == "ftp://***@proxy:21");
  CHECK(bad.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("redact_credentials on any proxy-like text") {
  CHECK(redact_credentials("http://u:p@h:1") == "http://***@h:1");
  CHECK(redact_credentials("u:p@h:1") == "***@h:1");
  CHECK(redact_credentials("http://h:1") == "http://h:1");
  CHECK(redact_credentials("localhost,.corp") == "localhost,.corp");
  CHECK(redact_credentials("http://u:p@ss@h/x") == "http://***@h/x");
}

TEST_CASE("malformed proxy addresses are errors") {
  for (const char* text : {"", "   ", "gopher://p:1", "http://:3128", "http://p:0", "http://p:65536",
                           "http://p:12ab", "http://[::1", "http://[::1]x", "http://a::1:80",
                           "http://pro xy:80", "http://p@"}) {
    INFO(text);
    CHECK_FALSE(parse_proxy_url(text));
  }
  CHECK(to_string(ProxyScheme::Socks5h) == "socks5h");
}
