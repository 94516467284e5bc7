// Tests for checker/checks/target_dns.cpp: hosts-file overrides, DNS filters and private answers for public names.
#include <catch2/catch.hpp>

#include "checks/target_dns.h"

using namespace tlsdoctor;
using Source = tls::DnsObservation::Source;

namespace {

checks::DnsEvidence resolved(std::vector<std::string> addresses, Source source = Source::Resolver) {
  checks::DnsEvidence e;
  e.target = "site.example.com:443";
  e.host = "site.example.com";
  e.local.source = source;
  e.local.addresses = std::move(addresses);
  e.hosts_path = "/etc/hosts";
  return e;
}

}  // namespace

TEST_CASE("target dns: a hosts-file entry is an override, a warning when it matters", "[dns]") {
  auto e = resolved({"192.0.2.50"});
  e.hosts_file = {"192.0.2.50"};
  SECTION("the site works and nothing contradicts it: information") {
    const auto f = checks::judge_dns(e);
    REQUIRE(f);
    CHECK(f->id == FindingId::LocalHostsOverride);
    CHECK(f->severity == Severity::Info);
    CHECK(f->title == "/etc/hosts sends site.example.com to 192.0.2.50, whatever DNS says");
  }
  SECTION("the reference resolves the name elsewhere: a warning with the fix") {
    e.reference_addresses = std::vector<std::string>{"203.0.113.80"};
    const auto f = checks::judge_dns(e);
    REQUIRE(f);
    CHECK(f->severity == Severity::Warn);
    CHECK(f->fix.find("/etc/hosts") != std::string::npos);
  }
  SECTION("the target fails: a warning") {
    e.target_failed = true;
    CHECK(checks::judge_dns(e)->severity == Severity::Warn);
  }
}

TEST_CASE("target dns: a sinkhole answer is a DNS filter", "[dns]") {
  for (const char* answer : {"0.0.0.0", "127.0.0.1", "::", "::1"}) {
    INFO(answer);
    const auto f = checks::judge_dns(resolved({answer}));
    REQUIRE(f);
    CHECK(f->id == FindingId::PathDnsMismatch);
  }
  auto local = resolved({"127.0.0.1"});
  local.host = "localhost";
  CHECK_FALSE(checks::judge_dns(local));
  CHECK_FALSE(checks::judge_dns(resolved({"0.0.0.0", "203.0.113.80"})));
}

TEST_CASE("target dns: private answers here for a name the reference resolves publicly", "[dns]") {
  auto e = resolved({"10.20.30.40"});
  CHECK_FALSE(checks::judge_dns(e));  // without the reference a private answer may be right
  e.reference_addresses = std::vector<std::string>{"203.0.113.80", "2001:db8::80"};
  // Documentation ranges are not public: the reference must see a real public address.
  CHECK_FALSE(checks::judge_dns(e));
  e.reference_addresses = std::vector<std::string>{"93.184.215.14"};
  const auto f = checks::judge_dns(e);
  REQUIRE(f);
  CHECK(f->id == FindingId::PathDnsMismatch);
  CHECK(f->title.find("private addresses") != std::string::npos);
}

TEST_CASE("target dns: addresses given with --resolve are not judged", "[dns]") {
  CHECK_FALSE(checks::judge_dns(resolved({"0.0.0.0"}, Source::Given)));
}
