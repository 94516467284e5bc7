// The protocols check: gathers policy facts, OpenSSL's applied policy and the loopback table, then judges them.
#include "checks/protocols.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "checks/protocols_facts.h"
#include "checks/protocols_findings.h"
#include "checks/protocols_stacks.h"
#include "platform/text.h"
#include "reference/server/embedded_reference.h"

namespace tlsdoctor::checks {
namespace {

using protocols_detail::StackPolicy;

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// "TLS 1.2, 1.3 allowed (OpenSSL SECLEVEL 2); 1.0, 1.1 refused".
std::string summary(const ProtocolsInputs& inputs, const StackPolicy& openssl) {
  const std::string level =
      openssl.security_level ? "OpenSSL SECLEVEL " + std::to_string(*openssl.security_level) : "OpenSSL";
  if (inputs.loopback && *inputs.loopback) {
    std::vector<std::string> allowed, refused, not_run;
    for (const auto& r : (*inputs.loopback)->results) {
      auto& list = r.outcome == tls::LoopbackOutcome::Accepted  ? allowed
                   : r.outcome == tls::LoopbackOutcome::Refused ? refused
                                                                : not_run;
      list.emplace_back(short_name(r.version));
    }
    std::string text = allowed.empty() ? "no TLS version allowed (" + level + ")"
                                       : "TLS " + join(allowed, ", ") + " allowed (" + level + ")";
    if (!refused.empty()) text += "; " + join(refused, ", ") + " refused";
    if (!not_run.empty()) text += "; " + join(not_run, ", ") + " not measured";
    return text;
  }
  const auto lo = openssl.lowest_allowed();
  std::string text = inputs.loopback ? "loopback test could not run; " : "not measured; ";
  text += level;
  if (const auto& e = inputs.openssl; e && e->min_version) {
    text += ", minimum " + std::string(to_string(*e->min_version));
  } else if (lo) {
    text += ", minimum " + std::string(to_string(*lo));
  } else if (!openssl.security_level) {
    text += " with no TLS settings in its configuration";
  }
  return text;
}

// The cipher settings the files make, for OpenSSL to judge: the loaded configuration's, and
// crypto-policies' OpenSSL back-end when OpenSSL does not load it.
std::vector<platform::PolicySetting> cipher_settings_to_check(const platform::TlsPolicyFacts& facts) {
  std::vector<platform::PolicySetting> settings;
  auto add = [&](const platform::OpenSslSettings& s) {
    if (s.cipher_string) settings.push_back(*s.cipher_string);
    if (s.ciphersuites) settings.push_back(*s.ciphersuites);
  };
  add(facts.openssl.system_default);
  const auto& cp = facts.crypto_policies;
  const auto& read = facts.openssl.files_read;
  if (cp.openssl_backend_found && std::find(read.begin(), read.end(), cp.openssl_backend_file) == read.end()) {
    add(cp.openssl);
  }
  return settings;
}

}  // namespace

CheckResult judge_protocols(const ProtocolsInputs& inputs) {
  using namespace protocols_detail;
  CheckResult result;
  result.id = "protocols";
  result.title = "TLS versions and policy";
  const auto stacks = stack_policies(inputs);

  auto append = [&](std::vector<Finding> more) {
    for (auto& f : more) result.findings.push_back(std::move(f));
  };
  append(policy_unreadable_findings(inputs));
  append(protocol_disabled_findings(inputs));
  if (auto f = seclevel_high_finding(inputs)) result.findings.push_back(std::move(*f));
  append(cipher_policy_findings(inputs));
  if (auto f = stacks_disagree_finding(stacks)) result.findings.push_back(std::move(*f));
  if (auto f = loopback_failed_finding(inputs)) result.findings.push_back(std::move(*f));

  result.status = status_from_findings(result.findings);
  result.summary = summary(inputs, stacks.front());
  result.facts = protocols_facts_json(inputs, stacks);
  return result;
}

tls::SelfSignedKey loopback_key(const platform::TlsPolicyFacts& policy, const tls::EffectiveClientPolicy& openssl) {
  // Commands that set versions, ciphers or options: none of them can refuse an ECDSA P-256
  // certificate that a P-384 one would pass (a cipher string without ECDSA refuses both).
  constexpr std::array<std::string_view, 10> kHarmless = {
      "MinProtocol",      "MaxProtocol",      "TLS.MinProtocol", "TLS.MaxProtocol", "DTLS.MinProtocol",
      "DTLS.MaxProtocol", "Protocol",         "CipherString",    "Ciphersuites",    "Options"};
  constexpr int kHighestLevelForP256 = 3;  // 128-bit security
  if (!openssl.context_created || openssl.security_level > kHighestLevelForP256 || !policy.openssl.errors.empty()) {
    return tls::SelfSignedKey::P384;
  }
  for (const auto& command : policy.openssl.system_default.commands) {
    const bool harmless = std::any_of(kHarmless.begin(), kHarmless.end(),
                                      [&](std::string_view name) { return platform::iequals(command.key, name); });
    if (!harmless) return tls::SelfSignedKey::P384;
  }
  return tls::SelfSignedKey::P256;
}

CheckResult ProtocolsCheck::run(const Context& ctx) const {
  ProtocolsInputs inputs;
  inputs.policy = platform::read_tls_policy(ctx.env, platform::TlsPolicyHints{tls::openssl_default_config_file()});
  for (auto& setting : cipher_settings_to_check(inputs.policy)) {
    const bool suites = setting.key.ends_with("Ciphersuites");
    auto error = suites ? tls::ciphersuites_error(setting.value) : tls::cipher_string_error(setting.value);
    inputs.cipher_settings.push_back(CipherSettingVerdict{std::move(setting), std::move(error)});
  }
  // OpenSSL's applied policy and the measurement describe this process on this machine; when
  // the facts come from another tree (a fixture sysroot) they would not belong together.
  const bool this_machine = ctx.env.sysroot.empty() || ctx.env.sysroot == "/";
  if (this_machine) {
    inputs.openssl = tls::effective_client_policy();
    // Against the embedded loopback reference: the reference server itself, in this process.
    auto embedded = reference::EmbeddedReference::start(loopback_key(inputs.policy, *inputs.openssl));
    if (embedded) {
      inputs.loopback = tls::measure_loopback_at((*embedded)->address(), ctx.deadline.sub(kProtocolsLoopbackBudget));
    } else {
      inputs.loopback = tl::unexpected(embedded.error());
    }
  }
  return judge_protocols(inputs);
}

}  // namespace tlsdoctor::checks
