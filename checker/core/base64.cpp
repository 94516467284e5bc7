// Standard base64 (RFC 4648: '+', '/', '=' padding), both ways: report fields, PEM bodies, signatures.
#include "core/base64.h"

#include <array>
#include <cstdint>

namespace tlsdoctor {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for base64 alphabet characters, -1 otherwise.
constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr auto kDecodeTable = make_decode_table();

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xf];
}

}  // namespace

std::string encode_base64(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = std::uint32_t{bytes[i]} << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

tl::expected<std::vector<std::uint8_t>, std::string> decode_base64(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t accumulator = 0;
  std::size_t symbols = 0;  // non-padding symbols in the current quantum
  std::size_t total = 0;    // every non-space character, padding included
  std::size_t padding = 0;
  for (std::size_t offset = 0; offset < text.size(); ++offset) {
    const char c = text[offset];
    if (is_space(c)) continue;
    ++total;
    if (c == '=') {
      ++padding;
      if (padding > 2) return tl::unexpected(std::string("too much '=' padding"));
      continue;
    }
    if (padding > 0) {
      return tl::unexpected("data after '=' padding at offset " + std::to_string(offset));
    }
    const int value = kDecodeTable[static_cast<unsigned char>(c)];
    if (value < 0) {
      return tl::unexpected("invalid character " + describe_char(c) + " at offset " +
                            std::to_string(offset));
    }
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    if (++symbols == 4) {
      out.push_back(static_cast<std::uint8_t>(accumulator >> 16));
      out.push_back(static_cast<std::uint8_t>(accumulator >> 8));
      out.push_back(static_cast<std::uint8_t>(accumulator));
      accumulator = 0;
      symbols = 0;
    }
  }
  if (total % 4 != 0) {
    return tl::unexpected("length " + std::to_string(total) + " is not a multiple of 4");
  }
  if (symbols + padding != 0 && symbols + padding != 4) {
    return tl::unexpected(std::string("truncated final group"));
  }
  if (symbols == 3) {  // one '=': 18 bits, two bytes
    out.push_back(static_cast<std::uint8_t>(accumulator >> 10));
    out.push_back(static_cast<std::uint8_t>(accumulator >> 2));
  } else if (symbols == 2) {  // two '=': 12 bits, one byte
    out.push_back(static_cast<std::uint8_t>(accumulator >> 4));
  } else if (symbols == 1) {
    return tl::unexpected(std::string("a final group of one character cannot encode a byte"));
  }
  return out;
}

}  // namespace tlsdoctor
