// Tests for probe name resolution: literals, given addresses, localhost, the getaddrinfo classifier, and the timeout.
#include <netdb.h>

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "tls/dns.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::tls::DnsObservation;
using tlsdoctor::tls::Failure;
using tlsdoctor::tls::resolve_host;

// A resolver that answers "no such name" after a while: stands in for one that does not answer
// in time, without sending a query anywhere.
constexpr auto kSlowResolverDelay = 200ms;
int slow_nxdomain(const char*, const char*, const addrinfo*, addrinfo**) {
  std::this_thread::sleep_for(kSlowResolverDelay);
  return EAI_NONAME;
}

}  // namespace

TEST_CASE("dns: getaddrinfo errors map to failure classes", "[dns]") {
  using tlsdoctor::tls::classify_getaddrinfo_error;
  CHECK(classify_getaddrinfo_error(0) == Failure::None);
  CHECK(classify_getaddrinfo_error(EAI_NONAME) == Failure::DnsNxdomain);
  CHECK(classify_getaddrinfo_error(EAI_NODATA) == Failure::DnsNoAddress);
  CHECK(classify_getaddrinfo_error(EAI_ADDRFAMILY) == Failure::DnsNoAddress);
  CHECK(classify_getaddrinfo_error(EAI_AGAIN) == Failure::DnsError);
  CHECK(classify_getaddrinfo_error(EAI_FAIL) == Failure::DnsError);
  CHECK(classify_getaddrinfo_error(EAI_MEMORY) == Failure::DnsError);
  CHECK_THAT(tlsdoctor::tls::describe_getaddrinfo_error(EAI_AGAIN, 0), Catch::Contains("temporary"));
  CHECK_THAT(tlsdoctor::tls::describe_getaddrinfo_error(EAI_SYSTEM, ECONNREFUSED), Catch::Contains("refused"));
}

TEST_CASE("dns: IP literals are recognised in every spelling", "[dns]") {
  using tlsdoctor::tls::is_ip_literal;
  CHECK(is_ip_literal("127.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK(is_ip_literal("[::1]"));
  CHECK(is_ip_literal("2001:db8::5"));
  CHECK(is_ip_literal("fe80::1%lo"));
  CHECK_FALSE(is_ip_literal("localhost"));
  CHECK_FALSE(is_ip_literal("lab.tlsdoctor.test"));
  CHECK_FALSE(is_ip_literal("1.2.3"));
  CHECK_FALSE(is_ip_literal(""));
}

TEST_CASE("dns: a literal skips DNS", "[dns]") {
  const auto v4 = resolve_host("127.0.0.1", 443, {}, Deadline::after(1s));
  CHECK(v4.failure == Failure::None);
  CHECK(v4.observation.source == DnsObservation::Source::Literal);
  REQUIRE(v4.addresses.size() == 1);
  CHECK(v4.addresses[0].text == "127.0.0.1");
  CHECK(v4.addresses[0].storage.ss_family == AF_INET);
  CHECK(v4.observation.elapsed == 0ms);

  const auto v6 = resolve_host("[::1]", 8443, {}, Deadline::after(1s));
  REQUIRE(v6.addresses.size() == 1);
  CHECK(v6.addresses[0].text == "::1");
  CHECK(v6.addresses[0].storage.ss_family == AF_INET6);
  CHECK(ntohs(reinterpret_cast<const sockaddr_in6*>(&v6.addresses[0].storage)->sin6_port) == 8443);
}

TEST_CASE("dns: given addresses replace the lookup, in order", "[dns]") {
  const auto given = resolve_host("lab.tlsdoctor.test", 443, {"::1", "127.0.0.2"}, Deadline::after(1s));
  CHECK(given.failure == Failure::None);
  CHECK(given.observation.source == DnsObservation::Source::Given);
  CHECK(given.observation.addresses == std::vector<std::string>{"::1", "127.0.0.2"});

  const auto bad = resolve_host("lab.tlsdoctor.test", 443, {"not-an-address"}, Deadline::after(1s));
  CHECK(bad.failure == Failure::DnsError);
  CHECK(bad.addresses.empty());
  CHECK_THAT(bad.detail, Catch::Contains("not-an-address"));
}

TEST_CASE("dns: localhost resolves through the hosts file with every address recorded", "[dns]") {
  const auto resolved = resolve_host("localhost", 443, {}, Deadline::after(5s));
  REQUIRE(resolved.failure == Failure::None);
  CHECK(resolved.observation.source == DnsObservation::Source::Resolver);
  CHECK(resolved.observation.error.empty());
  REQUIRE_FALSE(resolved.addresses.empty());
  CHECK(resolved.addresses.size() == resolved.observation.addresses.size());
  for (std::size_t i = 0; i < resolved.addresses.size(); ++i) {
    CHECK(resolved.addresses[i].text == resolved.observation.addresses[i]);
  }
  const auto& texts = resolved.observation.addresses;
  CHECK(std::find(texts.begin(), texts.end(), "127.0.0.1") != texts.end());
}

TEST_CASE("dns: a resolver slower than the deadline gives dns_timeout on time", "[dns]") {
  const auto started = std::chrono::steady_clock::now();
  const auto resolved = resolve_host("slow.lab.tlsdoctor.test", 443, {}, Deadline::after(50ms), &slow_nxdomain);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(resolved.failure == Failure::DnsTimeout);
  CHECK(resolved.addresses.empty());
  CHECK_THAT(resolved.observation.error, Catch::Contains("no answer"));
  CHECK(elapsed < kSlowResolverDelay);
  // The abandoned lookup finishes by itself; give it the time so no thread outlives the test.
  std::this_thread::sleep_for(kSlowResolverDelay + 100ms);
}

TEST_CASE("dns: a resolver that answers in time is classified", "[dns]") {
  const auto resolved = resolve_host("missing.lab.tlsdoctor.test", 443, {}, Deadline::after(5s), &slow_nxdomain);
  CHECK(resolved.failure == Failure::DnsNxdomain);
  CHECK(resolved.observation.elapsed >= kSlowResolverDelay - 10ms);
  CHECK_FALSE(resolved.observation.error.empty());
}

TEST_CASE("dns: a deadline already passed gives dns_timeout without a lookup", "[dns]") {
  const auto resolved = resolve_host("localhost", 443, {}, Deadline::after(0ms));
  CHECK(resolved.failure == Failure::DnsTimeout);
}
