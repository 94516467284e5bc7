// Internal to the trust_store check: the rule groups judge_trust_store runs, and shared wording.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "checks/trust_store.h"
#include "policy/policy.h"

namespace tlsdoctor::checks::trust_rules {

// Evidence lists stop after this many names ("... and 12 more"): a report line must stay
// readable, and the facts keep the full counts.
inline constexpr std::size_t kMaxListed = 10;

// Rules about individual roots: expired, not yet valid, weak key, outside the reference
// program, leaked key, distrusted, interception product. Roots the policy's `expected`
// inspection names are an interception product's info finding, and never "non-standard".
void judge_roots(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                 const pki::Catalogs& catalogs, std::chrono::sys_seconds now,
                 std::span<const policy::ExpectedInspection> expected, std::vector<Finding>& out);

// Rules about the store as a whole: broken overrides, empty or unreadable store, damaged
// bundles, missing essential roots, the expired-legacy-root trap.
void judge_store(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                 const pki::Catalogs& catalogs, std::chrono::sys_seconds now, std::vector<Finding>& out);

// "a; b; c" with at most kMaxListed items, then "; and N more".
std::string join_limited(const std::vector<std::string>& items);
// "2025-05-12" (UTC).
std::string date_text(std::chrono::sys_seconds t);
// The names of the sources an anchor came from, without repeats ("Debian/Ubuntu bundle, SSL_CERT_FILE").
std::string source_names(const platform::TrustStoreFacts& facts, const TrustAnchor& anchor);
// True for sources a user or a program filled (local anchors, overrides, the NSS database),
// false for the distribution's own bundles and directories.
bool is_user_added(platform::TrustSourceKind kind);

}  // namespace tlsdoctor::checks::trust_rules
