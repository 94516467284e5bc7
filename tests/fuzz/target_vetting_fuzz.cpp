// Fuzz target: the reference's SSRF guard (vet_target) with a resolver that answers what the input says.
//
// Input lines: host; port; SNI ("" for none); then the DNS answers, one IP literal per line (none:
// NXDOMAIN). The property: whatever vetting accepts, every address it would dial is one the
// guard allows, on an allowed port.
#include <netdb.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "fuzz_input.h"
#include "reference/server/address_policy.h"
#include "reference/server/target_vetting.h"

namespace reference = tlsdoctor::reference;
using tlsdoctor::fuzz::require;

namespace {

// The answers the fake resolver gives, for this input only (lookups run on a resolver thread).
std::vector<std::string> g_answers;

int fake_lookup(const char*, const char* service, const addrinfo* hints, addrinfo** result) {
  addrinfo numeric = *hints;
  numeric.ai_flags |= AI_NUMERICHOST;
  addrinfo* head = nullptr;
  addrinfo** tail = &head;
  for (const auto& answer : g_answers) {
    addrinfo* one = nullptr;
    if (::getaddrinfo(answer.c_str(), service, &numeric, &one) != 0) continue;  // not an IP literal
    *tail = one;  // glibc frees node by node, so separate lists chain into one
    while (*tail != nullptr) tail = &(*tail)->ai_next;
  }
  if (head == nullptr) return EAI_NONAME;
  *result = head;
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto lines = tlsdoctor::fuzz::split_all(tlsdoctor::fuzz::as_text(data, size), '\n', 12);
  if (lines.size() < 2) return 0;
  reference::ObserveRequest request;
  request.host = std::string(lines[0]);
  unsigned port = 0;
  std::from_chars(lines[1].data(), lines[1].data() + lines[1].size(), port);
  request.port = static_cast<std::uint16_t>(std::min(port, 65535u));
  if (lines.size() > 2 && !lines[2].empty()) request.sni = std::string(lines[2]);
  g_answers.assign(lines.begin() + std::min<std::size_t>(3, lines.size()), lines.end());

  const reference::VettingPolicy policy;  // the defaults: no allowed networks, the TLS service ports
  auto vetted = reference::vet_target(request, policy, tlsdoctor::Deadline::after(std::chrono::seconds(2)), fake_lookup);
  if (!vetted) return 0;
  require(std::find(policy.ports.begin(), policy.ports.end(), vetted->port) != policy.ports.end(),
          "a vetted target's port is on the allowlist");
  require(!vetted->addresses.empty() && vetted->dialed == vetted->addresses.front(), "the first vetted answer is dialed");
  for (const auto& address : vetted->addresses) {
    const auto ip = reference::parse_ip_address(address);
    require(ip.has_value(), "a vetted address is an IP literal");
    require(!reference::refusal(policy.addresses, *ip), "every vetted address is one the guard allows");
  }
  return 0;
}
