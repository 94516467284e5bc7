// Tests for the protocols check: each finding fires and stays silent, from constructed facts.
#include <algorithm>
#include <chrono>

#include <catch2/catch.hpp>

#include "checks/protocols.h"

using namespace tlsdoctor;
using namespace tlsdoctor::checks;
using tls::LoopbackOutcome;
using tls::TlsVersion;

namespace {

using namespace std::chrono_literals;

platform::PolicySetting setting(std::string key, std::string value, std::string file = "/etc/ssl/openssl.cnf",
                                int line = 7) {
  return platform::PolicySetting{std::move(key), std::move(value), std::move(file), line};
}

tls::LoopbackReport loopback(std::initializer_list<std::pair<TlsVersion, LoopbackOutcome>> outcomes) {
  tls::LoopbackReport report;
  for (const auto& [version, outcome] : outcomes) {
    tls::LoopbackResult r;
    r.version = version;
    r.outcome = outcome;
    if (outcome == LoopbackOutcome::Accepted) {
      r.negotiated = version == TlsVersion::Tls1_3 ? "TLSv1.3" : "TLSv1.2";
      r.cipher = "TLS_AES_256_GCM_SHA384";
    } else if (outcome == LoopbackOutcome::Refused) {
      r.reason = "no protocols available";
    } else {
      r.reason = "handshake did not finish within 500 ms";
    }
    report.results.push_back(r);
  }
  return report;
}

// A healthy Debian 12 machine: no system_default, security level 2, TLS 1.2 and 1.3 accepted.
ProtocolsInputs healthy() {
  ProtocolsInputs in;
  auto& o = in.policy.openssl;
  o.config_path = "/usr/lib/ssl/openssl.cnf";
  o.config_source = "OpenSSL default";
  o.config_resolved = "/etc/ssl/openssl.cnf";
  o.config_found = true;
  o.files_read = {"/etc/ssl/openssl.cnf"};
  tls::EffectiveClientPolicy e;
  e.openssl_version = "OpenSSL 3.0.11 19 Sep 2023";
  e.config_file = "/usr/lib/ssl/openssl.cnf";
  e.config_found = true;
  e.context_created = true;
  e.security_level = 2;
  e.tls12_ciphers = {"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305", "AES128-SHA"};
  e.tls12_modern_ciphers = 2;
  e.tls13_ciphersuites = {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
  in.openssl = e;
  in.loopback = loopback({{TlsVersion::Tls1_0, LoopbackOutcome::Refused},
                          {TlsVersion::Tls1_1, LoopbackOutcome::Refused},
                          {TlsVersion::Tls1_2, LoopbackOutcome::Accepted},
                          {TlsVersion::Tls1_3, LoopbackOutcome::Accepted}});
  return in;
}

void set_outcome(ProtocolsInputs& in, TlsVersion v, LoopbackOutcome outcome) {
  for (auto& r : (*in.loopback)->results) {
    if (r.version != v) continue;
    r.outcome = outcome;
    r.reason = outcome == LoopbackOutcome::Refused ? "no protocols available" : "";
  }
}

// Copies, so a result that was a temporary cannot leave dangling pointers behind.
std::vector<Finding> with_id(const CheckResult& r, FindingId id) {
  std::vector<Finding> out;
  for (const auto& f : r.findings) {
    if (f.id == id) out.push_back(f);
  }
  return out;
}

std::string evidence(const Finding& f, std::string_view key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "<none>";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

platform::Env fixture(const std::string& name) {
  platform::Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + name;
  env.run_programs = false;
  return env;
}

}  // namespace

TEST_CASE("protocols: a healthy machine has no findings and a one-line summary", "[checks][protocols]") {
  const auto r = judge_protocols(healthy());
  CHECK(r.id == "protocols");
  CHECK(r.findings.empty());
  CHECK(r.status == CheckStatus::Pass);
  CHECK(r.summary == "TLS 1.2, 1.3 allowed (OpenSSL SECLEVEL 2); 1.0, 1.1 refused");
  const auto& stacks = r.facts.at("stacks");
  REQUIRE(stacks.size() == 1);
  CHECK(stacks[0].at("stack") == "OpenSSL");
  CHECK(stacks[0].at("measured") == true);
  CHECK(stacks[0].at("min_version") == "TLS 1.2");
  CHECK(stacks[0].at("security_level") == 2);
  CHECK(stacks[0].at("versions").at("TLS 1.0") == "refused");
  const auto& rows = r.facts.at("loopback").at("results");
  REQUIRE(rows.size() == 4);
  CHECK(rows[2].at("version") == "TLS 1.2");
  CHECK(rows[2].at("result") == "accepted");
  CHECK(rows[0].at("reason") == "no protocols available");
  CHECK(r.facts.at("openssl").at("effective").at("security_level") == 2);
}

TEST_CASE("protocols: TLS 1.2 refused locally fails, naming the setting", "[checks][protocols]") {
  auto in = healthy();
  in.policy.openssl.system_default.min_protocol = setting("MinProtocol", "TLSv1.3");
  in.openssl->min_version = TlsVersion::Tls1_3;
  set_outcome(in, TlsVersion::Tls1_2, LoopbackOutcome::Refused);
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalProtocolDisabled);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Fail);
  CHECK(evidence(found[0], "version") == "TLS 1.2");
  CHECK(evidence(found[0], "stack") == "OpenSSL 3.0.11 19 Sep 2023");
  CHECK(evidence(found[0], "setting") == "MinProtocol = TLSv1.3 in /etc/ssl/openssl.cnf:7");
  CHECK(evidence(found[0], "measured") == "loopback handshake refused: no protocols available");
  CHECK(contains(found[0].fix, "to `MinProtocol = TLSv1.2`"));
  CHECK(r.status == CheckStatus::Fail);
  CHECK(r.summary == "TLS 1.3 allowed (OpenSSL SECLEVEL 2); 1.0, 1.1, 1.2 refused");
}

