// Builds the protocols check's findings about OpenSSL, unreadable policy files, ciphers and the measurement.
#include "checks/protocols_findings.h"

#include <cctype>
#include <set>

#include "checks/protocols_stacks.h"

namespace tlsdoctor::checks::protocols_detail {
namespace {

using tls::TlsVersion;
using Kind = OpenSslRefusal::Kind;

bool in_crypto_policies(std::string_view file) {
  return file.starts_with("/etc/crypto-policies/") || file.starts_with("/usr/share/crypto-policies/");
}

std::string config_shown(const ProtocolsInputs& inputs) {
  const auto& o = inputs.policy.openssl;
  return o.config_path + (o.config_source == "OPENSSL_CONF" ? " (from OPENSSL_CONF)" : "");
}

std::string stack_name(const ProtocolsInputs& inputs) {
  return inputs.openssl && !inputs.openssl->openssl_version.empty() ? inputs.openssl->openssl_version : "OpenSSL";
}

const tls::LoopbackResult* measured(const ProtocolsInputs& inputs, TlsVersion version) {
  if (!inputs.loopback || !*inputs.loopback) return nullptr;
  for (const auto& r : (*inputs.loopback)->results) {
    if (r.version == version && r.outcome != tls::LoopbackOutcome::NotRun) return &r;
  }
  return nullptr;
}

// Whether OpenSSL's reported bounds leave `version` in (true when nothing is known).
bool within_bounds(const ProtocolsInputs& inputs, TlsVersion version) {
  if (!inputs.openssl || !inputs.openssl->context_created) return true;
  const auto& e = *inputs.openssl;
  return !(e.min_version && *e.min_version > version) && !(e.max_version && *e.max_version < version);
}

std::string crypto_policy_name(const ProtocolsInputs& inputs) {
  const auto& cp = inputs.policy.crypto_policies;
  return cp.policy ? cp.policy->value : "unknown";
}

std::string protocol_fix(TlsVersion version, const std::optional<OpenSslRefusal>& refusal, const ProtocolsInputs& inputs) {
  const std::string wanted = version == TlsVersion::Tls1_2 ? "TLSv1.2" : "TLSv1.3";
  const std::string name(to_string(version));
  if (refusal && refusal->setting && in_crypto_policies(refusal->setting->file)) {
    return "Choose a system crypto policy that allows " + name + ": run `sudo update-crypto-policies --set DEFAULT` "
           "(the current policy is " + crypto_policy_name(inputs) + "), then restart the affected programs.";
  }
  std::string fix;
  if (refusal && refusal->kind == Kind::MinProtocol) {
    fix = "Change `" + refusal->setting->key + " = " + refusal->setting->value + "` in " + refusal->setting->file +
          " (line " + std::to_string(refusal->setting->line) + ") to `" + refusal->setting->key + " = TLSv1.2`.";
  } else if (refusal && refusal->kind == Kind::MaxProtocol) {
    fix = "Remove `" + refusal->setting->key + " = " + refusal->setting->value + "` from " + refusal->setting->file +
          " (line " + std::to_string(refusal->setting->line) + "), or set it to `" + wanted + "`.";
  } else if (refusal && refusal->kind == Kind::Protocol) {
    fix = "Remove `-" + wanted + "` from `" + refusal->text + "`.";
  } else if (refusal && refusal->kind == Kind::CipherString) {
    fix = "Replace `" + refusal->setting->key + " = " + refusal->setting->value + "` in " + refusal->setting->file +
          " (line " + std::to_string(refusal->setting->line) + ") with `CipherString = DEFAULT:@SECLEVEL=2`.";
  } else if (refusal && refusal->kind == Kind::Ciphersuites) {
    fix = "Remove `" + refusal->setting->key + " = " + refusal->setting->value + "` from " + refusal->setting->file +
          " (line " + std::to_string(refusal->setting->line) + ") so OpenSSL's TLS 1.3 defaults apply.";
  } else {
    fix = "Look for MinProtocol, MaxProtocol or Protocol in the system_default section of " +
          inputs.policy.openssl.config_path + " and allow " + name + ".";
  }
  if (inputs.policy.openssl.config_source == "OPENSSL_CONF") {
    fix = "OPENSSL_CONF points OpenSSL at " + inputs.policy.openssl.config_path + ": unset it, or fix that file. " + fix;
  }
  return fix;
}

std::string seclevel_effect(int level) {
  // OpenSSL's SSL_CTX_set_security_level(3) table.
  if (level == 3) return "RSA and DH keys under 3072 bits, ECC keys under 256 bits, SHA-1 signatures";
  if (level == 4) return "RSA and DH keys under 7680 bits, ECC keys under 384 bits, SHA-1 signatures";
  return "RSA and DH keys under 15360 bits, ECC keys under 512 bits, SHA-1 signatures";
}

// "/etc/ssl/openssl.cnf:14" -> ("/etc/ssl/openssl.cnf", "14").
std::pair<std::string, std::string> split_location(const std::string& input) {
  const auto colon = input.rfind(':');
  if (colon == std::string::npos || colon + 1 >= input.size() ||
      input.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return {input, ""};
  }
  return {input.substr(0, colon), input.substr(colon + 1)};
}

struct UnreadableFile {
  std::string stack;  // who ignores it: "GnuTLS", "Firefox", "Java (/usr/lib/jvm/...)"
  platform::Error error;
};

std::vector<UnreadableFile> other_unreadable(const platform::TlsPolicyFacts& facts) {
  std::vector<UnreadableFile> out;
  auto add = [&](const std::string& stack, const std::vector<platform::Error>& errors) {
    for (const auto& e : errors) out.push_back(UnreadableFile{stack, e});
  };
  const auto& cp = facts.crypto_policies;
  add("crypto-policies", cp.errors);
  add("GnuTLS", facts.gnutls.errors);
  add("GnuTLS (crypto-policies)", cp.gnutls.errors);
  add("NSS (crypto-policies)", cp.nss.errors);
  if (cp.java) add("Java (crypto-policies)", cp.java->errors);
  for (const auto& java : facts.java) add("Java (" + java.jdk + ")", java.errors);
  for (const auto& browser : facts.browsers) {
    if (!browser.error) continue;
    std::string name = browser.browser;  // "chrome" -> "Chrome"
    if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    out.push_back(UnreadableFile{name, *browser.error});
  }
  return out;
}

}  // namespace

std::vector<Finding> protocol_disabled_findings(const ProtocolsInputs& inputs) {
  std::vector<Finding> findings;
  for (const auto version : {TlsVersion::Tls1_2, TlsVersion::Tls1_3}) {
    const auto* result = measured(inputs, version);
    const bool refused = result != nullptr ? result->outcome == tls::LoopbackOutcome::Refused
                                           : !within_bounds(inputs, version);
    if (!refused) continue;
    const auto refusal = openssl_setting_refusing(version, inputs);
    const std::string name(to_string(version));
    // The version is inside OpenSSL's bounds and no setting names it, yet the loopback handshake
    // fails: the cipher settings leave nothing to agree on, which no version setting would fix.
    const bool by_ciphers = result != nullptr && within_bounds(inputs, version) && !refusal;
    Finding f;
    f.id = by_ciphers ? FindingId::LocalCipherPolicy : FindingId::LocalProtocolDisabled;
    f.severity = version == TlsVersion::Tls1_2 ? Severity::Fail : Severity::Warn;
    if (by_ciphers) {
      f.title = "This machine's OpenSSL cipher settings leave " + name +
                " nothing to agree on: its own loopback handshake fails";
    } else {
      f.title = version == TlsVersion::Tls1_2
                    ? "This machine's OpenSSL policy refuses TLS 1.2, which almost every HTTPS site needs"
                    : "This machine's OpenSSL policy refuses TLS 1.3, the current TLS version";
    }
    f.evidence.push_back({"version", name});
    f.evidence.push_back({"stack", stack_name(inputs)});
    if (result != nullptr) {
      f.evidence.push_back({"measured", "loopback handshake refused: " + result->reason});
      if (result->alert) f.evidence.push_back({"alert", *result->alert});
    } else {
      f.evidence.push_back({"measured", "no measurement; OpenSSL's own version bounds exclude it"});
    }
    f.evidence.push_back({"setting", refusal ? refusal->text : "not found in " + inputs.policy.openssl.config_path});
    f.evidence.push_back({"config", config_shown(inputs)});
    f.fix = by_ciphers ? "Remove the " + std::string(version == TlsVersion::Tls1_2 ? "CipherString" : "Ciphersuites") +
                             " line from the system_default section of " + inputs.policy.openssl.config_path +
                             " so OpenSSL's defaults apply (or use `CipherString = DEFAULT:@SECLEVEL=2`)."
                       : protocol_fix(version, refusal, inputs);
    findings.push_back(std::move(f));
  }
  return findings;
}

std::optional<Finding> seclevel_high_finding(const ProtocolsInputs& inputs) {
  const auto& settings = inputs.policy.openssl.system_default;
  std::optional<int> level = settings.seclevel;
  if (inputs.openssl && inputs.openssl->context_created) level = inputs.openssl->security_level;
  if (!level || *level < 3) return std::nullopt;
  Finding f;
  f.id = FindingId::LocalSeclevelHigh;
  f.severity = Severity::Warn;
  f.title = "OpenSSL's security level is " + std::to_string(*level) +
            ", so servers with ordinary 2048-bit RSA certificates are refused";
  f.evidence.push_back({"security level", std::to_string(*level)});
  f.evidence.push_back({"refuses", seclevel_effect(*level)});
  const bool from_config = settings.cipher_string && settings.seclevel == level;
  if (from_config) f.evidence.push_back({"setting", setting_text(*settings.cipher_string)});
  const auto& cp = inputs.policy.crypto_policies;
  if (cp.present && cp.policy) f.evidence.push_back({"crypto policy", cp.policy->value});
  if (from_config && in_crypto_policies(settings.cipher_string->file)) {
    f.fix = "Switch to the DEFAULT crypto policy: run `sudo update-crypto-policies --set DEFAULT` (the current policy is " +
            crypto_policy_name(inputs) + "), then restart the affected programs.";
  } else if (from_config) {
    f.fix = "Change `" + settings.cipher_string->key + " = " + settings.cipher_string->value + "` in " +
            settings.cipher_string->file + " (line " + std::to_string(settings.cipher_string->line) +
            ") to `CipherString = DEFAULT:@SECLEVEL=2`.";
  } else {
    f.fix = "Lower OpenSSL's security level to 2: put `CipherString = DEFAULT:@SECLEVEL=2` in the system_default "
            "section of " + inputs.policy.openssl.config_path + ".";
  }
  return f;
}

std::vector<Finding> policy_unreadable_findings(const ProtocolsInputs& inputs) {
  std::vector<Finding> findings;
  const auto& o = inputs.policy.openssl;
  const auto* e = inputs.openssl ? &*inputs.openssl : nullptr;
  if (!o.errors.empty()) {
    const auto& error = o.errors.front();
    const auto [file, line] = split_location(error.input);
    findings.push_back(Finding{FindingId::LocalPolicyUnreadable, Severity::Fail,
                               "OpenSSL cannot parse its configuration file, so it ignores all of it",
                               {{"file", error.input}, {"error", error.message}, {"config", config_shown(inputs)}},
                               "Fix " + (line.empty() ? file : "line " + line + " of " + file) + " (" + error.message +
                                   "), or put back the copy your distribution ships."});
  } else if (e != nullptr && e->config_error) {
    findings.push_back(Finding{FindingId::LocalPolicyUnreadable, Severity::Fail,
                               "OpenSSL cannot parse its configuration file, so it ignores all of it",
                               {{"file", e->config_file}, {"error", *e->config_error}},
                               "Fix " + e->config_file + " (" + *e->config_error +
                                   "), or put back the copy your distribution ships."});
  }
  if (e != nullptr && !e->context_created) {
    std::string errors;
    for (std::size_t i = 0; i < e->context_errors.size() && i < 3; ++i) {
      errors += (errors.empty() ? "" : "; ") + e->context_errors[i];
    }
    findings.push_back(Finding{FindingId::LocalPolicyUnreadable, Severity::Fail,
                               "OpenSSL refuses to set up any TLS connection under this machine's configuration",
                               {{"config", config_shown(inputs)}, {"openssl errors", errors.empty() ? "none given" : errors}},
                               "Correct the system_default section of " + o.config_path +
                                   ": with config_diagnostics = 1, one bad setting there stops every OpenSSL program."});
  }
  std::set<std::string> reported;
  for (const auto& u : other_unreadable(inputs.policy)) {
    const auto [file, line] = split_location(u.error.input);
    if (reported.count(file) != 0) continue;
    if (reported.size() >= kMaxUnreadablePolicyFindings) break;
    reported.insert(file);
    findings.push_back(Finding{FindingId::LocalPolicyUnreadable, Severity::Warn,
                               "A TLS policy file cannot be read: " + file,
                               {{"file", u.error.input}, {"error", u.error.message}, {"used by", u.stack}},
                               "Fix the syntax of " + file + " (" + u.error.message + "); until then " + u.stack +
                                   " ignores what it says."});
  }
  return findings;
}

std::vector<Finding> cipher_policy_findings(const ProtocolsInputs& inputs) {
  std::vector<Finding> findings;
  for (const auto& verdict : inputs.cipher_settings) {
    if (!verdict.error) continue;
    findings.push_back(Finding{FindingId::LocalCipherPolicy, Severity::Warn,
                               "OpenSSL rejects a cipher setting in " + verdict.setting.file,
                               {{"setting", setting_text(verdict.setting)}, {"openssl error", *verdict.error}},
                               verdict.setting.key == "Ciphersuites" || verdict.setting.key == "TLS.Ciphersuites"
                                   ? "Remove that Ciphersuites line so OpenSSL's TLS 1.3 defaults apply."
                                   : "Replace it with `CipherString = DEFAULT:@SECLEVEL=2`."});
  }
  if (!inputs.openssl || !inputs.openssl->context_created) return findings;
  const auto& e = *inputs.openssl;
  const auto& settings = inputs.policy.openssl.system_default;
  if (within_bounds(inputs, TlsVersion::Tls1_2) && e.tls12_modern_ciphers == 0) {
    Finding f{FindingId::LocalCipherPolicy, Severity::Warn,
              "OpenSSL's cipher policy leaves TLS 1.2 without the cipher suites modern servers use",
              {{"TLS 1.2 suites enabled", std::to_string(e.tls12_ciphers.size())},
               {"modern suites (ECDHE with AES-GCM or ChaCha20)", "0"}},
              "Use `CipherString = DEFAULT:@SECLEVEL=2` in the system_default section of " +
                  inputs.policy.openssl.config_path + "."};
    if (settings.cipher_string) f.evidence.push_back({"setting", setting_text(*settings.cipher_string)});
    findings.push_back(std::move(f));
  }
  if (within_bounds(inputs, TlsVersion::Tls1_3) && e.tls13_ciphersuites.empty()) {
    Finding f{FindingId::LocalCipherPolicy, Severity::Warn, "OpenSSL's cipher policy leaves TLS 1.3 without any cipher suite",
              {{"TLS 1.3 suites enabled", "0"}},
              "Remove the Ciphersuites line from the system_default section of " + inputs.policy.openssl.config_path +
                  " so OpenSSL's defaults apply."};
    if (settings.ciphersuites) f.evidence.push_back({"setting", setting_text(*settings.ciphersuites)});
    findings.push_back(std::move(f));
  }
  return findings;
}

std::optional<Finding> loopback_failed_finding(const ProtocolsInputs& inputs) {
  const std::string fix =
      "Make sure programs may listen on and connect to 127.0.0.1 (a sandbox or local firewall can prevent it), "
      "then run tlsdoctor again.";
  if (!inputs.loopback) return std::nullopt;  // not attempted
  const auto& loopback = *inputs.loopback;
  if (!loopback) {
    return Finding{FindingId::LocalLoopbackFailed, Severity::Warn, "The local TLS self-test could not run",
                   {{"error", loopback.error().input + ": " + loopback.error().message}}, fix};
  }
  std::vector<Evidence> evidence;
  for (const auto& r : loopback->results) {
    if (r.outcome == tls::LoopbackOutcome::NotRun) evidence.push_back({std::string(to_string(r.version)), r.reason});
  }
  if (evidence.empty()) return std::nullopt;
  return Finding{FindingId::LocalLoopbackFailed, Severity::Warn, "The local TLS self-test did not finish for every version",
                 std::move(evidence), fix};
}

}  // namespace tlsdoctor::checks::protocols_detail
