// Normalises every stack's TLS version settings to per-version stances and compares the stacks.
#include "checks/protocols_stacks.h"

#include <algorithm>
#include <cctype>
#include "platform/text.h"

namespace tlsdoctor::checks::protocols_detail {
namespace {

using tls::TlsVersion;

constexpr auto& kVersions = tls::kMeasuredTlsVersions;

using platform::iequals;
using platform::trim;
// Splits on any of `separators`, trimming blanks and dropping empty items.
std::vector<std::string_view> split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> items;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = text.find_first_of(separators, pos);
    const auto item = trim(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (!item.empty()) items.push_back(item);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return items;
}

void set(StackPolicy& stack, TlsVersion v, bool allowed, std::string because) {
  stack.versions[version_index(v)] = VersionStance{allowed, std::move(because)};
}

// A minimum and/or maximum: versions outside are refused, versions inside allowed.
void apply_range(StackPolicy& stack, const std::optional<platform::PolicySetting>& min,
                 const std::optional<platform::PolicySetting>& max) {
  const auto lo = min ? tls::parse_tls_version(min->value) : std::nullopt;
  const auto hi = max ? tls::parse_tls_version(max->value) : std::nullopt;
  if (!lo && !hi) return;
  for (const auto v : kVersions) {
    if (lo && v < *lo) {
      set(stack, v, false, setting_text(*min));
    } else if (hi && v > *hi) {
      set(stack, v, false, setting_text(*max));
    } else {
      set(stack, v, true, setting_text(lo ? *min : *max));
    }
  }
}

StackPolicy openssl_stack(const ProtocolsInputs& inputs) {
  const auto& facts = inputs.policy.openssl;
  StackPolicy stack;
  stack.name = "OpenSSL";
  stack.source = facts.config_resolved.empty() ? facts.config_path : facts.config_resolved;
  const bool have_effective = inputs.openssl && inputs.openssl->context_created;
  if (have_effective) {
    stack.security_level = inputs.openssl->security_level;
  } else {
    stack.security_level = facts.system_default.seclevel;
  }
  if (inputs.loopback && *inputs.loopback) {
    for (const auto& r : (*inputs.loopback)->results) {
      if (r.outcome == tls::LoopbackOutcome::Accepted) {
        set(stack, r.version, true, "loopback handshake completed");
        stack.measured = true;
      } else if (r.outcome == tls::LoopbackOutcome::Refused) {
        const auto refusal = openssl_setting_refusing(r.version, inputs);
        set(stack, r.version, false, refusal ? refusal->text : "loopback handshake refused: " + r.reason);
        stack.measured = true;
      }
    }
    if (stack.measured) return stack;
  }
  if (have_effective) {
    // Without a measurement, only the bounds OpenSSL reports are certain.
    const auto& e = *inputs.openssl;
    for (const auto v : kVersions) {
      if (e.min_version && v < *e.min_version) {
        const auto refusal = openssl_setting_refusing(v, inputs);
        set(stack, v, false, refusal ? refusal->text : "OpenSSL's minimum version");
      } else if (e.max_version && v > *e.max_version) {
        const auto refusal = openssl_setting_refusing(v, inputs);
        set(stack, v, false, refusal ? refusal->text : "OpenSSL's maximum version");
      }
    }
    return stack;
  }
  apply_range(stack, facts.system_default.min_protocol, facts.system_default.max_protocol);
  return stack;
}

// GnuTLS priority strings: "NONE" starts empty, "+VERS-..." adds, "-VERS-..." removes.
void apply_priority_string(StackPolicy& stack, const platform::PolicySetting& setting) {
  const std::string because = setting_text(setting);
  for (const auto token : split(setting.value, ":")) {
    if (token == "NONE") {
      for (const auto v : kVersions) set(stack, v, false, because);
      continue;
    }
    if (token.size() < 2 || (token[0] != '+' && token[0] != '-')) continue;
    const bool allowed = token[0] == '+';
    const auto name = token.substr(1);
    if (iequals(name, "VERS-ALL") || iequals(name, "VERS-TLS-ALL")) {
      for (const auto v : kVersions) set(stack, v, allowed, because);
    } else if (const auto v = tls::parse_tls_version(name); v && *v != TlsVersion::Ssl3 && name.size() > 5 &&
                                                           iequals(name.substr(0, 5), "VERS-")) {
      set(stack, *v, allowed, because);
    }
  }
}

std::optional<StackPolicy> gnutls_stack(const platform::GnuTlsPolicy& g) {
  // GnuTLS ignores a configuration file it cannot parse.
  if (!g.found || !g.errors.empty()) return std::nullopt;
  StackPolicy stack;
  stack.name = "GnuTLS";
  stack.source = g.file;
  if (g.override_mode && iequals(g.override_mode->value, "allowlist")) {
    for (const auto v : kVersions) set(stack, v, false, "not an enabled-version in " + g.file + " (allowlist)");
    for (const auto& e : g.enabled_versions) {
      if (const auto v = tls::parse_tls_version(e.value); v && *v != TlsVersion::Ssl3) {
        set(stack, *v, true, setting_text(e));
      }
    }
    return stack;
  }
  if (g.system_priority) apply_priority_string(stack, *g.system_priority);
  if (g.default_priority_string) apply_priority_string(stack, *g.default_priority_string);
  for (const auto& d : g.disabled_versions) {
    if (const auto v = tls::parse_tls_version(d.value); v && *v != TlsVersion::Ssl3) set(stack, *v, false, setting_text(d));
  }
  return stack;
}

std::optional<StackPolicy> java_stack(const platform::JavaSecurityPolicy& java) {
  if (!java.tls_disabled_algorithms) return std::nullopt;
  StackPolicy stack;
  stack.name = "Java (" + java.jdk + ")";
  stack.source = java.tls_disabled_algorithms->file;
  const auto listed = split(java.tls_disabled_algorithms->value, ",");
  const std::string where = java.tls_disabled_algorithms->file +
                            (java.tls_disabled_algorithms->line > 0
                                 ? ":" + std::to_string(java.tls_disabled_algorithms->line)
                                 : std::string());
  // Java enables every version its disabledAlgorithms does not name.
  for (const auto v : kVersions) set(stack, v, true, "not in jdk.tls.disabledAlgorithms (" + where + ")");
  for (const auto item : listed) {
    const auto v = tls::parse_tls_version(item);
    if (v && *v != TlsVersion::Ssl3 && item.starts_with("TLSv")) {
      set(stack, *v, false, "jdk.tls.disabledAlgorithms lists " + std::string(item) + " (" + where + ")");
    }
  }
  return stack;
}

std::string browser_name(std::string_view id) {
  if (id == "firefox") return "Firefox";
  if (id == "chrome") return "Chrome";
  if (id == "chromium") return "Chromium";
  if (id == "edge") return "Edge";
  return std::string(id);
}

}  // namespace

std::size_t version_index(tls::TlsVersion version) {
  const auto it = std::find(kVersions.begin(), kVersions.end(), version);
  return it == kVersions.end() ? 0 : static_cast<std::size_t>(it - kVersions.begin());
}

std::string setting_text(const platform::PolicySetting& setting) {
  return setting.key + " = " + setting.value + " in " + setting.file +
         (setting.line > 0 ? ":" + std::to_string(setting.line) : std::string());
}

std::optional<tls::TlsVersion> StackPolicy::lowest_allowed() const {
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (versions[i] && versions[i]->allowed) return kVersions[i];
  }
  return std::nullopt;
}

