// TLS policy facts per stack: OpenSSL's loaded configuration, crypto-policies, GnuTLS, Java, browsers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

// One setting as a file writes it, with where it stands, so findings can point at the line.
struct PolicySetting {
  std::string key;    // as written: "MinProtocol", "TLS.MinProtocol", "SSLVersionMin"
  std::string value;  // after unquoting and variable expansion; JSON values as JSON text
  std::string file;   // as the user sees it (symbolic links followed)
  int line = 0;       // 1-based; 0 where the format has no lines worth naming (JSON)
};

// The SSL_CONF commands of one OpenSSL section (system_default, or a crypto-policies back-end).
struct OpenSslSettings {
  std::vector<PolicySetting> commands;  // every command, in the order OpenSSL applies them
  // The commands tlsdoctor judges; the last one wins, as when OpenSSL applies them in order.
  // min/max also take the "TLS." prefixed form that RHEL 9 writes ("TLS.MinProtocol").
  std::optional<PolicySetting> min_protocol;
  std::optional<PolicySetting> max_protocol;
  std::optional<PolicySetting> protocol;  // the older "Protocol = -TLSv1.1" form
  std::optional<PolicySetting> cipher_string;
  std::optional<PolicySetting> ciphersuites;
  std::optional<PolicySetting> options;
  std::optional<PolicySetting> groups;
  std::optional<int> seclevel;  // "@SECLEVEL=n" inside CipherString
};

// The configuration file OpenSSL loads at start-up, followed the way OpenSSL follows it.
struct OpenSslPolicy {
  std::string config_path;      // the file OpenSSL opens ("/usr/lib/ssl/openssl.cnf")
  std::string config_source;    // "OPENSSL_CONF", "OpenSSL default", "distribution default"
  std::string config_resolved;  // the same after symbolic links ("/etc/ssl/openssl.cnf")
  bool config_found = false;
  std::vector<std::string> files_read;  // the file and every .include, in reading order
  std::vector<std::string> notes;       // not errors for OpenSSL: a missing .include, a missing section
  // The chain openssl_conf -> ssl_conf -> system_default; names as the file gives them.
  std::optional<std::string> init_section;
  std::optional<std::string> ssl_conf_section;
  std::optional<std::string> system_default_section;
  OpenSslSettings system_default;
  // Syntax errors: OpenSSL then ignores the whole file. Error::input is "file:line".
  std::vector<Error> errors;
};

// A GnuTLS system-wide configuration (/etc/gnutls/config, or crypto-policies' gnutls.config).
struct GnuTlsPolicy {
  std::string file;
  bool found = false;
  std::optional<PolicySetting> override_mode;             // [global] override-mode
  std::vector<PolicySetting> enabled_versions;            // [overrides] enabled-version
  std::vector<PolicySetting> disabled_versions;           // [overrides] disabled-version
  std::optional<PolicySetting> min_verification_profile;  // [overrides] min-verification-profile
  std::optional<PolicySetting> default_priority_string;   // [overrides] default-priority-string
  std::optional<PolicySetting> system_priority;           // "SYSTEM = ..." (priority-string format)
  std::vector<Error> errors;
};

// Java properties files that set TLS algorithms (java.security, crypto-policies' java.config).
struct JavaSecurityPolicy {
  std::string jdk;   // "/usr/lib/jvm/java-17-openjdk-amd64"; "" for crypto-policies' java.config
  std::string file;  // the java.security read
  std::optional<PolicySetting> tls_disabled_algorithms;  // jdk.tls.disabledAlgorithms, continuations joined
  std::optional<PolicySetting> use_system_properties_file;  // RHEL: security.useSystemPropertiesFile
  std::vector<std::string> includes;  // "include" directives (JDK 24+, Fedora), as written
  // The JDK reads crypto-policies' java.config on top (an include of it, or the RHEL property).
  bool includes_crypto_policies = false;
  std::vector<Error> errors;
};

// NSS's crypto-policies back-end (nss.config): the values of its config="..." string.
struct NssPolicy {
  std::string file;
  bool found = false;
  std::optional<PolicySetting> tls_version_min;  // "tls-version-min=tls1.2"
  std::optional<PolicySetting> tls_version_max;
  std::optional<PolicySetting> rsa_min;          // "RSA-MIN=2048"
  std::vector<Error> errors;
};

// System-wide crypto-policies (Fedora, RHEL and derivatives) and what each back-end sets.
struct CryptoPolicies {
  bool present = false;                // /etc/crypto-policies/config or back-ends/ exist
  std::optional<PolicySetting> policy; // the config line as written: "DEFAULT:SHA1"
  std::string base_policy;             // "DEFAULT"
  std::vector<std::string> sub_policies;  // "SHA1"
  std::string openssl_backend_file;    // back-ends/opensslcnf.config
  bool openssl_backend_found = false;
  OpenSslSettings openssl;
  GnuTlsPolicy gnutls;                 // back-ends/gnutls.config
  std::optional<JavaSecurityPolicy> java;  // back-ends/java.config
  NssPolicy nss;                       // back-ends/nss.config
  std::vector<Error> errors;
};

// One browser enterprise policy file (Chrome, Chromium, Edge managed JSON; Firefox policies.json).
struct BrowserPolicy {
  std::string browser;  // "chrome", "chromium", "edge", "firefox"
  std::string file;
  std::optional<PolicySetting> ssl_version_min;  // "tls1.2"
  std::optional<PolicySetting> ssl_version_max;  // Firefox only
  std::optional<PolicySetting> import_enterprise_roots;  // Firefox Certificates.ImportEnterpriseRoots
  std::vector<std::string> certificates_install;         // Firefox Certificates.Install
  // Other policies about TLS or certificates (CAPlatformIntegrationEnabled, ...), value as JSON.
  std::vector<PolicySetting> other_settings;
  std::optional<Error> error;  // the file does not parse (then nothing else is set)
};

struct TlsPolicyFacts {
  OpenSslPolicy openssl;
  CryptoPolicies crypto_policies;
  GnuTlsPolicy gnutls;  // the file GnuTLS reads: $GNUTLS_SYSTEM_PRIORITY_FILE or /etc/gnutls/config
  std::vector<JavaSecurityPolicy> java;  // one per JDK under /usr/lib/jvm
  std::vector<BrowserPolicy> browsers;   // one per policy file found
};

// What platform cannot know without OpenSSL: the checker fills these in from libcrypto.
struct TlsPolicyHints {
  // OpenSSL's compiled-in configuration file (OPENSSLDIR/openssl.cnf). When empty or missing
  // under the sysroot, the distributions' usual places are tried.
  std::string openssl_default_config;
};

// Reads every stack's policy under env.sysroot. Never fails as a whole: a file that cannot
// be parsed is an Error inside the stack it belongs to; a file that is absent is simply absent.
TlsPolicyFacts read_tls_policy(const Env& env, const TlsPolicyHints& hints);

}  // namespace tlsdoctor::platform
