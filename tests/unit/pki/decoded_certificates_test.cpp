// Tests for the shared decoding of certificates: one object per DER, limits, failures, threads (checker/pki/decoded_certificates.cpp).
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "lab/cert_factory.h"
#include "pki/certificate.h"
#include "pki/decoded_certificates.h"

using namespace tlsdoctor;
using Der = std::vector<std::uint8_t>;

namespace {

lab::Credential root_named(const std::string& name) {
  lab::CertSpec spec;
  spec.common_name = name;
  auto made = lab::make_root(spec);
  REQUIRE(made);
  return std::move(*made);
}

}  // namespace

TEST_CASE("the same bytes give the same shared object, other bytes another", "[decoded_certificates]") {
  const auto one = root_named("decoded one").cert_der();
  const auto two = root_named("decoded two").cert_der();
  auto first = pki::decode_certificate(one);
  auto again = pki::decode_certificate(one);
  auto other = pki::decode_certificate(two);
  REQUIRE(first);
  REQUIRE(again);
  REQUIRE(other);
  CHECK(first->cert.get() == again->cert.get());
  CHECK(first->cert.get() != other->cert.get());
  CHECK(first->consumed == one.size());
  // parse_x509 and parse_certificate go through the same cache.
  auto parsed = pki::parse_x509(one);
  REQUIRE(parsed);
  CHECK(parsed->get() == first->cert.get());
  // Each handle holds its own reference: dropping some leaves the others usable.
  first->cert.reset();
  parsed->reset();
  CHECK(X509_get_subject_name(again->cert.get()) != nullptr);
  CHECK(pki::describe(again->cert.get()).subject_cn == "decoded one");
}

TEST_CASE("trailing bytes are a different input, and are not counted as consumed", "[decoded_certificates]") {
  auto der = root_named("decoded trailing").cert_der();
  const std::size_t size = der.size();
  der.insert(der.end(), {0x30, 0x00});
  auto decoded = pki::decode_certificate(der);
  REQUIRE(decoded);
  CHECK(decoded->consumed == size);
}

TEST_CASE("what does not decode is an error each time, named", "[decoded_certificates]") {
  const Der garbage{0x30, 0x03, 0x02, 0x01, 0x01};
  for (int i = 0; i < 2; ++i) {
    auto decoded = pki::decode_certificate(garbage);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().message.find("not a valid X.509 certificate") != std::string::npos);
  }
  auto empty = pki::decode_certificate({});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "no bytes");
  const Der huge(pki::kMaxCertificateBytes + 1, 0x30);
  auto too_big = pki::decode_certificate(huge);
  REQUIRE_FALSE(too_big);
  CHECK(too_big.error().message.find("larger than") != std::string::npos);
}

TEST_CASE("a certificate over the sharing size is decoded afresh each time", "[decoded_certificates]") {
  lab::CertSpec spec;
  spec.common_name = "decoded large";
  // ~40 bytes per name: enough names to pass kMaxSharedCertificateBytes, under kMaxCertificateBytes.
  for (std::size_t i = 0; i * 30 < pki::kMaxSharedCertificateBytes + 4096; ++i) {
    spec.dns_names.push_back("name-" + std::to_string(i) + ".decoded.tlsdoctor.test");
  }
  auto made = lab::make_root(spec);
  REQUIRE(made);
  const auto der = made->cert_der();
  REQUIRE(der.size() > pki::kMaxSharedCertificateBytes);
  REQUIRE(der.size() <= pki::kMaxCertificateBytes);
  auto first = pki::decode_certificate(der);
  auto second = pki::decode_certificate(der);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->cert.get() != second->cert.get());
  CHECK(first->consumed == der.size());
}

TEST_CASE("threads asking for the same new bytes at once share one decoding", "[decoded_certificates]") {
  const auto der = root_named("decoded by threads").cert_der();
  constexpr std::size_t kThreads = 8;
  std::vector<X509*> seen(kThreads, nullptr);
  std::vector<pki::X509Ptr> held(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (auto decoded = pki::decode_certificate(der)) {
        seen[t] = decoded->cert.get();
        held[t] = std::move(decoded->cert);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < kThreads; ++t) {
    CHECK(seen[t] != nullptr);
    CHECK(seen[t] == seen.front());
  }
}
