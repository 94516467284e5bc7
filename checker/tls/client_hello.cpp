// ClientHello and ServerHello parsing (RFC 8446 section 4.1, RFC 5246 section 7.4.1), strictly bounds-checked.
#include "tls/client_hello.h"

#include <algorithm>
#include <array>
#include <bitset>

#include "tls/byte_reader.h"

namespace tlsdoctor::tls {
namespace {

constexpr std::uint8_t kClientHelloType = 1;
constexpr std::uint8_t kServerHelloType = 2;
constexpr std::size_t kHandshakeHeaderBytes = 4;
constexpr std::size_t kRandomBytes = 32;
// RFC 8446 4.1.2: legacy_session_id<0..32>; a longer one is not a ClientHello any server accepts.
constexpr std::size_t kMaxSessionIdBytes = 32;

// IANA TLS ExtensionType Values for the extensions whose contents are read.
namespace extension {
constexpr std::uint16_t kServerName = 0;
constexpr std::uint16_t kStatusRequest = 5;
constexpr std::uint16_t kSupportedGroups = 10;
constexpr std::uint16_t kEcPointFormats = 11;
constexpr std::uint16_t kSignatureAlgorithms = 13;
constexpr std::uint16_t kAlpn = 16;
constexpr std::uint16_t kPadding = 21;
constexpr std::uint16_t kSupportedVersions = 43;
constexpr std::uint16_t kKeyShare = 51;
}  // namespace extension

// RFC 6066 section 3: NameType host_name.
constexpr std::uint8_t kHostNameType = 0;

// RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest (SHA-256 of the text
// "HelloRetryRequest").
constexpr std::array<std::uint8_t, kRandomBytes> kHelloRetryRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

std::string text_of(std::span<const std::uint8_t> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// The body of one handshake message of type `type`; `message` must be exactly that message.
ByteReader handshake_body(ByteReader& message, std::uint8_t type, std::string_view name) {
  const std::uint8_t found = message.u8("handshake type");
  if (!message.failed() && found != type) {
    message.fail_at(0, "handshake type " + std::to_string(found) + " is not a " + std::string(name) + " (" +
                           std::to_string(type) + ")");
  }
  const std::uint32_t length = message.u24("handshake length");
  if (!message.failed() && length > kMaxClientHelloBytes - kHandshakeHeaderBytes) {
    message.fail_at(1, "handshake length " + std::to_string(length) + " exceeds the limit of " +
                           std::to_string(kMaxClientHelloBytes) + " bytes");
  }
  ByteReader body = message.block(length, std::string(name) + " body");
  message.expect_end("the " + std::string(name) + " message");
  return body;
}

// legacy_session_id, checked against its limit before it is read.
std::size_t session_id(ByteReader& body) {
  const std::size_t at = body.offset();
  const std::uint8_t length = body.u8("legacy_session_id length");
  if (length > kMaxSessionIdBytes) {
    body.fail_at(at, "legacy_session_id of " + std::to_string(length) + " bytes (at most 32)");
  }
  body.bytes(length, "legacy_session_id");
  return length;
}

void read_u16_list(ByteReader list, std::string_view what, std::vector<std::uint16_t>& out) {
  if (list.remaining() % 2 != 0) list.fail(std::string(what) + " list of odd length");
  out.reserve(list.remaining() / 2);
  while (list.remaining() > 0) out.push_back(list.u16(what));
}

void read_u8_list(ByteReader list, std::string_view what, std::vector<std::uint8_t>& out) {
  out.reserve(list.remaining());
  while (list.remaining() > 0) out.push_back(list.u8(what));
}

void read_server_name(ByteReader data, ClientHello& hello) {
  ByteReader list = data.block16("server_name list");
  data.expect_end("server_name list");
  while (list.remaining() > 0) {
    const std::uint8_t type = list.u8("server_name type");
    ByteReader name = list.block16("server_name entry");
    // RFC 6066 allows one name per type; the first host_name is the one servers act on.
    if (type == kHostNameType && !hello.sni && !list.failed()) hello.sni = text_of(name.rest());
  }
}

void read_alpn(ByteReader data, std::vector<std::string>& out) {
  ByteReader list = data.block16("ALPN protocol_name_list");
  data.expect_end("ALPN protocol_name_list");
  while (list.remaining() > 0) {
    ByteReader name = list.block8("ALPN protocol name");
    if (!list.failed()) out.push_back(text_of(name.rest()));
  }
}

void read_key_shares(ByteReader data, std::vector<KeyShareEntry>& out) {
  ByteReader list = data.block16("key_share client_shares");
  data.expect_end("key_share client_shares");
  while (list.remaining() > 0) {
    KeyShareEntry entry;
    entry.group = list.u16("key_share group");
    entry.key_bytes = list.block16("key_exchange").remaining();
    if (!list.failed()) out.push_back(entry);
  }
}

// Reads the contents of the extensions the record keeps; others are kept as type and length.
void read_client_extension(std::uint16_t type, ByteReader data, ClientHello& hello) {
  switch (type) {
    case extension::kServerName:
      read_server_name(data, hello);
      break;
    case extension::kStatusRequest:
      hello.status_request = true;
      break;
    case extension::kSupportedGroups:
      read_u16_list(data.block16("supported_groups list"), "supported group", hello.supported_groups);
      data.expect_end("supported_groups list");
      break;
    case extension::kEcPointFormats:
      read_u8_list(data.block8("ec_point_formats list"), "ec point format", hello.ec_point_formats);
      data.expect_end("ec_point_formats list");
      break;
    case extension::kSignatureAlgorithms:
      read_u16_list(data.block16("signature_algorithms list"), "signature scheme", hello.signature_algorithms);
      data.expect_end("signature_algorithms list");
      break;
    case extension::kAlpn:
      read_alpn(data, hello.alpn);
      break;
    case extension::kPadding:
      hello.padding_bytes = data.remaining();
      break;
    case extension::kSupportedVersions:
      read_u16_list(data.block8("supported_versions list"), "supported version", hello.supported_versions);
      data.expect_end("supported_versions list");
      break;
    case extension::kKeyShare:
      read_key_shares(data, hello.key_shares);
      break;
    default:
      break;
  }
}

// The extensions block: type and length of each in order, duplicates refused (RFC 8446 4.2:
// "There MUST NOT be more than one extension of the same type").
template <typename OnExtension>
void read_extensions(ByteReader list, std::vector<ExtensionEntry>& out, OnExtension on_extension) {
  std::bitset<65536> seen;
  while (list.remaining() > 0) {
    const std::size_t at = list.offset();
    const std::uint16_t type = list.u16("extension type");
    ByteReader data = list.block16("extension data");
    if (list.failed()) return;
    if (seen.test(type)) {
      list.fail_at(at, "duplicate extension " + std::to_string(type));
      return;
    }
    seen.set(type);
    out.push_back(ExtensionEntry{type, data.remaining()});
    on_extension(type, data);
  }
}

}  // namespace

bool is_grease(std::uint16_t value) {
  // RFC 8701 section 2: 0x?a?a with both bytes equal.
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

tl::expected<ClientHello, std::string> parse_client_hello(std::span<const std::uint8_t> message) {
  std::string error;
  ByteReader reader(message, error);
  ByteReader body = handshake_body(reader, kClientHelloType, "ClientHello");
  ClientHello hello;
  hello.message_length = message.size();
  hello.legacy_version = body.u16("legacy_version");
  body.bytes(kRandomBytes, "random");
  hello.session_id_length = session_id(body);
  read_u16_list(body.block16("cipher_suites"), "cipher suite", hello.cipher_suites);
  read_u8_list(body.block8("compression_methods"), "compression method", hello.compression_methods);
  // A ClientHello may end here: extensions are optional before TLS 1.3 (RFC 5246 7.4.1.2).
  if (body.remaining() > 0) {
    ByteReader extensions = body.block16("extensions");
    body.expect_end("extensions");
    read_extensions(extensions, hello.extensions, [&hello](std::uint16_t type, ByteReader data) {
      read_client_extension(type, data, hello);
    });
  }
  if (!error.empty()) return tl::unexpected("ClientHello: " + error);
  return hello;
}

tl::expected<ServerHello, std::string> parse_server_hello(std::span<const std::uint8_t> message) {
  std::string error;
  ByteReader reader(message, error);
  ByteReader body = handshake_body(reader, kServerHelloType, "ServerHello");
  ServerHello hello;
  hello.legacy_version = body.u16("legacy_version");
  const auto random = body.bytes(kRandomBytes, "random");
  hello.hello_retry_request = !random.empty() && std::equal(random.begin(), random.end(), kHelloRetryRandom.begin());
  session_id(body);
  hello.cipher_suite = body.u16("cipher_suite");
  hello.compression_method = body.u8("compression_method");
  if (body.remaining() > 0) {
    ByteReader extensions = body.block16("extensions");
    body.expect_end("extensions");
    read_extensions(extensions, hello.extensions, [&hello](std::uint16_t type, ByteReader data) {
      if (type == extension::kSupportedVersions) {
        hello.selected_version = data.u16("selected_version");
        data.expect_end("selected_version");
      } else if (type == extension::kKeyShare) {
        // A HelloRetryRequest names only the group it wants (RFC 8446 4.2.8).
        hello.key_share_group = data.u16("key_share group");
        if (!hello.hello_retry_request) data.block16("key_exchange");
        data.expect_end("key_share");
      } else if (type == extension::kAlpn) {
        ByteReader list = data.block16("ALPN protocol_name_list");
        data.expect_end("ALPN protocol_name_list");
        ByteReader name = list.block8("ALPN protocol name");
        hello.alpn = text_of(name.rest());
        list.expect_end("the one selected ALPN protocol");
      }
    });
  }
  if (!error.empty()) return tl::unexpected("ServerHello: " + error);
  return hello;
}

}  // namespace tlsdoctor::tls
