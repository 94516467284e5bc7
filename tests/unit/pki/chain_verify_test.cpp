// Chain verification against lab-made certificates: every outcome a server's chain can have (checker/pki/chain_verify.cpp).
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "lab/cert_factory.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"
#include "pki/chain_verify.h"

using namespace tlsdoctor;
using namespace tlsdoctor::lab;
using pki::AnchorSource;
using pki::ChainVerification;
using pki::VerifyRequest;
using std::chrono::hours;
using Der = std::vector<std::uint8_t>;

namespace {

constexpr hours kDay{24};
const char* const kHost = "www.chain.test";

// A root and an intermediate valid from 60 days ago to a year ahead, so tests can verify at
// past and future times; made once (key generation is most of the cost).
struct TestPki {
  Credential root;
  Credential intermediate;
  Credential other_root;          // a hierarchy the anchors never hold
  Credential other_intermediate;
};

CertSpec ca(const std::string& name) {
  CertSpec spec;
  spec.common_name = name;
  spec.not_before = std::chrono::system_clock::now() - 60 * kDay;
  spec.not_after = std::chrono::system_clock::now() + 365 * kDay;
  return spec;
}

const TestPki& test_pki() {
  static const TestPki pki = [] {
    TestPki made;
    made.root = make_root(ca("chain test root")).value();
    made.intermediate = make_intermediate(ca("chain test intermediate"), made.root).value();
    made.other_root = make_root(ca("chain test other root")).value();
    made.other_intermediate = make_intermediate(ca("chain test other intermediate"), made.other_root).value();
    return made;
  }();
  return pki;
}

CertSpec leaf_spec(const std::string& name = kHost) {
  CertSpec spec;
  spec.common_name = name;
  return spec;
}

Credential leaf(const CertSpec& spec, const Credential& issuer) { return make_leaf(spec, issuer).value(); }

VerifyRequest request_for(std::vector<Der> chain, std::string host = kHost) {
  VerifyRequest request;
  request.chain = std::move(chain);
  request.anchors.kind = AnchorSource::Kind::Der;
  request.anchors.der = {test_pki().root.cert_der()};
  request.host = std::move(host);
  return request;
}

ChainVerification verify(const VerifyRequest& request) {
  auto result = pki::verify_chain(request);
  REQUIRE(result);
  return *result;
}

bool has_error(const ChainVerification& v, int code, int depth) {
  return std::any_of(v.errors.begin(), v.errors.end(),
                     [&](const pki::ChainError& e) { return e.code == code && e.depth == depth; });
}

std::string describe(const ChainVerification& v) {
  std::string out = v.ok ? "ok" : "failed";
  for (const auto& e : v.errors) {
    out += "\n  " + std::to_string(e.code) + " depth " + std::to_string(e.depth) + (e.at_ca ? " ca" : "") + ": " + e.message;
  }
  return out;
}

}  // namespace

TEST_CASE("a complete chain to a held root verifies", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto good = leaf(leaf_spec(), pki.intermediate);
  const auto v = verify(request_for({good.cert_der(), pki.intermediate.cert_der()}));
  INFO(describe(v));
  CHECK(v.ok);
  CHECK(v.errors.empty());
  CHECK(v.built_length == 3);
}

TEST_CASE("anchors come from a PEM file, DER, or OpenSSL's default paths", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto good = leaf(leaf_spec(), pki.intermediate);
  auto request = request_for({good.cert_der(), pki.intermediate.cert_der()});

  SECTION("a PEM file") {
    auto dir = TempTree::create("chain-verify-").value();
    const auto file = dir.path() / "anchors.pem";
    REQUIRE(write_pem_bundle(file, {&pki.other_root, &pki.root}));
    request.anchors = AnchorSource{AnchorSource::Kind::File, file.string(), {}};
    CHECK(verify(request).ok);
  }
  SECTION("the system store does not hold the test root") {
    request.anchors = AnchorSource{};
    const auto v = verify(request);
    INFO(describe(v));
    CHECK_FALSE(v.ok);
    CHECK(has_error(v, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1));
  }
  SECTION("an unreadable anchor file is an error, not a verdict") {
    request.anchors = AnchorSource{AnchorSource::Kind::File, "/nonexistent/tlsdoctor/anchors.pem", {}};
    const auto result = pki::verify_chain(request);
    REQUIRE_FALSE(result);
    CHECK(result.error().input == "/nonexistent/tlsdoctor/anchors.pem");
    CHECK_FALSE(result.error().message.empty());
  }
  SECTION("a file with no certificate is an error") {
    auto dir = TempTree::create("chain-verify-").value();
    const auto file = dir.path() / "empty.pem";
    REQUIRE(write_file(file, "not a certificate\n"));
    request.anchors = AnchorSource{AnchorSource::Kind::File, file.string(), {}};
    CHECK_FALSE(pki::verify_chain(request));
  }
  SECTION("DER anchors that do not parse are an error") {
    request.anchors.der = {Der{0x30, 0x03, 0x02, 0x01}};
    const auto result = pki::verify_chain(request);
    REQUIRE_FALSE(result);
    CHECK(result.error().input == "anchor 0");
  }
}

