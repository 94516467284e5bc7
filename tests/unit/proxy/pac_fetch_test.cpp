// Tests for checker/proxy/pac_fetch.cpp: file:// and a local HTTP server, caps and failures.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "proxy/pac_eval.h"
#include "proxy/pac_fetch.h"
#include "unit/proxy/local_http_server.h"
#include "unit/platform/temp_sysroot.h"

using namespace tlsdoctor;
using namespace tlsdoctor::proxy;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPac =
    "function FindProxyForURL(url, host) {\n"
    "  if (dnsDomainIs(host, '.corp.example')) return 'DIRECT';\n"
    "  return 'PROXY proxy.corp.example:3128';\n}\n";

}  // namespace

TEST_CASE("a PAC file from a file:// URL, evaluated by pacparser") {
  test::TempSysroot dir;
  dir.write("/proxy.pac", kPac);
  const std::string url = "file://" + dir.at("/proxy.pac").string();
  auto script = fetch_pac(url, Deadline::after(5000ms));
  REQUIRE(script);
  CHECK(*script == kPac);
  auto routes = find_proxy_with_pac(*script, "https://www.example.com/", "www.example.com",
                                    Deadline::after(5000ms));
  REQUIRE(routes);
  CHECK(routes->front().proxy.host_port() == "proxy.corp.example:3128");

  // Under a sysroot, file:// paths are read inside it.
  PacFetchOptions under_root;
  under_root.file_root = dir.root();
  auto rooted = fetch_pac("file:///proxy.pac", Deadline::after(5000ms), under_root);
  REQUIRE(rooted);
  CHECK(*rooted == kPac);

  auto missing = fetch_pac("file://" + dir.at("/nope.pac").string(), Deadline::after(5000ms));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().failure == PacFailure::Unreachable);
}

TEST_CASE("a PAC file from a local HTTP server, evaluated by pacparser") {
  test::LocalHttpServer server;
  server.set("/proxy.pac", {200, "application/x-ns-proxy-autoconfig", kPac});
  auto script = fetch_pac(server.url("/proxy.pac"), Deadline::after(5000ms));
  REQUIRE(script);
  auto routes = find_proxy_with_pac(*script, "https://wiki.corp.example/", "wiki.corp.example",
                                    Deadline::after(5000ms));
  REQUIRE(routes);
  CHECK(routes->front().direct);
}

TEST_CASE("a named PAC host reached through CONNECT_TO, without DNS") {
  test::LocalHttpServer server;
  server.set("/wpad.dat", {200, "application/x-ns-proxy-autoconfig", kPac});
  PacFetchOptions options;
  options.connect_to.push_back("wpad.corp.example:80:127.0.0.1:" + std::to_string(server.port()));
  auto script = fetch_pac("http://wpad.corp.example/wpad.dat", Deadline::after(5000ms), options);
  REQUIRE(script);
  CHECK(server.requests() == 1);
}

TEST_CASE("PAC download failures: status, size cap, refused, bad URL, no time") {
  test::LocalHttpServer server;
  server.set("/big.pac", {200, "text/plain", std::string(kMaxPacBytes + 10, 'x')});

  auto r = fetch_pac(server.url("/missing.pac"), Deadline::after(5000ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::HttpStatus);
  CHECK_THAT(r.error().message, Catch::Contains("404"));

  r = fetch_pac(server.url("/big.pac"), Deadline::after(5000ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::TooLarge);

  const auto port = test::closed_local_port();
  r = fetch_pac("http://user:hunter2@127.0.0.1:" + std::to_string(port) + "/x.pac",
                Deadline::after(5000ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::Unreachable);
  CHECK(r.error().message.find("hunter2") == std::string::npos);

  r = fetch_pac("gopher://127.0.0.1/x", Deadline::after(5000ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::BadUrl);

  r = fetch_pac(server.url("/missing.pac"), Deadline::after(0ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::FetchTimeout);
}
