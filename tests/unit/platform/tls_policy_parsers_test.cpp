// Tests for the GnuTLS, Java, NSS, crypto-policies and browser policy parsers.
#include <catch2/catch.hpp>

#include "platform/tls_policy_parsers.h"

using namespace tlsdoctor::platform;

TEST_CASE("gnutls config: the allowlist form of crypto-policies", "[platform][tls_policy]") {
  const auto p = parse_gnutls_config(
      "[global]\noverride-mode = allowlist\n\n[overrides]\n# comment\nenabled-version = TLS1.3\n"
      "enabled-version = TLS1.2\nmin-verification-profile = high\n\n[priorities]\nSYSTEM=NONE\n",
      "/etc/gnutls/config");
  CHECK(p.found);
  CHECK(p.errors.empty());
  REQUIRE(p.override_mode);
  CHECK(p.override_mode->value == "allowlist");
  REQUIRE(p.enabled_versions.size() == 2);
  CHECK(p.enabled_versions[1].value == "TLS1.2");
  CHECK(p.enabled_versions[1].line == 7);
  CHECK(p.min_verification_profile->value == "high");
  CHECK(p.system_priority->value == "NONE");
}

TEST_CASE("gnutls config: the blocklist overrides Debian admins write", "[platform][tls_policy]") {
  const auto p = parse_gnutls_config(
      "[overrides]\ndisabled-version = tls1.0\ndisabled-version = tls1.1\n"
      "default-priority-string = SECURE256:-VERS-TLS1.2\n",
      "/etc/gnutls/config");
  CHECK(p.disabled_versions.size() == 2);
  REQUIRE(p.default_priority_string);
  CHECK(p.default_priority_string->value == "SECURE256:-VERS-TLS1.2");
}

TEST_CASE("gnutls config: the RHEL 8 one-line priority file", "[platform][tls_policy]") {
  const auto p = parse_gnutls_config("SYSTEM=NONE:+VERS-ALL:-VERS-SSL3.0:-VERS-TLS1.0:%PROFILE_MEDIUM\n", "/f");
  REQUIRE(p.system_priority);
  CHECK(p.system_priority->value == "NONE:+VERS-ALL:-VERS-SSL3.0:-VERS-TLS1.0:%PROFILE_MEDIUM");
}

TEST_CASE("gnutls config: malformed lines are errors with file and line", "[platform][tls_policy]") {
  const auto p = parse_gnutls_config("[overrides\ndisabled-version tls1.0\n", "/etc/gnutls/config");
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].input == "/etc/gnutls/config:1");
  CHECK(p.errors[1].input == "/etc/gnutls/config:2");
}

TEST_CASE("java properties: continuations, separators, escapes and includes", "[platform][tls_policy]") {
  const auto p = parse_java_properties(
      "# comment\n! also a comment\n"
      "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, \\\n    TLSv1.1, \\\n    RC4\n"
      "key2 : spaced value\n"
      "key3 with-blank-separator\n"
      "escaped\\=key=a\\u0041\\tb\n"
      "include /etc/crypto-policies/back-ends/java.config\n",
      "/j");
  CHECK(p.errors.empty());
  REQUIRE(p.properties.size() == 4);
  CHECK(p.properties[0].key == "jdk.tls.disabledAlgorithms");
  CHECK(p.properties[0].value == "SSLv3, TLSv1, TLSv1.1, RC4");
  CHECK(p.properties[0].line == 3);
  CHECK(p.properties[1].value == "spaced value");
  CHECK(p.properties[2].key == "key3");
  CHECK(p.properties[2].value == "with-blank-separator");
  CHECK(p.properties[3].key == "escaped=key");
  CHECK(p.properties[3].value == "aA\tb");
  REQUIRE(p.includes.size() == 1);
  CHECK(p.includes[0].value == "/etc/crypto-policies/back-ends/java.config");
}

TEST_CASE("java properties: a malformed unicode escape is an error", "[platform][tls_policy]") {
  const auto p = parse_java_properties("a=\\u12\n", "/j");
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].input == "/j:1");
}

TEST_CASE("nss policy: tls-version-min and RSA-MIN from config=", "[platform][tls_policy]") {
  const auto p = parse_nss_policy(
      "library=\nname=Policy\nconfig=\"disallow=ALL allow=HMAC-SHA256:tls-version-min=tls1.2:"
      "dtls-version-min=dtls1.2:RSA-MIN=2048\"\n",
      "/nss.config");
  REQUIRE(p.tls_version_min);
  CHECK(p.tls_version_min->value == "tls1.2");
  CHECK(p.tls_version_min->line == 3);
  CHECK(p.rsa_min->value == "2048");
  CHECK_FALSE(p.tls_version_max);
  CHECK(parse_nss_policy("config=\"unterminated\n", "/n").errors.size() == 1);
}

