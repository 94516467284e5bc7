// Serialises what the protocols check saw, so the JSON report shows every stack's policy and the measurement.
#include "checks/protocols_facts.h"

namespace tlsdoctor::checks::protocols_detail {
namespace {

using json = nlohmann::ordered_json;

json optional_text(const std::optional<std::string>& value) { return value ? json(*value) : json(); }

json version_or_null(const std::optional<tls::TlsVersion>& version) {
  return version ? json(to_string(*version)) : json();
}

json setting_json(const platform::PolicySetting& s) {
  return {{"key", s.key}, {"value", s.value}, {"file", s.file}, {"line", s.line}};
}

json errors_json(const std::vector<platform::Error>& errors) {
  auto out = json::array();
  for (const auto& e : errors) out.push_back({{"input", e.input}, {"message", e.message}});
  return out;
}

json openssl_json(const ProtocolsInputs& inputs) {
  const auto& o = inputs.policy.openssl;
  auto settings = json::array();
  for (const auto& s : o.system_default.commands) settings.push_back(setting_json(s));
  json out = {{"config_file", o.config_path},
              {"config_source", o.config_source},
              {"config_resolved", o.config_resolved},
              {"config_found", o.config_found},
              {"files_read", o.files_read},
              {"init_section", optional_text(o.init_section)},
              {"ssl_conf_section", optional_text(o.ssl_conf_section)},
              {"system_default_section", optional_text(o.system_default_section)},
              {"system_default", std::move(settings)},
              {"seclevel_setting", o.system_default.seclevel ? json(*o.system_default.seclevel) : json()},
              {"notes", o.notes},
              {"errors", errors_json(o.errors)},
              {"effective", nullptr}};
  if (inputs.openssl) {
    const auto& e = *inputs.openssl;
    out["effective"] = {{"openssl_version", e.openssl_version},
                        {"config_file", e.config_file},
                        {"config_found", e.config_found},
                        {"config_error", optional_text(e.config_error)},
                        {"context_created", e.context_created},
                        {"context_errors", e.context_errors},
                        {"min_version", version_or_null(e.min_version)},
                        {"max_version", version_or_null(e.max_version)},
                        {"security_level", e.security_level},
                        {"tls12_suites", e.tls12_ciphers.size()},
                        {"tls12_modern_suites", e.tls12_modern_ciphers},
                        {"tls13_suites", e.tls13_ciphersuites}};
  }
  return out;
}

json loopback_json(const ProtocolsInputs& inputs) {
  if (!inputs.loopback) return nullptr;
  const auto& loopback = *inputs.loopback;
  if (!loopback) return {{"error", loopback.error().input + ": " + loopback.error().message}};
  auto results = json::array();
  for (const auto& r : loopback->results) {
    json row = {{"version", to_string(r.version)}, {"result", to_string(r.outcome)}};
    if (r.outcome == tls::LoopbackOutcome::Accepted) {
      row["negotiated"] = r.negotiated;
      row["cipher"] = r.cipher;
    } else {
      row["reason"] = r.reason;
      if (!r.detail.empty()) row["detail"] = r.detail;
    }
    if (r.alert) row["alert"] = *r.alert;
    if (r.server_reason) row["server_reason"] = *r.server_reason;
    row["duration_ms"] = r.duration.count();
    results.push_back(std::move(row));
  }
  return {{"duration_ms", loopback->duration.count()}, {"results", std::move(results)}};
}

json crypto_policies_json(const platform::CryptoPolicies& cp) {
  if (!cp.present) return nullptr;
  return {{"policy", cp.policy ? json(cp.policy->value) : json()},
          {"base_policy", cp.base_policy},
          {"sub_policies", cp.sub_policies},
          {"openssl_backend", cp.openssl_backend_found ? json(cp.openssl_backend_file) : json()},
          {"openssl_backend_seclevel", cp.openssl.seclevel ? json(*cp.openssl.seclevel) : json()},
          {"gnutls_backend", cp.gnutls.found ? json(cp.gnutls.file) : json()},
          {"gnutls_min_verification_profile",
           cp.gnutls.min_verification_profile ? json(cp.gnutls.min_verification_profile->value) : json()},
          {"nss_backend", cp.nss.found ? json(cp.nss.file) : json()},
          {"nss_rsa_min", cp.nss.rsa_min ? json(cp.nss.rsa_min->value) : json()},
          {"java_backend", cp.java ? json(cp.java->file) : json()}};
}

json browsers_json(const std::vector<platform::BrowserPolicy>& browsers) {
  auto out = json::array();
  for (const auto& b : browsers) {
    auto other = json::object();
    for (const auto& s : b.other_settings) other[s.key] = s.value;
    out.push_back({{"browser", b.browser},
                   {"file", b.file},
                   {"error", b.error ? json(b.error->message) : json()},
                   {"ssl_version_min", b.ssl_version_min ? json(b.ssl_version_min->value) : json()},
                   {"ssl_version_max", b.ssl_version_max ? json(b.ssl_version_max->value) : json()},
                   {"import_enterprise_roots",
                    b.import_enterprise_roots ? json(b.import_enterprise_roots->value) : json()},
                   {"certificates_install", b.certificates_install},
                   {"other_settings", std::move(other)}});
  }
  return out;
}

json java_json(const std::vector<platform::JavaSecurityPolicy>& jdks) {
  auto out = json::array();
  for (const auto& j : jdks) {
    out.push_back({{"jdk", j.jdk},
                   {"file", j.file},
                   {"tls_disabled_algorithms",
                    j.tls_disabled_algorithms ? setting_json(*j.tls_disabled_algorithms) : json()},
                   {"includes_crypto_policies", j.includes_crypto_policies},
                   {"includes", j.includes}});
  }
  return out;
}

}  // namespace

nlohmann::ordered_json protocols_facts_json(const ProtocolsInputs& inputs, const std::vector<StackPolicy>& stacks) {
  const auto& gnutls = inputs.policy.gnutls;
  return {{"openssl", openssl_json(inputs)},
          {"loopback", loopback_json(inputs)},
          {"stacks", stacks_json(stacks)},
          {"crypto_policies", crypto_policies_json(inputs.policy.crypto_policies)},
          {"gnutls_config", gnutls.found ? json(gnutls.file) : json()},
          {"java", java_json(inputs.policy.java)},
          {"browsers", browsers_json(inputs.policy.browsers)}};
}

}  // namespace tlsdoctor::checks::protocols_detail
