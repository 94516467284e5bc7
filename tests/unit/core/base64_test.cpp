// Tests for core/base64.cpp: RFC 4648 vectors both ways, every byte value, and strict decoding.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/base64.h"

using tlsdoctor::decode_base64;
using tlsdoctor::encode_base64;

namespace {

std::string text_of(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }
std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

}  // namespace

TEST_CASE("base64 encodes RFC 4648's test vectors", "[base64]") {
  CHECK(encode_base64(bytes("")).empty());
  CHECK(encode_base64(bytes("f")) == "Zg==");
  CHECK(encode_base64(bytes("fo")) == "Zm8=");
  CHECK(encode_base64(bytes("foo")) == "Zm9v");
  CHECK(encode_base64(bytes("foob")) == "Zm9vYg==");
  CHECK(encode_base64(bytes("fooba")) == "Zm9vYmE=");
  CHECK(encode_base64(bytes("foobar")) == "Zm9vYmFy");
}

TEST_CASE("base64 round-trips every byte value at every length mod 3", "[base64]") {
  std::vector<std::uint8_t> all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  for (std::size_t cut = 254; cut <= 256; ++cut) {
    const std::vector<std::uint8_t> part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(cut));
    const auto back = decode_base64(encode_base64(part));
    REQUIRE(back);
    CHECK(*back == part);
  }
}

TEST_CASE("base64 decodes the RFC 4648 test vectors", "[base64]") {
  CHECK(text_of(*decode_base64("")) == "");
  CHECK(text_of(*decode_base64("Zg==")) == "f");
  CHECK(text_of(*decode_base64("Zm8=")) == "fo");
  CHECK(text_of(*decode_base64("Zm9v")) == "foo");
  CHECK(text_of(*decode_base64("Zm9vYg==")) == "foob");
  CHECK(text_of(*decode_base64("Zm9vYmE=")) == "fooba");
  CHECK(text_of(*decode_base64("Zm9vYmFy")) == "foobar");
}

TEST_CASE("base64 skips line breaks and decodes all 256 byte values", "[base64]") {
  CHECK(text_of(*decode_base64("Zm9v\nYmFy\r\n")) == "foobar");
  // "AAECAwQF...+/w==" is bytes 0..255; check both ends and the '+' and '/' symbols.
  const auto all = decode_base64("+/8=");
  REQUIRE(all);
  CHECK(*all == std::vector<std::uint8_t>{0xfb, 0xff});
}

TEST_CASE("base64 rejects what OpenSSL would reject, saying why", "[base64]") {
  auto bad_char = decode_base64("Zm9v*mFy");
  REQUIRE_FALSE(bad_char);
  CHECK_THAT(bad_char.error(), Catch::Contains("invalid character '*' at offset 4"));
  CHECK_FALSE(decode_base64("Zm9"));        // not a multiple of 4
  CHECK_FALSE(decode_base64("Zg==Zg=="));   // data after padding
  CHECK_FALSE(decode_base64("Z==="));       // too much padding
  CHECK_THAT(decode_base64("Zm9vY\x01" "Fy").error(), Catch::Contains("byte 0x01"));
}