TEST_CASE("protocols: TLS 1.2 refused with no version setting to blame is the cipher policy", "[checks][protocols]") {
  auto in = healthy();
  in.policy.openssl.system_default.cipher_string = setting("CipherString", "DHE-RSA-AES256-SHA256");
  set_outcome(in, TlsVersion::Tls1_2, LoopbackOutcome::Refused);
  const auto r = judge_protocols(in);
  CHECK(with_id(r, FindingId::LocalProtocolDisabled).empty());
  const auto found = with_id(r, FindingId::LocalCipherPolicy);
  REQUIRE_FALSE(found.empty());
  CHECK(found[0].severity == Severity::Fail);
  CHECK(contains(found[0].title, "nothing to agree on"));
  CHECK(contains(found[0].fix, "Remove the CipherString line"));
  CHECK(r.status == CheckStatus::Fail);
}

TEST_CASE("protocols: TLS 1.3 refused locally warns", "[checks][protocols]") {
  auto in = healthy();
  in.policy.openssl.system_default.max_protocol = setting("MaxProtocol", "TLSv1.2", "/etc/ssl/openssl.cnf", 9);
  set_outcome(in, TlsVersion::Tls1_3, LoopbackOutcome::Refused);
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalProtocolDisabled);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warn);
  CHECK(evidence(found[0], "version") == "TLS 1.3");
  CHECK(contains(found[0].fix, "Remove `MaxProtocol = TLSv1.2`"));
  CHECK(r.status == CheckStatus::Warn);
}

TEST_CASE("protocols: without a measurement OpenSSL's bounds still show a disabled TLS 1.2", "[checks][protocols]") {
  auto in = healthy();
  in.loopback = tl::expected<tls::LoopbackReport, Error>(tl::unexpected(Error{"loopback server", "bind: denied"}));
  in.openssl->min_version = TlsVersion::Tls1_3;
  in.policy.openssl.config_source = "OPENSSL_CONF";
  in.policy.openssl.config_path = "/home/u/strict.cnf";
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalProtocolDisabled);
  REQUIRE(found.size() == 1);
  CHECK(evidence(found[0], "measured") == "no measurement; OpenSSL's own version bounds exclude it");
  CHECK(evidence(found[0], "config") == "/home/u/strict.cnf (from OPENSSL_CONF)");
  CHECK(contains(found[0].fix, "OPENSSL_CONF points OpenSSL at /home/u/strict.cnf"));
  CHECK(with_id(r, FindingId::LocalLoopbackFailed).size() == 1);
  CHECK(contains(r.summary, "loopback test could not run"));
}

