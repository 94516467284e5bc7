// Tests for certificate parsing and fingerprints (checker/pki/certificate.cpp).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lab/cert_factory.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

lab::Credential root_from(lab::CertSpec spec) {
  auto made = lab::make_root(spec);
  REQUIRE(made);
  return std::move(*made);
}

pki::Certificate parse(const lab::Credential& credential) {
  auto cert = pki::parse_certificate(credential.cert_der());
  REQUIRE(cert);
  return *cert;
}

// The openssl CLI's answer to a shell pipeline over `pem`, or nullopt when there is no openssl.
std::optional<std::string> openssl_says(const std::string& pem, const std::string& pipeline) {
  const auto openssl = lab::find_on_path("openssl");
  if (!openssl) {
    if (lab::lab_required()) FAIL("openssl CLI missing and TLSDOCTOR_REQUIRE_LAB=1");
    return std::nullopt;
  }
  auto dir = lab::TempTree::create("tlsdoctor-pki-");
  REQUIRE(dir);
  const auto file = dir->path() / "cert.pem";
  REQUIRE(lab::write_file(file, pem));
  const auto result = lab::run_process({"/bin/sh", "-c", "(" + pipeline + ") < '" + file.string() + "'"});
  REQUIRE(result.exit_code == 0);
  return result.out;
}

}  // namespace

TEST_CASE("names, serial, validity and CA facts of a generated root", "[certificate]") {
  lab::CertSpec spec;
  spec.common_name = "Lab Root, Quoted";
  spec.organization = "tlsdoctor lab";
  spec.serial = 0x1234abcd;
  spec.not_before = std::chrono::system_clock::from_time_t(1600000000);
  spec.not_after = std::chrono::system_clock::from_time_t(2000000000);
  const auto cert = parse(root_from(spec));
  CHECK(cert.subject == "CN=Lab Root\\, Quoted,O=tlsdoctor lab");
  CHECK(cert.subject_cn == "Lab Root, Quoted");
  CHECK(cert.subject_o == "tlsdoctor lab");
  CHECK(cert.issuer == cert.subject);
  CHECK(cert.serial == "1234abcd");
  CHECK(cert.not_before == std::chrono::sys_seconds(1600000000s));
  CHECK(cert.not_after == std::chrono::sys_seconds(2000000000s));
  CHECK(cert.is_ca);
  CHECK(cert.self_signed);
  CHECK(cert.signature_algorithm == "ecdsa-with-SHA256");
  CHECK(cert.display_name() == "Lab Root, Quoted");
}

TEST_CASE("key types, sizes and curves", "[certificate]") {
  lab::CertSpec spec;
  spec.common_name = "Key Test";
  spec.key = lab::KeySpec::rsa(1024);
  auto rsa = parse(root_from(spec));
  CHECK(rsa.key_type == pki::KeyType::Rsa);
  CHECK(rsa.key_bits == 1024);
  CHECK(rsa.signature_algorithm == "sha256WithRSAEncryption");
  CHECK(pki::to_string(rsa.key_type) == "RSA");

  spec.key = lab::KeySpec::p256();
  auto p256 = parse(root_from(spec));
  CHECK(p256.key_type == pki::KeyType::Ec);
  CHECK(p256.key_bits == 256);
  CHECK(p256.key_curve == "prime256v1");

  spec.key = lab::KeySpec::p384();
  spec.digest = "SHA384";
  auto p384 = parse(root_from(spec));
  CHECK(p384.key_bits == 384);
  CHECK(p384.key_curve == "secp384r1");
  CHECK(p384.signature_algorithm == "ecdsa-with-SHA384");
}

TEST_CASE("an intermediate and a leaf are not self-signed, the leaf is not a CA", "[certificate]") {
  lab::CertSpec root_spec;
  root_spec.common_name = "Chain Root";
  const auto root = root_from(root_spec);
  lab::CertSpec mid_spec;
  mid_spec.common_name = "Chain Intermediate";
  auto mid = lab::make_intermediate(mid_spec, root);
  REQUIRE(mid);
  lab::CertSpec leaf_spec;
  leaf_spec.common_name = "leaf.test";
  auto leaf = lab::make_leaf(leaf_spec, *mid);
  REQUIRE(leaf);
  const auto m = parse(*mid);
  CHECK(m.is_ca);
  CHECK_FALSE(m.self_signed);
  CHECK(m.issuer_cn == "Chain Root");
  const auto l = parse(*leaf);
  CHECK_FALSE(l.is_ca);
  CHECK_FALSE(l.self_signed);
  CHECK(l.issuer_cn == "Chain Intermediate");
}

TEST_CASE("validity windows far in the future parse without overflow", "[certificate]") {
  lab::CertSpec spec;
  spec.common_name = "Long Lived";
  spec.not_after = std::chrono::system_clock::from_time_t(7258118400);  // 2200-01-01, GeneralizedTime
  const auto cert = parse(root_from(spec));
  CHECK(cert.not_after == std::chrono::sys_seconds(7258118400s));
}

TEST_CASE("fingerprints match `openssl x509 -fingerprint -sha256` and the SPKI pipeline", "[certificate]") {
  lab::CertSpec spec;
  spec.common_name = "Fingerprint Root";
  spec.key = lab::KeySpec::rsa(2048);
  const auto root = root_from(spec);
  const auto cert = parse(root);
  CHECK(cert.sha256.size() == 64);
  CHECK(cert.sha256 == pki::sha256_hex(root.cert_der()));

  const auto cli = openssl_says(root.cert_pem(), "openssl x509 -noout -fingerprint -sha256");
  if (!cli) {
    WARN("skipped: the openssl CLI is not installed (apt-get install openssl)");
    return;
  }
  // "sha256 Fingerprint=96:BC:..." -> the part after '='.
  CHECK(pki::normalize_fingerprint(cli->substr(cli->find('=') + 1, 95)) == cert.sha256);
  const auto spki = openssl_says(root.cert_pem(),
                                 "openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | "
                                 "openssl dgst -sha256 -r");
  REQUIRE(spki);
  CHECK(spki->substr(0, 64) == cert.spki_sha256);
}

