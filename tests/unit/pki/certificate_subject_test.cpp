// Tests for finding a DER certificate's subject by its outline (checker/pki/certificate_subject.cpp).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "lab/cert_factory.h"
#include "pki/certificate_subject.h"

using namespace tlsdoctor;

namespace {

std::vector<std::uint8_t> subject_der_of(X509* cert) {
  unsigned char* out = nullptr;
  const int size = i2d_X509_NAME(X509_get_subject_name(cert), &out);
  REQUIRE(size > 0);
  std::vector<std::uint8_t> der(out, out + size);
  OPENSSL_free(out);
  return der;
}

const lab::Credential& root() {
  static const lab::Credential made = [] {
    lab::CertSpec spec;
    spec.common_name = "certificate subject root";
    spec.organization = "tlsdoctor tests";
    return lab::make_root(spec).value();
  }();
  return made;
}

}  // namespace

TEST_CASE("the subject of a certificate is found by its outline", "[certificate_subject]") {
  lab::CertSpec spec;
  spec.common_name = "leaf.tlsdoctor.test";
  const auto leaf = lab::make_leaf(spec, root()).value();
  for (const lab::Credential* cert : {&root(), &leaf}) {
    const auto der = cert->cert_der();
    const auto subject = pki::certificate_subject_der(der);
    REQUIRE(subject);
    const auto expected = subject_der_of(cert->cert.get());
    CHECK(std::vector<std::uint8_t>(subject->begin(), subject->end()) == expected);
  }
  // Bytes after the certificate are allowed, as d2i_X509 allows them.
  auto trailing = leaf.cert_der();
  trailing.push_back(0x30);
  trailing.push_back(0x00);
  const auto subject = pki::certificate_subject_der(trailing);
  REQUIRE(subject);
  CHECK(std::vector<std::uint8_t>(subject->begin(), subject->end()) == subject_der_of(leaf.cert.get()));
}

TEST_CASE("a damaged outline has no subject", "[certificate_subject]") {
  const auto der = root().cert_der();
  SECTION("every truncation") {
    for (std::size_t size = 0; size < der.size(); ++size) {
      INFO("first " << size << " bytes");
      CHECK_FALSE(pki::certificate_subject_der(std::span(der.data(), size)));
    }
  }
  SECTION("the outer tag is not a SEQUENCE") {
    auto bad = der;
    bad[0] = 0x31;
    CHECK_FALSE(pki::certificate_subject_der(bad));
  }
  SECTION("a length that runs past the end") {
    auto bad = der;
    bad[1] = 0x84;  // four length bytes follow, naming more than there is
    CHECK_FALSE(pki::certificate_subject_der(bad));
  }
  SECTION("a length of more than four bytes") {
    const std::vector<std::uint8_t> bad{0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00};
    CHECK_FALSE(pki::certificate_subject_der(bad));
  }
  SECTION("a multi-byte tag") {
    const std::vector<std::uint8_t> bad{0x3f, 0x01, 0x00};
    CHECK_FALSE(pki::certificate_subject_der(bad));
  }
  SECTION("the serial is not an INTEGER") {
    // The to-be-signed part starts right after the outer and inner headers (4 bytes each for
    // lengths of 256..65535); after the [0] version (5 bytes) comes the serial's tag.
    auto bad = der;
    REQUIRE(bad[4] == 0x30);
    REQUIRE(bad[8] == 0xa0);
    REQUIRE(bad[13] == 0x02);
    bad[13] = 0x04;
    CHECK_FALSE(pki::certificate_subject_der(bad));
  }
}
