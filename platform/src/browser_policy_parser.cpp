// Reads the TLS and certificate settings of a browser's enterprise policy JSON file.
#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/tls_policy_parsers.h"

namespace tlsdoctor::platform {
namespace {

using nlohmann::json;

// Policy names that concern TLS versions, certificates or trust (Chrome's, Edge's and
// Firefox's policy lists); anything else in the file is not this check's business.
constexpr std::array kTlsRelatedNameParts = {
    std::string_view("SSL"),         std::string_view("TLS"),
    std::string_view("Certificate"), std::string_view("CAPlatformIntegration"),
    std::string_view("Revocation"),  std::string_view("RootStore"),
    std::string_view("CipherSuite"), std::string_view("PostQuantum"),
    std::string_view("EncryptedClientHello"), std::string_view("HSTS"),
    std::string_view("RSAKeyUsage"), std::string_view("SecurityBypass"),
    std::string_view("SecurityDevices"), std::string_view("EnterpriseRoots"),
};

bool tls_related(std::string_view name) {
  for (const auto part : kTlsRelatedNameParts) {
    if (name.find(part) != std::string_view::npos) return true;
  }
  return false;
}

// Collects nlohmann's message for the first syntax error without throwing.
class ErrorCollector : public nlohmann::json_sax<json> {
 public:
  std::string message;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    std::string_view what = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep "parse error at line 3, ...".
    if (const auto close = what.find("] "); what.starts_with("[json.exception") && close != std::string_view::npos) {
      what.remove_prefix(close + 2);
    }
    message = std::string(what);
    return false;
  }
};

std::string as_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

BrowserPolicy parse_browser_policy(std::string_view text, const std::string& browser, const std::string& file) {
  BrowserPolicy policy;
  policy.browser = browser;
  policy.file = file;
  bool too_deep = false;
  // Values nested deeper than the limit are dropped as they are read, and the file refused:
  // printing a value (as_text) recurses through it.
  const json::parser_callback_t limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth >= static_cast<int>(kMaxBrowserPolicyDepth)) too_deep = true;
    return !too_deep;
  };
  const json document = json::parse(text.begin(), text.end(), limit_depth, /*allow_exceptions=*/false);
  if (too_deep) {
    policy.error = Error{file, "JSON nested deeper than " + std::to_string(kMaxBrowserPolicyDepth) + " levels"};
    return policy;
  }
  if (document.is_discarded()) {
    ErrorCollector collector;
    json::sax_parse(text.begin(), text.end(), &collector);
    policy.error = Error{file, collector.message.empty() ? "not valid JSON" : collector.message};
    return policy;
  }
  if (!document.is_object()) {
    policy.error = Error{file, "not a JSON object"};
    return policy;
  }
  // Firefox wraps its policies in {"policies": {...}}; Chromium-based browsers do not.
  const json& policies =
      browser == "firefox" ? (document.contains("policies") ? document.at("policies") : json::object()) : document;
  if (!policies.is_object()) {
    policy.error = Error{file, "\"policies\" is not a JSON object"};
    return policy;
  }
  for (const auto& [name, value] : policies.items()) {
    PolicySetting setting{name, as_text(value), file, 0};
    if (name == "SSLVersionMin") {
      policy.ssl_version_min = setting;
    } else if (name == "SSLVersionMax") {
      policy.ssl_version_max = setting;
    } else if (name == "Certificates" && value.is_object()) {
      if (const auto it = value.find("ImportEnterpriseRoots"); it != value.end()) {
        policy.import_enterprise_roots = PolicySetting{"Certificates.ImportEnterpriseRoots", as_text(*it), file, 0};
      }
      if (const auto it = value.find("Install"); it != value.end() && it->is_array()) {
        for (const auto& entry : *it) policy.certificates_install.push_back(as_text(entry));
      }
    } else if (tls_related(name)) {
      policy.other_settings.push_back(std::move(setting));
    }
  }
  return policy;
}

}  // namespace tlsdoctor::platform
