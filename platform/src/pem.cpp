// PEM block splitting and base64 decoding, written out because platform links no crypto library.
#include "platform/pem.h"

#include <array>

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kBeginPrefix = "-----BEGIN ";
constexpr std::string_view kEndPrefix = "-----END ";
constexpr std::string_view kDashes = "-----";

// 0..63 for base64 alphabet characters, -1 otherwise.
constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  for (auto& v : table) v = -1;
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr auto kDecodeTable = make_decode_table();

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Reads the label out of an armour line ("-----BEGIN FOO-----" gives "FOO"); false otherwise.
bool armour_label(std::string_view line, std::string_view prefix, std::string& label) {
  line = trim(line);
  if (!line.starts_with(prefix) || !line.ends_with(kDashes) ||
      line.size() < prefix.size() + kDashes.size()) {
    return false;
  }
  label = std::string(line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size()));
  return true;
}

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xf];
}

// Collects the base64 body of a block: RFC 1421 header lines ("Proc-Type: ...") are skipped.
void append_body_line(std::string_view line, std::string& body) {
  if (line.find(':') != std::string_view::npos) return;
  body.append(line);
  body.push_back('\n');
}

PemBlock finish_block(std::size_t index, std::string label, std::string_view body) {
  PemBlock block;
  block.index = index;
  block.label = std::move(label);
  auto der = decode_base64(body);
  if (!der) {
    block.error = "bad base64: " + der.error();
  } else if (der->empty()) {
    block.error = "the block is empty";
  } else {
    block.der = std::move(*der);
  }
  return block;
}

}  // namespace

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

std::vector<PemBlock> split_pem(std::string_view text, std::size_t max_blocks) {
  std::vector<PemBlock> blocks;
  bool inside = false;
  std::string label;
  std::string body;
  std::size_t pos = 0;
  while (pos <= text.size() && blocks.size() < max_blocks) {
    const auto eol = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;

    std::string found;
    if (armour_label(line, kBeginPrefix, found)) {
      if (inside) {
        PemBlock broken{blocks.size(), label, {}, "no END line before the next BEGIN line"};
        blocks.push_back(std::move(broken));
        if (blocks.size() >= max_blocks) break;
      }
      inside = true;
      label = std::move(found);
      body.clear();
    } else if (armour_label(line, kEndPrefix, found)) {
      if (!inside) continue;  // a stray END line outside any block carries nothing
      inside = false;
      if (found != label) {
        blocks.push_back(PemBlock{blocks.size(), label, {},
                                  "END label \"" + found + "\" does not match BEGIN \"" + label + "\""});
      } else {
        blocks.push_back(finish_block(blocks.size(), std::move(label), body));
      }
    } else if (inside) {
      append_body_line(line, body);
    }
  }
  if (inside && blocks.size() < max_blocks) {
    blocks.push_back(PemBlock{blocks.size(), label, {}, "the text ends before the END line"});
  }
  return blocks;
}

bool looks_like_der(std::string_view bytes) {
  // A DER certificate is a SEQUENCE (0x30) with a long-form length (0x81..0x84): anything
  // shorter than a few hundred bytes cannot be a certificate.
  return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0x30 &&
         static_cast<unsigned char>(bytes[1]) >= 0x81 && static_cast<unsigned char>(bytes[1]) <= 0x84 &&
         bytes.find(kBeginPrefix) == std::string_view::npos;
}

bool is_certificate_label(std::string_view label) {
  return label == "CERTIFICATE" || label == "TRUSTED CERTIFICATE" || label == "X509 CERTIFICATE";
}

}  // namespace tlsdoctor::platform