std::optional<tls::TlsVersion> StackPolicy::highest_allowed() const {
  for (std::size_t i = versions.size(); i-- > 0;) {
    if (versions[i] && versions[i]->allowed) return kVersions[i];
  }
  return std::nullopt;
}

bool StackPolicy::says_anything() const {
  return std::any_of(versions.begin(), versions.end(), [](const auto& s) { return s.has_value(); });
}

std::optional<OpenSslRefusal> openssl_setting_refusing(tls::TlsVersion version, const ProtocolsInputs& inputs) {
  using Kind = OpenSslRefusal::Kind;
  const auto& s = inputs.policy.openssl.system_default;
  auto because = [](Kind kind, const platform::PolicySetting& setting, std::string suffix = "") {
    return OpenSslRefusal{kind, setting_text(setting) + suffix, setting};
  };
  if (s.min_protocol) {
    if (const auto min = tls::parse_tls_version(s.min_protocol->value); min && *min > version) {
      return because(Kind::MinProtocol, *s.min_protocol);
    }
  }
  if (s.max_protocol) {
    if (const auto max = tls::parse_tls_version(s.max_protocol->value); max && *max < version) {
      return because(Kind::MaxProtocol, *s.max_protocol);
    }
  }
  if (s.protocol) {
    for (const auto token : split(s.protocol->value, ", \t")) {
      if (token.starts_with('-') && tls::parse_tls_version(token.substr(1)) == version) {
        return because(Kind::Protocol, *s.protocol);
      }
    }
  }
  if (inputs.openssl && inputs.openssl->context_created) {
    const auto& e = *inputs.openssl;
    if (version == TlsVersion::Tls1_2 && e.tls12_ciphers.empty() && s.cipher_string) {
      return because(Kind::CipherString, *s.cipher_string, " (leaves no TLS 1.2 cipher suite)");
    }
    if (version == TlsVersion::Tls1_3 && e.tls13_ciphersuites.empty() && s.ciphersuites) {
      return because(Kind::Ciphersuites, *s.ciphersuites, " (leaves no TLS 1.3 cipher suite)");
    }
    if (version < TlsVersion::Tls1_2 && e.security_level >= 1 && !(e.min_version && *e.min_version > version)) {
      // OpenSSL 3 signs TLS 1.0/1.1 handshakes with SHA-1, which level 1 and above forbid.
      return OpenSslRefusal{Kind::SecurityLevel,
                            "OpenSSL security level " + std::to_string(e.security_level) +
                                " (TLS 1.0 and 1.1 need level 0)",
                            std::nullopt};
    }
  }
  return std::nullopt;
}

