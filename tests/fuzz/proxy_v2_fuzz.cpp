// Fuzz target: PROXY protocol v2 headers, read the way the reference server reads them.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_input.h"
#include "reference/server/proxy_protocol.h"

namespace reference = tlsdoctor::reference;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < reference::kProxyV2FixedBytes) return 0;
  const std::span<const std::uint8_t, reference::kProxyV2FixedBytes> fixed(data, reference::kProxyV2FixedBytes);
  auto remaining = reference::proxy_v2_remaining(fixed);
  if (!remaining) return 0;
  tlsdoctor::fuzz::require(*remaining <= reference::kMaxProxyV2Remaining, "the header's length is capped");
  // The server reads exactly that many bytes more; an input that ends first is a peer that
  // stopped sending, which the server's deadline handles.
  if (size - reference::kProxyV2FixedBytes < *remaining) return 0;
  // A buffer of exactly that size, as the server's, so that AddressSanitizer sees any read past it.
  const std::vector<std::uint8_t> rest(data + reference::kProxyV2FixedBytes,
                                       data + reference::kProxyV2FixedBytes + *remaining);
  auto peer = reference::parse_proxy_v2(fixed, rest);
  if (peer && peer->local) {
    tlsdoctor::fuzz::require(!peer->source && !peer->destination, "a LOCAL header carries no addresses");
  }
  return 0;
}
