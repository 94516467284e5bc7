// Tests for the hand-written PEM splitter (platform/src/pem.cpp).
#include <catch2/catch.hpp>

#include <string>

#include "platform/pem.h"

using tlsdoctor::platform::is_certificate_label;
using tlsdoctor::platform::looks_like_der;
using tlsdoctor::platform::split_pem;

namespace {

std::string text_of(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace

TEST_CASE("split_pem returns blocks in order with labels and positions", "[pem]") {
  const std::string text =
      "# a comment the bundle carries\n"
      "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n"
      "Certificate:\n    Data: (openssl x509 -text output between blocks)\n"
      "-----BEGIN TRUSTED CERTIFICATE-----\r\nYmFy\r\n-----END TRUSTED CERTIFICATE-----\r\n"
      "-----BEGIN X509 CRL-----\nYmF6\n-----END X509 CRL-----";
  const auto blocks = split_pem(text, 100);
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].index == 0);
  CHECK(blocks[0].label == "CERTIFICATE");
  CHECK(text_of(blocks[0].der) == "foo");
  CHECK(blocks[1].label == "TRUSTED CERTIFICATE");
  CHECK(text_of(blocks[1].der) == "bar");
  CHECK(blocks[2].label == "X509 CRL");
  CHECK(text_of(blocks[2].der) == "baz");
  for (const auto& b : blocks) CHECK(b.error.empty());
}

TEST_CASE("a damaged block is kept with its position and reason, and later blocks still read", "[pem]") {
  const std::string text =
      "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n"
      "-----BEGIN CERTIFICATE-----\nZm9v!!\n-----END CERTIFICATE-----\n"
      "-----BEGIN CERTIFICATE-----\nYmFy\n-----END CERTIFICATE-----\n";
  const auto blocks = split_pem(text, 100);
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].error.empty());
  CHECK(blocks[1].index == 1);
  CHECK(blocks[1].der.empty());
  CHECK_THAT(blocks[1].error, Catch::StartsWith("bad base64: invalid character '!'"));
  CHECK(text_of(blocks[2].der) == "bar");
}

TEST_CASE("framing errors: missing END, mismatched END, empty body, truncated text", "[pem]") {
  const auto no_end = split_pem(
      "-----BEGIN CERTIFICATE-----\nZm9v\n-----BEGIN CERTIFICATE-----\nYmFy\n-----END CERTIFICATE-----\n", 10);
  REQUIRE(no_end.size() == 2);
  CHECK(no_end[0].error == "no END line before the next BEGIN line");
  CHECK(text_of(no_end[1].der) == "bar");

  const auto mismatch = split_pem("-----BEGIN CERTIFICATE-----\nZm9v\n-----END X509 CRL-----\n", 10);
  REQUIRE(mismatch.size() == 1);
  CHECK_THAT(mismatch[0].error, Catch::Contains("does not match"));

  const auto empty = split_pem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", 10);
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].error == "the block is empty");

  const auto truncated = split_pem("-----BEGIN CERTIFICATE-----\nZm9v\n", 10);
  REQUIRE(truncated.size() == 1);
  CHECK(truncated[0].error == "the text ends before the END line");
}

TEST_CASE("split_pem stops at the block limit and ignores text without blocks", "[pem]") {
  std::string many;
  for (int i = 0; i < 20; ++i) many += "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n";
  CHECK(split_pem(many, 5).size() == 5);
  CHECK(split_pem("no armour here\n-----END CERTIFICATE-----\n", 5).empty());
}

TEST_CASE("RFC 1421 header lines inside a block are skipped", "[pem]") {
  const auto blocks = split_pem(
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nZm9v\n"
      "-----END RSA PRIVATE KEY-----\n",
      10);
  REQUIRE(blocks.size() == 1);
  CHECK(text_of(blocks[0].der) == "foo");
}

TEST_CASE("DER detection and certificate labels", "[pem]") {
  CHECK(looks_like_der(std::string("\x30\x82\x05\x00rest", 8)));
  CHECK_FALSE(looks_like_der("-----BEGIN CERTIFICATE-----"));
  CHECK_FALSE(looks_like_der(std::string("\x30\x05", 2)));
  CHECK(is_certificate_label("CERTIFICATE"));
  CHECK(is_certificate_label("TRUSTED CERTIFICATE"));
  CHECK(is_certificate_label("X509 CERTIFICATE"));
  CHECK_FALSE(is_certificate_label("X509 CRL"));
  CHECK_FALSE(is_certificate_label("PRIVATE KEY"));
}
