// Tests for reference/server/target_vetting.cpp: the SSRF table of bypass attempts, and the lab target the allow list admits.
#include <catch2/catch.hpp>

#include <netdb.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "reference/server/target_vetting.h"

using namespace std::chrono_literals;
using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

// The fake resolver: a name's k-th lookup gets answers[k] (the last entry once they run out);
// no entry, or an empty list, is NXDOMAIN. It never sends a query: each answer is an IP literal
// turned into an addrinfo by getaddrinfo with AI_NUMERICHOST.
std::mutex g_dns_mutex;
std::map<std::string, std::vector<std::vector<std::string>>> g_dns_answers;
std::map<std::string, int> g_dns_calls;

int fake_lookup(const char* host, const char* service, const addrinfo* hints, addrinfo** result) {
  std::vector<std::string> answers;
  {
    std::lock_guard lock(g_dns_mutex);
    const int call = g_dns_calls[host]++;
    const auto found = g_dns_answers.find(host);
    if (found == g_dns_answers.end() || found->second.empty()) return EAI_NONAME;
    const auto& sequence = found->second;
    answers = sequence[std::min<std::size_t>(static_cast<std::size_t>(call), sequence.size() - 1)];
  }
  if (answers.empty()) return EAI_NONAME;
  addrinfo numeric = *hints;
  numeric.ai_flags |= AI_NUMERICHOST;
  addrinfo* head = nullptr;
  addrinfo** tail = &head;
  for (const auto& answer : answers) {
    addrinfo* one = nullptr;
    if (const int code = ::getaddrinfo(answer.c_str(), service, &numeric, &one); code != 0) {
      if (head != nullptr) freeaddrinfo(head);
      return code;
    }
    // glibc's freeaddrinfo frees node by node along ai_next, so lists from separate calls can
    // be chained into one and released by the caller's single freeaddrinfo.
    *tail = one;
    while (*tail != nullptr) tail = &(*tail)->ai_next;
  }
  *result = head;
  return 0;
}

void set_dns(const std::string& host, std::vector<std::vector<std::string>> answers) {
  std::lock_guard lock(g_dns_mutex);
  g_dns_answers.clear();
  g_dns_calls.clear();
  if (!answers.empty()) g_dns_answers[host] = std::move(answers);
}

int dns_calls() {
  std::lock_guard lock(g_dns_mutex);
  int total = 0;
  for (const auto& [name, calls] : g_dns_calls) total += calls;
  return total;
}

VettingPolicy policy_allowing(std::string_view cidr) {
  VettingPolicy policy;
  if (!cidr.empty()) policy.addresses.allow.push_back(parse_cidr(cidr).value());
  return policy;
}

constexpr std::string_view kAccepted = "";
constexpr std::string_view kBadRequest = kRefusedBadRequest;
constexpr std::string_view kForbidden = kRefusedForbiddenTarget;
constexpr std::string_view kUnresolvable = kRefusedUnresolvable;

const std::string kPublicV4 = "93.184.216.34";
const std::string kPublicV6 = "2606:2800:220:1:248:1893:25c8:1946";

struct Row {
  std::string host;
  std::uint16_t port = 443;
  std::optional<std::string> sni = std::nullopt;
  std::vector<std::vector<std::string>> dns = {};  // the fake's answers for `host`, lookup by lookup
  std::string_view allow = "";                     // one allowed CIDR, or none
  std::string_view code = kAccepted;
  std::string says = "";                           // in the refusal message, or == dialed when accepted
  int lookups = 0;                                 // how many times vetting asked the resolver
};

}  // namespace

