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
  // The chain is shown to come from the inspection: a pinned key is in the chain verification
  // built here, or a sent certificate with a pinned key signs the chain (checked). A name alone
  // proves nothing: anyone can put it in a certificate.
  bool proven = false;
};

// The first expected inspection whose key pin proves the chain, else the first whose issuer
// names a certificate's issuer (RFC 2253 name or its CN, letter case ignored); nullopt otherwise.
std::optional<InspectionMatch> match_expected_inspection(const ChainSeen& chain,
                                                         std::span<const policy::ExpectedInspection> expected);

// The first expected inspection that names this trusted root: its subject (RFC 2253 name or CN)
// among the issuers, or its key among the pins.
std::optional<InspectionMatch> match_expected_root(const pki::Certificate& root,
                                                   std::span<const policy::ExpectedInspection> expected);

// A path.interception (or server.untrusted_root) finding as the policy sees it:
// path.interception_expected (info) when the chain is an inspection the policy expects and it is
// trusted here; trust.root_missing (fail) when a pinned key proves it is the expected inspection
// but its root is not installed here (every inspected site breaks); when only its name matches
// and nothing here proves it, the finding stays, with the name it claims in its evidence. Any
// other finding is left alone.
void apply_expected_inspection(Finding& finding, const ChainSeen& chain,
                               std::span<const policy::ExpectedInspection> expected);

}  // namespace tlsdoctor::checks