std::vector<StackPolicy> stack_policies(const ProtocolsInputs& inputs) {
  const auto& facts = inputs.policy;
  std::vector<StackPolicy> stacks;
  stacks.push_back(openssl_stack(inputs));

  const auto& cp = facts.crypto_policies;
  const auto& read = facts.openssl.files_read;
  if (cp.present && cp.openssl_backend_found &&
      std::find(read.begin(), read.end(), cp.openssl_backend_file) == read.end()) {
    StackPolicy backend;
    backend.name = "crypto-policies for OpenSSL (not loaded by OpenSSL)";
    backend.source = cp.openssl_backend_file;
    backend.security_level = cp.openssl.seclevel;
    apply_range(backend, cp.openssl.min_protocol, cp.openssl.max_protocol);
    stacks.push_back(std::move(backend));
  }
  // GnuTLS reads /etc/gnutls/config, or on Fedora/RHEL the crypto-policies back-end.
  const auto& gnutls = facts.gnutls.found ? facts.gnutls : cp.gnutls;
  if (auto stack = gnutls_stack(gnutls)) stacks.push_back(std::move(*stack));
  if (cp.present && cp.nss.found && cp.nss.errors.empty()) {
    StackPolicy nss;
    nss.name = "NSS";
    nss.source = cp.nss.file;
    apply_range(nss, cp.nss.tls_version_min, cp.nss.tls_version_max);
    stacks.push_back(std::move(nss));
  }
  for (const auto& java : facts.java) {
    if (auto stack = java_stack(java)) stacks.push_back(std::move(*stack));
  }
  for (const auto& browser : facts.browsers) {
    if (browser.error) continue;
    StackPolicy stack;
    stack.name = browser_name(browser.browser);
    stack.source = browser.file;
    apply_range(stack, browser.ssl_version_min, browser.ssl_version_max);
    stacks.push_back(std::move(stack));
  }
  // Keep OpenSSL even when it says nothing: it is the reference the others are compared with.
  stacks.erase(std::remove_if(stacks.begin() + 1, stacks.end(), [](const StackPolicy& s) { return !s.says_anything(); }),
               stacks.end());
  return stacks;
}

