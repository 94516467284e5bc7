// The protocols check's findings about OpenSSL's policy, the policy files and the measurement itself.
#pragma once

#include <optional>
#include <vector>

#include "checks/protocols.h"
#include "core/finding.h"

namespace tlsdoctor::checks::protocols_detail {

// A file with more unreadable policy files than this is reported up to the limit: one broken
// file is news, a dozen is one problem (a bad deployment) that the first few show.
inline constexpr std::size_t kMaxUnreadablePolicyFindings = 8;

// local.protocol_disabled: TLS 1.2 refused (fail) or TLS 1.3 refused (warn) by OpenSSL, as the
// loopback measured, or as OpenSSL's bounds say when there is no measurement.
std::vector<Finding> protocol_disabled_findings(const ProtocolsInputs& inputs);

// local.seclevel_high: OpenSSL's security level 3 or more refuses RSA-2048 servers.
std::optional<Finding> seclevel_high_finding(const ProtocolsInputs& inputs);

// local.policy_unreadable: openssl.cnf that does not parse or that OpenSSL refuses (fail); any
// other policy file that does not parse (warn), one finding per file.
std::vector<Finding> policy_unreadable_findings(const ProtocolsInputs& inputs);

// local.cipher_policy: a cipher setting OpenSSL rejects, or one that leaves TLS 1.2 without an
// ECDHE + AES-GCM/ChaCha20 suite or TLS 1.3 without any suite.
std::vector<Finding> cipher_policy_findings(const ProtocolsInputs& inputs);

// local.loopback_failed: the measurement could not start, or some version was not measured.
std::optional<Finding> loopback_failed_finding(const ProtocolsInputs& inputs);

}  // namespace tlsdoctor::checks::protocols_detail
