// Parsers for the non-OpenSSL TLS policy formats: GnuTLS config, Java properties, NSS, crypto-policies, browser JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.h"
#include "platform/tls_policy.h"

namespace tlsdoctor::platform {

// GnuTLS's system-wide configuration: the INI form of GnuTLS 3.6.9+ ([global], [overrides],
// [priorities]) and the older one-line "SYSTEM=..." priority file RHEL 8 ships. Lines that
// are neither a section, a comment nor key = value are errors naming file and line.
GnuTlsPolicy parse_gnutls_config(std::string_view text, const std::string& file);

// A java.util.Properties file as java.security is written: "#"/"!" comments, key=value,
// key: value or key value, backslash line continuations and escapes; "include <path>" lines
// (JDK 24+, Fedora's JDKs) are kept apart, not treated as properties.
struct JavaProperties {
  std::vector<PolicySetting> properties;  // in file order; the last of a key wins
  std::vector<PolicySetting> includes;    // value = the path as written
  std::vector<Error> errors;              // a malformed \uXXXX escape, input "file:line"
};
JavaProperties parse_java_properties(std::string_view text, const std::string& file);

// crypto-policies' nss.config: the tls-version-min/max and RSA-MIN values of config="...".
NssPolicy parse_nss_policy(std::string_view text, const std::string& file);

// /etc/crypto-policies/config: one line "POLICY[:SUBPOLICY...]", comments allowed.
void parse_crypto_policies_config(std::string_view text, const std::string& file, CryptoPolicies& out);

// Deepest nesting read in a browser policy file. Real ones nest 4 levels (Firefox's
// {"policies": {"Certificates": {"Install": [...]}}}); 32 leaves room, and refusing deeper text
// bounds the recursion of printing a value.
inline constexpr std::size_t kMaxBrowserPolicyDepth = 32;

// A Chrome/Chromium/Edge managed policy file or a Firefox policies.json ({"policies": {...}}).
// A file that is not valid JSON comes back with `error` set, naming the file and line.
BrowserPolicy parse_browser_policy(std::string_view text, const std::string& browser, const std::string& file);

}  // namespace tlsdoctor::platform