std::optional<Finding> stacks_disagree_finding(const std::vector<StackPolicy>& stacks) {
  std::vector<Evidence> evidence;
  std::vector<std::string> disputed;
  std::string modern_disputed;        // TLS 1.2 / 1.3 only: what the title and fix name
  std::vector<std::string> refusals;  // of TLS 1.2/1.3: what to change
  for (std::size_t i = 0; i < kVersions.size(); ++i) {
    std::string allowed_by;
    std::string refused_by;
    std::vector<std::string> refusing;
    for (const auto& stack : stacks) {
      const auto& stance = stack.versions[i];
      if (!stance) continue;
      std::string& list = stance->allowed ? allowed_by : refused_by;
      list += (list.empty() ? "" : ", ") + stack.name + (stance->allowed ? "" : " (" + stance->because + ")");
      if (!stance->allowed) refusing.push_back(stack.name + " (" + stance->because + ")");
    }
    if (allowed_by.empty() || refused_by.empty()) continue;
    if (kVersions[i] >= TlsVersion::Tls1_2) refusals.insert(refusals.end(), refusing.begin(), refusing.end());
    const auto name = std::string(to_string(kVersions[i]));
    disputed.push_back(name);
    if (kVersions[i] >= TlsVersion::Tls1_2) modern_disputed += (modern_disputed.empty() ? "" : " and ") + name;
    evidence.push_back(Evidence{name, "allowed by " + allowed_by + "; refused by " + refused_by});
  }
  if (disputed.empty()) return std::nullopt;
  std::string versions;
  for (const auto& d : disputed) versions += (versions.empty() ? "" : ", ") + d;
  Finding finding;
  finding.id = FindingId::LocalStacksDisagree;
  if (!modern_disputed.empty()) {
    finding.severity = Severity::Warn;
    finding.title = "Some programs on this machine refuse " + modern_disputed + " while others allow it";
    finding.fix = "Allow " + modern_disputed + " in every program's TLS policy; start with " + refusals.front() +
                  (refusals.size() > 1 ? " and the " + std::to_string(refusals.size() - 1) + " other(s) listed" : "");
  } else {
    finding.severity = Severity::Info;
    finding.title = "TLS stacks on this machine set different minimum versions (" + versions + ")";
  }
  finding.evidence = std::move(evidence);
  return finding;
}

nlohmann::ordered_json stacks_json(const std::vector<StackPolicy>& stacks) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& stack : stacks) {
    nlohmann::ordered_json versions = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < kVersions.size(); ++i) {
      const auto& stance = stack.versions[i];
      versions[std::string(to_string(kVersions[i]))] =
          stance ? nlohmann::ordered_json(stance->allowed ? "allowed" : "refused") : nlohmann::ordered_json();
    }
    const auto lo = stack.lowest_allowed();
    const auto hi = stack.highest_allowed();
    out.push_back({{"stack", stack.name},
                   {"source", stack.source},
                   {"measured", stack.measured},
                   {"min_version", lo ? nlohmann::ordered_json(to_string(*lo)) : nlohmann::ordered_json()},
                   {"max_version", hi ? nlohmann::ordered_json(to_string(*hi)) : nlohmann::ordered_json()},
                   {"security_level", stack.security_level ? nlohmann::ordered_json(*stack.security_level)
                                                           : nlohmann::ordered_json()},
                   {"versions", std::move(versions)}});
  }
  return out;
}

}  // namespace tlsdoctor::checks::protocols_detail
