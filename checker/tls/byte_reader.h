// A bounds-checked reader over wire bytes whose first error sticks, for parsing untrusted TLS messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tlsdoctor::tls {

// Every read is checked against the span; a failed read records "what at offset N" once (the
// first error wins, so the message names the real cause), returns zero or an empty span, and
// leaves the reader empty, so loops over "while remaining() > 0" end at once. Readers for nested
// length-prefixed blocks share the parent's error (any read after an error, through any of them,
// empties that reader too), and report offsets from the start of the whole message. Every loop
// over a reader reads at least one byte per turn, so a loop's turns are bounded by the input.
class ByteReader {
 public:
  ByteReader(std::span<const std::uint8_t> data, std::string& error, std::size_t base_offset = 0)
      : data_(data), error_(&error), base_(base_offset) {}

  std::size_t offset() const { return base_ + position_; }  // from the start of the message
  std::size_t remaining() const { return data_.size() - position_; }
  bool failed() const { return !error_->empty(); }

  std::uint8_t u8(std::string_view what) {
    const auto b = bytes(1, what);
    return b.empty() ? 0 : b[0];
  }
  std::uint16_t u16(std::string_view what) {
    const auto b = bytes(2, what);
    return b.empty() ? 0 : static_cast<std::uint16_t>((b[0] << 8) | b[1]);
  }
  std::uint32_t u24(std::string_view what) {
    const auto b = bytes(3, what);
    return b.empty() ? 0 : (std::uint32_t{b[0]} << 16) | (std::uint32_t{b[1]} << 8) | b[2];
  }

  // The next `count` bytes, or an empty span (and an error) when fewer are left.
  std::span<const std::uint8_t> bytes(std::size_t count, std::string_view what) {
    if (failed()) {
      // Another reader over the same message failed: stop here too, so no loop keeps spinning.
      position_ = data_.size();
      return {};
    }
    if (count > remaining()) {
      fail(std::string(what) + " truncated",
           "needs " + std::to_string(count) + " bytes, " + std::to_string(remaining()) + " left");
      return {};
    }
    const auto out = data_.subspan(position_, count);
    position_ += count;
    return out;
  }

  // Everything left (a block's whole contents).
  std::span<const std::uint8_t> rest() { return bytes(remaining(), "data"); }

  // A reader over the next `count` bytes (a length-prefixed block); this reader moves past them.
  ByteReader block(std::size_t count, std::string_view what) {
    const std::size_t start = offset();
    const auto b = bytes(count, what);
    return ByteReader(b, *error_, start);
  }
  // A block whose length is the next 1 or 2 bytes.
  ByteReader block8(std::string_view what) { return block(u8(what), what); }
  ByteReader block16(std::string_view what) { return block(u16(what), what); }

  // Records "what at offset N (detail)" (unless an earlier error stands) and empties the reader.
  void fail(std::string_view what, std::string_view detail = {}) { fail_at(offset(), what, detail); }
  void fail_at(std::size_t at, std::string_view what, std::string_view detail = {}) {
    if (!failed()) {
      *error_ = std::string(what) + " at offset " + std::to_string(at);
      if (!detail.empty()) *error_ += " (" + std::string(detail) + ")";
    }
    position_ = data_.size();
  }
  // A block must be used up exactly: bytes left over mean a length field lied.
  void expect_end(std::string_view what) {
    if (!failed() && remaining() != 0) {
      fail(std::to_string(remaining()) + " bytes left over after " + std::string(what));
    }
  }

 private:
  std::span<const std::uint8_t> data_;
  std::string* error_;
  std::size_t base_ = 0;
  std::size_t position_ = 0;
};

}  // namespace tlsdoctor::tls
