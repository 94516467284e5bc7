// Tests for core/hex.cpp: lowercase digits, two per byte, every byte value.
#include <catch2/catch.hpp>

#include <vector>

#include "core/hex.h"

using tlsdoctor::encode_hex;

TEST_CASE("hex: two lowercase digits per byte, nothing for nothing", "[hex]") {
  CHECK(encode_hex({}).empty());
  const std::vector<std::uint8_t> bytes{0x00, 0x0f, 0x10, 0xab, 0xff};
  CHECK(encode_hex(bytes) == "000f10abff");
  std::vector<std::uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  const auto text = encode_hex(all);
  REQUIRE(text.size() == 512);
  CHECK(text.substr(0, 6) == "000102");
  CHECK(text.substr(506) == "fdfeff");
}
