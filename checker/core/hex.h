// Lowercase hexadecimal for digests, fingerprints and nonces.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace tlsdoctor {

// Two lowercase digits per byte, no separators ("0a1b...").
std::string encode_hex(std::span<const std::uint8_t> bytes);

}  // namespace tlsdoctor
