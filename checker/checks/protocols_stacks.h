// Each TLS stack's version policy in one shape (OpenSSL, GnuTLS, NSS, Java, browsers), and where they disagree.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/protocols.h"
#include "core/finding.h"
#include "tls/tls_version.h"

namespace tlsdoctor::checks::protocols_detail {

// What a stack says about one version, and what makes it say so.
struct VersionStance {
  bool allowed = false;
  std::string because;  // "SSLVersionMin = tls1.3 in /etc/firefox/policies/policies.json"
};

struct StackPolicy {
  std::string name;    // "OpenSSL", "GnuTLS", "NSS", "Java (/usr/lib/jvm/java-17-openjdk)", "Firefox"
  std::string source;  // the file its policy comes from
  bool measured = false;  // OpenSSL with the loopback measurement: stances are observations
  std::optional<int> security_level;
  // One entry per tls::kMeasuredTlsVersions; nullopt where the stack's settings say nothing.
  std::array<std::optional<VersionStance>, tls::kMeasuredTlsVersions.size()> versions;

  std::optional<tls::TlsVersion> lowest_allowed() const;
  std::optional<tls::TlsVersion> highest_allowed() const;
  bool says_anything() const;
};

std::size_t version_index(tls::TlsVersion version);

// "MinProtocol = TLSv1.3 in /etc/ssl/openssl.cnf:12" (no ":line" for JSON files).
std::string setting_text(const platform::PolicySetting& setting);

// What keeps `version` out of OpenSSL, when the configuration says: MinProtocol above it,
// MaxProtocol below it, "Protocol = -TLSv1.2", a cipher setting that leaves it no suite, or
// (TLS 1.0/1.1) a security level above 0.
struct OpenSslRefusal {
  enum class Kind { MinProtocol, MaxProtocol, Protocol, CipherString, Ciphersuites, SecurityLevel };
  Kind kind = Kind::MinProtocol;
  std::string text;  // "MinProtocol = TLSv1.3 in /etc/ssl/openssl.cnf:12"
  std::optional<platform::PolicySetting> setting;
};
std::optional<OpenSslRefusal> openssl_setting_refusing(tls::TlsVersion version, const ProtocolsInputs& inputs);

// Every stack this machine has a policy for. OpenSSL first (measured when the loopback ran),
// then crypto-policies' OpenSSL back-end if OpenSSL does not load it, GnuTLS, NSS, each JDK,
// each browser policy file. Stacks whose files set nothing about versions are left out.
std::vector<StackPolicy> stack_policies(const ProtocolsInputs& inputs);

// local.stacks_disagree: warn when stacks differ about TLS 1.2 or 1.3, info when only about
// TLS 1.0 or 1.1 (the stacks' minimum versions differ). nullopt when they agree.
std::optional<Finding> stacks_disagree_finding(const std::vector<StackPolicy>& stacks);

nlohmann::ordered_json stacks_json(const std::vector<StackPolicy>& stacks);

}  // namespace tlsdoctor::checks::protocols_detail
