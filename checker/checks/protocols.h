// The protocols check: which TLS versions this machine's policies allow, per stack, measured locally.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "checks/check.h"
#include "core/check_result.h"
#include "core/error.h"
#include "platform/tls_policy.h"
#include "tls/loopback.h"
#include "tls/self_signed.h"
#include "tls/system_policy.h"

namespace tlsdoctor::checks {

// The loopback measurement's share of the run: four handshakes of a few ms each normally;
// the per-socket limits in tls/loopback.h bound the worst case well below this.
inline constexpr std::chrono::milliseconds kProtocolsLoopbackBudget{3000};

// OpenSSL's verdict on a cipher setting some policy file makes.
struct CipherSettingVerdict {
  platform::PolicySetting setting;   // CipherString or Ciphersuites, with its file and line
  std::optional<std::string> error;  // nullopt: OpenSSL takes it
};

// Everything the judgement looks at: run() gathers it, tests build it by hand.
struct ProtocolsInputs {
  platform::TlsPolicyFacts policy;
  // What OpenSSL applied to a fresh client in this process; nullopt when not asked.
  std::optional<tls::EffectiveClientPolicy> openssl;
  // The loopback measurement: nullopt when not attempted (reading a fixture tree, not this
  // machine), an Error when it could not start.
  std::optional<tl::expected<tls::LoopbackReport, Error>> loopback;
  std::vector<CipherSettingVerdict> cipher_settings;
};

// The key of the embedded reference the loopback measurement runs against: P-256, whose
// arithmetic costs a fraction of P-384's, when nothing in this machine's OpenSSL policy could
// refuse it (security level 3 or lower, and the configuration sets only versions, ciphers and
// options); P-384 otherwise (a higher level, Groups or SignatureAlgorithms that may leave
// P-256 out, any other command, a configuration with errors, or no applied policy known), so
// that the measurement never blames a version for what the certificate caused.
tls::SelfSignedKey loopback_key(const platform::TlsPolicyFacts& policy, const tls::EffectiveClientPolicy& openssl);

// The whole judgement, a pure function of the inputs.
// Findings: local.protocol_disabled (TLS 1.2 refused: fail; TLS 1.3 refused: warn),
// local.seclevel_high, local.stacks_disagree, local.policy_unreadable, local.cipher_policy,
// local.loopback_failed. Facts: "openssl" (config and what OpenSSL applied), "loopback" (one
// row per version), "stacks" (per-stack versions and security level), "crypto_policies".
CheckResult judge_protocols(const ProtocolsInputs& inputs);

class ProtocolsCheck : public Check {
 public:
  std::string_view id() const override { return "protocols"; }
  std::string_view title() const override { return "TLS versions and policy"; }
  // Reads the policy files under ctx.env, asks OpenSSL what it applies in this process (its
  // own OPENSSL_CONF), and runs the loopback measurement within ctx.deadline.
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