TEST_CASE("protocols: a crypto-policies setting is fixed through update-crypto-policies", "[checks][protocols]") {
  auto in = healthy();
  in.policy.crypto_policies.present = true;
  in.policy.crypto_policies.policy = setting("policy", "CUSTOM", "/etc/crypto-policies/config", 1);
  in.policy.openssl.system_default.min_protocol =
      setting("TLS.MinProtocol", "TLSv1.3", "/etc/crypto-policies/back-ends/opensslcnf.config", 3);
  set_outcome(in, TlsVersion::Tls1_2, LoopbackOutcome::Refused);
  const auto found = with_id(judge_protocols(in), FindingId::LocalProtocolDisabled);
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].fix, "update-crypto-policies --set DEFAULT"));
  CHECK(contains(found[0].fix, "CUSTOM"));
}

TEST_CASE("protocols: security level 3 warns, level 2 does not", "[checks][protocols]") {
  auto in = healthy();
  CHECK(with_id(judge_protocols(in), FindingId::LocalSeclevelHigh).empty());

  in.openssl->security_level = 3;
  in.policy.crypto_policies.present = true;
  in.policy.crypto_policies.policy = setting("policy", "FUTURE", "/etc/crypto-policies/config", 1);
  in.policy.openssl.system_default.seclevel = 3;
  in.policy.openssl.system_default.cipher_string =
      setting("CipherString", "@SECLEVEL=3:kEECDH", "/usr/share/crypto-policies/FUTURE/opensslcnf.txt", 1);
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalSeclevelHigh);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warn);
  CHECK(evidence(found[0], "security level") == "3");
  CHECK(contains(evidence(found[0], "refuses"), "under 3072 bits"));
  CHECK(evidence(found[0], "crypto policy") == "FUTURE");
  CHECK(contains(found[0].fix, "update-crypto-policies --set DEFAULT"));
  CHECK(contains(r.summary, "OpenSSL SECLEVEL 3"));
}

TEST_CASE("protocols: security level from the config alone, with a CipherString fix", "[checks][protocols]") {
  auto in = healthy();
  in.openssl.reset();
  in.loopback.reset();
  in.policy.openssl.system_default.seclevel = 4;
  in.policy.openssl.system_default.cipher_string = setting("CipherString", "DEFAULT:@SECLEVEL=4");
  const auto found = with_id(judge_protocols(in), FindingId::LocalSeclevelHigh);
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].fix, "to `CipherString = DEFAULT:@SECLEVEL=2`"));
}

TEST_CASE("protocols: a Firefox policy refusing TLS 1.2 disagrees with OpenSSL", "[checks][protocols]") {
  auto in = healthy();
  platform::BrowserPolicy firefox;
  firefox.browser = "firefox";
  firefox.file = "/etc/firefox/policies/policies.json";
  firefox.ssl_version_min = setting("SSLVersionMin", "tls1.3", firefox.file, 0);
  in.policy.browsers.push_back(firefox);
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalStacksDisagree);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warn);
  CHECK(evidence(found[0], "TLS 1.2") ==
        "allowed by OpenSSL; refused by Firefox (SSLVersionMin = tls1.3 in /etc/firefox/policies/policies.json)");
  CHECK(contains(found[0].fix, "Allow TLS 1.2"));
  CHECK(contains(found[0].fix, "Firefox"));
  CHECK(r.facts.at("stacks").size() == 2);
}

