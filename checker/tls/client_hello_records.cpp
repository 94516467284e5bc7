// Reassembly of a ClientHello from the TLS records that carry it (RFC 8446 section 5.1), for servers and captures.
#include <algorithm>

#include "tls/client_hello.h"

namespace tlsdoctor::tls {
namespace {

constexpr std::uint8_t kHandshakeContentType = 22;
constexpr std::uint8_t kClientHelloType = 1;
constexpr std::size_t kRecordHeaderBytes = 5;
constexpr std::size_t kHandshakeHeaderBytes = 4;
// RFC 8446 5.1: a plaintext record carries at most 2^14 bytes; longer ones are record_overflow.
constexpr std::size_t kMaxRecordFragment = 16384;

}  // namespace

tl::expected<bool, std::string> ClientHelloAssembler::feed(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty() && !complete_ && error_.empty()) {
    if (record_left_ == 0) {
      // A record header, possibly split across reads.
      const std::size_t n = std::min(kRecordHeaderBytes - header_bytes_, bytes.size());
      std::copy_n(bytes.begin(), n, record_header_ + header_bytes_);
      header_bytes_ += n;
      consumed_ += n;
      bytes = bytes.subspan(n);
      if (header_bytes_ < kRecordHeaderBytes) break;
      header_bytes_ = 0;
      const std::size_t at = consumed_ - kRecordHeaderBytes;
      const std::size_t length = (std::size_t{record_header_[3]} << 8) | record_header_[4];
      if (record_header_[0] != kHandshakeContentType) {
        error_ = "record type " + std::to_string(record_header_[0]) + " is not handshake (22) at offset " +
                 std::to_string(at);
      } else if (length == 0) {
        // RFC 8446 5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
        error_ = "empty handshake record at offset " + std::to_string(at);
      } else if (length > kMaxRecordFragment) {
        error_ = "record length " + std::to_string(length) + " exceeds 2^14 at offset " + std::to_string(at);
      }
      record_left_ = length;
      fragment_offset_ = consumed_;
    } else {
      const std::size_t n = std::min(record_left_, bytes.size());
      take_fragment(bytes.first(n));
      record_left_ -= n;
      consumed_ += n;
      fragment_offset_ += n;
      bytes = bytes.subspan(n);
    }
  }
  if (!error_.empty()) return tl::unexpected(error_);
  return complete_;
}

void ClientHelloAssembler::take_fragment(std::span<const std::uint8_t> fragment) {
  std::size_t offset = fragment_offset_;
  while (!fragment.empty() && !complete_ && error_.empty()) {
    const std::size_t want = (message_needed_ == 0 ? kHandshakeHeaderBytes : message_needed_) - message_.size();
    const std::size_t n = std::min(want, fragment.size());
    message_.insert(message_.end(), fragment.begin(), fragment.begin() + static_cast<std::ptrdiff_t>(n));
    fragment = fragment.subspan(n);
    offset += n;
    if (message_needed_ == 0 && message_.size() == kHandshakeHeaderBytes) {
      const std::size_t length =
          (std::size_t{message_[1]} << 16) | (std::size_t{message_[2]} << 8) | std::size_t{message_[3]};
      const std::size_t header_at = offset - kHandshakeHeaderBytes;
      if (message_[0] != kClientHelloType) {
        error_ = "handshake type " + std::to_string(message_[0]) + " is not a ClientHello (1) at offset " +
                 std::to_string(header_at);
      } else if (length > kMaxClientHelloBytes - kHandshakeHeaderBytes) {
        error_ = "ClientHello length " + std::to_string(length) + " exceeds the limit of " +
                 std::to_string(kMaxClientHelloBytes) + " bytes at offset " + std::to_string(header_at + 1);
      } else {
        message_needed_ = kHandshakeHeaderBytes + length;
        message_.reserve(message_needed_);
      }
    }
    if (message_needed_ != 0 && message_.size() == message_needed_) complete_ = true;
  }
}

tl::expected<std::vector<std::uint8_t>, std::string> client_hello_from_records(
    std::span<const std::uint8_t> records) {
  ClientHelloAssembler assembler;
  auto done = assembler.feed(records);
  if (!done) return tl::unexpected("ClientHello records: " + done.error());
  if (!*done) {
    return tl::unexpected("ClientHello records: truncated at offset " + std::to_string(records.size()) + " (" +
                          std::to_string(assembler.message().size()) + " bytes of the message so far)");
  }
  return assembler.message();
}

tl::expected<ClientHello, std::string> parse_client_hello_records(std::span<const std::uint8_t> records) {
  auto message = client_hello_from_records(records);
  if (!message) return tl::unexpected(message.error());
  return parse_client_hello(*message);
}

}  // namespace tlsdoctor::tls