TEST_CASE("the SSRF table: every bypass attempt is refused, public and allowed lab targets are not", "[target_vetting]") {
  const std::vector<Row> rows = {
      // IPv4 in the numeric forms getaddrinfo/inet_aton read without a query: refused before DNS.
      {.host = "2130706433", .code = kBadRequest, .says = "127.0.0.1"},             // decimal
      {.host = "0x7f000001", .code = kBadRequest, .says = "127.0.0.1"},             // hex
      {.host = "0x7f.0.0.1", .code = kBadRequest, .says = "127.0.0.1"},             // hex part
      {.host = "0x7F.0x0.0x0.0x1", .code = kBadRequest, .says = "127.0.0.1"},       // hex parts
      {.host = "0177.0.0.1", .code = kBadRequest, .says = "127.0.0.1"},             // octal
      {.host = "017700000001", .code = kBadRequest, .says = "127.0.0.1"},           // octal, whole
      {.host = "127.000.000.001", .code = kBadRequest, .says = "127.0.0.1"},        // zero-padded
      {.host = "127.1", .code = kBadRequest, .says = "127.0.0.1"},                  // short form
      {.host = "127.0.1", .code = kBadRequest, .says = "127.0.0.1"},                // short form
      {.host = "10.1", .code = kBadRequest, .says = "10.0.0.1"},                    // short form
      {.host = "0251.0376.0251.0376", .code = kBadRequest, .says = "169.254.169.254"},  // octal metadata
      {.host = "0xa9fea9fe", .code = kBadRequest, .says = "169.254.169.254"},       // hex metadata
      {.host = "127.0.0.1.", .code = kBadRequest, .says = "all-numeric label"},     // trailing dot
      {.host = "example.123", .code = kBadRequest, .says = "all-numeric label"},
      // Canonical IPv4 literals in refused ranges: no DNS, refused by address.
      {.host = "127.0.0.1", .code = kForbidden, .says = "loopback 127.0.0.0/8"},
      {.host = "10.0.0.1", .code = kForbidden, .says = "private 10.0.0.0/8"},
      {.host = "172.16.0.1", .code = kForbidden, .says = "172.16.0.0/12"},
      {.host = "192.168.1.1", .code = kForbidden, .says = "192.168.0.0/16"},
      {.host = "169.254.169.254", .code = kForbidden, .says = "link-local"},
      {.host = "100.64.0.1", .code = kForbidden, .says = "CGNAT"},
      {.host = "0.0.0.0", .code = kForbidden, .says = "this network"},
      {.host = "255.255.255.255", .code = kForbidden, .says = "broadcast"},
      {.host = "224.0.0.1", .code = kForbidden, .says = "multicast"},
      // IPv6, including every form that embeds IPv4.
      {.host = "::1", .code = kForbidden, .says = "loopback ::1/128"},
      {.host = "[::1]", .code = kForbidden, .says = "loopback ::1/128"},
      {.host = "::", .code = kForbidden, .says = "unspecified"},
      {.host = "::ffff:127.0.0.1", .code = kForbidden, .says = "IPv4-mapped ::ffff:0:0/96 (RFC 4291) embedding 127.0.0.1"},
      {.host = "[::ffff:7f00:1]", .code = kForbidden, .says = "IPv4-mapped ::ffff:0:0/96 (RFC 4291) embedding 127.0.0.1"},
      {.host = "::ffff:8.8.8.8", .code = kForbidden, .says = "IPv4-mapped"},  // even a public IPv4 inside
      {.host = "::127.0.0.1", .code = kForbidden, .says = "IPv4-compatible (deprecated) ::/96 (RFC 4291) embedding 127.0.0.1"},
      {.host = "::ffff:0:a00:1", .code = kForbidden, .says = "IPv4-translated (SIIT) ::ffff:0:0:0/96 (RFC 2765) embedding 10.0.0.1"},
      {.host = "64:ff9b::7f00:1", .code = kForbidden, .says = "NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) embedding 127.0.0.1"},
      {.host = "64:ff9b:1::a00:1", .code = kForbidden, .says = "NAT64 local-use prefix 64:ff9b:1::/48"},
      {.host = "2002:7f00:1::", .code = kForbidden, .says = "6to4 2002::/16 (RFC 3056) embedding 127.0.0.1"},
      {.host = "2002:a9fe:a9fe::1", .code = kForbidden, .says = "6to4 2002::/16 (RFC 3056) embedding 169.254.169.254"},
      {.host = "2001:0:4136:e378:8000:63bf:80ff:fffe", .code = kForbidden, .says = "Teredo 2001::/32 (RFC 4380) embedding client 127.0.0.1"},
      {.host = "fe80::1", .code = kForbidden, .says = "link-local fe80::/10"},
      {.host = "fd00::1", .code = kForbidden, .says = "unique local fc00::/7"},
      {.host = "ff02::1", .code = kForbidden, .says = "multicast ff00::/8"},
      {.host = "fe80::1%eth0", .code = kBadRequest, .says = "zone id"},
      {.host = "[fe80::1%25eth0]", .code = kBadRequest, .says = "zone id"},
      // Names whose answers are refused: the whole target goes, even when one answer is public.
      {.host = "localhost", .dns = {{"127.0.0.1", "::1"}}, .code = kForbidden, .says = "resolves to 127.0.0.1 (answer 1 of 2), loopback", .lookups = 1},
      {.host = "intranet.lab.tlsdoctor.test", .dns = {{"10.0.0.5"}}, .code = kForbidden, .says = "10.0.0.5", .lookups = 1},
      {.host = "metadata.lab.tlsdoctor.test", .dns = {{"169.254.169.254"}}, .code = kForbidden, .says = "link-local", .lookups = 1},
      {.host = "mixed.lab.tlsdoctor.test", .dns = {{kPublicV4, "192.168.0.10"}}, .code = kForbidden, .says = "192.168.0.10 (answer 2 of 2)", .lookups = 1},
      {.host = "mixed6.lab.tlsdoctor.test.", .dns = {{kPublicV6, "::1"}}, .code = kForbidden, .says = "::1 (answer 2 of 2)", .lookups = 1},
      {.host = "mapped.lab.tlsdoctor.test", .dns = {{"::ffff:10.0.0.1"}}, .code = kForbidden, .says = "IPv4-mapped", .lookups = 1},
      {.host = "nat64.lab.tlsdoctor.test", .dns = {{"64:ff9b::a9fe:a9fe"}}, .code = kForbidden, .says = "embedding 169.254.169.254", .lookups = 1},
      {.host = "teredo.lab.tlsdoctor.test", .dns = {{"2001:0:4136:e378:8000:63bf:80ff:fffe"}}, .code = kForbidden, .says = "Teredo", .lookups = 1},
      // DNS rebinding: public on the first lookup, loopback on any later one. Vetting looks up
      // once and hands that answer to the probes, so the second answer is never asked for.
      {.host = "rebind.lab.tlsdoctor.test", .dns = {{kPublicV4}, {"127.0.0.1"}}, .says = kPublicV4, .lookups = 1},
      // Redirects: observe only makes TLS handshakes and never speaks HTTP to the target, so there
      // is no redirect to follow. What an attacker can send is a URL-shaped host that a URL parser
      // would read as another host; the guard takes host names only.
      {.host = "https://example.com/r?to=127.0.0.1", .code = kBadRequest, .says = "URL"},
      {.host = "127.0.0.1#@example.com", .code = kBadRequest, .says = "fragment"},
      {.host = "http://127.0.0.1/", .code = kBadRequest, .says = "URL"},
      {.host = "example.com@127.0.0.1", .code = kBadRequest, .says = "userinfo"},
      {.host = "example.com/path", .code = kBadRequest, .says = "path"},
      {.host = "example.com\\@127.0.0.1", .code = kBadRequest, .says = "path"},
      {.host = "example.com:22", .code = kBadRequest, .says = "port field"},
      {.host = "127.0.0.1%2f", .code = kBadRequest, .says = "'%'"},
      // Not a host at all.
      {.host = "", .code = kBadRequest, .says = "empty"},
      {.host = " example.com", .code = kBadRequest, .says = "whitespace"},
      {.host = "example.com\r\nHost: 127.0.0.1", .code = kBadRequest, .says = "control character"},
      {.host = std::string("example.com\0.127.0.0.1", 22), .code = kBadRequest, .says = "control character"},
      {.host = "ex_ample.com", .code = kBadRequest, .says = "'_'"},
      {.host = "-example.com", .code = kBadRequest, .says = "'-'"},
      {.host = "ex..com", .code = kBadRequest, .says = "empty label"},
      {.host = std::string(64, 'a') + ".com", .code = kBadRequest, .says = "longer than 63"},
      {.host = std::string(300, 'a'), .code = kBadRequest, .says = "longer than 253"},
      {.host = "ex\xc3\xa4mple.com", .code = kBadRequest, .says = "xn--"},
      // The SNI is a host name only.
      {.host = kPublicV4, .sni = "127.0.0.1", .code = kBadRequest, .says = "SNI carries host names only"},
      {.host = kPublicV4, .sni = "a@b", .code = kBadRequest, .says = "sni:"},
      {.host = kPublicV4, .sni = "example.com.", .code = kBadRequest, .says = "trailing"},
      {.host = kPublicV4, .sni = "", .code = kBadRequest, .says = "sni: empty"},
      // Ports outside the allowlist, checked before any lookup.
      {.host = kPublicV4, .port = 22, .code = kForbidden, .says = "port 22"},
      {.host = kPublicV4, .port = 80, .code = kForbidden, .says = "port 80"},
      {.host = kPublicV4, .port = 6379, .code = kForbidden, .says = "port 6379"},
      {.host = "public.lab.tlsdoctor.test", .port = 25, .dns = {{kPublicV4}}, .code = kForbidden, .says = "port 25"},
      {.host = kPublicV4, .port = 0, .code = kBadRequest, .says = "port"},
      {.host = "127.0.0.1", .port = 22, .allow = "127.0.0.0/8", .code = kForbidden, .says = "port 22"},
      // A name that does not resolve.
      {.host = "missing.lab.tlsdoctor.test", .code = kUnresolvable, .says = "dns_nxdomain", .lookups = 1},
      // The allow list: the lab on loopback, a company's intranet; nothing else is lifted.
      {.host = "127.0.0.1", .allow = "127.0.0.0/8", .says = "127.0.0.1"},
      {.host = "lab.lab.tlsdoctor.test", .dns = {{"127.0.0.2"}}, .allow = "127.0.0.0/8", .says = "127.0.0.2", .lookups = 1},
      {.host = "::ffff:127.0.0.1", .allow = "127.0.0.0/8", .code = kForbidden, .says = "IPv4-mapped"},
      {.host = "10.1.2.3", .allow = "10.0.0.0/8", .says = "10.1.2.3"},
      {.host = "127.0.0.1", .allow = "10.0.0.0/8", .code = kForbidden, .says = "loopback"},
      // Public targets: accepted, and never dialed here (vetting does not connect).
      {.host = kPublicV4, .says = kPublicV4},
      {.host = "[" + kPublicV6 + "]", .port = 8443, .says = kPublicV6},
      {.host = kPublicV4, .port = 993, .sni = "mail.example.com", .says = kPublicV4},
      {.host = "public.lab.tlsdoctor.test", .dns = {{kPublicV4, kPublicV6}}, .says = kPublicV4, .lookups = 1},
      {.host = "Public.Lab.tlsdoctor.test.", .dns = {{kPublicV6}}, .says = kPublicV6, .lookups = 1},
      {.host = "xn--bcher-kva.lab.tlsdoctor.test", .dns = {{kPublicV4}}, .says = kPublicV4, .lookups = 1},
  };

  std::size_t refused = 0;
  for (const auto& row : rows) {
    INFO("host \"" << row.host << "\" port " << row.port << " sni " << row.sni.value_or("(none)") << " allow "
                   << row.allow);
    set_dns(row.host, row.dns);
    const ObserveRequest request{row.host, row.port, row.sni};
    const auto vetted = vet_target(request, policy_allowing(row.allow), Deadline::after(2s), &fake_lookup);
    CHECK(dns_calls() == row.lookups);
    if (row.code == kAccepted) {
      INFO((vetted ? std::string() : vetted.error().code + ": " + vetted.error().message));
      REQUIRE(vetted);
      CHECK(vetted->dialed == row.says);
      REQUIRE_FALSE(vetted->addresses.empty());
      CHECK(vetted->addresses.front() == vetted->dialed);
      CHECK(vetted->addresses == vetted->dns.addresses);
      if (!row.dns.empty()) CHECK(vetted->addresses == row.dns.front());
      CHECK(vetted->host == row.host);
      CHECK(vetted->port == row.port);
      CHECK(vetted->sni == row.sni);
      continue;
    }
    REQUIRE_FALSE(vetted);
    ++refused;
    INFO(vetted.error().message);
    CHECK(vetted.error().code == row.code);
    CHECK_THAT(vetted.error().message, Catch::Contains(row.says));
    if (row.code == kUnresolvable) CHECK(vetted.error().dns_failure == tls::Failure::DnsNxdomain);
  }
  CHECK(rows.size() >= 45);
  CHECK(refused >= 40);
}

