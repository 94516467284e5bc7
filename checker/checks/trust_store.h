// The trust_store check: which roots this machine trusts, from where, and which of them are a problem.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/check.h"
#include "core/finding.h"
#include "pki/catalogs.h"
#include "pki/certificate.h"
#include "platform/trust_store.h"

namespace tlsdoctor::checks {

// One distinct trusted certificate (merged by SHA-256) and every source it was found in.
struct TrustAnchor {
  pki::Certificate cert;
  std::vector<std::size_t> sources;  // indices into TrustStoreFacts::sources that hold it (not aliases)
  std::string file;                  // the first file it was read from
  bool in_openssl_store = false;     // OpenSSL's default verify paths would load it
  bool added_locally = false;        // found among the locally added anchors
  bool user_added = false;           // from a place a user or program added, not the distribution
};

// A certificate whose bytes decoded but that OpenSSL could not parse as X.509.
struct UnparsableCertificate {
  std::string file;
  std::size_t block = 0;
  std::string reason;
  bool in_openssl_file = false;  // in a bundle file OpenSSL's default paths read
};

struct TrustAnchors {
  std::vector<TrustAnchor> anchors;           // trusted certificates
  std::vector<pki::Certificate> distrusted;   // certificates in a distrust list
  std::vector<UnparsableCertificate> unparsable;
  std::size_t nss_not_trusted = 0;            // NSS entries without CA trust (user certificates)
};

// Parses every certificate of the facts once, merging duplicates. NSS entries count as anchors
// only with a trust flag for TLS servers ('C' trusted CA or 'P' trusted peer in the SSL field).
// A bundle file with a damaged block adds nothing to the OpenSSL store (OpenSSL rejects it).
// A root in the embedded table (pki::known_certificate) is copied from it instead of parsed.
TrustAnchors collect_anchors(const platform::TrustStoreFacts& facts);

struct TrustStoreJudgement {
  std::vector<Finding> findings;
  std::string summary;
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
};

// The whole judgement as a pure function (no files, no clock), so tests can feed it directly.
// `expected`: the policy's expected inspections, whose roots are trusted on purpose.
TrustStoreJudgement judge_trust_store(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                                      const pki::Catalogs& catalogs, std::chrono::sys_seconds now,
                                      std::span<const policy::ExpectedInspection> expected = {});

class TrustStoreCheck final : public Check {
 public:
  std::string_view id() const override { return "trust_store"; }
  std::string_view title() const override { return "Trust store"; }
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