TEST_CASE("crypto-policies config: policy and sub-policies", "[platform][tls_policy]") {
  CryptoPolicies cp;
  parse_crypto_policies_config("# comment\n\nDEFAULT:SHA1:NO-CAMELLIA\n", "/etc/crypto-policies/config", cp);
  CHECK(cp.errors.empty());
  CHECK(cp.base_policy == "DEFAULT");
  CHECK(cp.sub_policies == std::vector<std::string>{"SHA1", "NO-CAMELLIA"});
  CHECK(cp.policy->line == 3);

  CryptoPolicies bad;
  parse_crypto_policies_config("LEGACY please\n", "/c", bad);
  CHECK(bad.errors.size() == 1);
  CryptoPolicies empty;
  parse_crypto_policies_config("# nothing\n", "/c", empty);
  CHECK(empty.errors.size() == 1);
}

TEST_CASE("browser policy: Chrome's managed JSON", "[platform][tls_policy]") {
  const auto p = parse_browser_policy(
      R"({"SSLVersionMin": "tls1.2", "CAPlatformIntegrationEnabled": true, "HomepageLocation": "x"})", "chrome",
      "/etc/opt/chrome/policies/managed/a.json");
  CHECK_FALSE(p.error);
  REQUIRE(p.ssl_version_min);
  CHECK(p.ssl_version_min->value == "tls1.2");
  REQUIRE(p.other_settings.size() == 1);
  CHECK(p.other_settings[0].key == "CAPlatformIntegrationEnabled");
  CHECK(p.other_settings[0].value == "true");
}

TEST_CASE("browser policy: Firefox's policies.json", "[platform][tls_policy]") {
  const auto p = parse_browser_policy(
      R"({"policies": {"SSLVersionMin": "tls1.3", "SSLVersionMax": "tls1.3",
          "Certificates": {"ImportEnterpriseRoots": true, "Install": ["a.pem", "/b.crt"]},
          "DisableSecurityBypass": {"InvalidCertificate": true}}})",
      "firefox", "/etc/firefox/policies/policies.json");
  CHECK_FALSE(p.error);
  CHECK(p.ssl_version_min->value == "tls1.3");
  CHECK(p.ssl_version_max->value == "tls1.3");
  CHECK(p.import_enterprise_roots->value == "true");
  CHECK(p.certificates_install == std::vector<std::string>{"a.pem", "/b.crt"});
  REQUIRE(p.other_settings.size() == 1);
  CHECK(p.other_settings[0].key == "DisableSecurityBypass");
}

TEST_CASE("browser policy: a file that is not JSON is an error naming it and the line", "[platform][tls_policy]") {
  const auto p = parse_browser_policy("{\n  \"SSLVersionMin\": \"tls1.2\",\n}\n", "chromium", "/p.json");
  REQUIRE(p.error);
  CHECK(p.error->input == "/p.json");
  CHECK(p.error->message.find("line 3") != std::string::npos);
  CHECK_FALSE(p.ssl_version_min);
  CHECK(parse_browser_policy("[1, 2]", "chrome", "/q.json").error->message == "not a JSON object");
}

TEST_CASE("browser policy: nesting deeper than the limit is refused, not printed", "[platform][tls_policy]") {
  std::string deep = R"({"SSLVersionMin": )";
  for (std::size_t i = 0; i < tlsdoctor::platform::kMaxBrowserPolicyDepth; ++i) deep += "[";
  for (std::size_t i = 0; i < tlsdoctor::platform::kMaxBrowserPolicyDepth; ++i) deep += "]";
  deep += "}";
  const auto p = parse_browser_policy(deep, "chromium", "/deep.json");
  REQUIRE(p.error);
  CHECK(p.error->message == "JSON nested deeper than 32 levels");
  CHECK_FALSE(p.ssl_version_min);
  const auto firefox = parse_browser_policy(R"({"policies": {"Certificates": {"Install": ["/a.pem"]}}})", "firefox",
                                            "/ff.json");
  CHECK_FALSE(firefox.error);
  CHECK(firefox.certificates_install == std::vector<std::string>{"/a.pem"});
}
