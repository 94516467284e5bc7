// JA3 (Salesforce) and JA4 (FoxIO) fingerprints of a parsed ClientHello.
#include "tls/fingerprint.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include <openssl/evp.h>

#include "core/hex.h"

namespace tlsdoctor::tls {
namespace {

// JA4 section a: two characters per count; more than 99 prints as 99 (FoxIO JA4.md).
constexpr std::size_t kJa4MaxCount = 99;
// JA4 sections b and c: the first 12 hex characters of SHA-256.
constexpr std::size_t kJa4HashChars = 12;
constexpr std::uint16_t kServerNameExtension = 0x0000;
constexpr std::uint16_t kAlpnExtension = 0x0010;
constexpr std::uint16_t kSupportedVersionsExtension = 0x002b;
constexpr std::uint16_t kQuicTransportParametersExtension = 0x0039;

// Hex of a digest; empty if OpenSSL cannot compute it (a FIPS provider refusing MD5).
std::string digest_hex(const std::string& text, const EVP_MD* md) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (md == nullptr || EVP_Digest(text.data(), text.size(), digest.data(), &length, md, nullptr) != 1) return "";
  return encode_hex(std::span<const std::uint8_t>(digest.data(), length));
}

template <typename Int>
void append_decimal_list(std::string& out, const std::vector<Int>& values, bool skip_grease) {
  bool first = true;
  for (const Int value : values) {
    if (skip_grease && is_grease(value)) continue;
    if (!first) out.push_back('-');
    out += std::to_string(value);
    first = false;
  }
}

std::string hex4(std::uint16_t value) {
  char buffer[5];
  std::snprintf(buffer, sizeof(buffer), "%04x", static_cast<unsigned>(value));
  return buffer;
}

std::string comma_joined_hex4(const std::vector<std::uint16_t>& values) {
  std::string out;
  for (const std::uint16_t value : values) {
    if (!out.empty()) out.push_back(',');
    out += hex4(value);
  }
  return out;
}

std::vector<std::uint16_t> without_grease(const std::vector<std::uint16_t>& values) {
  std::vector<std::uint16_t> out;
  out.reserve(values.size());
  std::copy_if(values.begin(), values.end(), std::back_inserter(out), [](std::uint16_t v) { return !is_grease(v); });
  return out;
}

std::string two_digits(std::size_t count) {
  count = std::min(count, kJa4MaxCount);
  return std::string{static_cast<char>('0' + count / 10), static_cast<char>('0' + count % 10)};
}

// The highest non-GREASE supported_versions entry when the extension is there, else legacy_version.
std::string ja4_version(const ClientHello& hello) {
  const bool has_supported_versions =
      std::any_of(hello.extensions.begin(), hello.extensions.end(),
                  [](const ExtensionEntry& e) { return e.type == kSupportedVersionsExtension; });
  std::uint16_t version = hello.legacy_version;
  if (has_supported_versions) {
    const auto offered = without_grease(hello.supported_versions);
    version = offered.empty() ? 0 : *std::max_element(offered.begin(), offered.end());
  }
  switch (version) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

bool is_alphanumeric(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// First and last character of the first ALPN value; its hex form's first and last digit when
// either end is not alphanumeric; "00" when there is none.
std::string ja4_alpn(const ClientHello& hello) {
  if (hello.alpn.empty() || hello.alpn.front().empty()) return "00";
  const std::string& value = hello.alpn.front();
  const auto first = static_cast<unsigned char>(value.front());
  const auto last = static_cast<unsigned char>(value.back());
  if (is_alphanumeric(first) && is_alphanumeric(last)) {
    return std::string{static_cast<char>(first), static_cast<char>(last)};
  }
  const std::string first_hex = encode_hex(std::span<const std::uint8_t>(&first, 1));
  const std::string last_hex = encode_hex(std::span<const std::uint8_t>(&last, 1));
  return std::string{first_hex.front(), last_hex.back()};
}

// First 12 hex characters of SHA-256, or twelve zeros for an empty list (FoxIO: "makes it clear
// to the user when a field has no values").
std::string ja4_hash(const std::string& text, bool empty_list) {
  if (empty_list) return std::string(kJa4HashChars, '0');
  return digest_hex(text, EVP_sha256()).substr(0, kJa4HashChars);
}

}  // namespace

std::string ja3_string(const ClientHello& hello) {
  // SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (salesforce/ja3).
  std::string out = std::to_string(hello.legacy_version);
  out.push_back(',');
  append_decimal_list(out, hello.cipher_suites, true);
  out.push_back(',');
  std::vector<std::uint16_t> extension_types;
  extension_types.reserve(hello.extensions.size());
  for (const auto& e : hello.extensions) extension_types.push_back(e.type);
  append_decimal_list(out, extension_types, true);
  out.push_back(',');
  append_decimal_list(out, hello.supported_groups, true);
  out.push_back(',');
  append_decimal_list(out, hello.ec_point_formats, false);
  return out;
}

std::string ja3_hash(const ClientHello& hello) { return digest_hex(ja3_string(hello), EVP_md5()); }

std::string ja4(const ClientHello& hello) {
  const auto ciphers = without_grease(hello.cipher_suites);
  std::vector<std::uint16_t> extensions;
  for (const auto& e : hello.extensions) {
    if (!is_grease(e.type)) extensions.push_back(e.type);
  }
  const bool has_sni = std::find(extensions.begin(), extensions.end(), kServerNameExtension) != extensions.end();

  // The hello does not know its transport; quic_transport_parameters is sent only over QUIC
  // (RFC 9001 8.2), which is how FoxIO's own implementation tells "q" from "t".
  const bool quic = std::find(extensions.begin(), extensions.end(), kQuicTransportParametersExtension) !=
                    extensions.end();
  std::string a = std::string(quic ? "q" : "t") + ja4_version(hello) + (has_sni ? "d" : "i") + two_digits(ciphers.size()) +
                  two_digits(extensions.size()) + ja4_alpn(hello);

  auto sorted_ciphers = ciphers;
  std::sort(sorted_ciphers.begin(), sorted_ciphers.end());
  const std::string b = ja4_hash(comma_joined_hex4(sorted_ciphers), sorted_ciphers.empty());

  // SNI and ALPN are already in section a; leaving them out keeps c the same for one client
  // whether it goes to a name or an address.
  std::vector<std::uint16_t> sorted_extensions;
  std::copy_if(extensions.begin(), extensions.end(), std::back_inserter(sorted_extensions),
               [](std::uint16_t t) { return t != kServerNameExtension && t != kAlpnExtension; });
  std::sort(sorted_extensions.begin(), sorted_extensions.end());
  std::string c_text = comma_joined_hex4(sorted_extensions);
  const auto signatures = without_grease(hello.signature_algorithms);
  if (!signatures.empty()) c_text += "_" + comma_joined_hex4(signatures);
  const std::string c = ja4_hash(c_text, sorted_extensions.empty());

  return a + "_" + b + "_" + c;
}

}  // namespace tlsdoctor::tls
