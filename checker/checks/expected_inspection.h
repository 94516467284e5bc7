// Recognises the TLS inspection a policy expects in a chain, and re-judges an interception finding by it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/finding.h"
#include "pki/certificate.h"
#include "policy/policy.h"

namespace tlsdoctor::checks {

// A chain as this machine received it, and what local verification made of it.
struct ChainSeen {
  std::span<const std::vector<std::uint8_t>> sent;  // DER, as the peer sent it
  std::span<const std::string> built_spki_sha256;   // keys of the chain verification built (root included when found)
  bool trusted_here = false;                        // verification against this machine's store passed
};

struct InspectionMatch {
  const policy::ExpectedInspection* inspection = nullptr;
  std::string matched_by;  // "issuer CN=Contoso Inspection CA" or "key sha256 0a1b..."
};

// The first expected inspection whose issuer names a certificate's issuer (RFC 2253 name or its
// CN, letter case ignored), or whose key pin is one of the chain's keys; nullopt otherwise.
std::optional<InspectionMatch> match_expected_inspection(const ChainSeen& chain,
                                                         std::span<const policy::ExpectedInspection> expected);

// The first expected inspection that names this trusted root: its subject (RFC 2253 name or CN)
// among the issuers, or its key among the pins.
std::optional<InspectionMatch> match_expected_root(const pki::Certificate& root,
                                                   std::span<const policy::ExpectedInspection> expected);

// A path.interception (or server.untrusted_root) finding as the policy sees it: path.interception_expected (info) when the
// chain is an inspection the policy expects and it is trusted here; trust.root_missing (fail)
// when it is expected but its root is not installed here (every inspected site breaks); left
// alone otherwise, and for any other finding.
void apply_expected_inspection(Finding& finding, const ChainSeen& chain,
                               std::span<const policy::ExpectedInspection> expected);

}  // namespace tlsdoctor::checks
