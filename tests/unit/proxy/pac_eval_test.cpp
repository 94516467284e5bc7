// Tests for checker/proxy/pac_eval.cpp: real pacparser in a child process, with its deadline.
#include <catch2/catch.hpp>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "proxy/pac_eval.h"

using namespace tlsdoctor;
using namespace tlsdoctor::proxy;
using namespace std::chrono_literals;

namespace {

// Uses only helpers that need no DNS for the hosts below: shExpMatch and dnsDomainIs work on
// strings, isInNet on an IP literal resolves nothing.
constexpr const char* kCorporatePac = R"js(
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
  if (shExpMatch(url, "https://*.bank.example/*")) return "PROXY secure.corp.example:8443";
  if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "DIRECT";
  return "PROXY proxy.corp.example:3128; SOCKS5 socks.corp.example:1080; DIRECT";
}
)js";

}  // namespace

TEST_CASE("FindProxyForURL answers with shExpMatch, dnsDomainIs and isInNet") {
  const auto deadline = [] { return Deadline::after(5000ms); };
  CHECK(evaluate_pac(kCorporatePac, "https://wiki.corp.example/", "wiki.corp.example", deadline()) ==
        "DIRECT");
  CHECK(evaluate_pac(kCorporatePac, "https://intranet/", "intranet", deadline()) == "DIRECT");
  CHECK(evaluate_pac(kCorporatePac, "https://www.bank.example/login", "www.bank.example",
                     deadline()) == "PROXY secure.corp.example:8443");
  CHECK(evaluate_pac(kCorporatePac, "http://10.1.2.3/", "10.1.2.3", deadline()) == "DIRECT");
  auto routes = find_proxy_with_pac(kCorporatePac, "http://192.0.2.7/", "192.0.2.7", deadline());
  REQUIRE(routes);
  REQUIRE(routes->size() == 3);
  CHECK(routes->front().proxy.host_port() == "proxy.corp.example:3128");
  CHECK(routes->back().direct);
}

TEST_CASE("quotes in the URL cannot break out of pacparser's script") {
  const auto answer = evaluate_pac("function FindProxyForURL(url, host) { return 'PROXY p:1'; }",
                                   "https://h.example/a'b\\c\"d", "h.example",
                                   Deadline::after(5000ms));
  CHECK(answer == "PROXY p:1");
  const auto bad_host = evaluate_pac(kCorporatePac, "https://x/", "x');evil('", Deadline::after(5000ms));
  REQUIRE_FALSE(bad_host);
  CHECK(bad_host.error().failure == PacFailure::Internal);
}

TEST_CASE("an endless loop comes back as a timeout within the deadline") {
  const auto started = std::chrono::steady_clock::now();
  const auto answer = evaluate_pac("function FindProxyForURL(url, host) { while (true) {} }",
                                   "https://a.example/", "a.example", Deadline::after(500ms));
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(answer);
  CHECK(answer.error().failure == PacFailure::EvalTimeout);
  CHECK(took < 2000ms);  // killed at the deadline, not left running
}

TEST_CASE("broken scripts: syntax error, exception, no function, HTML, empty, bad answer") {
  const auto eval = [](const char* script) {
    return find_proxy_with_pac(script, "https://a.example/", "a.example", Deadline::after(5000ms));
  };
  auto r = eval("function FindProxyForURL(url, host) { return 'DIRECT' ");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::ScriptError);
  CHECK_THAT(r.error().message, Catch::Contains("SyntaxError"));

  r = eval("function FindProxyForURL(url, host) { throw new Error('pac is down'); }");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::ScriptError);
  CHECK_THAT(r.error().message, Catch::Contains("pac is down"));

  r = eval("var notAPac = 1;");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::NotJavaScript);

  r = eval("\n  <html><body>Please log in</body></html>");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::NotJavaScript);
  CHECK_THAT(r.error().message, Catch::Contains("HTML"));

  r = eval("  \n");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::NotJavaScript);

  r = eval("function FindProxyForURL(url, host) { return 'MAYBE somewhere'; }");
  REQUIRE_FALSE(r);
  CHECK(r.error().failure == PacFailure::BadAnswer);
}

TEST_CASE("an expired deadline does not start the engine") {
  const auto answer = evaluate_pac(kCorporatePac, "https://a/", "a", Deadline::after(0ms));
  REQUIRE_FALSE(answer);
  CHECK(answer.error().failure == PacFailure::EvalTimeout);
}

TEST_CASE("the child does not keep the parent's other descriptors open") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);  // no O_CLOEXEC: fork() hands it to the child
  std::thread evaluation([] {
    (void)evaluate_pac("function FindProxyForURL(url, host) { while (true) {} }",
                       "https://a.example/", "a.example", Deadline::after(1500ms));
  });
  std::this_thread::sleep_for(300ms);  // the child is looping by now
  ::close(fds[1]);
  pollfd pfd{fds[0], POLLIN, 0};
  const int ready = ::poll(&pfd, 1, 500);
  char byte = 0;
  // EOF right away: no one else holds the write end.
  CHECK(ready == 1);
  CHECK(::read(fds[0], &byte, 1) == 0);
  evaluation.join();
  ::close(fds[0]);
}