TEST_CASE("protocols: stacks that differ only about TLS 1.0/1.1 are info", "[checks][protocols]") {
  auto in = healthy();
  platform::JavaSecurityPolicy java;
  java.jdk = "/usr/lib/jvm/java-17-openjdk";
  java.tls_disabled_algorithms =
      setting("jdk.tls.disabledAlgorithms", "SSLv3, RC4, DES", "/etc/crypto-policies/back-ends/java.config", 2);
  in.policy.java.push_back(java);
  const auto found = with_id(judge_protocols(in), FindingId::LocalStacksDisagree);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Info);
  CHECK(found[0].fix.empty());
  CHECK(contains(evidence(found[0], "TLS 1.0"), "allowed by Java (/usr/lib/jvm/java-17-openjdk)"));
}

TEST_CASE("protocols: stacks that agree stay silent", "[checks][protocols]") {
  auto in = healthy();
  platform::JavaSecurityPolicy java;
  java.jdk = "/usr/lib/jvm/java-17-openjdk-amd64";
  java.tls_disabled_algorithms = setting("jdk.tls.disabledAlgorithms", "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4",
                                         "/etc/java-17-openjdk/security/java.security", 8);
  in.policy.java.push_back(java);
  platform::BrowserPolicy chrome;
  chrome.browser = "chrome";
  chrome.file = "/etc/opt/chrome/policies/managed/tls.json";
  chrome.ssl_version_min = setting("SSLVersionMin", "tls1.2", chrome.file, 0);
  in.policy.browsers.push_back(chrome);
  in.policy.gnutls.found = true;
  in.policy.gnutls.file = "/etc/gnutls/config";
  in.policy.gnutls.system_priority = setting("SYSTEM", "NONE:+VERS-TLS1.3:+VERS-TLS1.2", "/etc/gnutls/config", 1);
  const auto r = judge_protocols(in);
  CHECK(with_id(r, FindingId::LocalStacksDisagree).empty());
  CHECK(r.facts.at("stacks").size() == 4);
}

TEST_CASE("protocols: GnuTLS allowlist and an unloaded crypto-policies back-end are compared", "[checks][protocols]") {
  auto in = healthy();
  auto& cp = in.policy.crypto_policies;
  cp.present = true;
  cp.gnutls.found = true;
  cp.gnutls.file = "/etc/crypto-policies/back-ends/gnutls.config";
  cp.gnutls.override_mode = setting("override-mode", "allowlist", cp.gnutls.file, 2);
  cp.gnutls.enabled_versions = {setting("enabled-version", "TLS1.3", cp.gnutls.file, 5)};
  cp.openssl_backend_found = true;
  cp.openssl_backend_file = "/etc/crypto-policies/back-ends/opensslcnf.config";
  cp.openssl.min_protocol = setting("TLS.MinProtocol", "TLSv1.2", cp.openssl_backend_file, 3);
  const auto r = judge_protocols(in);
  const auto found = with_id(r, FindingId::LocalStacksDisagree);
  REQUIRE(found.size() == 1);
  CHECK(contains(evidence(found[0], "TLS 1.2"), "refused by GnuTLS (not an enabled-version"));
  CHECK(contains(evidence(found[0], "TLS 1.2"), "crypto-policies for OpenSSL (not loaded by OpenSSL)"));
}

TEST_CASE("protocols: an unparsable openssl.cnf fails, naming file and line", "[checks][protocols]") {
  auto in = healthy();
  CHECK(with_id(judge_protocols(in), FindingId::LocalPolicyUnreadable).empty());
  in.policy.openssl.errors.push_back(platform::Error{"/etc/ssl/openssl.cnf:14", "missing equal sign"});
  const auto found = with_id(judge_protocols(in), FindingId::LocalPolicyUnreadable);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Fail);
  CHECK(evidence(found[0], "file") == "/etc/ssl/openssl.cnf:14");
  CHECK(contains(found[0].fix, "line 14 of /etc/ssl/openssl.cnf"));
}

