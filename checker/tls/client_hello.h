// ClientHello and ServerHello parsing: the fields fingerprints and checks read, from bytes as sent on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor::tls {

// A ClientHello is at most one handshake message; 2^24 is the format's limit, but no real client
// sends more than a few kilobytes (post-quantum key shares: ~1.8 KB). Anything beyond is refused
// unparsed so that a hostile peer cannot make us hold megabytes.
inline constexpr std::size_t kMaxClientHelloBytes = 64 * 1024;

struct ExtensionEntry {
  std::uint16_t type = 0;
  std::size_t length = 0;  // bytes of extension data
};

struct KeyShareEntry {
  std::uint16_t group = 0;
  std::size_t key_bytes = 0;
};

struct ClientHello {
  std::size_t message_length = 0;           // the whole handshake message, 4-byte header included
  std::uint16_t legacy_version = 0;         // 0x0303 for TLS 1.2 and 1.3
  std::size_t session_id_length = 0;
  std::vector<std::uint16_t> cipher_suites; // in order, GREASE included
  std::vector<std::uint8_t> compression_methods;
  std::vector<ExtensionEntry> extensions;   // in order, GREASE included
  std::optional<std::string> sni;           // host_name entry of server_name
  std::vector<std::string> alpn;
  std::vector<std::uint16_t> supported_groups;
  std::vector<std::uint8_t> ec_point_formats;
  std::vector<std::uint16_t> signature_algorithms;
  std::vector<std::uint16_t> supported_versions;
  std::vector<KeyShareEntry> key_shares;
  std::size_t padding_bytes = 0;            // data length of RFC 7685 padding, if present
  bool status_request = false;              // OCSP stapling requested
};

struct ServerHello {
  std::uint16_t legacy_version = 0;
  std::uint16_t cipher_suite = 0;
  std::uint8_t compression_method = 0;
  std::optional<std::uint16_t> selected_version;  // supported_versions (TLS 1.3)
  std::optional<std::uint16_t> key_share_group;
  std::optional<std::string> alpn;
  std::vector<ExtensionEntry> extensions;
  bool hello_retry_request = false;  // the special random of RFC 8446 4.1.3
};

// `message` starts with the handshake header (type 1, 24-bit length), as OpenSSL's message
// callback hands it over. Errors say what was malformed and at which offset.
tl::expected<ClientHello, std::string> parse_client_hello(std::span<const std::uint8_t> message);
// `records` are TLS records as read from a socket (type 22, possibly several records carrying
// one ClientHello split by the client); only what the first handshake message needs is read.
tl::expected<ClientHello, std::string> parse_client_hello_records(std::span<const std::uint8_t> records);
// The ClientHello message (handshake header included) reassembled from records, for capture.
tl::expected<std::vector<std::uint8_t>, std::string> client_hello_from_records(
    std::span<const std::uint8_t> records);
// `message` starts with the handshake header (type 2).
tl::expected<ServerHello, std::string> parse_server_hello(std::span<const std::uint8_t> message);

// Reassembles the first handshake message (a ClientHello) from TLS records as they come off a
// socket, in pieces of any size, without re-reading earlier bytes. Records must be handshake
// records (type 22) of 1..2^14 bytes; the message is refused as soon as its header announces
// more than kMaxClientHelloBytes, so memory stays bounded whatever the peer sends.
class ClientHelloAssembler {
 public:
  // True once the whole message is in (bytes after it are ignored), false while more are needed;
  // an error (what, and the offset in the stream of records) as soon as the bytes cannot be a
  // ClientHello. After true or an error, further calls return the same answer.
  tl::expected<bool, std::string> feed(std::span<const std::uint8_t> bytes);
  bool complete() const { return complete_; }
  // The message so far, handshake header included; the whole ClientHello once complete().
  const std::vector<std::uint8_t>& message() const { return message_; }
  // Stream bytes read so far; once complete(), up to the end of the completing record as far
  // as it had arrived.
  std::size_t consumed() const { return consumed_; }

 private:
  void take_fragment(std::span<const std::uint8_t> fragment);

  std::uint8_t record_header_[5] = {};
  std::size_t header_bytes_ = 0;   // of record_header_ filled
  std::size_t record_left_ = 0;    // fragment bytes of the current record still to come
  std::size_t fragment_offset_ = 0;
  std::size_t message_needed_ = 0; // handshake header + body; 0 until the header is in
  std::size_t consumed_ = 0;
  bool complete_ = false;
  std::string error_;
  std::vector<std::uint8_t> message_;
};

// RFC 8701 GREASE values (0x0a0a, 0x1a1a, ... 0xfafa).
bool is_grease(std::uint16_t value);

}  // namespace tlsdoctor::tls
