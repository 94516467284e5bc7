// Walks a DER certificate's outline to its subject name (pki/certificate_subject.h).
#include "pki/certificate_subject.h"

namespace tlsdoctor::pki {
namespace {

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kBitString = 0x03;
constexpr std::uint8_t kVersionTag = 0xa0;  // [0] EXPLICIT, constructed

// One element: its tag, the whole encoding and the content inside it.
struct Element {
  std::uint8_t tag = 0;
  std::span<const std::uint8_t> whole;
  std::span<const std::uint8_t> content;
};

// The element at the start of `in` (single-byte tags only, definite DER lengths), or nothing.
std::optional<Element> read_element(std::span<const std::uint8_t> in) {
  if (in.size() < 2) return std::nullopt;
  const std::uint8_t tag = in[0];
  if ((tag & 0x1f) == 0x1f) return std::nullopt;  // a multi-byte tag: no certificate field has one
  std::size_t header = 2;
  std::size_t length = in[1];
  if (length & 0x80) {
    const std::size_t count = length & 0x7f;
    if (count == 0 || count > kMaxDerLengthBytes || in.size() < 2 + count) return std::nullopt;
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | in[2 + i];
    header += count;
  }
  if (length > in.size() - header) return std::nullopt;
  return Element{tag, in.subspan(0, header + length), in.subspan(header, length)};
}

// Reads the next element of `rest`, which must carry `tag`, and moves past it.
std::optional<Element> take(std::span<const std::uint8_t>& rest, std::uint8_t tag) {
  auto element = read_element(rest);
  if (!element || element->tag != tag) return std::nullopt;
  rest = rest.subspan(element->whole.size());
  return element;
}

}  // namespace

std::optional<std::span<const std::uint8_t>> certificate_subject_der(std::span<const std::uint8_t> certificate) {
  auto outer = read_element(certificate);
  if (!outer || outer->tag != kSequence) return std::nullopt;
  auto fields = outer->content;
  auto tbs = take(fields, kSequence);
  if (!tbs || !take(fields, kSequence) || !take(fields, kBitString) || !fields.empty()) return std::nullopt;

  auto rest = tbs->content;
  if (!rest.empty() && rest[0] == kVersionTag && !take(rest, kVersionTag)) return std::nullopt;
  if (!take(rest, kInteger)) return std::nullopt;
  std::optional<Element> subject;
  for (int field = 0; field < 5; ++field) {  // signature, issuer, validity, subject, public key
    auto element = take(rest, kSequence);
    if (!element) return std::nullopt;
    if (field == 3) subject = element;
  }
  return subject->whole;
}

}  // namespace tlsdoctor::pki