TEST_CASE("protocols: OpenSSL refusing to build a context fails", "[checks][protocols]") {
  auto in = healthy();
  in.openssl->context_created = false;
  in.openssl->context_errors = {"error:0A000086:SSL routines::error in system default config"};
  const auto found = with_id(judge_protocols(in), FindingId::LocalPolicyUnreadable);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Fail);
  CHECK(contains(evidence(found[0], "openssl errors"), "system default config"));
}

TEST_CASE("protocols: other unreadable policy files warn once per file", "[checks][protocols]") {
  auto in = healthy();
  platform::BrowserPolicy chromium;
  chromium.browser = "chromium";
  chromium.file = "/etc/chromium/policies/managed/tls.json";
  chromium.error = platform::Error{chromium.file, "parse error at line 4, column 1"};
  in.policy.browsers.push_back(chromium);
  in.policy.gnutls.found = true;
  in.policy.gnutls.errors = {platform::Error{"/etc/gnutls/config:2", "expected name = value"},
                             platform::Error{"/etc/gnutls/config:5", "expected name = value"}};
  const auto found = with_id(judge_protocols(in), FindingId::LocalPolicyUnreadable);
  REQUIRE(found.size() == 2);
  CHECK(found[0].severity == Severity::Warn);
  CHECK(found[0].title == "A TLS policy file cannot be read: /etc/gnutls/config");
  CHECK(evidence(found[1], "used by") == "Chromium");
}

TEST_CASE("protocols: cipher settings OpenSSL rejects or that leave no modern suite", "[checks][protocols]") {
  auto in = healthy();
  CHECK(with_id(judge_protocols(in), FindingId::LocalCipherPolicy).empty());

  in.cipher_settings.push_back(CipherSettingVerdict{setting("CipherString", "NOPE"), std::string("no cipher match")});
  in.cipher_settings.push_back(CipherSettingVerdict{setting("Ciphersuites", "TLS_AES_256_GCM_SHA384"), std::nullopt});
  auto found = with_id(judge_protocols(in), FindingId::LocalCipherPolicy);
  REQUIRE(found.size() == 1);
  CHECK(evidence(found[0], "openssl error") == "no cipher match");

  in.cipher_settings.clear();
  in.openssl->tls12_modern_ciphers = 0;
  in.openssl->tls12_ciphers = {"AES128-SHA"};
  in.openssl->tls13_ciphersuites.clear();
  in.policy.openssl.system_default.cipher_string = setting("CipherString", "AES128-SHA");
  found = with_id(judge_protocols(in), FindingId::LocalCipherPolicy);
  REQUIRE(found.size() == 2);
  CHECK(evidence(found[0], "setting") == "CipherString = AES128-SHA in /etc/ssl/openssl.cnf:7");
  CHECK(evidence(found[1], "TLS 1.3 suites enabled") == "0");
}

TEST_CASE("protocols: the measurement failing to run warns, not attempting it is silent", "[checks][protocols]") {
  auto in = healthy();
  CHECK(with_id(judge_protocols(in), FindingId::LocalLoopbackFailed).empty());
  set_outcome(in, TlsVersion::Tls1_3, LoopbackOutcome::NotRun);
  (*in.loopback)->results[3].reason = "handshake did not finish within 500 ms";
  auto found = with_id(judge_protocols(in), FindingId::LocalLoopbackFailed);
  REQUIRE(found.size() == 1);
  CHECK(evidence(found[0], "TLS 1.3") == "handshake did not finish within 500 ms");
  CHECK(with_id(judge_protocols(in), FindingId::LocalProtocolDisabled).empty());

  in.loopback.reset();
  const auto r = judge_protocols(in);
  CHECK(with_id(r, FindingId::LocalLoopbackFailed).empty());
  CHECK(r.facts.at("loopback").is_null());
  CHECK(contains(r.summary, "not measured"));
}