TEST_CASE("vetting records where the answers came from", "[target_vetting]") {
  set_dns("public.lab.tlsdoctor.test", {{"93.184.216.34"}});
  const auto by_name = vet_target({"public.lab.tlsdoctor.test", 443, std::nullopt}, {}, Deadline::after(2s), &fake_lookup);
  REQUIRE(by_name);
  CHECK(by_name->dns.source == tls::DnsObservation::Source::Resolver);
  CHECK(by_name->dns.error.empty());

  const auto literal = vet_target({"93.184.216.34", 443, std::nullopt}, {}, Deadline::after(2s), &fake_lookup);
  REQUIRE(literal);
  CHECK(literal->dns.source == tls::DnsObservation::Source::Literal);
  CHECK(literal->addresses == std::vector<std::string>{"93.184.216.34"});
}

TEST_CASE("a lookup past the deadline is unresolvable with dns_timeout", "[target_vetting]") {
  set_dns("public.lab.tlsdoctor.test", {{"93.184.216.34"}});
  const auto vetted = vet_target({"public.lab.tlsdoctor.test", 443, std::nullopt}, {}, Deadline::after(0ms), &fake_lookup);
  REQUIRE_FALSE(vetted);
  CHECK(vetted.error().code == kRefusedUnresolvable);
  CHECK(vetted.error().dns_failure == tls::Failure::DnsTimeout);
  CHECK_THAT(vetted.error().message, Catch::Contains("dns_timeout"));
  CHECK(dns_calls() == 0);
}

TEST_CASE("the default port allowlist is the TLS-on-connect service ports", "[target_vetting]") {
  const VettingPolicy policy;
  CHECK(policy.ports == std::vector<std::uint16_t>{443, 8443, 465, 587, 636, 853, 990, 993, 995});
  CHECK(policy.addresses.allow.empty());
  VettingPolicy custom;
  custom.ports = {10443};
  CHECK(vet_target({"93.184.216.34", 10443, std::nullopt}, custom, Deadline::after(2s), &fake_lookup));
  const auto refused = vet_target({"93.184.216.34", 443, std::nullopt}, custom, Deadline::after(2s), &fake_lookup);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("(10443)"));
}
