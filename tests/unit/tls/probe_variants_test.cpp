// Tests for the probe variants: what each changes in the spec, and that each still handshakes where it should.
#include <arpa/inet.h>

#include <chrono>

#include <catch2/catch.hpp>

#include "tls/large_hello.h"
#include "tls/loopback_server.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::TlsVersion;

ProbeSpec base_spec() {
  ProbeSpec spec;
  spec.host = "lab.tlsdoctor.test";
  spec.hello.alpn = {"h2"};
  return spec;
}

}  // namespace

TEST_CASE("probe_variants: pinned versions, with level 0 where OpenSSL 3 needs it", "[probe_variants]") {
  const auto variants = tlsdoctor::tls::all_version_variants(base_spec());
  REQUIRE(variants.size() == 4);
  const char* labels[] = {"tls1.0", "tls1.1", "tls1.2", "tls1.3"};
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const auto& v = variants[i];
    CHECK(v.label == labels[i]);
    CHECK(v.hello.min_version == tlsdoctor::tls::kMeasuredTlsVersions[i]);
    CHECK(v.hello.max_version == tlsdoctor::tls::kMeasuredTlsVersions[i]);
    CHECK(v.hello.alpn == std::vector<std::string>{"h2"});  // the rest of the base is kept
  }
  CHECK(variants[0].hello.security_level == 0);
  CHECK(variants[1].hello.security_level == 0);
  CHECK_FALSE(variants[2].hello.security_level);
  CHECK_FALSE(variants[3].hello.security_level);
}

TEST_CASE("probe_variants: SNI off, another name", "[probe_variants]") {
  const auto none = tlsdoctor::tls::without_sni(base_spec());
  CHECK(none.label == "no-sni");
  CHECK_FALSE(tlsdoctor::tls::effective_sni(none));
  const auto other = tlsdoctor::tls::with_sni(base_spec(), "b.lab.tlsdoctor.test");
  CHECK(other.label == "sni:b.lab.tlsdoctor.test");
  CHECK(tlsdoctor::tls::effective_sni(other) == std::optional<std::string>("b.lab.tlsdoctor.test"));
}

TEST_CASE("probe_variants: cipher sets and the large hello", "[probe_variants]") {
  const auto modern = tlsdoctor::tls::modern_ciphers(base_spec());
  CHECK(modern.label == "modern-ciphers");
  CHECK_FALSE(modern.hello.cipher_list.empty());
  CHECK_FALSE(modern.hello.groups.empty());
  const auto legacy = tlsdoctor::tls::legacy_ciphers(base_spec());
  CHECK(legacy.label == "legacy-ciphers");
  CHECK(legacy.hello.max_version == TlsVersion::Tls1_2);
  CHECK(legacy.hello.groups.find("X25519") == std::string::npos);
  const auto large = tlsdoctor::tls::large_hello(base_spec());
  CHECK(large.label == "large-hello");
  CHECK(large.hello.pad_to == tlsdoctor::tls::kLargeHelloBytes);
  if (tlsdoctor::tls::hybrid_groups_list()) CHECK(large.hello.groups == tlsdoctor::tls::kHybridGroupsList);
}

TEST_CASE("probe_variants: every variant handshakes with a server that accepts everything", "[probe_variants]") {
  auto server = tlsdoctor::tls::LoopbackServer::start(tlsdoctor::tls::kMeasuredTlsVersions, 5s);
  REQUIRE(server);
  ProbeSpec base;
  base.host = "127.0.0.1";
  base.trust = tlsdoctor::tls::TrustSpec::from_anchors({});
  const auto port_of = [&](TlsVersion version) { return ntohs((*server)->address(version)->sin_port); };

  std::vector<ProbeSpec> specs = tlsdoctor::tls::all_version_variants(base);
  for (auto& spec : specs) spec.port = port_of(*spec.hello.max_version);
  for (auto spec : {tlsdoctor::tls::modern_ciphers(base), tlsdoctor::tls::legacy_ciphers(base),
                    tlsdoctor::tls::large_hello(base)}) {
    spec.port = port_of(spec.hello.max_version.value_or(TlsVersion::Tls1_2));
    specs.push_back(spec);
  }
  const auto results = tlsdoctor::tls::run_probes(specs, tlsdoctor::Deadline::after(30s));
  REQUIRE(results.size() == specs.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    INFO(result.spec.label << ": " << to_string(result.failure) << " " << result.detail);
    // The loopback certificate is self-signed: the handshake completes, verification fails.
    CHECK(result.completed);
    REQUIRE(result.server);
    if (i < 4) CHECK(result.server->version == tlsdoctor::tls::kMeasuredTlsVersions[i]);
  }
  // The legacy set negotiates no forward-secret ECDHE-AEAD suite.
  CHECK(results[5].server->cipher.find("GCM") == std::string::npos);
}
