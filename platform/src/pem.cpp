// PEM block splitting, written out because platform links no crypto library.
#include "platform/pem.h"

#include "core/base64.h"

#include <array>

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kBeginPrefix = "-----BEGIN ";
constexpr std::string_view kEndPrefix = "-----END ";
constexpr std::string_view kDashes = "-----";

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
