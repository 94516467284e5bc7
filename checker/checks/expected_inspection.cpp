// Matching chains against a policy's expected inspections and re-judging interception findings by them.
#include "checks/expected_inspection.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>
#include <openssl/x509_vfy.h>

#include "pki/chain_verify.h"

namespace tlsdoctor::checks {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> issuer_match(const policy::ExpectedInspection& inspection,
                                        const std::vector<pki::Certificate>& certs) {
  for (const auto& cert : certs) {
    for (const auto& name : inspection.issuers) {
      if (equal_ignoring_case(name, cert.issuer) || equal_ignoring_case(name, cert.issuer_cn)) {
        return "issuer " + cert.issuer;
      }
    }
  }
  return std::nullopt;
}

// Whether the sent chain verifies up to `anchor` (a sent certificate whose key is pinned), dates
// and names aside: the pinned key really signs this chain.
bool signs_chain(std::span<const std::vector<std::uint8_t>> sent, const std::vector<std::uint8_t>& anchor) {
  pki::VerifyRequest request;
  request.anchors.kind = pki::AnchorSource::Kind::Der;
  request.anchors.der = {anchor};
  request.partial_chain = true;
  request.chain.assign(sent.begin(), sent.end());
  const auto verified = pki::verify_chain(request);
  if (!verified) return false;
  // Only the signatures matter here: a certificate out of its dates is still signed by the key.
  return std::all_of(verified->errors.begin(), verified->errors.end(), [](const pki::ChainError& e) {
    return e.code == X509_V_ERR_CERT_HAS_EXPIRED || e.code == X509_V_ERR_CERT_NOT_YET_VALID;
  });
}

// A key pin of `inspection` in the chain verification built here (proven when it was trusted),
// or on a sent certificate (proven when that certificate signs the chain).
std::optional<InspectionMatch> key_match(const policy::ExpectedInspection& inspection, const ChainSeen& chain,
                                         const std::vector<pki::Certificate>& certs) {
  for (const auto& pin : inspection.spki_sha256) {
    const auto& built = chain.built_spki_sha256;
    if (chain.trusted_here && std::find(built.begin(), built.end(), pin) != built.end()) {
      return InspectionMatch{&inspection, "key sha256 " + pin, true};
    }
    for (std::size_t i = 0; i < certs.size() && i < chain.sent.size(); ++i) {
      if (certs[i].spki_sha256 != pin) continue;
      return InspectionMatch{&inspection, "key sha256 " + pin, chain.trusted_here || signs_chain(chain.sent, chain.sent[i])};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<InspectionMatch> match_expected_inspection(const ChainSeen& chain,
                                                         std::span<const policy::ExpectedInspection> expected) {
  if (expected.empty()) return std::nullopt;
  std::vector<pki::Certificate> certs;
  for (const auto& der : chain.sent) {
    if (auto cert = pki::parse_certificate(der)) certs.push_back(std::move(*cert));
  }
  std::optional<InspectionMatch> weaker;
  for (const auto& inspection : expected) {
    auto by_key = key_match(inspection, chain, certs);
    if (by_key && by_key->proven) return by_key;
    if (!weaker && by_key) weaker = std::move(by_key);
    if (!weaker) {
      // Trusted here, the issuer's name is the name of a root this machine trusts: proof enough.
      if (auto how = issuer_match(inspection, certs)) weaker = InspectionMatch{&inspection, std::move(*how), chain.trusted_here};
    }
  }
  return weaker;
}

std::optional<InspectionMatch> match_expected_root(const pki::Certificate& root,
                                                   std::span<const policy::ExpectedInspection> expected) {
  for (const auto& inspection : expected) {
    for (const auto& name : inspection.issuers) {
      if (equal_ignoring_case(name, root.subject) || equal_ignoring_case(name, root.subject_cn)) {
        return InspectionMatch{&inspection, "subject " + root.subject, true};
      }
    }
    for (const auto& pin : inspection.spki_sha256) {
      if (pin == root.spki_sha256) return InspectionMatch{&inspection, "key sha256 " + pin, true};
    }
  }
  return std::nullopt;
}

void apply_expected_inspection(Finding& finding, const ChainSeen& chain,
                               std::span<const policy::ExpectedInspection> expected) {
  // An untrusted root the policy names is the organisation's inspection, not the site's fault.
  if (finding.id != FindingId::PathInterception && finding.id != FindingId::ServerUntrustedRoot) return;
  const auto match = match_expected_inspection(chain, expected);
  if (!match) return;
  const std::string& name = match->inspection->name;
  if (!match->proven) {
    // The chain carries the expected inspection's name, but nothing here shows it is that
    // product: it may be, with its root not installed, or anyone else using its name.
    finding.evidence.push_back({"claims_to_be", name});
    finding.evidence.push_back({"matched_by", match->matched_by});
    finding.fix = fmt::format("If this is {0}, install its root from IT (an MDM profile or package). Nothing here proves "
                              "it is {0} (no key the policy pins signs this chain; IT can pin its root's key in the "
                              "policy's spki_sha256): if it is not, treat it as an attack, use another network and "
                              "tell IT.",
                              name);
    return;
  }
  finding.evidence.push_back({"observed", finding.title});
  finding.evidence.push_back({"expected_inspection", name});
  finding.evidence.push_back({"matched_by", match->matched_by});
  if (chain.trusted_here) {
    finding.id = FindingId::PathInterceptionExpected;
    finding.severity = Severity::Info;
    finding.title = fmt::format("TLS is inspected by {}, as the policy expects", name);
    finding.fix = "";
    return;
  }
  finding.id = FindingId::TrustRootMissing;
  finding.severity = Severity::Fail;
  finding.title = fmt::format("The root of {}, the TLS inspection the policy expects, is not trusted here: every "
                              "inspected site fails",
                              name);
  finding.fix = fmt::format("Install the root of {} in this machine's trust store (from IT's MDM profile or package; "
                            "by hand: copy it to /usr/local/share/ca-certificates/ as a .crt and run "
                            "update-ca-certificates).",
                            name);
}

}  // namespace tlsdoctor::checks