TEST_CASE("a chain that does not parse, or is empty, is an error", "[chain_verify]") {
  const auto& pki = test_pki();
  CHECK_FALSE(pki::verify_chain(request_for({})));
  const auto bad = pki::verify_chain(request_for({pki.intermediate.cert_der(), Der{0x01, 0x02}}));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().input == "certificate 1");
}

TEST_CASE("validity is checked at the requested time", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto now = std::chrono::system_clock::now();
  auto expired_spec = leaf_spec();
  expired_spec.not_before = now - 20 * kDay;
  expired_spec.not_after = now - 10 * kDay;
  const auto expired = leaf(expired_spec, pki.intermediate);
  auto future_spec = leaf_spec();
  future_spec.not_before = now + 10 * kDay;
  future_spec.not_after = now + 20 * kDay;
  const auto future = leaf(future_spec, pki.intermediate);

  SECTION("expired now") {
    const auto v = verify(request_for({expired.cert_der(), pki.intermediate.cert_der()}));
    INFO(describe(v));
    CHECK_FALSE(v.ok);
    CHECK(has_error(v, X509_V_ERR_CERT_HAS_EXPIRED, 0));
    CHECK(v.errors.size() == 1);
  }
  SECTION("not yet valid now") {
    const auto v = verify(request_for({future.cert_der(), pki.intermediate.cert_der()}));
    INFO(describe(v));
    CHECK(has_error(v, X509_V_ERR_CERT_NOT_YET_VALID, 0));
  }
  SECTION("valid at a time in its window (a clock set back, or forward)") {
    auto past = request_for({expired.cert_der(), pki.intermediate.cert_der()});
    past.at = now - 15 * kDay;
    CHECK(verify(past).ok);
    auto ahead = request_for({future.cert_der(), pki.intermediate.cert_der()});
    ahead.at = now + 15 * kDay;
    CHECK(verify(ahead).ok);
    // The good chain at a time before its CAs began: every certificate complains.
    auto good = request_for({leaf(leaf_spec(), pki.intermediate).cert_der(), pki.intermediate.cert_der()});
    good.at = now - 90 * kDay;
    const auto v = verify(good);
    INFO(describe(v));
    CHECK(has_error(v, X509_V_ERR_CERT_NOT_YET_VALID, 0));
    CHECK(has_error(v, X509_V_ERR_CERT_NOT_YET_VALID, 1));
  }
}

