// Tests for checker/refclient/reference_endpoint: host, port and pinned addresses from the reference URL.
#include <catch2/catch.hpp>

#include "refclient/reference_endpoint.h"

using namespace tlsdoctor;

namespace {

refclient::ReferenceTarget at(std::string url, std::vector<std::string> resolve = {}) {
  return refclient::ReferenceTarget{std::move(url), {}, std::nullopt, std::move(resolve)};
}

}  // namespace

TEST_CASE("reference endpoint: host, port and the resolve entries that pin them", "[refclient]") {
  const auto plain = refclient::endpoint_of(at("https://ref.example.com"));
  REQUIRE(plain);
  CHECK(plain->host == "ref.example.com");
  CHECK(plain->port == 443);
  CHECK(plain->addresses.empty());

  const auto pinned = refclient::endpoint_of(
      at("https://ref.example.com:8443/prefix", {"ref.example.com:8443:192.0.2.7", "ref.example.com:443:192.0.2.8",
                                                  "other.test:8443:192.0.2.9", "ref.example.com:8443:[2001:db8::7]"}));
  REQUIRE(pinned);
  CHECK(pinned->port == 8443);
  CHECK(pinned->addresses == std::vector<std::string>{"192.0.2.7", "2001:db8::7"});

  // The host as typed in either place, whatever its case.
  const auto mixed = refclient::endpoint_of(at("https://Ref.Example.COM", {"REF.example.com:443:192.0.2.10"}));
  REQUIRE(mixed);
  CHECK(mixed->addresses == std::vector<std::string>{"192.0.2.10"});

  const auto v6 = refclient::endpoint_of(at("https://[2001:db8::1]:9443/"));
  REQUIRE(v6);
  CHECK(v6->host == "2001:db8::1");
  CHECK(v6->port == 9443);
}

TEST_CASE("reference endpoint: anything but https://host[:port] is refused", "[refclient]") {
  for (const char* bad : {"http://ref.example.com", "https://", "https://ref:0", "https://ref:99999", "https://[::1",
                          "https://ref:port"}) {
    INFO(bad);
    CHECK_FALSE(refclient::endpoint_of(at(bad)));
  }
}
