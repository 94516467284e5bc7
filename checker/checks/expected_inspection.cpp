// Matching chains against a policy's expected inspections and re-judging interception findings by them.
#include "checks/expected_inspection.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>


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

std::optional<std::string> key_match(const policy::ExpectedInspection& inspection, const std::vector<pki::Certificate>& certs,
                                     std::span<const std::string> built) {
  for (const auto& pin : inspection.spki_sha256) {
    const bool sent = std::any_of(certs.begin(), certs.end(), [&](const auto& c) { return c.spki_sha256 == pin; });
    if (sent || std::find(built.begin(), built.end(), pin) != built.end()) return "key sha256 " + pin;
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
  for (const auto& inspection : expected) {
    if (auto how = issuer_match(inspection, certs)) return InspectionMatch{&inspection, std::move(*how)};
    if (auto how = key_match(inspection, certs, chain.built_spki_sha256)) return InspectionMatch{&inspection, std::move(*how)};
  }
  return std::nullopt;
}

std::optional<InspectionMatch> match_expected_root(const pki::Certificate& root,
                                                   std::span<const policy::ExpectedInspection> expected) {
  for (const auto& inspection : expected) {
    for (const auto& name : inspection.issuers) {
      if (equal_ignoring_case(name, root.subject) || equal_ignoring_case(name, root.subject_cn)) {
        return InspectionMatch{&inspection, "subject " + root.subject};
      }
    }
    for (const auto& pin : inspection.spki_sha256) {
      if (pin == root.spki_sha256) return InspectionMatch{&inspection, "key sha256 " + pin};
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