TEST_CASE("names: DNS, wrong host, IP addresses, none", "[chain_verify]") {
  const auto& pki = test_pki();
  auto spec = leaf_spec();
  spec.dns_names = {kHost, "*.wild.chain.test"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  const auto cert = leaf(spec, pki.intermediate);
  const std::vector<Der> chain{cert.cert_der(), pki.intermediate.cert_der()};

  CHECK(verify(request_for(chain, kHost)).ok);
  CHECK(verify(request_for(chain, "a.wild.chain.test")).ok);
  CHECK(verify(request_for(chain, "")).ok);  // no name asked for, none checked
  CHECK(verify(request_for(chain, "127.0.0.1")).ok);
  CHECK(verify(request_for(chain, "::1")).ok);
  CHECK(verify(request_for(chain, "[::1]")).ok);
  CHECK(verify(request_for(chain, "www.chain.test.")).ok);  // a fully qualified name's final dot

  const auto wrong = verify(request_for(chain, "other.chain.test"));
  INFO(describe(wrong));
  CHECK(has_error(wrong, X509_V_ERR_HOSTNAME_MISMATCH, 0));
  CHECK(wrong.errors.size() == 1);
  CHECK(has_error(verify(request_for(chain, "127.0.0.2")), X509_V_ERR_IP_ADDRESS_MISMATCH, 0));
  // An address is never matched against a DNS SAN spelling it.
  auto dns_only = leaf_spec("10.0.0.1");
  dns_only.dns_names = {"10.0.0.1"};
  const auto by_name = leaf(dns_only, pki.intermediate);
  CHECK(has_error(verify(request_for({by_name.cert_der(), pki.intermediate.cert_der()}, "10.0.0.1")),
                  X509_V_ERR_IP_ADDRESS_MISMATCH, 0));
}

TEST_CASE("trust failures: self-signed, untrusted root, missing intermediate", "[chain_verify]") {
  const auto& pki = test_pki();

  SECTION("a self-signed leaf") {
    const auto self = issue(leaf_spec(), nullptr).value();
    const auto v = verify(request_for({self.cert_der()}));
    INFO(describe(v));
    CHECK_FALSE(v.ok);
    CHECK(has_error(v, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0));
  }
  SECTION("a root the anchors do not hold, sent by the server") {
    const auto cert = leaf(leaf_spec(), pki.other_intermediate);
    const auto v = verify(request_for({cert.cert_der(), pki.other_intermediate.cert_der(), pki.other_root.cert_der()}));
    INFO(describe(v));
    CHECK(has_error(v, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 2));
  }
  SECTION("a root the anchors do not hold, not sent") {
    const auto cert = leaf(leaf_spec(), pki.other_intermediate);
    const auto v = verify(request_for({cert.cert_der(), pki.other_intermediate.cert_der()}));
    INFO(describe(v));
    REQUIRE(has_error(v, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1));
    CHECK(v.errors.front().at_ca);
  }
  SECTION("the intermediate left out") {
    const auto cert = leaf(leaf_spec(), pki.intermediate);
    const auto v = verify(request_for({cert.cert_der()}));
    INFO(describe(v));
    CHECK_FALSE(v.ok);
    REQUIRE_FALSE(v.errors.empty());
    CHECK(v.errors.front().depth == 0);
    CHECK_FALSE(v.errors.front().at_ca);
    CHECK((v.errors.front().code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
           v.errors.front().code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE));
  }
  SECTION("intermediates in reverse order still verify: OpenSSL builds the path") {
    const auto second = make_intermediate(ca("chain test second intermediate"), pki.intermediate).value();
    const auto cert = leaf(leaf_spec(), second);
    const auto v = verify(request_for({cert.cert_der(), pki.intermediate.cert_der(), second.cert_der()}));
    INFO(describe(v));
    CHECK(v.ok);
    CHECK(v.built_length == 4);
  }
}

TEST_CASE("purpose: a clientAuth-only leaf is not for servers", "[chain_verify]") {
  const auto& pki = test_pki();
  auto spec = leaf_spec();
  spec.extended_key_usage = {"clientAuth"};
  const auto cert = leaf(spec, pki.intermediate);
  const auto v = verify(request_for({cert.cert_der(), pki.intermediate.cert_der()}));
  INFO(describe(v));
  CHECK(has_error(v, X509_V_ERR_INVALID_PURPOSE, 0));
}

TEST_CASE("security level: RSA-1024 keys and SHA-1 signatures", "[chain_verify]") {
  const auto& pki = test_pki();
  auto rsa_spec = leaf_spec();
  rsa_spec.key = KeySpec::rsa(1024);
  const auto rsa = leaf(rsa_spec, pki.intermediate);
  auto sha1_spec = leaf_spec();
  sha1_spec.digest = "SHA1";
  const auto sha1 = leaf(sha1_spec, pki.intermediate);

  auto weak_key = request_for({rsa.cert_der(), pki.intermediate.cert_der()});
  weak_key.security_level = 2;
  const auto refused = verify(weak_key);
  INFO(describe(refused));
  CHECK(has_error(refused, X509_V_ERR_EE_KEY_TOO_SMALL, 0));
  weak_key.security_level = 1;  // 80 bits: RSA-1024 is exactly enough
  CHECK(verify(weak_key).ok);
  weak_key.security_level = 0;
  CHECK(verify(weak_key).ok);

  auto weak_hash = request_for({sha1.cert_der(), pki.intermediate.cert_der()});
  weak_hash.security_level = 2;
  const auto refused_hash = verify(weak_hash);
  INFO(describe(refused_hash));
  CHECK(has_error(refused_hash, X509_V_ERR_CA_MD_TOO_WEAK, 0));
  weak_hash.security_level = 0;
  CHECK(verify(weak_hash).ok);
}

TEST_CASE("every error is listed, up to kMaxChainErrors", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto now = std::chrono::system_clock::now();

  SECTION("an expired, untrusted leaf for another name lists all three") {
    auto spec = leaf_spec("elsewhere.chain.test");
    spec.not_before = now - 20 * kDay;
    spec.not_after = now - 10 * kDay;
    const auto cert = leaf(spec, pki.other_intermediate);
    const auto v = verify(request_for({cert.cert_der(), pki.other_intermediate.cert_der()}));
    INFO(describe(v));
    CHECK(has_error(v, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1));
    CHECK(has_error(v, X509_V_ERR_CERT_HAS_EXPIRED, 0));
    CHECK(has_error(v, X509_V_ERR_HOSTNAME_MISMATCH, 0));
  }
  SECTION("a long chain of expired intermediates stops at the cap") {
    std::vector<Credential> intermediates;
    auto expired_ca = ca("expired intermediate");
    expired_ca.not_before = now - 20 * kDay;
    expired_ca.not_after = now - 10 * kDay;
    const Credential* issuer = &pki.intermediate;
    constexpr std::size_t kExpiredCount = pki::kMaxChainErrors + 8;
    intermediates.reserve(kExpiredCount);
    for (std::size_t i = 0; i < kExpiredCount; ++i) {
      intermediates.push_back(make_intermediate(expired_ca, *issuer).value());
      issuer = &intermediates.back();
    }
    const auto cert = leaf(leaf_spec(), *issuer);
    std::vector<Der> chain{cert.cert_der()};
    for (auto it = intermediates.rbegin(); it != intermediates.rend(); ++it) chain.push_back(it->cert_der());
    chain.push_back(pki.intermediate.cert_der());
    const auto v = verify(request_for(chain));
    CHECK_FALSE(v.ok);
    CHECK(v.errors.size() == pki::kMaxChainErrors);
  }
}

TEST_CASE("concurrent verifications share the system store safely", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto good = leaf(leaf_spec(), pki.intermediate);
  auto request = request_for({good.cert_der(), pki.intermediate.cert_der()});
  request.anchors = AnchorSource{};
  // Probes verify from many threads at once; every one must see the same (untrusted) verdict.
  constexpr int kThreads = 4;
  std::vector<int> first_codes(kThreads, -1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto v = pki::verify_chain(request);
      if (v && !v->errors.empty()) first_codes[static_cast<std::size_t>(t)] = v->errors.front().code;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int code : first_codes) CHECK(code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_CASE("an anchor file rewritten at once with other roots is read again", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto good = leaf(leaf_spec(), pki.intermediate);
  auto request = request_for({good.cert_der(), pki.intermediate.cert_der()});
  auto dir = TempTree::create("chain-verify-").value();
  const auto file = dir.path() / "anchors.pem";
  request.anchors = AnchorSource{AnchorSource::Kind::File, file.string(), {}};
  // Each rewrite lands within the file system's timestamp granularity, so the modification
  // time alone would not show the change.
  REQUIRE(write_pem_bundle(file, {&pki.root}));
  CHECK(verify(request).ok);
  REQUIRE(write_pem_bundle(file, {&pki.other_root}));
  const auto after = verify(request);
  INFO(describe(after));
  CHECK_FALSE(after.ok);
  CHECK(has_error(after, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1));
  REQUIRE(write_pem_bundle(file, {&pki.root}));
  CHECK(verify(request).ok);
}

TEST_CASE("DER anchors: the same set is reused, a different set is not", "[chain_verify]") {
  const auto& pki = test_pki();
  const auto good = leaf(leaf_spec(), pki.intermediate);
  auto request = request_for({good.cert_der(), pki.intermediate.cert_der()});
  CHECK(verify(request).ok);
  CHECK(verify(request).ok);
  request.anchors.der = {pki.other_root.cert_der()};
  CHECK_FALSE(verify(request).ok);
  request.anchors.der = {pki.other_root.cert_der(), pki.root.cert_der()};
  CHECK(verify(request).ok);
}

TEST_CASE("a parsed chain verifies exactly as its DER does, and stays the caller's", "[chain_verify]") {
  const auto& pki = test_pki();
  CertSpec expired = leaf_spec("elsewhere.test");
  expired.not_before = std::chrono::system_clock::now() - 30 * kDay;
  expired.not_after = std::chrono::system_clock::now() - kDay;
  const auto bad = leaf(expired, pki.intermediate);
  const auto request = request_for({bad.cert_der(), pki.intermediate.cert_der()});
  const auto from_der = verify(request);

  auto leaf_x509 = pki::parse_x509(bad.cert_der());
  auto intermediate_x509 = pki::parse_x509(pki.intermediate.cert_der());
  REQUIRE(leaf_x509);
  REQUIRE(intermediate_x509);
  const std::vector<X509*> parsed{leaf_x509->get(), intermediate_x509->get()};
  const auto from_parsed = pki::verify_chain(parsed, request);
  REQUIRE(from_parsed);
  INFO(describe(from_der) << "\nparsed: " << describe(*from_parsed));
  CHECK_FALSE(from_parsed->ok);
  CHECK(from_parsed->built_length == from_der.built_length);
  REQUIRE(from_parsed->errors.size() == from_der.errors.size());
  for (std::size_t i = 0; i < from_der.errors.size(); ++i) {
    CHECK(from_parsed->errors[i].code == from_der.errors[i].code);
    CHECK(from_parsed->errors[i].depth == from_der.errors[i].depth);
  }
  // The caller's references are intact: the objects still answer after verification.
  CHECK(X509_get_subject_name(intermediate_x509->get()) != nullptr);
  CHECK_FALSE(pki::verify_chain(std::vector<X509*>{}, request));
  CHECK_FALSE(pki::verify_chain(std::vector<X509*>{nullptr}, request));
}
