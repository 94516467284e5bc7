// Tests for the Linux TLS policy reader against the fixture sysroots and throw-away trees.
#include <algorithm>

#include <catch2/catch.hpp>

#include "platform/tls_policy.h"
#include "temp_sysroot.h"

using namespace tlsdoctor::platform;

namespace {

Env fixture(const std::string& name) {
  Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + name;
  env.run_programs = false;
  return env;
}

// What a Debian build of OpenSSL reports as its compiled-in configuration file.
const TlsPolicyHints kDebianHints{"/usr/lib/ssl/openssl.cnf"};

const BrowserPolicy* browser(const TlsPolicyFacts& facts, std::string_view name) {
  for (const auto& b : facts.browsers) {
    if (b.browser == name) return &b;
  }
  return nullptr;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("tls_policy: Debian 12 loads openssl.cnf through its link and sets no system_default", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-debian"), kDebianHints);
  const auto& o = facts.openssl;
  CHECK(o.config_path == "/usr/lib/ssl/openssl.cnf");
  CHECK(o.config_source == "OpenSSL default");
  CHECK(o.config_resolved == "/etc/ssl/openssl.cnf");
  CHECK(o.config_found);
  CHECK(o.errors.empty());
  CHECK(o.files_read == std::vector<std::string>{"/etc/ssl/openssl.cnf"});
  CHECK(o.init_section == "openssl_init");
  CHECK_FALSE(o.ssl_conf_section);
  CHECK(o.system_default.commands.empty());
  CHECK_FALSE(facts.crypto_policies.present);
  CHECK_FALSE(facts.gnutls.found);
  CHECK(facts.gnutls.file == "/etc/gnutls/config");
}

TEST_CASE("tls_policy: Debian's JDK is read once, through its links", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-debian"), kDebianHints);
  REQUIRE(facts.java.size() == 1);
  const auto& jdk = facts.java[0];
  CHECK(jdk.jdk == "/usr/lib/jvm/java-17-openjdk-amd64");
  CHECK(jdk.file == "/etc/java-17-openjdk/security/java.security");
  REQUIRE(jdk.tls_disabled_algorithms);
  CHECK(jdk.tls_disabled_algorithms->value.starts_with("SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH"));
  CHECK(jdk.tls_disabled_algorithms->value.ends_with("NULL, ECDH"));
  CHECK(jdk.tls_disabled_algorithms->line == 8);
  CHECK_FALSE(jdk.includes_crypto_policies);
  CHECK(jdk.errors.empty());
}

TEST_CASE("tls_policy: Debian's Chrome and Firefox enterprise policies", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-debian"), kDebianHints);
  const auto* chrome = browser(facts, "chrome");
  REQUIRE(chrome != nullptr);
  CHECK(chrome->file == "/etc/opt/chrome/policies/managed/tls.json");
  CHECK(chrome->ssl_version_min->value == "tls1.2");
  REQUIRE(chrome->other_settings.size() == 1);
  CHECK(chrome->other_settings[0].key == "CAPlatformIntegrationEnabled");
  const auto* firefox = browser(facts, "firefox");
  REQUIRE(firefox != nullptr);
  CHECK(firefox->file == "/etc/firefox/policies/policies.json");
  CHECK(firefox->import_enterprise_roots->value == "true");
  CHECK(firefox->certificates_install.size() == 2);
}

TEST_CASE("tls_policy: RHEL with LEGACY follows the include into crypto-policies", "[platform][tls_policy]") {
  // The hint names Debian's path, which a RHEL tree lacks: the RHEL location is found instead.
  const auto facts = read_tls_policy(fixture("sysroot-rhel-legacy"), kDebianHints);
  const auto& o = facts.openssl;
  CHECK(o.config_path == "/etc/pki/tls/openssl.cnf");
  CHECK(o.config_source == "distribution default");
  CHECK(o.errors.empty());
  CHECK(o.files_read == std::vector<std::string>{"/etc/pki/tls/openssl.cnf",
                                                 "/etc/crypto-policies/back-ends/opensslcnf.config"});
  CHECK(o.init_section == "openssl_init");
  CHECK(o.ssl_conf_section == "ssl_module");
  CHECK(o.system_default_section == "crypto_policy");
  REQUIRE(o.system_default.min_protocol);
  CHECK(o.system_default.min_protocol->key == "TLS.MinProtocol");
  CHECK(o.system_default.min_protocol->value == "TLSv1");
  CHECK(o.system_default.min_protocol->file == "/etc/crypto-policies/back-ends/opensslcnf.config");
  CHECK(o.system_default.min_protocol->line == 3);
  CHECK(o.system_default.seclevel == 1);
  CHECK(o.system_default.max_protocol->value == "TLSv1.3");

  const auto& cp = facts.crypto_policies;
  CHECK(cp.present);
  CHECK(cp.base_policy == "LEGACY");
  CHECK(cp.errors.empty());
  CHECK(cp.openssl.seclevel == 1);
  CHECK(cp.gnutls.enabled_versions.size() == 6);
  CHECK(cp.gnutls.min_verification_profile->value == "low");
  REQUIRE(cp.java);
  CHECK_FALSE(contains(cp.java->tls_disabled_algorithms->value, "TLSv1"));
  CHECK(cp.nss.tls_version_min->value == "tls1.0");
  CHECK(cp.nss.rsa_min->value == "1023");
}

TEST_CASE("tls_policy: a RHEL JDK with useSystemPropertiesFile takes crypto-policies' value", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-rhel-legacy"), kDebianHints);
  REQUIRE(facts.java.size() == 1);
  const auto& jdk = facts.java[0];
  CHECK(jdk.jdk == "/usr/lib/jvm/java-17-openjdk");
  CHECK(jdk.use_system_properties_file->value == "true");
  CHECK(jdk.includes_crypto_policies);
  REQUIRE(jdk.tls_disabled_algorithms);
  CHECK(jdk.tls_disabled_algorithms->file == "/etc/crypto-policies/back-ends/java.config");
}

TEST_CASE("tls_policy: RHEL with FUTURE, back-ends linked into /usr/share", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-rhel-future"), TlsPolicyHints{"/etc/pki/tls/openssl.cnf"});
  const auto& o = facts.openssl;
  CHECK(o.config_source == "OpenSSL default");
  REQUIRE(o.files_read.size() == 2);
  CHECK(o.files_read[1] == "/usr/share/crypto-policies/FUTURE/opensslcnf.txt");
  CHECK(o.system_default.min_protocol->value == "TLSv1.2");
  CHECK(o.system_default.seclevel == 3);
  CHECK(o.system_default.ciphersuites->value == "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");

  const auto& cp = facts.crypto_policies;
  CHECK(cp.base_policy == "FUTURE");
  CHECK(cp.policy->line == 2);
  CHECK(cp.openssl_backend_file == "/usr/share/crypto-policies/FUTURE/opensslcnf.txt");
  CHECK(cp.gnutls.file == "/usr/share/crypto-policies/FUTURE/gnutls.txt");
  CHECK(cp.gnutls.enabled_versions.size() == 3);
  CHECK(cp.nss.tls_version_min->value == "tls1.2");
  CHECK(cp.nss.rsa_min->value == "3072");

  REQUIRE(facts.java.size() == 1);
  const auto& jdk = facts.java[0];
  CHECK(jdk.includes == std::vector<std::string>{"redhat/crypto-policies.properties",
                                                 "/etc/crypto-policies/back-ends/java.config"});
  CHECK(jdk.includes_crypto_policies);
  CHECK(jdk.errors.empty());
  REQUIRE(jdk.tls_disabled_algorithms);
  CHECK(jdk.tls_disabled_algorithms->file == "/usr/share/crypto-policies/FUTURE/java.txt");
  CHECK(contains(jdk.tls_disabled_algorithms->value, "TLSv1.1, TLSv1,"));
}

TEST_CASE("tls_policy: the broken tree's openssl.cnf is an error naming file and line", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-broken"), kDebianHints);
  const auto& o = facts.openssl;
  CHECK(o.config_found);
  REQUIRE(o.errors.size() == 1);
  CHECK(o.errors[0].input == "/etc/ssl/openssl.cnf:14");
  CHECK(o.errors[0].message == "missing equal sign");
  // OpenSSL ignores the whole file then: nothing in it is reported as in force.
  CHECK(o.system_default.commands.empty());
  const auto* chromium = browser(facts, "chromium");
  REQUIRE(chromium != nullptr);
  REQUIRE(chromium->error);
  CHECK(chromium->error->input == "/etc/chromium/policies/managed/tls.json");
}

TEST_CASE("tls_policy: Ubuntu's system_default_sect", "[platform][tls_policy]") {
  const auto facts = read_tls_policy(fixture("sysroot-intercepted"), kDebianHints);
  CHECK(facts.openssl.system_default_section == "system_default_sect");
  CHECK(facts.openssl.system_default.seclevel == 2);
  CHECK_FALSE(facts.openssl.system_default.min_protocol);
}

TEST_CASE("tls_policy: OPENSSL_CONF wins over the default, and a missing one is noted", "[platform][tls_policy]") {
  tlsdoctor::test::TempSysroot root;
  root.write("/usr/lib/ssl/openssl.cnf", "openssl_conf = x\n");
  root.write("/home/u/strict.cnf",
             "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = sd\n[sd]\n"
             ".include /home/u/conf.d\n");
  root.write("/home/u/conf.d/min.cnf", "MinProtocol = TLSv1.3\n");
  auto env = root.env();
  env.vars["OPENSSL_CONF"] = "/home/u/strict.cnf";
  const auto facts = read_tls_policy(env, kDebianHints);
  CHECK(facts.openssl.config_source == "OPENSSL_CONF");
  CHECK(facts.openssl.config_path == "/home/u/strict.cnf");
  REQUIRE(facts.openssl.system_default.min_protocol);
  CHECK(facts.openssl.system_default.min_protocol->value == "TLSv1.3");
  CHECK(facts.openssl.system_default.min_protocol->file == "/home/u/conf.d/min.cnf");

  env.vars["OPENSSL_CONF"] = "/home/u/missing.cnf";
  const auto missing = read_tls_policy(env, kDebianHints);
  CHECK_FALSE(missing.openssl.config_found);
  CHECK(missing.openssl.errors.empty());
  REQUIRE(missing.openssl.notes.size() == 1);
  CHECK(contains(missing.openssl.notes[0], "built-in defaults"));
}

TEST_CASE("tls_policy: GNUTLS_SYSTEM_PRIORITY_FILE points GnuTLS elsewhere", "[platform][tls_policy]") {
  tlsdoctor::test::TempSysroot root;
  root.write("/etc/gnutls/config", "[overrides]\ndisabled-version = tls1.1\n");
  root.write("/opt/gnutls.conf", "[overrides]\ndisabled-version = tls1.2\n");
  auto env = root.env();
  CHECK(read_tls_policy(env, kDebianHints).gnutls.disabled_versions.at(0).value == "tls1.1");
  env.vars["GNUTLS_SYSTEM_PRIORITY_FILE"] = "/opt/gnutls.conf";
  const auto facts = read_tls_policy(env, kDebianHints);
  CHECK(facts.gnutls.file == "/opt/gnutls.conf");
  CHECK(facts.gnutls.disabled_versions.at(0).value == "tls1.2");
}

TEST_CASE("tls_policy: a JDK 8 layout and a Java include that is missing", "[platform][tls_policy]") {
  tlsdoctor::test::TempSysroot root;
  root.write("/usr/lib/jvm/jdk8/jre/lib/security/java.security", "jdk.tls.disabledAlgorithms=SSLv3\n");
  root.write("/usr/lib/jvm/jdk24/conf/security/java.security", "include /nowhere.properties\n");
  root.write("/usr/lib/jvm/docs/README", "not a JDK\n");
  const auto facts = read_tls_policy(root.env(), kDebianHints);
  REQUIRE(facts.java.size() == 2);
  const auto jdk8 = std::find_if(facts.java.begin(), facts.java.end(), [](const auto& j) { return j.jdk.ends_with("jdk8"); });
  REQUIRE(jdk8 != facts.java.end());
  CHECK(jdk8->file == "/usr/lib/jvm/jdk8/jre/lib/security/java.security");
  CHECK(jdk8->tls_disabled_algorithms->value == "SSLv3");
  const auto jdk24 = std::find_if(facts.java.begin(), facts.java.end(), [](const auto& j) { return j.jdk.ends_with("jdk24"); });
  REQUIRE(jdk24 != facts.java.end());
  REQUIRE(jdk24->errors.size() == 1);
  CHECK(jdk24->errors[0].input == "/usr/lib/jvm/jdk24/conf/security/java.security:1");
}
