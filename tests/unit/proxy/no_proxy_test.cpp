// Tests for checker/proxy/no_proxy.cpp: NO_PROXY as libcurl 7.88 reads it, ignore-hosts as GLib does.
#include <catch2/catch.hpp>

#include "proxy/no_proxy.h"

using namespace tlsdoctor::proxy;

TEST_CASE("libcurl NO_PROXY matching table") {
  struct Row {
    const char* host;
    const char* list;
    const char* match;  // nullptr: goes through the proxy
  };
  const Row rows[] = {
      {"example.com", "example.com", "example.com"},
      {"www.example.com", "example.com", "example.com"},
      {"www.example.com", ".example.com", ".example.com"},
      {"example.com", ".example.com", ".example.com"},
      {"nonexample.com", "example.com", nullptr},
      {"WWW.Example.COM", "example.com", "example.com"},
      {"example.com.", "example.com", "example.com"},
      {"example.com", "example.com.", "example.com."},
      {"anything.test", "*", "*"},
      {"a.corp", "*.corp", nullptr},                  // no wildcards in libcurl
      {"a.corp", "localhost, *, .corp", ".corp"},      // "*" only counts alone
      {"a.corp", "localhost .corp", ".corp"},          // blanks separate as well
      {"a.corp", "localhost,,  ,.corp", ".corp"},
      {"host", "host:8080", nullptr},                  // no ports in libcurl
      {"10.1.2.3", "10.0.0.0/8", "10.0.0.0/8"},
      {"11.1.2.3", "10.0.0.0/8", nullptr},
      {"10.1.2.3", "10.1.2.3", "10.1.2.3"},
      {"10.1.2.3", "1.2.3", nullptr},                  // IP hosts never tail-match
      {"127.0.0.1", "localhost", nullptr},             // names are not resolved
      {"::1", "::1", "::1"},
      {"[::1]", "::1", "::1"},
      {"fd00::5", "fd00::/8", "fd00::/8"},
      {"fe80::5", "fd00::/8", nullptr},
      {"10.1.2.3", "10.0.0.0/40", nullptr},
      {"example.com", "", nullptr},
      {"", "example.com", nullptr},
  };
  for (const auto& row : rows) {
    INFO(row.host << " vs " << row.list);
    const auto m = curl_no_proxy_match(row.host, row.list);
    if (row.match == nullptr) {
      CHECK_FALSE(m.has_value());
    } else {
      CHECK(m == std::string(row.match));
    }
  }
}

TEST_CASE("NO_PROXY entries libcurl reads literally") {
  CHECK(curl_no_proxy_ignored_entries("localhost,*.corp,host:8080,10.0.0.0/8,.ok,corp/16,::1") ==
        std::vector<std::string>{"*.corp", "host:8080", "corp/16"});
  CHECK(curl_no_proxy_ignored_entries("*").empty());
  CHECK(curl_no_proxy_ignored_entries("").empty());
}

TEST_CASE("desktop ignore-hosts matching table (GLib rules)") {
  struct Row {
    const char* host;
    unsigned port;
    const char* list;
    const char* match;
  };
  const Row rows[] = {
      {"example.com", 443, "example.com", "example.com"},
      {"www.example.com", 443, "example.com", "example.com"},
      {"www.example.com", 443, "*.example.com", "*.example.com"},
      {"example.com", 443, "*.example.com", "*.example.com"},
      {"www.example.com", 443, ".example.com", ".example.com"},
      {"badexample.com", 443, "example.com", nullptr},
      {"www.example.com", 443, "example.com:8443", nullptr},
      {"www.example.com", 8443, "example.com:8443", "example.com:8443"},
      {"127.0.0.5", 443, "localhost, 127.0.0.0/8", "127.0.0.0/8"},
      {"::1", 443, "localhost, 127.0.0.0/8, ::1", "::1"},
      {"::1", 80, "[::1]:80", "[::1]:80"},
      {"::1", 443, "[::1]:80", nullptr},
      {"10.0.0.1", 443, "10.0.0.1:443", "10.0.0.1:443"},
      {"a.example", 443, "", nullptr},
  };
  for (const auto& row : rows) {
    INFO(row.host << ":" << row.port << " vs " << row.list);
    const auto m = desktop_ignore_match(row.host, static_cast<std::uint16_t>(row.port), row.list);
    if (row.match == nullptr) {
      CHECK_FALSE(m.has_value());
    } else {
      CHECK(m == std::string(row.match));
    }
  }
}
