// Standard base64 (RFC 4648: '+' and '/', '=' padding), encoding and strict decoding.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor {

std::string encode_base64(std::span<const std::uint8_t> bytes);

// Whitespace is skipped; anything else outside the alphabet, misplaced padding or a length
// that is not a multiple of 4 is an error saying what is wrong in plain words ("invalid
// character '*' at offset 12").
tl::expected<std::vector<std::uint8_t>, std::string> decode_base64(std::string_view text);

}  // namespace tlsdoctor