TEST_CASE("protocols: run on this machine measures TLS 1.2 and 1.3 as accepted", "[checks][protocols]") {
  const Context ctx{platform::Env::from_process(), build_info(), Deadline::after(15s)};
  const auto r = ProtocolsCheck().run(ctx);
  INFO(r.summary);
  CHECK(with_id(r, FindingId::LocalProtocolDisabled).empty());
  CHECK(with_id(r, FindingId::LocalLoopbackFailed).empty());
  CHECK(contains(r.summary, "1.2, 1.3 allowed"));
  REQUIRE(r.facts.at("loopback").at("results").size() == 4);
  CHECK_FALSE(r.facts.at("openssl").at("effective").is_null());
}

TEST_CASE("protocols: run on the broken fixture reports the unparsable openssl.cnf", "[checks][protocols]") {
  const auto r = ProtocolsCheck().run(Context{fixture("sysroot-broken"), build_info(), Deadline::after(15s)});
  const auto found = with_id(r, FindingId::LocalPolicyUnreadable);
  REQUIRE(found.size() == 2);
  CHECK(found[0].severity == Severity::Fail);
  CHECK(evidence(found[0], "file") == "/etc/ssl/openssl.cnf:14");
  CHECK(evidence(found[1], "file") == "/etc/chromium/policies/managed/tls.json");
  // A fixture tree is not this machine: nothing measured, and that is not a failure.
  CHECK(r.facts.at("loopback").is_null());
  CHECK(with_id(r, FindingId::LocalLoopbackFailed).empty());
}

TEST_CASE("protocols: run on the RHEL fixtures: FUTURE's level 3 warns, LEGACY's stacks agree", "[checks][protocols]") {
  const auto future = ProtocolsCheck().run(Context{fixture("sysroot-rhel-future"), build_info(), Deadline::after(15s)});
  REQUIRE(with_id(future, FindingId::LocalSeclevelHigh).size() == 1);
  CHECK(with_id(future, FindingId::LocalStacksDisagree).empty());
  CHECK(with_id(future, FindingId::LocalCipherPolicy).empty());

  const auto legacy = ProtocolsCheck().run(Context{fixture("sysroot-rhel-legacy"), build_info(), Deadline::after(15s)});
  CHECK(legacy.findings.empty());
  CHECK(legacy.facts.at("crypto_policies").at("policy") == "LEGACY");
  const auto& stacks = legacy.facts.at("stacks");
  REQUIRE(stacks.size() == 4);  // OpenSSL, GnuTLS, NSS, Java
  for (const auto& s : stacks) CHECK(s.at("min_version") == "TLS 1.0");
}

TEST_CASE("protocols: the loopback reference's key is P-256 only where nothing could refuse it", "[checks][protocols]") {
  using tls::SelfSignedKey;
  auto in = healthy();
  SECTION("level 2, no system_default: P-256") {
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P256);
  }
  SECTION("versions, ciphers and options, in any case: P-256") {
    in.policy.openssl.system_default.commands = {setting("MinProtocol", "TLSv1.2"), setting("tls.maxprotocol", "TLSv1.3"),
                                                 setting("CipherString", "DEFAULT@SECLEVEL=2"),
                                                 setting("Ciphersuites", "TLS_AES_256_GCM_SHA384"),
                                                 setting("Options", "ServerPreference")};
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P256);
  }
  SECTION("level 3 is still P-256, level 4 is P-384") {
    in.openssl->security_level = 3;
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P256);
    in.openssl->security_level = 4;
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P384);
  }
  SECTION("a command that can leave P-256 out: P-384") {
    const char* key = GENERATE("Groups", "Curves", "SignatureAlgorithms", "ClientSignatureAlgorithms", "VerifyMode");
    in.policy.openssl.system_default.commands = {setting("MinProtocol", "TLSv1.2"), setting(key, "P-384")};
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P384);
  }
  SECTION("a configuration with errors, or no context: P-384") {
    const bool errors = GENERATE(true, false);
    if (errors) {
      in.policy.openssl.errors.push_back(platform::Error{"/etc/ssl/openssl.cnf:12", "missing equal sign"});
    } else {
      in.openssl->context_created = false;
    }
    CHECK(loopback_key(in.policy, *in.openssl) == SelfSignedKey::P384);
  }
}