TEST_CASE("a Mozilla root from Debian's package parses with its published fingerprint", "[certificate]") {
  const std::filesystem::path file = "/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt";
  std::ifstream in(file);
  if (!in) {
    WARN("skipped: " << file << " not present (apt-get install ca-certificates)");
    return;
  }
  std::stringstream pem;
  pem << in.rdbuf();
  const std::string text = pem.str();
  pki::BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  pki::X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(x);
  const auto cert = pki::describe(x.get());
  CHECK(cert.subject_cn == "ISRG Root X1");
  CHECK(cert.sha256 == "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6");
  CHECK(cert.key_type == pki::KeyType::Rsa);
  CHECK(cert.key_bits == 4096);
  CHECK(cert.self_signed);
}

TEST_CASE("parse errors are values naming what went wrong", "[certificate]") {
  const std::vector<std::uint8_t> garbage = {0x30, 0x82, 0x01, 0x00, 0xde, 0xad};
  auto bad = pki::parse_certificate(garbage);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().input == "certificate");
  CHECK_THAT(bad.error().message, Catch::StartsWith("not a valid X.509 certificate"));
  CHECK_FALSE(pki::parse_certificate({}));
  const std::vector<std::uint8_t> huge(pki::kMaxCertificateBytes + 1, 0x30);
  auto too_big = pki::parse_certificate(huge);
  REQUIRE_FALSE(too_big);
  CHECK_THAT(too_big.error().message, Catch::Contains("larger than"));
  CHECK(ERR_peek_error() == 0);  // the OpenSSL error queue is left empty
}

TEST_CASE("trailing bytes after the certificate are left out of its fingerprint", "[certificate]") {
  lab::CertSpec spec;
  spec.common_name = "Trusted Certificate";
  const auto root = root_from(spec);
  auto der = root.cert_der();
  const auto plain = parse(root).sha256;
  der.push_back(0x30);  // what a TRUSTED CERTIFICATE's trust settings would start with
  der.push_back(0x00);
  auto with_trailer = pki::parse_certificate(der);
  REQUIRE(with_trailer);
  CHECK(with_trailer->sha256 == plain);
}

TEST_CASE("fingerprints are normalised to 64 lowercase hex digits", "[certificate]") {
  CHECK(pki::normalize_fingerprint("96:BC:EC:06:26:49:76:F3:74:60:77:9A:CF:28:C5:A7:CF:E8:A3:C0:AA:E1:1A:8F:FC:EE:05:C0:BD:DF:08:C6") ==
        "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6");
  CHECK(pki::normalize_fingerprint("96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6") ==
        "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6");
  CHECK(pki::normalize_fingerprint("96bcec06").empty());
  CHECK(pki::normalize_fingerprint("zz" + std::string(62, '0')).empty());
  CHECK(pki::sha256_hex({}) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("subjectAltName DNS and IP entries are listed", "[certificate]") {
  lab::CertSpec root_spec;
  root_spec.common_name = "SAN Test Root";
  const auto root = root_from(root_spec);
  lab::CertSpec spec;
  spec.common_name = "www.example.test";
  spec.dns_names = {"www.example.test", "example.test"};
  spec.ip_addresses = {"192.0.2.7", "2001:db8::1"};
  auto leaf = lab::make_leaf(spec, root);
  REQUIRE(leaf);
  const auto cert = parse(*leaf);
  CHECK(cert.dns_names == std::vector<std::string>{"www.example.test", "example.test"});
  CHECK(cert.ip_addresses == std::vector<std::string>{"192.0.2.7", "2001:db8::1"});
  CHECK(cert.alt_names_total == 4);
  CHECK(parse(root).dns_names.empty());
}

TEST_CASE("subjectAltName entries beyond the cap are counted, not kept", "[certificate]") {
  lab::CertSpec root_spec;
  root_spec.common_name = "SAN Cap Root";
  const auto root = root_from(root_spec);
  lab::CertSpec spec;
  spec.common_name = "many.example.test";
  for (std::size_t i = 0; i < pki::kMaxRecordedAltNames + 10; ++i) {
    spec.dns_names.push_back("h" + std::to_string(i) + ".example.test");
  }
  auto leaf = lab::make_leaf(spec, root);
  REQUIRE(leaf);
  const auto cert = parse(*leaf);
  CHECK(cert.dns_names.size() == pki::kMaxRecordedAltNames);
  CHECK(cert.alt_names_total == pki::kMaxRecordedAltNames + 10);
}

// A dNSName is IA5String, yet OpenSSL passes on whatever bytes an issuer wrote; reports, probes
// and the reference's observe answers carry the name as JSON, which must be UTF-8.
TEST_CASE("a subjectAltName with bytes that are not UTF-8 is kept with those bytes as hex escapes", "[certificate]") {
  lab::CertSpec root_spec;
  root_spec.common_name = "SAN Latin-1 Root";
  const auto root = root_from(root_spec);
  lab::CertSpec spec;
  spec.common_name = "cafe.example.test";
  spec.dns_names = {"caf\xE9.example.test"};
  auto leaf = lab::make_leaf(spec, root);
  REQUIRE(leaf);
  const auto cert = parse(*leaf);
  CHECK(cert.dns_names == std::vector<std::string>{"caf\\xE9.example.test"});
}
